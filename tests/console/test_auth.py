"""Sign-in, sessions, CSRF and rate limiting."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from config.settings import ConsoleSettings
from console.app import create_app
from console.security import load_secret_key
from crm.db import session_scope
from crm.enums import Role
from crm.models import SignInAttempt, User
from tests.console.conftest import PASSWORD, add_user, csrf_of, sign_in


def test_pages_redirect_to_sign_in_and_the_api_answers_401(engine: Engine) -> None:
    client = TestClient(create_app(engine=engine))
    for path in ("/", "/cases/1", "/customers", "/sources", "/escalations", "/reports"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/signin?next=")
    for path in ("/api/v1/cases", "/api/v1/me", "/metrics"):
        assert client.get(path).status_code == 401, path


def test_sign_in_sets_a_hardened_cookie_and_stores_only_an_argon2_hash(engine: Engine) -> None:
    add_user(engine, "Ana@Example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    sign_in(client, "ana@example.com")
    cookie = client.get("/signin").headers.get("set-cookie") or ""
    first = TestClient(create_app(engine=engine)).get("/signin").headers["set-cookie"].lower()
    assert "httponly" in first and "samesite=lax" in first and "secure" not in first
    assert cookie == ""  # an existing session is not reissued on every page
    assert "ana@example.com" in client.get("/").text
    with session_scope(engine) as session:
        user = session.exec(select(User)).one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert user.last_sign_in_at is not None


def test_secure_cookie_over_https(sqlite_engine: Engine) -> None:
    client = TestClient(create_app(engine=sqlite_engine), base_url="https://crm.example")
    assert "secure" in client.get("/signin").headers["set-cookie"].lower()


def test_wrong_password_is_refused_and_too_many_failures_are_rate_limited(engine: Engine) -> None:
    add_user(engine, "ana@example.com", Role.AGENT)
    client = TestClient(
        create_app(engine=engine, settings=ConsoleSettings(sign_in_attempts_per_15_minutes=3))
    )
    csrf = csrf_of(client.get("/signin").text)
    form = {"email": "ana@example.com", "password": "wrong password", "csrf_token": csrf}
    statuses = [client.post("/signin", data=form).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    right = client.post("/signin", data={**form, "password": PASSWORD})
    assert right.status_code == 429  # even the right password waits out the window
    assert "wait a few minutes" in right.text
    with session_scope(engine) as session:
        assert len(session.exec(select(SignInAttempt)).all()) == 3


def test_sign_in_without_the_csrf_token_is_refused(engine: Engine) -> None:
    add_user(engine, "ana@example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    client.get("/signin")
    response = client.post("/signin", data={"email": "ana@example.com", "password": PASSWORD})
    assert response.status_code == 403
    assert "security token" in response.text


def test_state_changes_need_the_csrf_token_from_the_session(engine: Engine) -> None:
    add_user(engine, "ana@example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    csrf = sign_in(client, "ana@example.com")
    without = client.post("/preferences", data={"language": "tr"})
    forged = client.post("/preferences", data={"language": "tr", "csrf_token": "forged"})
    api = client.post("/api/v1/tokens", json={"name": "x"})
    assert (without.status_code, forged.status_code, api.status_code) == (403, 403, 403)
    assert (
        client.post("/preferences", data={"language": "tr", "csrf_token": csrf}).status_code == 200
    )
    assert client.post("/api/v1/tokens", json={}, headers={"X-CSRF-Token": csrf}).status_code == 201


def test_sign_out_ends_the_session_and_next_never_leaves_the_site(engine: Engine) -> None:
    add_user(engine, "ana@example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    csrf = csrf_of(client.get("/signin").text)
    response = client.post(
        "/signin",
        data={
            "email": "ana@example.com",
            "password": PASSWORD,
            "csrf_token": csrf,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"
    csrf = csrf_of(client.get("/").text)
    client.post("/signout", data={"csrf_token": csrf})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_tampered_cookie_is_ignored(engine: Engine) -> None:
    add_user(engine, "ana@example.com", Role.AGENT)
    client = TestClient(create_app(engine=engine))
    sign_in(client, "ana@example.com")
    value = client.cookies["socialcrm_session"]
    client.cookies.clear()
    client.cookies.set("socialcrm_session", value[:-3] + "AAA")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_the_secret_key_file_is_created_once_with_owner_only_permissions(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    first = load_secret_key(configured=None, database_url=url)
    again = load_secret_key(configured=None, database_url=url)
    path = tmp_path / "socialcrm-secret.key"
    assert first == again and len(first) >= 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_secret_key(configured="set-in-settings", database_url=url) == "set-in-settings"
