"""Reddit submissions and comments as mentions: the pure mapping from listing ``data``.

Kept apart from :mod:`listener.reddit`, which fetches. Deleted or removed items
raise :class:`DeletedOnReddit` (their text must not be kept); unreadable ones
``MalformedPayload`` naming the fullname and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from crm.schemas import MentionIn
from listener.errors import ListenerError, MalformedPayload

__all__ = ["DeletedOnReddit", "gone_reason", "raw_data", "to_mention"]

WEB_URL = "https://www.reddit.com"
_GONE = frozenset({"[deleted]", "[removed]"})
_FULLNAME = re.compile(r"^t[13]_[0-9a-z]+$")
_THREAD = re.compile(r"/comments/([0-9a-z]+)/")


class DeletedOnReddit(ListenerError):
    """The item was deleted by its author or removed by moderators; its text must not be kept."""

    def __init__(self, fullname: str, why: str) -> None:
        super().__init__(f"{fullname}: {why}")
        self.fullname = fullname
        self.why = why


def raw_data(thing: Any) -> dict[str, Any]:
    """The listing ``data`` of a praw Submission or Comment (a mapping is returned as a dict)."""
    if isinstance(thing, Mapping):
        return dict(thing)
    public = {k: v for k, v in vars(thing).items() if not k.startswith("_")}
    data: dict[str, Any] = json.loads(json.dumps(public, default=str))
    return data


def to_mention(data: Mapping[str, Any]) -> MentionIn:
    """A submission's or comment's listing ``data`` as a mention.

    Raises DeletedOnReddit for deleted or removed items, MalformedPayload for unreadable ones.
    """
    if not isinstance(data, Mapping):
        raise MalformedPayload("reddit item", f"expected an object, got {type(data).__name__}")
    fullname = _fullname(data)
    posted_at = datetime.fromtimestamp(_created(data, fullname), UTC)
    if why := gone_reason(data):
        raise DeletedOnReddit(fullname, why)
    is_post = fullname.startswith("t3_")
    fields = {
        "platform": "reddit",
        "external_id": fullname,
        "url": _url(data, fullname),
        "author": _author(data, fullname),
        "text": _post_text(data, fullname) if is_post else _text(data, "body", fullname),
        "posted_at": posted_at,
        "conversation_id": fullname if is_post else _thread(data),
        "in_reply_to_id": None if is_post else data.get("parent_id"),
        "raw": dict(data),
    }
    try:
        return MentionIn.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise MalformedPayload(fullname, f"{field}: {error['msg'].lower()}") from exc


def gone_reason(data: Mapping[str, Any]) -> str | None:
    """Why Reddit no longer shows this item's text, or None when it does."""
    text = data.get("body") if str(data.get("name", "")).startswith("t1_") else None
    if text is None:
        text = data.get("selftext", data.get("body"))
    if text in _GONE:
        return f"text is {text}"
    if data.get("removed_by_category"):
        return f"removed ({data['removed_by_category']})"
    return None


def _fullname(data: Mapping[str, Any]) -> str:
    name = data.get("name")
    if isinstance(name, str) and _FULLNAME.match(name):
        return name
    where = f"reddit item {name or data.get('id')!r}"
    raise MalformedPayload(where, "no fullname (name t1_… or t3_…); not a comment or submission")


def _created(data: Mapping[str, Any], fullname: str) -> float:
    value = data.get("created_utc")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e11:
        raise MalformedPayload(fullname, f"created_utc {value!r} is not a Unix time")
    return float(value)


def _text(data: Mapping[str, Any], key: str, fullname: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise MalformedPayload(fullname, f"{key} is missing or not text")
    return value


def _post_text(data: Mapping[str, Any], fullname: str) -> str:
    title = _text(data, "title", fullname)
    body = data.get("selftext")
    return f"{title}\n{body}" if isinstance(body, str) and body else title


def _author(data: Mapping[str, Any], fullname: str) -> dict[str, str]:
    name = data.get("author")
    if name in (None, "", "[deleted]"):
        # One identity per item: deleted accounts must not merge into one customer.
        return {"id": f"[deleted]:{fullname}", "handle": "[deleted]", "name": "[deleted]"}
    if not isinstance(name, str):
        raise MalformedPayload(fullname, "author is not a username")
    author_id = data.get("author_fullname")
    if not (isinstance(author_id, str) and author_id.startswith("t2_")):
        author_id = name
    return {"id": author_id, "handle": name, "name": name}


def _url(data: Mapping[str, Any], fullname: str) -> str:
    link = data.get("permalink") or data.get("context")
    if isinstance(link, str) and link:
        return WEB_URL + urlsplit(link).path
    thread = _thread(data)
    if fullname.startswith("t3_") or thread is None:
        return f"{WEB_URL}/comments/{fullname[3:]}/"
    return f"{WEB_URL}/comments/{thread[3:]}/_/{fullname[3:]}/"


def _thread(data: Mapping[str, Any]) -> str | None:
    link_id = data.get("link_id")
    if isinstance(link_id, str) and link_id.startswith("t3_"):
        return link_id
    found = _THREAD.search(str(data.get("permalink") or data.get("context") or ""))
    return f"t3_{found.group(1)}" if found else None
