"""Corrections made on cases come back out as rows the trainer reads."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner

from classifiers.training import read_rows
from config.labels import Intent, Risk
from config.settings import Settings
from crm.db import session_scope
from crm.models import Mention
from crm.types import utcnow
from responders.approval import Actor
from responders.casework import correct_judgement
from socialcrm.cli import app
from tests.socialcrm.test_pipeline import post, run


def test_corrections_export_as_partial_training_rows(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    run(
        engine,
        settings,
        tmp_path,
        post("1", "<b>is</b> this fire? #question", ago="-3h"),
        post("2", "love it #praise", author="bo", ago="-2h"),
        post("3", "gone #complaint", author="cy", ago="-1h"),
    )
    with session_scope(engine) as session:
        first, _, third = session.exec(select(Mention).order_by(Mention.external_id)).all()
        correct_judgement(
            session=session, mention_id=first.id or 0, actor=Actor("a@x"), intent=Intent.PRAISE
        )
        correct_judgement(
            session=session, mention_id=third.id or 0, actor=Actor("a@x"), risk=[Risk.CHURN]
        )
        third.deleted_at = utcnow()  # purged on the platform: never exported
    out = tmp_path / "corrections.jsonl"
    result = CliRunner().invoke(
        app,
        ["labels", "export", str(out)],
        env={"SOCIALCRM_DATABASE_URL": engine.url.render_as_string(hide_password=False)},
    )
    assert result.exit_code == 0, result.output
    assert "wrote 1 corrected mentions" in result.stdout
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {
            "text": "<b>is</b> this fire? #question",
            "lang": first.language,
            "intent": "praise",
            "source": "console:x:1",
            "model_version": first.model_version,
        }
    ]
    (row,) = read_rows([out])
    assert row.labels["intent"] == "praise"
    assert row.labels["sentiment"] is None  # not corrected: unknown, not negative
    assert not (tmp_path / "corrections.jsonl.partial").exists()
