"""``/docs``: the REST API's Swagger UI, served from the installed ``swagger-ui-bundle``.

No CDN and no inline script: the page loads the bundle's files from
``/swagger-ui`` and starts it from ``/static/docs.js``, so the strict
Content-Security-Policy of every other page holds here too and the docs work
offline. The page and the schema are public, like ``/healthz``: they describe
the API, and every operation in them still needs a token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

__all__ = ["ASSETS_PATH", "mount_assets", "router"]

router = APIRouter(include_in_schema=False)
ASSETS_PATH = "/swagger-ui"


def mount_assets(app: FastAPI) -> None:
    """Serve the bundle's JavaScript and CSS under ``/swagger-ui``."""
    app.mount(ASSETS_PATH, StaticFiles(directory=Path(swagger_ui_path)), name="swagger-ui")


@router.get("/docs")
def docs(request: Request) -> Response:
    """Swagger UI for ``/openapi.json``."""
    env = request.app.state.templates
    return env.TemplateResponse(
        request,
        "docs.html",
        {
            "assets": ASSETS_PATH,
            "schema_url": request.app.openapi_url,
            "brand": request.app.state.brand,
        },
    )
