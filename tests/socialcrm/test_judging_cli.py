"""``socialcrm classify`` and ``socialcrm evaluate`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from config.settings import Settings
from socialcrm.cli import app

runner = CliRunner()
JUDGED = {
    "sentiment",
    "sentiment_scores",
    "intent",
    "intent_scores",
    "risk",
    "escalate",
    "language",
    "model_version",
}


def test_classify_keeps_input_fields_adds_the_judgement_and_reports_bad_lines(
    settings: Settings,
) -> None:
    lines = "\n".join(
        [
            json.dumps({"text": "@Acme my card was charged twice, I'll call my lawyer", "id": 7}),
            "not json",
            json.dumps({"no_text": 1}),
            json.dumps({"text": "\u202eعالی بود ممنون 🙏 " + "x" * 100_000}),
            json.dumps({"text": ""}),
        ]
    )
    result = runner.invoke(app, ["classify", "-"], input=lines)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1
    assert len(rows) == 3
    assert rows[0]["id"] == 7 and set(rows[0]) >= JUDGED
    assert rows[0]["intent"] == "complaint" and "legal" in rows[0]["risk"]
    assert "skipped line 2: not valid JSON" in result.stderr
    assert 'skipped line 3: expected an object with a "text" string' in result.stderr


def test_classify_a_missing_file_is_a_clear_error(settings: Settings) -> None:
    result = runner.invoke(app, ["classify", "nope.jsonl"])
    assert result.exit_code == 1
    assert "cannot read nope.jsonl" in result.stderr


def test_evaluate_prints_figures_and_json(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    rows = [
        {
            "text": "@Acme refund me or I sue",
            "intent": "complaint",
            "risk": ["legal"],
            "lang": "en",
        },
        {
            "text": "@Acme how do I reset my password?",
            "intent": "question",
            "risk": [],
            "lang": "en",
        },
        {"text": "@Acme teşekkürler, harika hizmet!", "intent": "praise", "risk": [], "lang": "tr"},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    text = runner.invoke(app, ["evaluate", str(path), "--task", "intent"])
    data = json.loads(
        runner.invoke(app, ["evaluate", str(path), "--task", "escalate", "--json"]).stdout
    )
    assert text.exit_code == 0
    assert "intent: 3 items" in text.stdout and "confusion" in text.stdout
    assert data["task"] == "escalate" and data["count"] == 3
    assert set(data["by_language"]) == {"en", "tr"}


def test_evaluate_without_labels_for_the_task_says_so(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "nolabels.jsonl"
    path.write_text(json.dumps({"text": "hi"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path), "--task", "sentiment"])
    assert result.exit_code == 1
    assert "has no lines with a sentiment label" in result.stderr
