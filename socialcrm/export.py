"""Writing exported records as JSON lines or CSV."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from enum import Enum
from typing import Any, TextIO

__all__ = ["FORMATS", "write_rows"]

FORMATS = ("jsonl", "csv")
# Spreadsheet programs run cells that start like a formula; hostile mention text must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_rows(rows: Iterable[dict[str, Any]], *, out: TextIO, fmt: str) -> int:
    """Write every row to ``out`` in ``fmt``; returns how many were written."""
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "csv":
        return _write_csv(rows, out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    written = 0
    for row in rows:
        out.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
        written += 1
    return written


def _write_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    iterator: Iterator[dict[str, Any]] = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    writer = csv.DictWriter(out, fieldnames=list(first), extrasaction="ignore")
    writer.writeheader()
    written = 0
    for row in itertools.chain([first], iterator):
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
        written += 1
    return written


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, list | dict):
        value = ";".join(map(str, value)) if isinstance(value, list) else json.dumps(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
