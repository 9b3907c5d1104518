"""Gaps are first class: recorded once with the cursor, listed, filled, shown by `sources`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from config.settings import Settings
from crm.db import create_db_engine, migrate, session_scope
from crm.sources import advance_source, list_gaps, mark_gap_filled, record_gap
from socialcrm.cli import app


def test_a_gap_is_recorded_once_listed_newest_first_and_can_be_filled(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = record_gap(session=session, source="x", start="a", end="b", reason="too old")
        again = record_gap(session=session, source="x", start="a", end="b", reason="too old")
        other = record_gap(
            session=session, source="reddit", start=None, end="c", reason="\x00deep" + "!" * 900
        )
        assert first.id == again.id
        assert other.reason.startswith("deep") and len(other.reason) == 500
    with session_scope(engine) as session:
        assert [g.source for g in list_gaps(session=session, source="x")] == ["x"]
        assert len(list_gaps(session=session)) == 2
        mark_gap_filled(session=session, gap_id=first.id or 0)
        assert mark_gap_filled(session=session, gap_id=999_999) is None
    with session_scope(engine) as session:
        assert [g.source for g in list_gaps(session=session, open_only=True)] == ["reddit"]


def test_sources_shows_open_gaps_per_source(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'gaps.db'}"
    # The CLI configures logging for the process; other tests here read DEBUG logs after this.
    monkeypatch.setattr("socialcrm.cli_common.configure_logging", lambda level: None)
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", url)
    engine = create_db_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        advance_source(
            session=session, name="x", cursor="1", fetched=3, stored=3, duplicates=0, skipped=0
        )
        record_gap(
            session=session,
            source="x",
            start="2026-11-01T00:00:00+00:00",
            end="2026-11-08T00:00:00+00:00",
            reason="x search: posts past the 7 days X recent search keeps cannot be collected",
        )
    engine.dispose()
    runner = CliRunner()
    shown = runner.invoke(app, ["sources"])
    assert shown.exit_code == 0, shown.output
    assert "gaps 1" in shown.stdout
    assert "watermark 1\n" in shown.stdout and "last success " in shown.stdout
    assert "gap 2026-11-01T00:00:00+00:00 to 2026-11-08T00:00:00+00:00: x search:" in shown.stdout
    payload = json.loads(runner.invoke(app, ["sources", "--json"]).stdout)
    assert [(g["source"], g["filled_at"]) for g in payload["gaps"]] == [("x", None)]
