"""Recording report runs: one WeeklyReport row per week and language, replaced on a re-run.

Data functions take a keyword-only session and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from crm.models import WeeklyReport as WeeklyReportRecord
from crm.types import utcnow

__all__ = ["get_report_record", "list_report_records", "mark_delivery", "save_report_record"]


def get_report_record(*, session: Session, week: str, language: str) -> WeeklyReportRecord | None:
    """The stored run for ``week`` and ``language``, if any."""
    return session.exec(
        select(WeeklyReportRecord).where(
            WeeklyReportRecord.week == week, WeeklyReportRecord.language == language
        )
    ).first()


def save_report_record(
    *,
    session: Session,
    week: str,
    language: str,
    directory: Path,
    files: Sequence[Path],
    summary: dict[str, Any],
    generated_at: datetime | None = None,
) -> WeeklyReportRecord:
    """Insert or replace the row for ``week`` and ``language``; delivery starts over."""
    record = get_report_record(session=session, week=week, language=language)
    if record is None:
        record = WeeklyReportRecord(week=week, language=language)
    record.generated_at = generated_at or utcnow()
    record.directory = str(directory)
    record.files = [path.name for path in files]
    record.summary = summary
    record.delivered_at = None
    record.delivery_error = None
    session.add(record)
    session.flush()
    return record


def mark_delivery(*, session: Session, record: WeeklyReportRecord, error: str | None) -> None:
    """Record a delivery: the time when it worked, else what went wrong."""
    record.delivered_at = utcnow() if error is None else None
    record.delivery_error = error
    session.add(record)


def list_report_records(*, session: Session, limit: int = 104) -> list[WeeklyReportRecord]:
    """Stored runs, newest week first."""
    return list(
        session.exec(
            select(WeeklyReportRecord)
            .order_by(col(WeeklyReportRecord.week).desc(), col(WeeklyReportRecord.language))
            .limit(limit)
        )
    )
