"""Headless Chromium (Debian's) through Playwright: sign in, keyboard, approve, label, Persian.

Skips when /usr/bin/chromium is absent, except under CI=true. Screenshots go to
``test-artefacts/console`` (ignored by git).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import select

from config.settings import Settings
from console.app import create_app
from crm.db import session_scope
from crm.enums import Role
from crm.models import CustomerMerge, Identity, Mention, Reply
from tests.console.conftest import PASSWORD, add_user, fill, post

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "console"

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true needs Debian's chromium at /usr/bin/chromium", pytrace=False)
    pytest.skip(
        "no Chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True
    )


@pytest.fixture
def live(sqlite_engine: Engine, settings: Settings, tmp_path: Path) -> Iterator[str]:
    fill(
        sqlite_engine, settings, tmp_path, [post(n, f"phone {n} broke #complaint") for n in (1, 2)]
    )
    add_user(sqlite_engine, "ana@example.com", Role.AGENT)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(engine=sqlite_engine), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def signed_in(browser: Any, live: str, email: str, errors: list[str]) -> Any:
    """A page signed in as ``email``, on the queue; console errors go to ``errors``."""
    page = browser.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live}/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue")
    return page


def test_work_the_queue_in_the_browser(live: str, sqlite_engine: Engine) -> None:
    from playwright.sync_api import sync_playwright

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = signed_in(browser, live, "ana@example.com", errors)
        page.keyboard.press("j")
        assert page.eval_on_selector("#queue tbody tr.selected", "r => r.dataset.case") == "2"
        page.keyboard.press("a")  # approve the draft of the selected case
        page.wait_for_selector("tr.done-approve")
        page.keyboard.press("?")
        assert page.is_visible("#keys-help")
        page.screenshot(path=str(ARTEFACTS / "queue.png"))
        page.keyboard.press("Escape")
        page.keyboard.press("k")
        page.keyboard.press("Enter")
        page.wait_for_selector("#draft-text")
        page.fill("#draft-text", "Sorry about this, we are on it.")
        assert page.text_content("#char-count") == "31"
        page.click("#approve")
        page.wait_for_selector(".flash-ok")
        page.click("details.correct summary")
        page.select_option("form.correct-form select[name=intent]", "question")
        page.click("form.correct-form button")
        page.wait_for_selector(".flash-ok")
        page.screenshot(path=str(ARTEFACTS / "case.png"), full_page=True)
        page.select_option("#language-switch", "fa")
        page.wait_for_selector("html[dir=rtl]")
        nav_left = page.eval_on_selector("header.top nav", "n => n.getBoundingClientRect().left")
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert nav_left > width / 4  # the navigation sits on the right in Persian
        page.screenshot(path=str(ARTEFACTS / "case-fa.png"), full_page=True)
        browser.close()
    assert errors == []  # no CSP violations, no script errors
    with session_scope(sqlite_engine) as session:
        statuses = {r.case_id: r.status for r in session.exec(select(Reply))}
        assert statuses == {1: "approved", 2: "approved"}
        assert (
            session.exec(select(Mention).where(Mention.case_id == 1)).one().corrected_intent
            == "question"
        )


def test_merge_two_identities_in_the_browser(
    live: str, sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    """A manager merges a Reddit identity into an X customer, sees both, then undoes it."""
    from playwright.sync_api import sync_playwright

    reddit_post = post(
        3,
        "the phone u1 bought broke again",
        platform="reddit",
        url="https://www.reddit.com/r/phones/comments/t3/",
        author={"id": "t2_3", "handle": "ana_on_reddit", "name": "Ana R"},
    )
    fill(sqlite_engine, settings, tmp_path, [reddit_post])
    add_user(sqlite_engine, "mo@example.com", Role.MANAGER)
    with session_scope(sqlite_engine) as session:
        x_customer = session.exec(select(Identity).where(Identity.handle == "u1")).one().customer_id
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = signed_in(browser, live, "mo@example.com", errors)
        page.goto(f"{live}/customers/{x_customer}")
        assert page.locator("ul.identities li").count() == 1
        page.fill("#merge-form input[name=other]", "reddit:u/ana_on_reddit")
        page.fill("#merge-form input[name=reason]", "same person, told us in DM")
        page.click("#merge-form button")
        page.wait_for_selector("ul.merges li")
        identities = page.locator("ul.identities li").all_text_contents()
        assert len(identities) == 2
        assert any("reddit" in i and "u/ana_on_reddit" in i for i in identities)
        assert "the phone u1 bought broke again" in page.text_content("ol.timeline") or ""
        page.screenshot(path=str(ARTEFACTS / "customer-merged.png"), full_page=True)
        page.click("form.unmerge-form button")
        page.wait_for_selector("ul.merges li:has-text('undone')")
        page.goto(f"{live}/customers/{x_customer}")
        assert page.locator("ul.identities li").count() == 1
        assert page.locator("form.unmerge-form").count() == 0
        browser.close()
    assert errors == []
    with session_scope(sqlite_engine) as session:
        merge = session.exec(select(CustomerMerge)).one()
        assert merge.target_customer_id == x_customer
        assert merge.undone_at is not None
        assert merge.reason == "same person, told us in DM"
