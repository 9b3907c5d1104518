"""The replay collector: mentions from JSONL files (the demo data, a user's own exports).

One JSON object per line::

    {"platform": "x", "external_id": "1859…", "url": "https://x.com/…",
     "author": {"id": "1402…", "handle": "deniz_k", "name": "Deniz", "followers": 312},
     "text": "…", "posted_at": "2026-11-20T10:00:00Z",
     "conversation_id": null, "in_reply_to_id": null, "repost_of": null, "lang": "en"}

``author`` may also be given flat, as in ``socialcrm export mentions``:
``author_id``, ``author_handle``, ``author_name``, ``author_followers``.
``posted_at`` is ISO-8601 or an offset from now such as ``-3d04h12m``, which
keeps bundled data current. Unknown keys are kept in the raw payload. A line
that cannot be read is skipped and reported with its file and line number;
the rest are collected. The cursor records, per file, the lines and bytes read,
so a run resumes without rereading what it has.
"""

from __future__ import annotations

import glob
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError

from config.labels import PLATFORMS
from config.settings import Settings
from crm.schemas import MentionIn
from crm.types import utcnow
from listener.base import Batch, Skipped
from listener.errors import MalformedPayload, NotConfigured

__all__ = ["ReplayCollector", "parse_line"]

_RELATIVE = re.compile(r"^-(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_AUTHOR_FLAT = {
    "author_id": "id",
    "author_handle": "handle",
    "author_name": "name",
    "author_followers": "followers",
}
_FIELDS = (
    "platform",
    "external_id",
    "url",
    "text",
    "conversation_id",
    "in_reply_to_id",
    "repost_of",
)


class ReplayCollector:
    """Reads mentions from JSONL files, resuming where the previous run stopped."""

    name = "replay"

    def __init__(
        self, paths: list[str], *, max_text_chars: int = 40_000, now: datetime | None = None
    ) -> None:
        self.patterns = list(paths)
        self.max_text_chars = max_text_chars
        self.now = now or utcnow()

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A replay collector over ``replay.paths``; off when none are set."""
        if not settings.replay.paths:
            raise NotConfigured(
                "no files to replay; set replay.paths in socialcrm.toml "
                "or SOCIALCRM_REPLAY__PATHS='[\"exports/*.jsonl\"]'"
            )
        return cls(settings.replay.paths, max_text_chars=settings.replay.max_text_chars)

    def files(self) -> tuple[list[Path], list[Skipped]]:
        """The files the patterns name, in a stable order, and the patterns that matched none."""
        found: dict[str, Path] = {}
        missing: list[Skipped] = []
        for pattern in self.patterns:
            matches = sorted(glob.glob(str(Path(pattern).expanduser()), recursive=True))
            files = [Path(m).resolve() for m in matches if Path(m).is_file()]
            if not files:
                missing.append(Skipped(pattern, "no file matches this replay path"))
            found.update((str(path), path) for path in files)
        return list(found.values()), missing

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        """Up to ``limit`` lines after the cursor, across the files in order."""
        done: dict[str, list[int]] = json.loads(cursor) if cursor else {}
        files, missing = self.files()
        batch = Batch(skipped=list(missing) if cursor is None else [])
        budget = limit
        for path in files:
            line_no, offset = done.get(str(path), (0, 0))
            with path.open("rb") as handle:
                handle.seek(offset)
                while budget > 0 and (line := handle.readline()):
                    line_no += 1
                    budget -= 1
                    self._take(line, f"{path}:{line_no}", batch)
                done[str(path)] = [line_no, handle.tell()]
                if budget == 0 and handle.readline():
                    batch.exhausted = False
                    break
        batch.cursor = json.dumps(done, sort_keys=True)
        return batch

    def _take(self, line: bytes, where: str, batch: Batch) -> None:
        if not line.strip():
            return
        try:
            batch.mentions.append(
                parse_line(line, where=where, now=self.now, max_text_chars=self.max_text_chars)
            )
        except MalformedPayload as exc:
            batch.skipped.append(Skipped(exc.where, exc.why))


def parse_line(line: bytes, *, where: str, now: datetime, max_text_chars: int) -> MentionIn:
    """One JSONL line as a mention; MalformedPayload says what is wrong with it."""
    try:
        data = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise MalformedPayload(where, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise MalformedPayload(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise MalformedPayload(where, "expected a JSON object per line")
    return _to_mention(data, where=where, now=now, max_text_chars=max_text_chars)


def _to_mention(
    data: dict[str, Any], *, where: str, now: datetime, max_text_chars: int
) -> MentionIn:
    if data.get("platform") not in PLATFORMS:
        raise MalformedPayload(
            where,
            f"unknown platform {data.get('platform')!r}; expected one of {', '.join(PLATFORMS)}",
        )
    text = data.get("text")
    if isinstance(text, str) and len(text) > max_text_chars:
        raise MalformedPayload(
            where,
            f"text is {len(text):,} characters, over the {max_text_chars:,} allowed "
            "(replay.max_text_chars); no platform posts that much",
        )
    fields = {name: data.get(name) for name in _FIELDS}
    fields["author"] = _author(data)
    fields["posted_at"] = _timestamp(data.get("posted_at"), now=now, where=where)
    fields["language"] = data.get("lang") or data.get("language")
    fields["raw"] = data
    try:
        return MentionIn.model_validate(fields)
    except ValidationError as exc:
        raise MalformedPayload(where, _first_problem(exc)) from exc


def _author(data: dict[str, Any]) -> Any:
    author = data.get("author")
    if author is None:
        author = {key: data[flat] for flat, key in _AUTHOR_FLAT.items() if flat in data}
        author.setdefault("id", author.get("handle"))
    return author


def _timestamp(value: Any, *, now: datetime, where: str) -> datetime:
    if not isinstance(value, str) or not value:
        raise MalformedPayload(
            where, "posted_at is missing; give ISO-8601 or an offset like -2d03h"
        )
    relative = _RELATIVE.match(value)
    if relative and any(relative.groups()):
        days, hours, minutes = (int(part or 0) for part in relative.groups())
        return now - timedelta(days=days, hours=hours, minutes=minutes)
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise MalformedPayload(where, f"posted_at {value[:40]!r} is not ISO-8601") from exc


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "line"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{field}: {error['msg'].lower()}{more}"
