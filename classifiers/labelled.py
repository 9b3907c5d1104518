"""Reading labelled JSONL: gold labels for each task, from our files and the public sets.

A line carries ``text`` and, depending on the file, ``sentiment``, ``intent``,
``risk``, ``escalate`` and ``lang`` (our format), or a single ``label`` (the
public sets: sentiment labels, or ``complaint``/``not_complaint``). A line
without a usable gold label for the task is reported and left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.labels import Intent, Risk, Sentiment

__all__ = ["TASKS", "Example", "gold_label", "read_examples"]

TASKS = ("sentiment", "intent", "risk", "escalate")
NOT_COMPLAINT = "not_complaint"
_SENTIMENTS = {s.value for s in Sentiment}
_INTENTS = {i.value for i in Intent}
_RISKS = {r.value for r in Risk}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled text: its gold label for a task (a tuple of flags for risk)."""

    text: str
    gold: str | tuple[str, ...]
    language: str | None
    line: int


def gold_label(row: dict[str, Any], task: str) -> str | tuple[str, ...] | None:
    """The row's gold label for ``task``, or None when the row has none."""
    label = row.get("label")
    if task == "sentiment":
        value = row.get("sentiment", label)
        return value if value in _SENTIMENTS else None
    if task == "intent":
        value = row.get("intent", label)
        return value if value in _INTENTS or value == NOT_COMPLAINT else None
    if task == "risk":
        flags = row.get("risk")
        return tuple(sorted(flags)) if isinstance(flags, list) and set(flags) <= _RISKS else None
    if task == "escalate":
        if isinstance(row.get("escalate"), bool):
            return str(row["escalate"]).lower()
        intent, flags = row.get("intent"), row.get("risk")
        if intent in _INTENTS and isinstance(flags, list):
            return str(intent == Intent.COMPLAINT and bool(flags)).lower()
        return None
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


def read_examples(path: Path, *, task: str) -> Iterator[Example | str]:
    """Each line as an Example, or a message saying why the line was left out."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"{path}:{number}: not valid JSON ({exc.msg})"
                continue
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                yield f"{path}:{number}: expected an object with a text"
                continue
            gold = gold_label(row, task)
            if gold is None:
                yield f"{path}:{number}: no {task} label"
                continue
            yield Example(row["text"], gold, row.get("lang") or row.get("language"), number)
