"""Judging files: the work behind ``socialcrm classify`` and ``socialcrm evaluate``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from classifiers.evaluation import Report, evaluate_file
from classifiers.judgement import Judge, Judgement

__all__ = [
    "ClassifyResult",
    "classify_lines",
    "evaluate_file",
    "format_report",
    "judgement_fields",
]

CHUNK = 256


@dataclass
class ClassifyResult:
    """How many lines were judged, and the problems with the ones that were not."""

    judged: int = 0
    problems: list[str] = field(default_factory=list)


def judgement_fields(judgement: Judgement) -> dict[str, Any]:
    """The fields ``classify`` adds to each line."""
    return {
        "sentiment": judgement.sentiment.value,
        "sentiment_scores": judgement.sentiment_scores,
        "intent": judgement.intent.value,
        "intent_scores": judgement.intent_scores,
        "risk": [flag.value for flag in judgement.risk],
        "risk_scores": judgement.risk_scores,
        "escalate": judgement.escalate,
        "language": judgement.language,
        "model_version": judgement.model_version,
    }


def classify_lines(lines: Iterable[str], *, judge: Judge, out: TextIO) -> ClassifyResult:
    """Judge every ``{"text": ...}`` line, writing input fields plus the judgement, in order."""
    result = ClassifyResult()
    for chunk in _chunks(_parse(lines, problems=result.problems), CHUNK):
        verdicts = judge.predict([row["text"] for row in chunk])
        for row, verdict in zip(chunk, verdicts, strict=True):
            out.write(json.dumps({**row, **judgement_fields(verdict)}, ensure_ascii=False) + "\n")
        result.judged += len(chunk)
    return result


def _parse(lines: Iterable[str], *, problems: list[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            problems.append(f'line {number}: expected an object with a "text" string')
            continue
        yield row


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def format_report(report: Report) -> str:
    """The report as a few aligned lines for a terminal."""
    lines = [
        f"{report.task}: {report.count} items  accuracy {report.accuracy:.3f}  "
        f"macro-F1 {report.macro_f1:.3f}  macro-recall {report.macro_recall:.3f}"
        + (f"  micro-F1 {report.micro_f1:.3f}" if report.micro_f1 is not None else ""),
        "",
        f"{'class':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'support':>10}",
    ]
    for label, c in report.classes.items():
        lines.append(
            f"{label:<14}{c.precision:>10.3f}{c.recall:>10.3f}{c.f1:>10.3f}{c.support:>10}"
        )
    if report.confusion:
        labels = list(report.confusion)
        lines += [
            "",
            "confusion (rows gold, columns predicted)",
            " " * 14 + "".join(f"{label[:9]:>10}" for label in labels),
        ]
        lines += [
            f"{g:<14}" + "".join(f"{report.confusion[g][p]:>10}" for p in labels) for g in labels
        ]
    if report.by_language:
        lines += ["", f"{'language':<14}{'count':>10}{'accuracy':>10}{'macro-F1':>10}"]
        lines += [
            f"{lang:<14}{int(f['count']):>10}{f['accuracy']:>10.3f}{f['macro_f1']:>10.3f}"
            for lang, f in report.by_language.items()
        ]
    return "\n".join(lines)
