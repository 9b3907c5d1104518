"""Metrics computed by hand on small cases, and gold labels read from every file shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers.evaluation import score_multilabel, score_single
from classifiers.labelled import Example, gold_label, read_examples


def test_single_label_figures_match_a_hand_computation() -> None:
    report = score_single(
        "intent",
        ["a", "a", "b", "c"],
        ["a", "b", "b", "b"],
        labels=["a", "b", "c"],
        languages=["en", "en", "tr", "tr"],
    )
    # a: P 1/1 R 1/2 F1 2/3; b: P 1/3 R 1 F1 1/2; c: P 0 R 0 F1 0
    assert report.accuracy == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    assert report.macro_recall == pytest.approx((0.5 + 1 + 0) / 3)
    assert report.confusion["a"] == {"a": 1, "b": 1, "c": 0}
    assert report.by_language["tr"]["accuracy"] == pytest.approx(0.5)
    assert report.classes["b"].support == 1


def test_classes_without_gold_items_do_not_dilute_the_macro_average() -> None:
    report = score_single("s", ["x", "x"], ["x", "x"], labels=["x", "y"])
    assert report.macro_f1 == 1.0
    assert report.classes["y"].support == 0


def test_multilabel_scores_each_flag_and_exact_sets() -> None:
    report = score_multilabel(
        "risk",
        [("legal",), (), ("churn", "legal")],
        [("legal",), ("churn",), ("legal",)],
        labels=["legal", "churn"],
    )
    assert report.accuracy == pytest.approx(1 / 3)
    assert report.classes["legal"].f1 == pytest.approx(1.0)
    assert report.classes["churn"].precision == 0.0
    assert report.micro_f1 == pytest.approx(2 * (2 / 3) * (2 / 3) / (4 / 3))


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="2 gold labels but 1 predictions"):
        score_single("s", ["a", "b"], ["a"], labels=["a", "b"])


@pytest.mark.parametrize(
    ("row", "task", "gold"),
    [
        ({"text": "t", "label": "negative"}, "sentiment", "negative"),
        ({"text": "t", "sentiment": "neutral", "label": "x"}, "sentiment", "neutral"),
        ({"text": "t", "label": "not_complaint"}, "intent", "not_complaint"),
        ({"text": "t", "intent": "praise"}, "intent", "praise"),
        ({"text": "t", "risk": ["legal", "churn"]}, "risk", ("churn", "legal")),
        ({"text": "t", "intent": "complaint", "risk": ["safety"]}, "escalate", "true"),
        ({"text": "t", "intent": "question", "risk": ["churn"]}, "escalate", "false"),
        ({"text": "t", "escalate": True}, "escalate", "true"),
        ({"text": "t", "label": "card_arrival"}, "intent", None),
        ({"text": "t", "risk": ["fire"]}, "risk", None),
    ],
)
def test_gold_labels_come_from_our_fields_or_the_public_label(row, task, gold) -> None:  # type: ignore[no-untyped-def]
    assert gold_label(row, task) == gold


def test_reading_reports_lines_it_leaves_out(tmp_path: Path) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text(
        json.dumps({"text": "ok", "label": "positive", "lang": "en"})
        + "\n{bad\n"
        + json.dumps({"text": "no label"})
        + "\n",
        encoding="utf-8",
    )
    items = list(read_examples(path, task="sentiment"))
    assert items[0] == Example("ok", "positive", "en", 1)
    assert (
        items[1] == f"{path}:2: not valid JSON (Expecting property name enclosed in double quotes)"
    )
    assert items[2] == f"{path}:3: no sentiment label"
