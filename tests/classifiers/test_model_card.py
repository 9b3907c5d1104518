"""The model card states the data, the figures against every bar, and the files only scored."""

from __future__ import annotations

from pathlib import Path

from classifiers.evaluation import score_single
from classifiers.model_card import bar_figures, write_model_card
from classifiers.trainer import TrainResult


def _result(tmp_path: Path) -> TrainResult:
    intent = score_single(
        "intent",
        ["complaint", "praise", "praise"],
        ["complaint", "praise", "complaint"],
        labels=["complaint", "praise"],
    )
    escalate = score_single(
        "escalate",
        ["true", "true", "true", "false"],
        ["true", "false", "true", "true"],
        labels=["true", "false"],
    )
    return TrainResult(
        output=tmp_path,
        rows=3,
        sources={"classifiers/data/mentions/en.jsonl": 3},
        held_back={"intent": intent, "escalate": escalate},
        evaluations={"classifiers/data/hard/risky_complaints.jsonl": {"escalate": escalate}},
        complaint_cv={"f1": 0.81},
        meta={
            "name": "heads",
            "config": {"seed": 13, "members": 5},
            "data": [{"path": "classifiers/data/mentions/en.jsonl", "rows": 3}],
        },
        thresholds={"complaint_floor": 0.3, "negative_floor": 0.5},
    )


def test_the_card_gives_each_bar_its_figure_and_verdict(tmp_path: Path) -> None:
    result = _result(tmp_path)
    card = write_model_card(result).read_text(encoding="utf-8")
    assert bar_figures(result) == {
        "complaint_cv_f1": 0.81,
        "intent_macro_f1": result.held_back["intent"].macro_f1,
        "escalation_recall": 2 / 3,
    }
    assert "| complaints train split, complaint F1 (5-fold CV) | 0.810 | 0.80 | met |" in card
    assert "| team set held-back, escalation recall | 0.667 | 0.90 | not met |" in card
    assert "| TweetEval sentiment val, macro-recall | not measured | 0.70 | |" in card
    assert "trained from seeds 13-17" in card
    assert "CC BY 4.0, written by the socialcrm team" in card


def test_files_only_scored_get_their_own_table_with_escalation_recall(tmp_path: Path) -> None:
    card = write_model_card(_result(tmp_path)).read_text(encoding="utf-8")
    assert "## Files scored, never trained on" in card
    assert (
        "| `classifiers/data/hard/risky_complaints.jsonl` | escalate | 4 | 0.500 | 0.333 |"
        " 0.667 (0.667) |"
    ) in card
