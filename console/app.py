"""The console's app factory: the queue page and a health check.

Mention text, names and URLs are hostile input: templates autoescape, links
are only ever to http(s) addresses, and a strict Content-Security-Policy
forbids inline script and any third-party origin.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine

from crm.db import session_scope
from crm.queries import queue, totals

__all__ = ["create_app"]

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


def create_app(*, engine: Engine, brand: str = "socialcrm") -> FastAPI:
    """A console app bound to ``engine``; nothing is built at import time."""
    app = FastAPI(title="socialcrm", docs_url="/docs", redoc_url=None)
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.get("/", response_class=HTMLResponse)
    def queue_page(request: Request) -> Response:
        """The work queue: active cases, most urgent first."""
        with session_scope(engine) as session:
            items = queue(session=session, limit=200)
            counts = totals(session=session)
            return templates.TemplateResponse(
                request, "queue.html", {"items": items, "counts": counts, "brand": brand}
            )

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        """Liveness and the store's counts."""
        with session_scope(engine) as session:
            return {"status": "ok", "counts": totals(session=session)}

    return app
