"""Bluesky posts as mentions: which posts mention the brand, and the pure mapping to a mention.

Kept apart from :mod:`listener.bluesky`, which listens and searches. A post is
read from a search result (a post view) or a Jetstream commit event; both
become the same mention, addressed by its ``at://`` URI. Unreadable input
raises ``MalformedPayload``. A quote that adds no words of its own (only the
link, or nothing) is ``repost_of`` the quoted post, so the store links it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from crm.schemas import MentionIn
from listener.errors import MalformedPayload

__all__ = [
    "POST",
    "Matcher",
    "as_list",
    "as_str",
    "author_fields",
    "field_of",
    "micros",
    "parse_iso",
    "to_mention",
    "zulu",
]

POST = "app.bsky.feed.post"
_MENTION_FACET = "app.bsky.richtext.facet#mention"
_DID = re.compile(r"^did:[a-z]+:[A-Za-z0-9._:%-]{1,180}$")
_RKEY = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")


class Matcher:
    """Decides whether a post record is about the brand."""

    def __init__(self, *, handle: str, keywords: list[str], did: str | None = None) -> None:
        self.did = did
        name = re.escape(handle.lstrip("@").casefold())
        # A handle ends at a space or punctuation, but "@acme.bsky.social.evil" is another one.
        self._handle = re.compile(rf"(?<![\w.@-])@?{name}(?![\w-]|\.\w)")
        words = sorted({k.strip().casefold() for k in keywords if k.strip()}, key=len, reverse=True)
        # "Acme Cloud" also matches "acme  cloud" and a line break between the words.
        alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
        self._words = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if words else None

    def matches(self, record: object, *, author_did: object) -> bool:
        """True when the record mentions the brand and is not the brand's own post."""
        if not isinstance(record, Mapping) or (self.did is not None and author_did == self.did):
            return False
        return self.text_matches(record.get("text")) or self._points_at_brand(record)

    def text_matches(self, text: object) -> bool:
        """The text names the handle or a keyword as a whole word."""
        if not isinstance(text, str):
            return False
        folded = text.casefold()
        return bool(self._handle.search(folded) or (self._words and self._words.search(folded)))

    def _points_at_brand(self, record: Mapping[str, Any]) -> bool:
        if self.did is None:
            return False
        targets = [
            field_of(f, "did") for facet in as_list(record.get("facets")) for f in _features(facet)
        ]
        reply = record.get("reply")
        targets += [_did_of(field_of(field_of(reply, part), "uri")) for part in ("parent", "root")]
        embed = record.get("embed")
        targets += [_did_of(field_of(field_of(embed, "record"), "uri"))]
        targets += [_did_of(field_of(field_of(field_of(embed, "record"), "record"), "uri"))]
        return self.did in targets


def _features(facet: Any) -> list[Any]:
    return [
        f for f in as_list(field_of(facet, "features")) if field_of(f, "$type") == _MENTION_FACET
    ]


def to_mention(payload: Any) -> MentionIn:
    """A search PostView or a Jetstream commit event as a mention; else MalformedPayload."""
    data = (
        payload.model_dump(by_alias=True, mode="json")
        if hasattr(payload, "model_dump")
        else payload
    )
    if not isinstance(data, Mapping):
        raise MalformedPayload("bluesky", f"expected a JSON object, got {type(data).__name__}")
    if "time_us" in data or "commit" in data:
        return _from_event(data)
    return _from_post_view(data)


def _from_post_view(post: Mapping[str, Any]) -> MentionIn:
    uri = post.get("uri")
    where = uri if isinstance(uri, str) else "bluesky search result"
    did, rkey = _split_post_uri(uri, where=where)
    author = post.get("author")
    if not isinstance(author, Mapping) or author.get("did") != did:
        raise MalformedPayload(where, "author is missing or is not the account in the URI")
    record = _record(post.get("record"), where=where)
    posted_at = parse_iso(record.get("createdAt")) or parse_iso(post.get("indexedAt"))
    if posted_at is None:
        raise MalformedPayload(where, "neither createdAt nor indexedAt is an ISO-8601 time")
    return _mention(did=did, rkey=rkey, author=author, record=record, posted_at=posted_at, raw=post)


