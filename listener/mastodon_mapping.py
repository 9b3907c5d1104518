"""Mastodon statuses as mentions: the pure mapping from API JSON, and HTML to plain text.

Kept apart from :mod:`listener.mastodon`, which fetches. Content is HTML: it
becomes plain text with its line breaks, links as their text, hidden and
script content dropped. Unreadable input raises ``MalformedPayload``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from crm.schemas import MentionIn
from listener.errors import MalformedPayload

__all__ = ["html_to_text", "text_id", "to_mention"]

_MAX_HTML_CHARS = 200_000  # Mastodon allows 500 characters; far more is an attack


def to_mention(status: Mapping[str, Any], *, instance: str | None = None) -> MentionIn:
    """One Mastodon status as a mention; MalformedPayload says what is wrong with it.

    ``instance`` is the host local accounts live on (their ``acct`` has none);
    without it the host of the account's profile URL is used. A reblog keeps
    its own id and booster and takes the text of the original it points to.
    """
    if not isinstance(status, Mapping):
        raise MalformedPayload("mastodon status ?", "expected a JSON object")
    where = f"mastodon status {text_id(status.get('id')) or '?'}"
    status_id = _required_id(status.get("id"), where, "id")
    original = status.get("reblog")
    if original is not None and not isinstance(original, Mapping):
        raise MalformedPayload(where, "reblog is not an object")
    body = original or status
    reply_to = None if original else text_id(status.get("in_reply_to_id"))
    fields = {
        "platform": "mastodon",
        "external_id": status_id,
        "url": _web_url(status.get("url"), body.get("url"), status.get("uri")),
        "author": _author(status.get("account"), instance=instance, where=where),
        "text": _status_text(body, where),
        "posted_at": _timestamp(status.get("created_at"), where),
        "conversation_id": reply_to or status_id,
        "in_reply_to_id": reply_to,
        "repost_of": _required_id(original.get("id"), where, "reblog.id") if original else None,
        "language": _language(body.get("language")),
        "raw": _raw(status, where),
    }
    try:
        return MentionIn.model_validate(fields)
    except ValidationError as exc:
        raise MalformedPayload(where, _first_problem(exc)) from exc


def text_id(value: Any) -> str | None:
    """An id as a plain string (Mastodon.py hands out a str subclass), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value and not any(c.isspace() for c in value):
        return str(value)
    return None


def _required_id(value: Any, where: str, name: str) -> str:
    found = text_id(value)
    if found is None:
        raise MalformedPayload(where, f"{name} is missing or not an id")
    return found


def _web_url(*candidates: Any) -> str | None:
    """The first http(s) address: the status page, the original's (reblogs have none), the URI."""
    for value in candidates:
        if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
            return value
    return None


def _author(account: Any, *, instance: str | None, where: str) -> dict[str, Any]:
    if not isinstance(account, Mapping):
        raise MalformedPayload(where, "account is missing")
    handle = str(account.get("acct") or account.get("username") or "").strip().lstrip("@")
    host = instance or urlsplit(str(account.get("url") or "")).hostname
    if handle and "@" not in handle and host:
        handle = f"{handle}@{host}"
    followers = account.get("followers_count")
    return {
        "id": _required_id(account.get("id"), where, "account.id"),
        "handle": handle,
        "name": str(account.get("display_name") or "")[:200],
        # Some servers hide the count as -1; unknown is better than a rejected mention.
        "followers": followers if type(followers) is int and followers >= 0 else None,
    }


def _status_text(body: Mapping[str, Any], where: str) -> str:
    """The content as plain text, after the content warning when there is one."""
    content = body.get("content") or ""
    if not isinstance(content, str):
        raise MalformedPayload(where, "content is not text")
    if len(content) > _MAX_HTML_CHARS:
        raise MalformedPayload(
            where, f"content is {len(content):,} characters, over {_MAX_HTML_CHARS:,}"
        )
    text = html_to_text(content)
    warning = body.get("spoiler_text")
    if isinstance(warning, str) and warning.strip():
        return f"{warning.strip()}\n\n{text}".strip()
    return text


def _timestamp(value: Any, where: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise MalformedPayload(where, f"created_at {value[:40]!r} is not a time") from None
    if not isinstance(value, datetime):
        raise MalformedPayload(where, "created_at is missing")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _language(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and 0 < len(value.strip()) <= 16 else None


def _raw(status: Mapping[str, Any], where: str) -> dict[str, Any]:
    try:
        plain: dict[str, Any] = _plain(status)
    except RecursionError:
        raise MalformedPayload(where, "the status is nested too deeply to keep") from None
    return plain


def _plain(value: Any) -> Any:
    """JSON-ready: dicts, lists, str, finite numbers, bools and None; times as ISO-8601."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "status"
    return f"{where}: {error['msg'].lower()}"


_BLOCK_TAGS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "table", "section", "article", "header"}
    | {"footer", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_LINE_TAGS = frozenset({"li", "tr", "dt", "dd"})
_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg"})


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML fragment, with its line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif not self.hidden:
            self.pre += tag == "pre"
            self.parts.append(_break(tag))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN_TAGS and not self.hidden:
            self.parts.append(_break(tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif not self.hidden and tag in _BLOCK_TAGS:
            self.pre = max(0, self.pre - (tag == "pre"))
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\r\f]+" if self.pre else r"\s+", " ", data))


def _break(tag: str) -> str:
    if tag == "br":
        return "\n"
    return "\n\n" if tag in _BLOCK_TAGS else "\n" if tag in _LINE_TAGS else ""


def html_to_text(html: str) -> str:
    """Plain text from status HTML: tags gone, script and style dropped, breaks kept."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    text = re.sub(r" ?\n ?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
