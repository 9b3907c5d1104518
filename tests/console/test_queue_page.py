"""The queue page: shows the work, escapes hostile text, sends a strict CSP."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from config.settings import Settings
from console.app import create_app
from listener.replay import ReplayCollector
from socialcrm.pipeline import run_pipeline
from tests.fakes import TagJudge

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> #complaint #legal'


def _fill(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    posts = [
        {
            "platform": "x",
            "external_id": "1",
            "url": "https://x.com/calm/status/1",
            "author": {"id": "1", "handle": "calm"},
            "text": "how? #question",
            "posted_at": "-2h",
        },
        {
            "platform": "x",
            "external_id": "3",
            "url": "javascript:alert(1)",
            "author": {"id": "3", "handle": "evil"},
            "text": "bad url #question",
            "posted_at": "-2h",
        },
        {
            "platform": "x",
            "external_id": "2",
            "url": "https://x.com/evil/status/2",
            "author": {"id": "2", "handle": "<b>evil</b>", "name": "\u202eeviL"},
            "text": HOSTILE,
            "posted_at": "-1h",
        },
    ]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    run_pipeline(
        engine=engine,
        settings=settings,
        collectors=[ReplayCollector([str(path)])],
        judge=TagJudge(),
    )


def test_queue_lists_cases_most_urgent_first_with_hostile_text_escaped(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _fill(sqlite_engine, settings, tmp_path)
    response = TestClient(create_app(engine=sqlite_engine)).get("/")
    page = response.text
    assert response.status_code == 200
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;b&gt;evil&lt;/b&gt;" in page
    assert page.index("C-000002") < page.index("C-000001")  # escalated legal complaint first
    assert 'href="https://x.com/evil/status/2" rel="noopener noreferrer"' in page


def test_a_mention_with_a_javascript_url_is_refused_so_never_linked(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _fill(sqlite_engine, settings, tmp_path)
    page = TestClient(create_app(engine=sqlite_engine)).get("/").text
    assert "javascript:" not in page
    assert "bad url" not in page


def test_every_response_carries_a_strict_content_security_policy(sqlite_engine: Engine) -> None:
    response = TestClient(create_app(engine=sqlite_engine)).get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_empty_queue_says_so_and_health_reports_counts(sqlite_engine: Engine) -> None:
    client = TestClient(create_app(engine=sqlite_engine))
    assert "Nothing waiting" in client.get("/").text
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["counts"]["mentions"] == 0
