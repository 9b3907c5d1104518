"""Scoring predictions against labels: the figures ``socialcrm evaluate`` prints.

Single-label tasks (sentiment, intent, escalate) get accuracy, macro-F1,
macro-recall, per-class precision/recall/F1, a confusion matrix and a
per-language breakdown. Risk is multi-label: each flag is scored as its own
yes/no task, with micro and macro F1 and the share of exactly right sets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from classifiers.judgement import Judge, Judgement
from classifiers.labelled import NOT_COMPLAINT, Example, read_examples
from config.labels import Intent, Risk, Sentiment

__all__ = ["ClassReport", "Report", "evaluate_file", "score_multilabel", "score_single"]

_LABELS = {
    "sentiment": [s.value for s in Sentiment],
    "intent": [i.value for i in Intent],
    "escalate": ["true", "false"],
    "risk": [r.value for r in Risk],
}


@dataclass(frozen=True, slots=True)
class ClassReport:
    """Precision, recall and F1 of one class, with how many gold items it has."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(slots=True)
class Report:
    """Every figure for one task on one set of items."""

    task: str
    count: int
    accuracy: float
    macro_f1: float
    macro_recall: float
    classes: dict[str, ClassReport]
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    by_language: dict[str, dict[str, float]] = field(default_factory=dict)
    micro_f1: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for ``--json``."""
        return asdict(self)


def _ratio(top: int, bottom: int) -> float:
    return top / bottom if bottom else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _class_report(gold: Sequence[str], predicted: Sequence[str], label: str) -> ClassReport:
    hits = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
    precision = _ratio(hits, sum(1 for p in predicted if p == label))
    recall = _ratio(hits, sum(1 for g in gold if g == label))
    return ClassReport(
        precision, recall, _f1(precision, recall), sum(1 for g in gold if g == label)
    )


def score_single(
    task: str,
    gold: Sequence[str],
    predicted: Sequence[str],
    *,
    labels: Sequence[str],
    languages: Sequence[str | None] | None = None,
) -> Report:
    """Score one label per item; ``labels`` fixes the class order (absent classes score 0)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    classes = {label: _class_report(gold, predicted, label) for label in labels}
    present = [report for report in classes.values() if report.support]
    pairs = Counter(zip(gold, predicted, strict=True))
    report = Report(
        task=task,
        count=len(gold),
        accuracy=_ratio(sum(1 for g, p in zip(gold, predicted, strict=True) if g == p), len(gold)),
        macro_f1=_ratio_mean([r.f1 for r in present]),
        macro_recall=_ratio_mean([r.recall for r in present]),
        classes=classes,
        confusion={g: {p: pairs[(g, p)] for p in labels} for g in labels},
    )
    if languages is not None:
        report.by_language = _by_language(
            score_single, task, gold, predicted, labels=labels, languages=languages
        )
    return report


def _ratio_mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _by_language(
    score: Any,
    task: str,
    gold: Sequence[Any],
    predicted: Sequence[Any],
    *,
    labels: Sequence[str],
    languages: Sequence[str | None],
) -> dict[str, dict[str, float]]:
    """``score`` (single- or multi-label) on each language's items alone."""
    breakdown: dict[str, dict[str, float]] = {}
    for language in sorted({lang for lang in languages if lang}):
        rows = [i for i, lang in enumerate(languages) if lang == language]
        part = score(task, [gold[i] for i in rows], [predicted[i] for i in rows], labels=labels)
        breakdown[language] = {
            "count": part.count,
            "accuracy": part.accuracy,
            "macro_f1": part.macro_f1,
            "macro_recall": part.macro_recall,
        }
    return breakdown


def score_multilabel(
    task: str,
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    *,
    labels: Sequence[str],
    languages: Sequence[str | None] | None = None,
) -> Report:
    """Score sets of flags: each flag as a yes/no task; accuracy is the exact-set match rate."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold label sets but {len(predicted)} predictions")
    classes: dict[str, ClassReport] = {}
    hits_all = predicted_all = gold_all = 0
    for label in labels:
        hits = sum(1 for g, p in zip(gold, predicted, strict=True) if label in g and label in p)
        said = sum(1 for p in predicted if label in p)
        true = sum(1 for g in gold if label in g)
        precision, recall = _ratio(hits, said), _ratio(hits, true)
        classes[label] = ClassReport(precision, recall, _f1(precision, recall), true)
        hits_all, predicted_all, gold_all = hits_all + hits, predicted_all + said, gold_all + true
    exact = sum(1 for g, p in zip(gold, predicted, strict=True) if set(g) == set(p))
    report = Report(
        task=task,
        count=len(gold),
        accuracy=_ratio(exact, len(gold)),
        macro_f1=_ratio_mean([r.f1 for r in classes.values() if r.support]),
        macro_recall=_ratio_mean([r.recall for r in classes.values() if r.support]),
        classes=classes,
        micro_f1=_f1(_ratio(hits_all, predicted_all), _ratio(hits_all, gold_all)),
    )
    if languages is not None:
        report.by_language = _by_language(
            score_multilabel, task, gold, predicted, labels=labels, languages=languages
        )
    return report


def evaluate_file(path: Path, *, task: str, judge: Judge) -> tuple[Report, list[str]]:
    """Judge every labelled line of ``path`` and score the task; also the lines left out."""
    examples: list[Example] = []
    problems: list[str] = []
    for item in read_examples(path, task=task):
        if isinstance(item, Example):
            examples.append(item)
        else:
            problems.append(item)
    if not examples:
        raise ValueError(f"{path} has no lines with a {task} label")
    verdicts = judge.predict([example.text for example in examples])
    languages = [example.language for example in examples]
    if task == "risk":
        gold_sets = [tuple(example.gold) for example in examples]
        predicted_sets = [tuple(flag.value for flag in v.risk) for v in verdicts]
        return score_multilabel(
            task, gold_sets, predicted_sets, labels=_LABELS["risk"], languages=languages
        ), problems
    gold = [str(example.gold) for example in examples]
    # The complaints sets label complaint / not_complaint: score intent as that yes/no question.
    binary = NOT_COMPLAINT in gold
    predicted = [_predicted(task, verdict, binary=binary) for verdict in verdicts]
    labels = ["complaint", NOT_COMPLAINT] if binary else _LABELS[task]
    return score_single(task, gold, predicted, labels=labels, languages=languages), problems


def _predicted(task: str, verdict: Judgement, *, binary: bool) -> str:
    if task == "sentiment":
        return verdict.sentiment.value
    if task == "escalate":
        return str(verdict.escalate).lower()
    if binary:
        return "complaint" if verdict.intent is Intent.COMPLAINT else NOT_COMPLAINT
    return verdict.intent.value
