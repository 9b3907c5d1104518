"""The console's app factory: pages for community managers, the REST API and metrics.

Mention text, names and URLs are hostile input: templates autoescape, links are
only ever to http(s) addresses, and a strict Content-Security-Policy forbids
inline script and style and any third-party origin. Every route but sign-in,
``/healthz`` and ``/static`` needs a signed-in user (see ``console.deps``).
"""

from __future__ import annotations

import gc
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Receive, Scope, Send

from config.settings import ConsoleSettings
from console import web
from console.routes import api, auth, cases, customers, docs, metrics, operations, queue
from console.security import SESSION_COOKIE, SessionCodec, SessionData, new_csrf_token
from crm.db import session_scope
from crm.queries import totals

__all__ = ["SECURITY_HEADERS", "create_app", "freeze_startup_objects"]

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


# Young-generation size between collections: larger than what one page leaves behind, so a
# page's own objects are not collected (and promoted) while it is still being built.
YOUNG_GENERATION_THRESHOLD = 30_000


def freeze_startup_objects() -> int:
    """Move every object alive after start-up out of the garbage collector's sight.

    Modules, classes, routes and templates live as long as the process; left in the
    oldest generation, each full collection walks them all (70 ms on this machine,
    every twenty-odd pages). Frozen, a full collection walks only what requests
    made. Returns how many were frozen.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


class CollectAfterResponse:
    """Collect the young generation once each HTTP exchange is over.

    Every ORM object a page loads sits in a reference cycle (SQLAlchemy's instance
    state and the weak reference back to it), so only the collector frees them:
    about 2,800 objects per queue page. Collected mid-page they are still alive,
    get promoted, and pile up until a full collection frees 50,000 at once (a
    70 ms stall every 25 pages). With a young generation larger than a page
    (:data:`YOUNG_GENERATION_THRESHOLD`) and a young collection after each response,
    each page's garbage goes young and in small pieces (about 3 ms, after the
    response has been sent when uvicorn serves it).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                gc.collect(0)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    frozen = freeze_startup_objects()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)
    logger.debug("froze start-up objects", extra={"objects": frozen})
    yield


def create_app(
    *,
    engine: Engine,
    brand: str = "socialcrm",
    settings: ConsoleSettings | None = None,
    secret_key: str | None = None,
) -> FastAPI:
    """A console app bound to ``engine``; without ``secret_key`` sessions last until restart."""
    console_settings = settings or ConsoleSettings()
    app = FastAPI(
        title="socialcrm",
        version="1",
        description="The socialcrm REST API. Authenticate with `Authorization: Bearer <token>` "
        "(`socialcrm token create EMAIL`).",
        docs_url=None,  # served by console.routes.docs from the installed bundle
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.engine = engine
    app.state.brand = brand
    app.state.settings = console_settings
    app.state.codec = SessionCodec(
        secret_key or secrets.token_urlsafe(48),
        max_age_seconds=console_settings.session_hours * 3600,
    )
    app.state.templates = web.templates(HERE / "templates")
    app.state.facet_cache = web.FacetCache(ttl_seconds=20)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    docs.mount_assets(app)
    _middleware(app)
    app.add_middleware(CollectAfterResponse)
    web.install_error_handlers(app)
    for module in (auth, queue, cases, customers, operations, api, metrics, docs):
        app.include_router(module.router)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, object]:
        """Liveness and the store's counts (public: no names, no text)."""
        with session_scope(engine) as session:
            return {"status": "ok", "counts": totals(session=session)}

    return app


def _middleware(app: FastAPI) -> None:
    codec: SessionCodec = app.state.codec

    @app.middleware("http")
    async def session_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        found = codec.loads(request.cookies.get(SESSION_COOKIE))
        request.state.session = found or SessionData(csrf=new_csrf_token())
        request.state.session_changed = found is None
        response = await call_next(request)
        if request.state.session_changed and "authorization" not in request.headers:
            response.set_cookie(
                SESSION_COOKIE,
                codec.dumps(request.state.session),
                max_age=codec.max_age_seconds,
                path="/",
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
        response.headers.update(SECURITY_HEADERS)
        return response
