"""``socialcrm customers``: import (dry run and real), merge, unmerge and list from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from config.settings import Settings
from crm.db import create_db_engine, migrate, session_scope
from crm.mentions import store_mentions
from crm.models import Customer, CustomerMerge, Identity
from socialcrm.cli import app
from tests.conftest import make_mention

runner = CliRunner()


@pytest.fixture
def store(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with two collected authors, @ana on X and ana_r on Reddit."""
    url = f"sqlite:///{tmp_path / 'customers.db'}"
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", url)
    engine = create_db_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        for platform, handle in (("x", "ana"), ("reddit", "ana_r")):
            mention = make_mention(platform=platform, author={"id": handle, "handle": handle})
            store_mentions(session=session, mentions=[mention], source=platform)
    engine.dispose()
    return url


def _customers(url: str) -> list[tuple[int | None, int | None]]:
    engine = create_db_engine(url)
    with session_scope(engine) as session:
        rows = [(c.id, c.merged_into_id) for c in session.exec(select(Customer))]
    engine.dispose()
    return rows


def test_import_dry_run_changes_nothing_then_imports_and_reimport_is_a_no_op(
    store: str, tmp_path: Path
) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "\ufeffexternal_crm_id,name,email,x,reddit\n"
        "C1,Ana,ana@example.com,@ana,u/ana_r\n"
        "C2,Bad,nope,,\n",
        encoding="utf-8",
    )
    before = _customers(store)
    dry = runner.invoke(app, ["customers", "import", str(crm), "--dry-run", "--json"])
    assert dry.exit_code == 1, dry.output  # line 3 is refused
    assert json.loads(dry.stdout)["created"] == 1
    assert json.loads(dry.stdout)["dry_run"] is True
    assert _customers(store) == before

    real = runner.invoke(app, ["customers", "import", str(crm)])
    assert real.exit_code == 1, real.output
    assert "1 created, 0 updated, 0 unchanged, 2 merged" in real.stdout
    assert "refused line 3: email 'nope' is not an e-mail address" in real.stderr

    again = runner.invoke(app, ["customers", "import", str(crm), "--json"])
    report = json.loads(again.stdout)
    assert (report["created"], report["updated"], report["unchanged"], report["merged"]) == (
        0,
        0,
        1,
        0,
    )
    listed = json.loads(runner.invoke(app, ["customers", "list", "--json"]).stdout)
    assert [c["identities"] for c in listed] == [["x:ana", "reddit:ana_r"]]


def test_merge_and_unmerge_by_hand_with_clear_refusals(store: str) -> None:
    (x_customer, _), (reddit_customer, _) = _customers(store)
    merged = runner.invoke(
        app, ["customers", "merge", str(reddit_customer), str(x_customer), "--reason", "same"]
    )
    assert merged.exit_code == 0, merged.output
    assert "undo with `socialcrm customers unmerge 1`" in merged.stdout
    refused = runner.invoke(app, ["customers", "merge", str(x_customer), str(reddit_customer)])
    assert refused.exit_code == 1
    assert "into itself" in refused.stderr
    assert runner.invoke(app, ["customers", "unmerge", "1"]).exit_code == 0
    twice = runner.invoke(app, ["customers", "unmerge", "1"])
    assert twice.exit_code == 1 and "already undone" in twice.stderr
    engine = create_db_engine(store)
    with session_scope(engine) as session:
        assert len({i.customer_id for i in session.exec(select(Identity))}) == 2
        assert session.exec(select(CustomerMerge)).one().undone_at is not None
    engine.dispose()


def test_import_of_a_missing_or_binary_file_fails_with_one_sentence(
    store: str, tmp_path: Path
) -> None:
    missing = runner.invoke(app, ["customers", "import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    binary = tmp_path / "crm.csv"
    binary.write_bytes(b"name,x\n\xff\xfe\x00bad\n")
    result = runner.invoke(app, ["customers", "import", str(binary)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.stderr


def test_list_searches_and_keeps_hostile_names_on_one_line(store: str, tmp_path: Path) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text('external_crm_id,name\nC9,"Evil\nName <script>"\n', encoding="utf-8")
    assert runner.invoke(app, ["customers", "import", str(crm)]).exit_code == 0
    shown = runner.invoke(app, ["customers", "list", "--search", "evil"])
    assert shown.exit_code == 0
    assert shown.stdout.count("\n") == 1 and "Evil Name <script>" in shown.stdout
    none = runner.invoke(app, ["customers", "list", "--search", "zzz"])
    assert "no customers matching 'zzz'" in none.stdout
