"""What every collector returns and the shape every collector has.

A collector turns a platform's answers into :class:`crm.schemas.MentionIn`
objects and never touches the database; the runner stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Self

from config.settings import Settings
from crm.schemas import MentionIn

__all__ = ["Batch", "Collector", "Gap", "Skipped"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """An item a collector could not read: where it was and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Gap:
    """A stretch the source knows it could not read; ``start``/``end`` in the source's terms."""

    start: str | None
    end: str | None
    reason: str

    def __str__(self) -> str:
        return f"gap from {self.start or 'the beginning'} to {self.end or 'now'}: {self.reason}"


@dataclass(slots=True)
class Batch:
    """One fetch: the mentions, the cursor to store with them, and what was skipped or lost.

    ``deleted`` holds external ids of items the platform reports deleted (the runner
    purges any it stored); ``gaps`` the stretches the source knows it lost.
    """

    mentions: list[MentionIn] = field(default_factory=list)
    cursor: str | None = None
    skipped: list[Skipped] = field(default_factory=list)
    exhausted: bool = True
    deleted: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


class Collector(Protocol):
    """A source of mentions; ``fetch`` resumes after ``cursor`` (None: from the start)."""

    name: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """Build the collector, or raise NotConfigured saying which setting is missing."""
        ...

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        """Up to ``limit`` new items after ``cursor``."""
        ...