def _from_event(event: Mapping[str, Any]) -> MentionIn:
    time_us = event.get("time_us")
    where = f"jetstream time_us={time_us}"
    commit = event.get("commit")
    if (
        not isinstance(time_us, int)
        or event.get("kind") != "commit"
        or not isinstance(commit, dict)
    ):
        raise MalformedPayload(where, "not a commit event with an integer time_us")
    if commit.get("operation") != "create" or commit.get("collection") != POST:
        raise MalformedPayload(where, "not the creation of a post")
    did, rkey = _split_post_uri(f"at://{event.get('did')}/{POST}/{commit.get('rkey')}", where=where)
    record = _record(commit.get("record"), where=f"at://{did}/{POST}/{rkey}")
    posted_at = parse_iso(record.get("createdAt")) or datetime.fromtimestamp(time_us / 1e6, UTC)
    return _mention(
        did=did, rkey=rkey, author={"did": did}, record=record, posted_at=posted_at, raw=event
    )


def _mention(
    *,
    did: str,
    rkey: str,
    author: Mapping[str, Any],
    record: Mapping[str, Any],
    posted_at: datetime,
    raw: Mapping[str, Any],
) -> MentionIn:
    uri = f"at://{did}/{POST}/{rkey}"
    reply = record.get("reply")
    handle = author.get("handle")
    shown = handle if isinstance(handle, str) and handle and handle != "handle.invalid" else did
    langs = record.get("langs")
    language = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None
    fields = {
        "platform": "bluesky",
        "external_id": uri,
        "url": f"https://bsky.app/profile/{shown}/post/{rkey}",
        "author": author_fields(did, author),
        "text": record["text"],
        "posted_at": posted_at,
        "conversation_id": as_str(field_of(field_of(reply, "root"), "uri")) or uri,
        "in_reply_to_id": as_str(field_of(field_of(reply, "parent"), "uri")),
        "repost_of": _bare_quote_of(record),
        "language": language if language and len(language) <= 16 else None,
        "raw": json.loads(json.dumps(raw, default=str)),
    }
    try:
        return MentionIn.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise MalformedPayload(uri, f"{'.'.join(map(str, error['loc']))}: {error['msg']}") from exc


def _bare_quote_of(record: Mapping[str, Any]) -> str | None:
    """The post a quote points to, when the quote itself says nothing."""
    embed = record.get("embed")
    quoted = field_of(embed, "record")
    if field_of(embed, "$type") == "app.bsky.embed.recordWithMedia":
        quoted = field_of(quoted, "record")
    uri = as_str(field_of(quoted, "uri"))
    if uri is None or not uri.startswith("at://") or f"/{POST}/" not in uri:
        return None  # not a quote of a post (a feed or list embed, say)
    words = re.sub(r"https?://\S+", " ", str(record.get("text") or "")).split()
    return None if words else uri


def author_fields(did: str, author: Mapping[str, Any]) -> dict[str, Any]:
    """The author as far as a post view or profile tells; unusable optional parts dropped."""
    followers = author.get("followersCount")
    return {
        "id": did,
        "handle": (as_str(author.get("handle")) or "")[:200],
        "name": (as_str(author.get("displayName")) or "")[:200],
        "followers": followers if isinstance(followers, int) and followers >= 0 else None,
    }


def _record(value: Any, *, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or not isinstance(value.get("text"), str):
        raise MalformedPayload(where, "the post record has no text")
    return value


def _split_post_uri(uri: Any, *, where: str) -> tuple[str, str]:
    parts = uri.split("/") if isinstance(uri, str) else []
    if len(parts) != 5 or parts[:2] != ["at:", ""] or parts[3] != POST:
        raise MalformedPayload(where, "not an at:// URI of a post")
    if not _DID.match(parts[2]) or not _RKEY.match(parts[4]):
        raise MalformedPayload(where, "the URI's DID or record key is not valid")
    return parts[2], parts[4]


def _did_of(uri: Any) -> str | None:
    return uri.split("/")[2] if isinstance(uri, str) and uri.startswith("at://did:") else None


def parse_iso(value: Any) -> datetime | None:
    """An ISO 8601 time as a datetime, or None when it is not one."""
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def field_of(value: Any, key: str) -> Any:
    """``value[key]`` when value is a mapping, else None."""
    return value.get(key) if isinstance(value, Mapping) else None


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    """``value`` when it is a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def micros(moment: datetime) -> int:
    """A moment as Jetstream's microseconds since the epoch."""
    return int(moment.timestamp() * 1_000_000)


def zulu(moment: datetime) -> str:
    """A moment as the UTC ``…Z`` text Bluesky's APIs take."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
