"""Console fixtures: an app on the ``engine`` fixture, users of each role, signed-in clients."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from config.settings import ConsoleSettings, Settings
from console.accounts import create_token, create_user
from console.app import create_app
from console.security import use_password_hasher
from crm.db import session_scope
from crm.enums import Role
from listener.replay import ReplayCollector
from socialcrm.pipeline import run_pipeline
from tests.fakes import TagJudge

PASSWORD = "correct horse battery"


def add_user(engine: Engine, email: str, role: Role) -> int:
    with session_scope(engine) as session:
        user = create_user(session=session, email=email, password=PASSWORD, role=role, actor="t")
        return user.id or 0


def make_token(engine: Engine, user_id: int) -> str:
    with session_scope(engine) as session:
        return create_token(session=session, user_id=user_id, actor="t").secret


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "page has no CSRF meta tag"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    csrf = csrf_of(client.get("/signin").text)
    response = client.post(
        "/signin",
        data={"email": email, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


def fill(engine: Engine, settings: Settings, tmp_path: Path, posts: list[dict[str, Any]]) -> None:
    """Run the real pipeline (with the tag judge) over ``posts``."""
    path = tmp_path / f"posts-{len(posts)}-{id(posts)}.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    run_pipeline(
        engine=engine,
        settings=settings,
        collectors=[ReplayCollector([str(path)])],
        judge=TagJudge(),
    )


def post(number: int, text: str, **extra: Any) -> dict[str, Any]:
    """A replay line from author ``number``."""
    return {
        "platform": "x",
        "external_id": str(number),
        "url": f"https://x.com/u{number}/status/{number}",
        "author": {"id": str(number), "handle": f"u{number}", "name": f"User {number}"},
        "text": text,
        "posted_at": f"-{number}m",
        **extra,
    }


@pytest.fixture(autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id with tiny parameters: the same code paths, a fraction of the cost per sign-in.

    Production keeps argon2-cffi's defaults (``console.security``); only tests swap.
    """
    previous = use_password_hasher(PasswordHasher(time_cost=1, memory_cost=256, parallelism=1))
    yield
    use_password_hasher(previous)


@pytest.fixture
def app_for() -> Callable[..., Any]:
    def build(engine: Engine, **settings: Any) -> Any:
        return create_app(engine=engine, settings=ConsoleSettings(**settings))

    return build
