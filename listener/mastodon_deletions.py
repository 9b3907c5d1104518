"""Mastodon deletions: recently collected statuses re-checked, since polling never hears of them.

A deleted status just stops appearing in timelines and notifications, so the
collector remembers what it handed over in the last ``SWEEP_WINDOW`` (at most
``SWEEP_MAX``, newest kept) in its cursor, under ``"_sweep"``. Every
``SWEEP_EVERY`` it asks ``GET /api/v1/statuses?id[]=…`` (Mastodon 4.3 and
later, ``IDS_PER_CALL`` ids a call) which of them still exist; the ones the
server leaves out are reported in ``Batch.deleted`` for the runner to purge.
A status the account may no longer see is treated the same: its author took
it away from us. An instance without that call is noted and not asked again
until the next sweep; an answer that is not a list deletes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from mastodon import Mastodon

from listener.mastodon_mapping import text_id

__all__ = [
    "IDS_PER_CALL",
    "SWEEP_EVERY",
    "SWEEP_KEY",
    "SWEEP_MAX",
    "SWEEP_WINDOW",
    "Sweep",
    "missing_statuses",
]

SWEEP_KEY = "_sweep"
SWEEP_EVERY = timedelta(minutes=15)
SWEEP_WINDOW = timedelta(days=7)
SWEEP_MAX = 400  # 20 calls a sweep, well inside Mastodon's 300 calls per 5 minutes
IDS_PER_CALL = 20


@dataclass(slots=True)
class Sweep:
    """The statuses handed over lately (id -> posted time) and when they were last checked."""

    recent: dict[str, float]
    swept_at: float

    @classmethod
    def load(cls, stored: Any) -> Sweep:
        """The sweep state kept in a cursor; anything unreadable starts an empty one."""
        if not isinstance(stored, Mapping):
            return cls({}, 0.0)
        recent = stored.get("recent")
        swept_at = stored.get("swept_at")
        return cls(
            {
                key: float(at)
                for key, at in (recent.items() if isinstance(recent, Mapping) else ())
                if text_id(key) == key and isinstance(at, int | float)
            },
            float(swept_at) if isinstance(swept_at, int | float) else 0.0,
        )

    def dump(self) -> dict[str, Any]:
        """The state to store in the cursor."""
        return {"recent": dict(sorted(self.recent.items())), "swept_at": self.swept_at}

    def due(self, now: float) -> bool:
        """True when the last check is ``SWEEP_EVERY`` old."""
        return now - self.swept_at >= SWEEP_EVERY.total_seconds()

    def remember(self, handed: dict[str, float], *, now: float) -> None:
        """Add what was just handed over; keep the newest ``SWEEP_MAX`` of the window."""
        floor = now - SWEEP_WINDOW.total_seconds()
        merged = self.recent | handed
        newest = sorted(((at, key) for key, at in merged.items() if at >= floor), reverse=True)
        self.recent = {key: at for at, key in newest[:SWEEP_MAX]}


def missing_statuses(client: Mastodon, ids: list[str]) -> list[str]:
    """Which of ``ids`` the server no longer returns; raises the SDK's errors as they come."""
    found: set[str] = set()
    for start in range(0, len(ids), IDS_PER_CALL):
        answer = client.statuses(ids[start : start + IDS_PER_CALL])
        if not isinstance(answer, list):
            return []  # an odd answer proves nothing deleted
        found.update(text_id(s.get("id")) or "" for s in answer if isinstance(s, Mapping))
    return [status_id for status_id in ids if status_id not in found]
