"""The demo: a fresh SQLite database filled by the real pipeline from the bundled mentions.

The bundled file uses timestamps relative to now, so the demo always looks
current. The demo keeps its own database file and rebuilds it on every run;
it never touches the database in your settings.
"""

from __future__ import annotations

import secrets
from importlib import resources
from pathlib import Path

from sqlalchemy.engine import Engine

from classifiers.registry import configured_judge
from config.settings import Settings
from console.accounts import create_user
from crm.db import create_db_engine, migrate, session_scope
from crm.enums import Role
from listener.replay import ReplayCollector
from socialcrm.pipeline import PipelineReport, Progress, run_pipeline

__all__ = ["DEMO_ADMIN_EMAIL", "DEMO_DATABASE", "create_demo_admin", "demo_data_path", "run_demo"]

DEMO_DATABASE = Path("socialcrm-demo.db")
DEMO_ADMIN_EMAIL = "admin@demo.socialcrm.invalid"
DEMO_BRAND_HANDLES = ["NimbusMobile", "KavraCoffee", "Voltride"]


def demo_data_path() -> Path:
    """The bundled demo mentions (JSONL)."""
    return Path(str(resources.files("socialcrm") / "data" / "demo_mentions.jsonl"))


def run_demo(
    settings: Settings, *, database: Path = DEMO_DATABASE, progress: Progress | None = None
) -> tuple[Engine, PipelineReport]:
    """Rebuild the demo database and run the whole pipeline over the demo mentions."""
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    engine = create_db_engine(f"sqlite:///{database}")
    migrate(engine)
    demo_settings = settings.model_copy(
        update={"brand": settings.brand.model_copy(update={"handles": DEMO_BRAND_HANDLES})}
    )
    collector = ReplayCollector([str(demo_data_path())])
    report = run_pipeline(
        engine=engine,
        settings=demo_settings,
        collectors=[collector],
        judge=configured_judge(settings.classifier),
        progress=progress,
    )
    return engine, report


def create_demo_admin(engine: Engine) -> tuple[str, str]:
    """An admin for the fresh demo database with a new random password: (e-mail, password)."""
    password = secrets.token_urlsafe(12)
    with session_scope(engine) as session:
        create_user(
            session=session,
            email=DEMO_ADMIN_EMAIL,
            password=password,
            role=Role.ADMIN,
            name="Demo admin",
            actor="demo",
        )
    return DEMO_ADMIN_EMAIL, password
