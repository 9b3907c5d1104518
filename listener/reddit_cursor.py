"""The Reddit collector's cursor: per feed, the newest item read, plus the items to re-check.

See :mod:`listener.reddit` for what the marks mean. The cursor is JSON and
moves only forward; an unreadable one reads the lookback window again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from crm.schemas import MentionIn
from listener.base import Skipped

__all__ = ["Mark", "Seen", "Sweep", "advance", "dump_cursor", "load_cursor", "time_filter"]

_TIME_FILTERS = (("hour", 3600), ("day", 86400), ("week", 7 * 86400), ("month", 30 * 86400))


@dataclass(frozen=True, slots=True)
class Mark:
    """How far one feed has been read: its newest created_utc and the fullnames read lately.

    ``seen`` maps fullnames to created_utc for the feed's overlap window (just the newest
    second when there is none); ``scope`` is what the feed read (subreddits, query), so a
    changed setting reads the lookback window again instead of trusting an unrelated mark.
    """

    created: float
    seen: dict[str, float]
    scope: str


@dataclass(frozen=True, slots=True)
class Seen:
    """One item a scan found above its feed's mark, and what became of it."""

    feed: str
    fullname: str
    created: float
    outcome: MentionIn | Skipped | None  # None: read, but not a mention (no keyword)

    @property
    def key(self) -> tuple[float, str]:
        """Oldest first, ties by fullname."""
        return (self.created, self.fullname)


@dataclass(slots=True)
class Sweep:
    """The items handed over lately, re-checked for deletion every ``sweep_every``."""

    recent: dict[str, float]  # fullname -> created_utc
    swept_at: float


def load_cursor(cursor: str | None) -> tuple[dict[str, Mark], Sweep, list[Skipped]]:
    """The marks and sweep state in ``cursor``; an unreadable one is empty, with a note why."""
    if not cursor:
        return {}, Sweep({}, 0.0), []
    try:
        data = json.loads(cursor)
        marks = {
            feed: Mark(
                float(mark["created_utc"]),
                {str(name): float(at) for name, at in mark["seen"].items()},
                str(mark["scope"]),
            )
            for feed, mark in data["feeds"].items()
        }
        sweep = Sweep(
            {str(name): float(at) for name, at in (data.get("recent") or {}).items()},
            float(data.get("swept_at") or 0.0),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        note = Skipped("reddit cursor", "unreadable; read again from the lookback window")
        return {}, Sweep({}, 0.0), [note]
    return marks, sweep, []


def dump_cursor(marks: Mapping[str, Mark], sweep: Sweep) -> str:
    """The cursor text to store with the batch."""
    feeds = {
        feed: {"created_utc": mark.created, "seen": mark.seen, "scope": mark.scope}
        for feed, mark in marks.items()
    }
    return json.dumps(
        {"feeds": feeds, "recent": sweep.recent, "swept_at": sweep.swept_at}, sort_keys=True
    )


def advance(old: Mark | None, taken: list[Seen], *, scope: str, overlap: float) -> Mark | None:
    """The mark after ``taken``: never behind ``old``, remembering the overlap window."""
    if not taken:
        return old
    newest = max([seen.created for seen in taken] + ([old.created] if old else []))
    recent = (old.seen if old else {}) | {seen.fullname: seen.created for seen in taken}
    kept = {name: at for name, at in recent.items() if at >= newest - overlap}
    return Mark(newest, kept, scope)


def time_filter(since: float | None, now: float) -> str:
    """The narrowest search window that still reaches back to ``since``."""
    if since is None:
        return "all"
    age = now - since + 300  # slack for clocks that disagree
    return next((name for name, span in _TIME_FILTERS if age <= span), "all")
