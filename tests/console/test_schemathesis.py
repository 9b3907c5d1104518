"""Schemathesis against /openapi.json, authenticated with an admin token: no 5xx anywhere.

Bounded (a few examples per operation, no shrinking deadline) so it runs in seconds.
"""

from __future__ import annotations

from pathlib import Path

import hypothesis
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from config.settings import Settings
from console.app import create_app
from crm.enums import Role
from tests.console.conftest import add_user, fill, make_token, post

EXAMPLES = 3


def test_no_operation_answers_with_a_server_error(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    fill(sqlite_engine, settings, tmp_path, [post(n, f"n{n} #complaint #legal") for n in (1, 2)])
    token = make_token(sqlite_engine, add_user(sqlite_engine, "root@example.com", Role.ADMIN))
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(engine=sqlite_engine))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures: list[str] = []
    for operation in operations:
        _fuzz(operation, token, failures)
    assert failures == []


def _fuzz(operation: object, token: str, failures: list[str]) -> None:
    @given(data=st.data())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())  # type: ignore[attr-defined]
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

    check()
