"""The queue page: shows the work, escapes hostile text, sends a strict CSP, needs sign-in."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from config.settings import Settings
from console.app import create_app
from crm.enums import Role
from tests.console.conftest import add_user, fill, sign_in

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> #complaint #legal'


def _fill(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    fill(
        engine,
        settings,
        tmp_path,
        [
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
        ],
    )


def _client(engine: Engine) -> TestClient:
    client = TestClient(create_app(engine=engine))
    add_user(engine, "ana@example.com", Role.AGENT)
    sign_in(client, "ana@example.com")
    return client


def test_queue_lists_cases_most_urgent_first_with_hostile_text_escaped(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _fill(sqlite_engine, settings, tmp_path)
    response = _client(sqlite_engine).get("/")
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
    page = _client(sqlite_engine).get("/").text
    assert "javascript:" not in page
    assert "bad url" not in page


def test_every_response_carries_a_strict_content_security_policy(sqlite_engine: Engine) -> None:
    response = TestClient(create_app(engine=sqlite_engine)).get("/signin")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text and " style=" not in response.text


def test_empty_queue_says_so_and_health_reports_counts(sqlite_engine: Engine) -> None:
    client = _client(sqlite_engine)
    assert "Nothing waiting" in client.get("/").text
    health = TestClient(create_app(engine=sqlite_engine)).get("/healthz").json()
    assert health["status"] == "ok"
    assert health["counts"]["mentions"] == 0


def test_filters_narrow_the_queue_and_count_each_value(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _fill(engine, settings, tmp_path)
    client = _client(engine)
    page = client.get("/", params={"intent": "complaint"}).text
    assert "C-000002" in page and "C-000001" not in page
    assert "complaint (1)" in page and "question (1)" in page
    assert "C-000001" in client.get("/", params={"risk": "", "q": "calm"}).text
    assert "C-000002" in client.get("/", params={"risk": "legal"}).text


def test_sql_metacharacters_in_filters_are_refused_or_harmless(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _fill(engine, settings, tmp_path)
    client = _client(engine)
    refused = client.get("/", params={"status": "open' OR '1'='1"})
    assert refused.status_code == 422
    assert "status must be one of" in refused.text
    for hostile in ("' OR 1=1 --", '"; DROP TABLE "case"; --', "%", "_", "\\"):
        response = client.get("/", params={"q": hostile, "tag": hostile, "language": hostile})
        assert response.status_code == 200
        assert "Nothing waiting" in response.text
    assert "C-000001" in client.get("/").text  # the table is still there
