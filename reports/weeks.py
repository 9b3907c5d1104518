"""ISO weeks in the report's time zone: parsing ``2026-W47`` and finding the last complete week.

A week runs from Monday 00:00 to the next Monday 00:00 *local* time, so a week
that crosses a daylight-saving change is 167 or 169 hours long; every instant
kept here is UTC-aware, ready to compare with stored timestamps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reports.errors import InvalidWeek, UnknownTimezone

__all__ = ["ReportWeek", "last_complete_week", "parse_week", "zone"]

_LABEL = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; UnknownTimezone says what to set when it does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimezone(
            f"unknown time zone {name!r}: set report.timezone to an IANA name such as "
            "'Europe/Istanbul' or 'UTC'"
        ) from None


@dataclass(frozen=True, slots=True)
class ReportWeek:
    """One ISO week in one time zone."""

    year: int
    number: int
    tz: ZoneInfo

    @property
    def label(self) -> str:
        """``2026-W47``."""
        return f"{self.year:04d}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        """The week's first local day."""
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def days(self) -> list[date]:
        """The seven local days, Monday first."""
        return [self.monday + timedelta(days=offset) for offset in range(7)]

    def day_edges(self) -> list[datetime]:
        """Eight UTC instants: each local midnight from Monday to the next Monday."""
        return [_midnight(self.monday + timedelta(days=offset), self.tz) for offset in range(8)]

    @property
    def start(self) -> datetime:
        """Monday 00:00 local, in UTC."""
        return _midnight(self.monday, self.tz)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 local, in UTC (exclusive)."""
        return _midnight(self.monday + timedelta(days=7), self.tz)

    def previous(self) -> ReportWeek:
        """The week before, same time zone."""
        year, number, _ = (self.monday - timedelta(days=7)).isocalendar()
        return ReportWeek(year, number, self.tz)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


def parse_week(text: str, *, tz: ZoneInfo) -> ReportWeek:
    """``2026-W47`` (or ``2026W47``) as a ReportWeek; InvalidWeek says what is wrong."""
    match = _LABEL.match(text.strip())
    if match is None:
        raise InvalidWeek(
            f"{text!r} is not an ISO week; write it as YEAR-Www, e.g. 2026-W47 "
            "(weeks start on Monday)"
        )
    year, number = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        weeks = date(year, 12, 28).isocalendar()[1] if 1 <= year <= 9999 else 52
        raise InvalidWeek(
            f"{text!r} does not exist: {year} has ISO weeks 01 to {weeks:02d}"
        ) from None
    return ReportWeek(year, number, tz)


def last_complete_week(*, now: datetime, tz: ZoneInfo) -> ReportWeek:
    """The most recent ISO week that has fully ended at ``now`` in ``tz``."""
    year, number, _ = (now.astimezone(tz).date() - timedelta(days=7)).isocalendar()
    return ReportWeek(year, number, tz)
