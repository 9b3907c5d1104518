"""Customer merging, unmerging and CSV import in the console, by page and by API, with refusals."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from config.settings import Settings
from console.app import create_app
from crm.db import session_scope
from crm.enums import Role
from crm.models import Customer, Identity
from tests.console.conftest import add_user, fill, make_token, post, sign_in


def _store(engine: Engine, settings: Settings, tmp_path: Path) -> dict[str, int]:
    """Two authors, each with an open case; returns handle -> customer id."""
    fill(
        engine,
        settings,
        tmp_path,
        [post(1, "order late #complaint"), post(2, "still no answer #complaint")],
    )
    with session_scope(engine) as session:
        return {i.handle: i.customer_id for i in session.exec(select(Identity)).all()}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _api_clients(engine: Engine) -> tuple[str, str, TestClient]:
    """A manager's and an agent's API tokens, and a client of a fresh app."""
    manager = make_token(engine, add_user(engine, "m@example.com", Role.MANAGER))
    agent = make_token(engine, add_user(engine, "a@example.com", Role.AGENT))
    return manager, agent, TestClient(create_app(engine=engine))


def _identities_of(engine: Engine, customer_id: int) -> set[str]:
    with session_scope(engine) as session:
        rows = session.exec(select(Identity).where(Identity.customer_id == customer_id)).all()
        return {i.handle for i in rows}


def test_a_manager_merges_and_undoes_through_the_api_and_an_agent_is_refused(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    customers = _store(engine, settings, tmp_path)
    manager, agent, client = _api_clients(engine)
    target = customers["u1"]
    refused = client.post(
        f"/api/v1/customers/{target}/merge", json={"other": "x:@u2"}, headers=_auth(agent)
    )
    assert refused.status_code == 403 and "manager" in refused.json()["detail"]

    merged = client.post(
        f"/api/v1/customers/{target}/merge",
        json={"other": "x:@u2", "reason": "same person"},
        headers=_auth(manager),
    )
    assert merged.status_code == 201, merged.text
    record = merged.json()
    assert record["source_customer_id"] == customers["u2"] and record["reason"] == "same person"
    assert _identities_of(engine, target) == {"u1", "u2"}

    undone = client.post(f"/api/v1/merges/{record['id']}/undo", headers=_auth(manager))
    assert undone.status_code == 200 and undone.json()["undone_at"] is not None
    assert _identities_of(engine, target) == {"u1"}
    assert _identities_of(engine, customers["u2"]) == {"u2"}
    again = client.post(f"/api/v1/merges/{record['id']}/undo", headers=_auth(manager))
    assert again.status_code == 409


def test_merges_that_make_no_sense_are_refused_with_a_message(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    customers = _store(engine, settings, tmp_path)
    manager = _auth(make_token(engine, add_user(engine, "m@example.com", Role.MANAGER)))
    client = TestClient(create_app(engine=engine))
    target = customers["u1"]
    itself = client.post(
        f"/api/v1/customers/{target}/merge", json={"other": str(target)}, headers=manager
    )
    assert itself.status_code == 409, itself.text
    nobody = client.post(
        f"/api/v1/customers/{target}/merge", json={"other": "x:@nobody_here"}, headers=manager
    )
    assert nobody.status_code == 404 and "nobody_here" in nobody.json()["detail"]
    nonsense = client.post(
        f"/api/v1/customers/{target}/merge", json={"other": "not a customer"}, headers=manager
    )
    assert nonsense.status_code == 404 and "42" in nonsense.json()["detail"]


def test_the_profile_form_merges_and_undoes_and_needs_its_csrf_token(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    customers = _store(engine, settings, tmp_path)
    add_user(engine, "m@example.com", Role.MANAGER)
    client = TestClient(create_app(engine=engine))
    csrf = sign_in(client, "m@example.com")
    target = customers["u1"]
    forged = client.post(
        f"/customers/{target}/merge", data={"other": "x:@u2"}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert _identities_of(engine, target) == {"u1"}

    done = client.post(
        f"/customers/{target}/merge",
        data={"other": "x:@u2", "reason": "<script>alert(1)</script>", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=merged")
    page = client.get(done.headers["location"]).text
    assert "@u2" in page and "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    merge_id = int(page.split('data-merge="')[1].split('"')[0])
    undo = client.post(
        f"/customers/{target}/merges/{merge_id}/undo",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert undo.status_code == 303
    assert _identities_of(engine, target) == {"u1"}
    wrong = client.post(
        f"/customers/{target}/merge",
        data={"other": "x:@nobody_here", "csrf_token": csrf},
    )
    assert wrong.status_code == 404 and "nobody_here" in wrong.text


def test_agents_see_no_merge_or_import_controls_and_cannot_post_them(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    customers = _store(engine, settings, tmp_path)
    add_user(engine, "a@example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    csrf = sign_in(client, "a@example.com")
    profile = client.get(f"/customers/{customers['u1']}").text
    assert 'id="merge-form"' not in profile
    assert 'id="import-form"' not in client.get("/customers").text
    refused = client.post(
        f"/customers/{customers['u1']}/merge", data={"other": "x:@u2", "csrf_token": csrf}
    )
    assert refused.status_code == 403
    upload = client.post(
        "/customers/import",
        data={"csrf_token": csrf},
        files={"file": ("c.csv", b"email,name\na@b.c,Ann\n", "text/csv")},
    )
    assert upload.status_code == 403


def test_a_csv_import_shows_its_counts_and_escapes_what_it_read(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _store(engine, settings, tmp_path)
    add_user(engine, "m@example.com", Role.MANAGER)
    client = TestClient(create_app(engine=engine))
    csrf = sign_in(client, "m@example.com")
    data = (
        b"external_crm_id,email,name,x\n"
        b"crm-1,ann@example.com,<img src=x onerror=alert(1)>,@u1\n"
        b"crm-2,bo@example.com,Bo,@not_seen_yet\n"
        b"crm-3,not-an-email,Cy,\n"
    )
    shown = client.post(
        "/customers/import",
        data={"csrf_token": csrf},
        files={"file": ("crm.csv", data, "text/csv")},
    )
    assert shown.status_code == 200, shown.text
    assert 'id="import-report"' in shown.text
    assert "<img src=x" not in shown.text
    report = shown.text.split('id="import-report"')[1].split("</section>")[0]
    assert "2 created, 0 updated, 0 unchanged, 1 merged." in report
    assert "line 3: x not_seen_yet" in report  # pending until the handle posts
    assert "line 4: email &#39;not-an-email&#39; is not an e-mail address" in report
    with session_scope(engine) as session:
        ann = session.exec(select(Customer).where(Customer.external_crm_id == "crm-1")).one()
        assert "u1" in _identities_of(engine, ann.id or 0)

    broken = client.post(
        "/customers/import",
        data={"csrf_token": csrf},
        files={"file": ("crm.csv", b"\xff\xfe\x00bad", "text/csv")},
    )
    assert broken.status_code == 422 and "UTF-8" in broken.text
    empty = client.post(
        "/customers/import",
        data={"csrf_token": csrf},
        files={"file": ("crm.csv", b"", "text/csv")},
    )
    assert empty.status_code == 422 and "empty" in empty.text


def test_the_api_imports_a_csv_and_reports_what_it_did(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    customers = _store(engine, settings, tmp_path)
    manager, agent, client = _api_clients(engine)
    data = b"external_crm_id,name,x\ncrm-9,Ann,@u2;@later\n,,\n"
    upload = {"file": ("crm.csv", data, "text/csv")}

    refused = client.post("/api/v1/customers/import", files=upload, headers=_auth(agent))
    assert refused.status_code == 403
    done = client.post("/api/v1/customers/import", files=upload, headers=_auth(manager))
    assert done.status_code == 200, done.text
    report = done.json()
    assert (report["created"], report["merged"]) == (1, 1)
    assert report["pending"] == ["line 2: x later"]
    assert [e["line"] for e in report["errors"]] == [3]
    with session_scope(engine) as session:
        ann = session.exec(select(Customer).where(Customer.external_crm_id == "crm-9")).one()
    assert _identities_of(engine, ann.id or 0) == {"u2"}
    assert customers["u2"] != ann.id
    again = client.post("/api/v1/customers/import", files=upload, headers=_auth(manager)).json()
    assert (again["created"], again["unchanged"], again["merged"]) == (0, 1, 0)
    broken = client.post(
        "/api/v1/customers/import",
        files={"file": ("crm.csv", b"\xff\xfebad", "text/csv")},
        headers=_auth(manager),
    )
    assert broken.status_code == 422 and "UTF-8" in broken.json()["detail"]


def test_the_time_zone_preference_changes_how_times_are_shown(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    _store(engine, settings, tmp_path)
    add_user(engine, "m@example.com", Role.MANAGER)
    client = TestClient(create_app(engine=engine))
    csrf = sign_in(client, "m@example.com")
    account = client.get("/account").text
    assert '<option value="Asia/Tehran"' in account
    saved = client.post(
        "/preferences",
        data={"timezone": "Asia/Tehran", "back": "/account", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert 'value="Asia/Tehran" selected' in client.get("/account").text
    bogus = client.post(
        "/preferences",
        data={"timezone": "Mars/Olympus", "back": "/account", "csrf_token": csrf},
    )
    assert bogus.status_code in {400, 422}
