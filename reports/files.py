"""Writing the report's files: HTML, PDF, CSV and JSON, each replaced atomically.

Files are named ``weekly-<week>-<language>.<format>`` inside the output
directory, so two languages of one week sit side by side and a re-run
replaces exactly its own files. The CSV is one long-format table — columns
``section, table, row, column, value, previous`` — one line per number, so a
spreadsheet pivot rebuilds any table; cells a spreadsheet would run as a
formula are neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reports.errors import OutputError, UnknownFormat
from reports.model import Figure, WeeklyReport
from reports.render import render_html, render_pdf

__all__ = ["CSV_COLUMNS", "FORMATS", "csv_rows", "file_name", "parse_formats", "write_report"]

FORMATS = ("html", "pdf", "csv", "json")
CSV_COLUMNS = ("section", "table", "row", "column", "value", "previous")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def parse_formats(formats: str | Sequence[str]) -> list[str]:
    """``"html,pdf"`` or a list as known formats in a stable order; UnknownFormat otherwise."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = {item.strip().lower() for item in items if item.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise UnknownFormat(
            f"unknown report format {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(FORMATS)} (comma-separated)"
        )
    return [name for name in FORMATS if name in wanted]


def file_name(week: str, language: str, fmt: str) -> str:
    """``weekly-2026-W47-en.pdf``."""
    return f"weekly-{week}-{language}.{fmt}"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _figure_rows(section: str, table: str, row: str, figures: dict[str, Figure]) -> Iterator[tuple]:
    for column, figure in figures.items():
        yield (section, table, row, column, figure.value, figure.previous)


def csv_rows(report: WeeklyReport) -> Iterator[tuple[Any, ...]]:
    """Every number of the report as (section, table, row, column, value, previous)."""
    r = report
    yield from _figure_rows(
        "advocates",
        "totals",
        "week",
        {
            "advocates": r.advocates.advocates,
            "new_advocates": r.advocates.new_advocates,
            "positive_mentions": r.advocates.positive_mentions,
        },
    )
    for a in r.advocates.top:
        for column in (
            "name",
            "handle",
            "platform",
            "followers",
            "positive_mentions",
            "score",
            "new",
            "action",
        ):
            yield ("advocates", "top", a.customer_id, column, getattr(a, column), None)
        for q in a.quotes:
            yield ("advocates", "quotes", a.customer_id, q.url or "", q.text, None)
    yield from _figure_rows(
        "at_risk",
        "totals",
        "week",
        {
            "detractors": r.at_risk.detractor_count,
            "turned_negative": r.at_risk.turned_negative_count,
            "open_escalations": r.at_risk.open_escalation_count,
            **{f"risk_{k}": v for k, v in r.at_risk.risk_counts.items()},
        },
    )
    for table, people in (
        ("detractors", r.at_risk.detractors),
        ("turned_negative", r.at_risk.turned_negative),
    ):
        for c in people:
            for column in (
                "name",
                "handle",
                "platform",
                "followers",
                "negative_mentions",
                "score",
                "lifecycle_stage",
            ):
                yield ("at_risk", table, c.customer_id, column, getattr(c, column), None)
    for e in r.at_risk.open_escalations:
        for column in ("customer", "priority", "level", "reason", "age_hours"):
            yield ("at_risk", "open_escalations", e.reference, column, getattr(e, column), None)
    for m in r.at_risk.risks:
        yield ("at_risk", "risks", m.case_reference or "", m.risk, m.text, None)
    yield from _figure_rows("volume", "totals", "week", {"mentions": r.volume.total})
    yield from _figure_rows("volume", "by_platform", "week", r.volume.by_platform)
    yield from _figure_rows("volume", "by_language", "week", r.volume.by_language)
    for d in r.volume.days:
        yield ("volume", "daily", d.day.isoformat(), "total", d.total, None)
        for key, n in d.by_platform.items():
            yield ("volume", "daily_platform", d.day.isoformat(), key, n, None)
        for key, n in d.by_language.items():
            yield ("volume", "daily_language", d.day.isoformat(), key, n, None)
    for s in r.volume.spikes:
        yield ("volume", "spikes", s.start.isoformat(), "mentions", s.mentions, None)
    yield from _figure_rows("sentiment", "share", "week", r.sentiment.share)
    yield from _figure_rows("sentiment", "net", "week", {"net": r.sentiment.net})
    yield from _figure_rows("sentiment", "intents", "week", r.sentiment.intents)
    for ds in r.sentiment.days:
        for column in ("positive", "neutral", "negative", "unjudged", "net"):
            yield ("sentiment", "daily", ds.day.isoformat(), column, getattr(ds, column), None)
    sv = r.service
    yield from _figure_rows(
        "service",
        "totals",
        "week",
        {
            "opened": sv.opened,
            "resolved": sv.resolved,
            "escalated": sv.escalated,
            "responded": sv.responded,
            "first_response_median_minutes": sv.first_response_median_minutes,
            "first_response_p90_minutes": sv.first_response_p90_minutes,
            "sla_met_share": sv.sla_met_share,
        },
    )
    for table, rows in (("sla_by_priority", sv.sla_by_priority), ("sla_by_agent", sv.sla_by_agent)):
        for row in rows:
            for column in ("met", "missed", "share"):
                yield ("service", table, row.key, column, getattr(row, column), None)
    for table, phrases in (("praise", r.topics.praise), ("complaints", r.topics.complaints)):
        for p in phrases:
            yield ("topics", table, p.text, "posts", p.count, None)


def _csv(report: WeeklyReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _json(report: WeeklyReport) -> bytes:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def _atomic_write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(report: WeeklyReport, *, directory: Path, formats: Sequence[str]) -> list[Path]:
    """Write ``formats`` of ``report`` into ``directory``; the paths, in FORMATS order."""
    formats = parse_formats(formats)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the report directory {directory}: {exc.strerror}; "
            "choose another with --out or report.out_dir"
        ) from None
    html = render_html(report) if {"html", "pdf"} & set(formats) else ""
    producers = {
        "html": lambda: html.encode("utf-8"),
        "pdf": lambda: render_pdf(html),
        "csv": lambda: _csv(report),
        "json": lambda: _json(report),
    }
    written = []
    for fmt in formats:
        path = directory / file_name(report.week.label, report.week.language, fmt)
        data = producers[fmt]()
        try:
            _atomic_write(path, data)
        except OSError as exc:
            raise OutputError(
                f"cannot write {path}: {exc.strerror}; check the directory's permissions "
                "or choose another with --out"
            ) from None
        written.append(path)
    return written
