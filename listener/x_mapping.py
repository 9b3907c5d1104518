"""X posts as mentions: the pure mapping from API v2 JSON (a tweet plus ``includes.users``).

Kept apart from :mod:`listener.x`, which fetches, so the mapping can be read and
tested without a client. A retweet, and a quote that adds no words of its own
(only the link to the quoted post, or the quoted post's very words), become
``repost_of`` the original, so the store links them instead of queueing them
again. Unreadable input raises ``MalformedPayload`` naming the tweet and the field.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from crm.schemas import MentionIn
from listener.errors import MalformedPayload

__all__ = ["parse_id", "snowflake_time", "to_mention"]

_TWITTER_EPOCH_MS = 1_288_834_974_657
_NO_LANGUAGE = {"und", "zxx", "qam", "qct", "qht", "qme", "qst"}  # X's "not a language" codes
_USERNAME = re.compile(r"^[A-Za-z0-9_]{1,50}$")
_LINK = re.compile(r"https?://\S+")


def snowflake_time(tweet_id: str | int) -> datetime:
    """When an X id was made: ids carry their creation time in milliseconds."""
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + _TWITTER_EPOCH_MS) / 1000, UTC)


def to_mention(
    tweet: dict[str, Any],
    users: dict[str, dict[str, Any]],
    *,
    quoted_texts: dict[str, str] | None = None,
) -> MentionIn:
    """One v2 tweet, with its author from ``includes.users`` by id, as a mention.

    ``quoted_texts`` maps ids from ``includes.tweets`` to their text, to tell a
    quote that only repeats its original from one with something to say.
    """
    tweet_id = parse_id(tweet.get("id"))
    if tweet_id is None:
        raise MalformedPayload("x tweet ?", "no id")
    where = f"x tweet {tweet_id}"
    author = _author(tweet, users, where=where)
    references = _references(tweet.get("referenced_tweets"))
    text = _text(tweet, where=where)
    fields = {
        "platform": "x",
        "external_id": tweet_id,
        "url": f"https://x.com/{author.get('handle') or 'i/web'}/status/{tweet_id}",
        "author": author,
        "text": text,
        "posted_at": _posted_at(tweet.get("created_at"), tweet_id, where=where),
        "conversation_id": parse_id(tweet.get("conversation_id")),
        "in_reply_to_id": references.get("replied_to"),
        "repost_of": _repost_of(references, text, quoted_texts or {}),
        "language": _language(tweet.get("lang")),
        "raw": tweet,
    }
    try:
        return MentionIn.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise MalformedPayload(where, f"{field}: {error['msg'].lower()}") from exc


def parse_id(value: Any) -> str | None:
    """An X id as text when it is one (digits, above zero), else None."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return text if text.isascii() and text.isdigit() and int(text) > 0 else None


def _author(
    tweet: dict[str, Any], users: dict[str, dict[str, Any]], *, where: str
) -> dict[str, Any]:
    author_id = parse_id(tweet.get("author_id"))
    if author_id is None:
        raise MalformedPayload(where, "no author_id (was the author_id expansion requested?)")
    user = users.get(author_id) or {}
    username = user.get("username")
    followers = (user.get("public_metrics") or {}).get("followers_count")
    return {
        "id": author_id,
        "handle": username if isinstance(username, str) and _USERNAME.match(username) else "",
        "name": user.get("name") if isinstance(user.get("name"), str) else "",
        "followers": followers if isinstance(followers, int) and followers >= 0 else None,
    }


def _text(tweet: dict[str, Any], *, where: str) -> str:
    note = tweet.get("note_tweet")
    long_text = note.get("text") if isinstance(note, dict) else None
    text = long_text if isinstance(long_text, str) and long_text else tweet.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MalformedPayload(where, "no text")
    return html.unescape(text)  # X escapes &, < and > in post text


def _posted_at(value: Any, tweet_id: str, *, where: str) -> datetime:
    if value is None:
        return snowflake_time(tweet_id)
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise MalformedPayload(where, f"created_at {str(value)[:40]!r} is not ISO-8601") from exc


def _references(value: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and (ref_id := parse_id(item.get("id"))):
            found.setdefault(str(item.get("type")), ref_id)
    return found


def _repost_of(references: dict[str, str], text: str, quoted_texts: dict[str, str]) -> str | None:
    """The retweeted post, or the quoted one when the quote adds no words of its own."""
    if "retweeted" in references:
        return references["retweeted"]
    quoted = references.get("quoted")
    if quoted is None:
        return None
    words = _own_words(text)
    original = quoted_texts.get(quoted)
    if not words or (original is not None and words == _own_words(html.unescape(original))):
        return quoted
    return None


def _own_words(text: str) -> str:
    """The words of a post without its links, case and spacing folded."""
    return " ".join(_LINK.sub(" ", text).casefold().split())


def _language(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value not in _NO_LANGUAGE else None
