"""The REST API: tokens, roles, visibility, actions, keyset pages and metrics."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from config.settings import Settings
from console.app import create_app
from crm.db import session_scope
from crm.enums import Role
from crm.models import ApiToken, Mention, Reply
from tests.console.conftest import add_user, fill, make_token, post


def _setup(engine: Engine, settings: Settings, tmp_path: Path, posts: int = 3):
    fill(
        engine,
        settings,
        tmp_path,
        [post(n, f"order {n} late #complaint") for n in range(1, posts + 1)],
    )
    ids = {
        role: add_user(engine, f"{role}@example.com", role)
        for role in (Role.ADMIN, Role.MANAGER, Role.AGENT)
    }
    other = add_user(engine, "bo@example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    tokens = {role: make_token(engine, user_id) for role, user_id in ids.items()}
    tokens["other"] = make_token(engine, other)
    return client, ids, tokens, other


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_acts_as_its_user_and_a_revoked_or_unknown_one_does_not(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, ids, tokens, _ = _setup(engine, settings, tmp_path, posts=1)
    me = client.get("/api/v1/me", headers=_auth(tokens[Role.AGENT])).json()
    assert me["email"] == "agent@example.com" and "password_hash" not in me
    with session_scope(engine) as session:
        stored = session.exec(select(ApiToken)).all()
        assert all(tokens[Role.AGENT] not in t.token_hash for t in stored)
    token_id = next(t.id for t in stored if t.user_id == ids[Role.AGENT])
    revoked = client.delete(f"/api/v1/tokens/{token_id}", headers=_auth(tokens[Role.AGENT]))
    assert revoked.status_code == 200
    assert client.get("/api/v1/me", headers=_auth(tokens[Role.AGENT])).status_code == 401
    assert client.get("/api/v1/me", headers=_auth("scrm_guess")).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_agents_cannot_do_admin_or_manager_work(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, _ids, tokens, other = _setup(engine, settings, tmp_path, posts=1)
    agent = _auth(tokens[Role.AGENT])
    new_user = {"email": "eve@example.com", "password": "long enough pw", "role": "admin"}
    assert client.post("/api/v1/users", json=new_user, headers=agent).status_code == 403
    assert client.get("/api/v1/users", headers=agent).status_code == 403
    assert client.get("/api/v1/sources", headers=agent).status_code == 403
    for_other = client.post("/api/v1/tokens", json={"user_id": other}, headers=agent)
    assert for_other.status_code == 403
    assign_other = client.post("/api/v1/cases/1/assign", json={"assignee_id": other}, headers=agent)
    assert assign_other.status_code == 403
    admin = _auth(tokens[Role.ADMIN])
    assert client.post("/api/v1/users", json=new_user, headers=admin).status_code == 201
    assert client.get("/api/v1/sources", headers=_auth(tokens[Role.MANAGER])).status_code == 200


def test_one_agents_token_cannot_read_or_act_on_another_agents_case(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, _ids, tokens, other = _setup(engine, settings, tmp_path, posts=2)
    manager = _auth(tokens[Role.MANAGER])
    taken = client.post("/api/v1/cases/1/assign", json={"assignee_id": other}, headers=manager)
    assert taken.json()["assignee_id"] == other
    agent = _auth(tokens[Role.AGENT])
    assert client.get("/api/v1/cases/1", headers=agent).status_code == 404
    assert client.post("/api/v1/cases/1/resolve", headers=agent).status_code == 404
    listed = [c["id"] for c in client.get("/api/v1/cases", headers=agent).json()["items"]]
    assert listed == [2]
    with session_scope(engine) as session:
        reply = session.exec(select(Reply).where(Reply.case_id == 1)).first()
        mention = session.exec(select(Mention).where(Mention.case_id == 1)).one()
    assert reply is not None
    assert client.post(f"/api/v1/replies/{reply.id}/approve", headers=agent).status_code == 404
    assert client.get(f"/api/v1/mentions/{mention.id}", headers=agent).status_code == 404
    owner = _auth(tokens["other"])
    assert client.get("/api/v1/cases/1", headers=owner).status_code == 200


def test_approve_edit_reject_and_correct_through_the_api(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, _, tokens, _ = _setup(engine, settings, tmp_path, posts=2)
    agent = _auth(tokens[Role.AGENT])
    detail = client.get("/api/v1/cases/1", headers=agent).json()
    reply_id = detail["replies"][0]["id"]
    edited = client.put(
        f"/api/v1/replies/{reply_id}", json={"text": "We are on it."}, headers=agent
    )
    assert edited.json()["text"] == "We are on it."
    approved = client.post(f"/api/v1/replies/{reply_id}/approve", headers=agent).json()
    assert approved["status"] == "approved" and approved["approved_by_id"] is not None
    too_long = client.put(f"/api/v1/replies/{reply_id}", json={"text": "x" * 400}, headers=agent)
    assert too_long.status_code == 422 and "shorten it by" in too_long.json()["detail"]
    other_reply = client.get("/api/v1/cases/2", headers=agent).json()["replies"][0]["id"]
    rejected = client.post(
        f"/api/v1/replies/{other_reply}/reject", json={"reason": "off"}, headers=agent
    )
    assert rejected.json()["status"] == "rejected"
    approve_rejected = client.post(f"/api/v1/replies/{other_reply}/approve", headers=agent)
    assert approve_rejected.status_code == 409
    assert "cannot move a ReplyStatus from rejected" in approve_rejected.json()["detail"]
    mention_id = detail["mentions"][0]["id"]
    fixed = client.post(
        f"/api/v1/mentions/{mention_id}/correction",
        json={"intent": "question", "risk": ["churn"]},
        headers=agent,
    ).json()
    assert fixed["corrected_intent"] == "question" and fixed["corrected_risk"] == ["churn"]


def test_keyset_pages_cover_every_case_once_in_queue_order(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    posts = [post(n, f"n{n} #complaint" if n % 3 else f"n{n} #question") for n in range(1, 13)]
    fill(engine, settings, tmp_path, posts)
    token = make_token(engine, add_user(engine, "m@example.com", Role.MANAGER))
    client = TestClient(create_app(engine=engine))
    everything = client.get("/api/v1/cases", params={"limit": 200}, headers=_auth(token)).json()
    seen, after = [], None
    while True:
        params = {"limit": 5, **({"after": after} if after else {})}
        page = client.get("/api/v1/cases", params=params, headers=_auth(token)).json()
        seen += [c["id"] for c in page["items"]]
        after = page["next_cursor"]
        if after is None:
            break
    assert seen == [c["id"] for c in everything["items"]] and len(seen) == 12
    ranks = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
    order = [(ranks[c["priority"]], c["sla_due_at"]) for c in everything["items"]]
    assert order == sorted(order)
    bad = client.get("/api/v1/cases", params={"after": "bm90IGEgY3Vyc29y"}, headers=_auth(token))
    assert bad.status_code == 422


def test_metrics_export_queue_escalations_and_collector_health(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    client, _, tokens, _ = _setup(engine, settings, tmp_path, posts=2)
    text = client.get("/metrics", headers=_auth(tokens[Role.AGENT])).text
    assert 'socialcrm_cases{status="new"}' in text or 'socialcrm_cases{status="open"}' in text
    assert "socialcrm_judged_per_minute 0.4" in text
    assert 'socialcrm_source_up{source="replay"} 1.0' in text
    assert client.get("/healthz").status_code == 200
