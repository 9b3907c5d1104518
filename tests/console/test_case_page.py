"""The case page: hostile text escaped, actions by form with CSRF, labels, Persian RTL."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from config.settings import Settings
from console.app import create_app
from crm.db import session_scope
from crm.enums import Role
from crm.models import Case, Mention, Note, Reply
from tests.console.conftest import add_user, fill, post, sign_in

XSS = "<svg onload=alert(1)>\u202e #complaint"


def _client(engine: Engine, settings: Settings, tmp_path: Path) -> tuple[TestClient, str]:
    fill(
        engine,
        settings,
        tmp_path,
        [
            post(
                1,
                XSS,
                author={"id": "1", "handle": "<i>h</i>", "name": "<script>n</script>"},
                url='https://x.com/a/status/1?q="><script>',
            )
        ],
    )
    add_user(engine, "ana@example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    return client, sign_in(client, "ana@example.com")


def test_the_case_page_escapes_hostile_text_names_and_urls(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, _ = _client(engine, settings, tmp_path)
    page = client.get("/cases/1").text
    assert "<svg onload" not in page and "&lt;svg onload=alert(1)&gt;" in page
    assert "<script>n</script>" not in page and "<i>h</i>" not in page
    assert "&#34;&gt;&lt;script&gt;" in page  # the URL's quote cannot close the attribute
    assert 'rel="noopener noreferrer"' in page
    assert "/ 280" in page  # X's character counter


def test_actions_by_form_change_the_case_and_need_the_token(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, csrf = _client(engine, settings, tmp_path)
    with session_scope(engine) as session:
        reply = session.exec(select(Reply)).one()
        mention = session.exec(select(Mention)).one()
    url = f"/cases/1/replies/{reply.id}"
    assert client.post(url, data={"action": "approve"}).status_code == 403
    done = client.post(
        url, data={"action": "approve", "text": "Sorry, looking now.", "csrf_token": csrf}
    )
    assert done.status_code == 200 and "Approved" in done.text
    client.post(
        "/cases/1/actions", data={"action": "note", "text": "<b>vip</b>", "csrf_token": csrf}
    )
    client.post(
        f"/cases/1/mentions/{mention.id}/correct",
        data={"intent": "question", "sentiment": "", "csrf_token": csrf},
    )
    resolved = client.post("/cases/1/actions", data={"action": "resolve", "csrf_token": csrf})
    assert "&lt;b&gt;vip&lt;/b&gt;" in resolved.text
    with session_scope(engine) as session:
        assert session.get_one(Reply, reply.id).status == "approved"
        assert session.get_one(Mention, mention.id).corrected_intent == "question"
        assert session.get_one(Case, 1).status == "resolved"
        assert session.exec(select(Note)).one().text == "<b>vip</b>"


def test_persian_turns_the_console_right_to_left_and_dates_follow_the_users_zone(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, csrf = _client(engine, settings, tmp_path)
    client.post("/preferences", data={"language": "fa", "csrf_token": csrf})
    page = client.get("/").text
    assert '<html lang="fa" dir="rtl">' in page and "صف" in page
    with session_scope(engine) as session:
        from crm.models import User

        user = session.exec(select(User)).one()
        user.timezone = "Asia/Tehran"
        session.add(user)
    assert "+03:30" in client.get("/cases/1").text
    client.post("/preferences", data={"language": "tr", "csrf_token": csrf})
    assert '<html lang="tr" dir="ltr">' in client.get("/").text
    bad = client.post("/preferences", data={"language": "xx", "csrf_token": csrf})
    assert bad.status_code == 422
