"""What every page shares: the template environment, rendering with the user's language and
time zone, the error pages and JSON errors, and a short-lived cache of queue facet counts.

Errors become the status their class says (``console.errors``; responders' refusals
409/422; a missing record 404) with the message as written, in JSON under ``/api``
and ``/metrics`` and as a page elsewhere; a page asking a signed-out visitor is
sent to sign in instead.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from console.errors import ConsoleError, NotSignedIn
from console.i18n import LANGUAGES, direction, format_time, time_zones, translator
from crm.customers import CustomerNotFound, MergeRefused
from crm.enums import IllegalTransition
from crm.models import User
from crm.types import utcnow
from responders.errors import (
    CaseLocked,
    EscalationNotRetryable,
    ReplyNotEditable,
    ResponderError,
)

__all__ = ["FacetCache", "install_error_handlers", "render", "safe_url", "status_of", "templates"]

logger = logging.getLogger(__name__)


def safe_url(url: str | None) -> str | None:
    """The URL when it is plain http(s) and free of control characters, else None."""
    if not url or len(url) > 2000:
        return None
    if not url.lower().startswith(("https://", "http://")):
        return None
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return None
    return url


def shown_handle(platform: str, handle: str) -> str:
    """A handle the way its platform writes it: ``u/name`` on Reddit, ``@name`` elsewhere."""
    if platform == "reddit":
        return f"u/{handle}"
    return handle if handle.startswith("@") else f"@{handle}"


def templates(directory: Path) -> Jinja2Templates:
    """Jinja2 templates with autoescape and the console's filters."""
    env = Jinja2Templates(directory=directory)
    env.env.autoescape = True
    env.env.globals["safe_url"] = safe_url
    env.env.globals["shown_handle"] = shown_handle
    env.env.globals["LANGUAGES"] = LANGUAGES
    env.env.globals["time_zones"] = time_zones
    return env


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    user: User | None = None,
    status_code: int = 200,
) -> Response:
    """A page in the user's language (or the browser's first we ship) and time zone."""
    language = user.language if user else _browser_language(request)
    zone = user.timezone if user else "UTC"
    base = {
        "user": user,
        "brand": request.app.state.brand,
        "lang": language,
        "dir": direction(language),
        "t": translator(language),
        "when": lambda value: format_time(value, zone),
        "now": utcnow(),
        "csrf": request.state.session.csrf,
        "timezone": zone,
    }
    env: Jinja2Templates = request.app.state.templates
    return env.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _browser_language(request: Request) -> str:
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/metrics")) or "application/json" in request.headers.get(
        "accept", ""
    )


def status_of(exc: Exception) -> int:
    """The HTTP status an error maps to (our own say; refusals 409; missing records 404)."""
    if isinstance(exc, ConsoleError):
        return exc.status
    if isinstance(exc, CaseLocked | ReplyNotEditable | IllegalTransition | MergeRefused):
        return 409
    if isinstance(exc, EscalationNotRetryable):
        return 409
    if isinstance(exc, LookupError | OverflowError | CustomerNotFound):
        return 404
    return 422


def _error_response(request: Request, exc: Exception) -> Response:
    status = status_of(exc)
    message = str(exc)
    if isinstance(exc, NotSignedIn) and not _wants_json(request):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/signin?next={target}", status_code=303)
    if _wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return render(
        request,
        "error.html",
        {"status": status, "message": message},
        user=getattr(request.state, "user", None),
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map our errors, the responders' refusals and bad records to statuses with their message."""

    async def handle(request: Request, exc: Exception) -> Response:
        logger.info(
            "request refused",
            extra={
                "path": request.url.path,
                "status": status_of(exc),
                "error": type(exc).__name__,
            },
        )
        return _error_response(request, exc)

    # OverflowError: an id beyond the database's integer range is simply not there.
    kinds = (
        ConsoleError,
        ResponderError,
        IllegalTransition,
        LookupError,
        ValueError,
        OverflowError,
    )
    for kind in kinds:
        app.add_exception_handler(kind, handle)

    async def invalid(request: Request, exc: Exception) -> Response:
        if _wants_json(request):
            errors = exc.errors() if isinstance(exc, RequestValidationError) else []
            detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in errors]
            return JSONResponse({"detail": detail}, status_code=422)
        return _error_response(request, ValueError("the form or address has an invalid value"))

    app.add_exception_handler(RequestValidationError, invalid)


class FacetCache:
    """Facet bases (``crm.console_queries.FacetBasis``) kept ``ttl_seconds``, refreshed behind.

    Counting reads every active case (about a second on SQLite with 200,000 cases), a
    page does not, so a page never waits for a recount it can do without: a stale
    entry is served as it is while one background thread counts afresh, and only a
    key never seen before (another status, tag or search) is counted while the page
    waits. :meth:`clear` (after an action) marks everything stale rather than
    forgetting it. ``ttl_seconds = 0`` makes every call count in the foreground.
    """

    def __init__(self, *, ttl_seconds: float, max_entries: int = 64) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._items: dict[Any, tuple[float, Any]] = {}
        self._refreshing: set[Any] = set()
        self._derived: dict[Any, tuple[Any, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The value for ``key``: fresh, stale (a refresh started behind), or computed now."""
        with self._lock:
            found = self._items.get(key)
            fresh = found is not None and time.monotonic() - found[0] <= self.ttl_seconds
            refresh = found is not None and not fresh and self.ttl_seconds > 0
            if refresh and key not in self._refreshing:
                self._refreshing.add(key)
                threading.Thread(target=self._refresh, args=(key, compute), daemon=True).start()
        if found is not None and (fresh or refresh):
            return found[1]
        value = compute()
        self._put(key, value)
        return value

    def _refresh(self, key: Any, compute: Callable[[], Any]) -> None:
        try:
            self._put(key, compute())
        except Exception:  # the stale value stays; the next page tries again
            logger.exception("recounting the queue's facets failed")
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def _put(self, key: Any, value: Any) -> None:
        with self._lock:
            if key not in self._items and len(self._items) >= self.max_entries:
                oldest = min(self._items, key=lambda k: self._items[k][0])
                del self._items[oldest]
            self._items[key] = (time.monotonic(), value)

    @property
    def refreshing(self) -> bool:
        """True while a recount runs behind."""
        with self._lock:
            return bool(self._refreshing)

    def derived(self, basis: Any, key: Any, derive: Callable[[], Any]) -> Any:
        """What ``derive`` makes of ``basis`` for ``key``, remembered while ``basis`` is current.

        Summing a basis for one viewer's filters takes tens of milliseconds with a
        large queue; the same page asked again reuses the sums.
        """
        with self._lock:
            found = self._derived.get(key)
        if found is not None and found[0] is basis:
            return found[1]
        value = derive()
        with self._lock:
            if len(self._derived) >= self.max_entries * 4:
                self._derived.clear()
            self._derived[key] = (basis, value)
        return value

    def clear(self) -> None:
        """Mark every entry stale (after an action changed the counts): recounted behind."""
        with self._lock:
            self._items = {key: (-1e9, value) for key, (_, value) in self._items.items()}
