"""Cross-posts: one customer posting the same words on two platforms, found so it is queued once.

Exact repeats (same text, same customer, any platform) are caught by
``crm.mentions`` through ``text_hash``. A cross-post is rarely exact: the
brand's handle differs per platform (``@acme`` on X, ``@acme@mastodon.social``
on Mastodon), links get shortened, X truncates. So here texts are compared
after :func:`crosspost_fingerprint` drops handles, links, ``#`` signs,
punctuation, case and spacing, and only within :data:`CROSS_POST_WINDOW` of each
other, on different platforms, for the same customer (merged customers share
identities across platforms). Short texts ("thanks!") are never linked: the
fingerprint must keep :data:`MIN_CHARS` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from crm.models import Identity, Mention

__all__ = ["CROSS_POST_WINDOW", "MIN_CHARS", "NewPost", "crosspost_fingerprint", "find_cross_posts"]

CROSS_POST_WINDOW = timedelta(hours=24)
MIN_CHARS = 20
_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)[@＠][\w.\-]+(?:@[\w.\-]+)?")
_NOT_WORD = re.compile(r"[\W_]+")


def crosspost_fingerprint(text: str) -> str:
    """The words of a post without handles, links, hashtags' signs, punctuation or case."""
    text = _HANDLE.sub(" ", _LINK.sub(" ", text.casefold()))
    return _NOT_WORD.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class NewPost:
    """A mention just stored, as cross-post matching needs it."""

    id: int
    platform: str
    customer_id: int
    text: str
    posted_at: datetime


def find_cross_posts(*, session: Session, posts: Iterable[NewPost]) -> dict[int, int]:
    """New mention id -> the earliest post of the same words by the same customer elsewhere."""
    wanted = [p for p in posts if len(crosspost_fingerprint(p.text)) >= MIN_CHARS]
    if not wanted:
        return {}
    rows = session.execute(
        sa.select(
            col(Mention.id),
            col(Mention.platform),
            col(Identity.customer_id),
            col(Mention.text),
            col(Mention.posted_at),
        )
        .join(Identity, col(Identity.id) == Mention.identity_id)
        .where(
            col(Identity.customer_id).in_({p.customer_id for p in wanted}),
            col(Mention.posted_at) >= min(p.posted_at for p in wanted) - CROSS_POST_WINDOW,
            col(Mention.posted_at) <= max(p.posted_at for p in wanted),
            col(Mention.duplicate_of_id).is_(None),
            col(Mention.deleted_at).is_(None),
        )
        .order_by(col(Mention.posted_at), col(Mention.id))
    ).all()
    earlier = [
        (mention_id, str(platform), customer, crosspost_fingerprint(text), posted_at)
        for mention_id, platform, customer, text, posted_at in rows
        if mention_id is not None
    ]
    links: dict[int, int] = {}
    for post in wanted:
        words = crosspost_fingerprint(post.text)
        first = next(
            (
                mention_id
                for mention_id, platform, customer, fingerprint, posted_at in earlier
                if customer == post.customer_id
                and platform != post.platform
                and fingerprint == words
                and post.posted_at - CROSS_POST_WINDOW <= posted_at <= post.posted_at
                and (posted_at, mention_id) < (post.posted_at, post.id)
            ),
            None,
        )
        if first is not None:
            links[post.id] = first
    return links
