"""An in-memory platform and sender for pipeline-speed tests of the sending protocol.

``MemorySender`` keeps posts in a list. A test scripts the outcome of the
next posts: ``"ok"``, an exception to raise without posting, or
``("after", exc)`` to post and then raise (the uncertain case). Lookups can be
made to fail with ``lookup_error``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from config.settings import Settings
from responders.senders.base import ReplyTarget, SentReply, same_text

__all__ = ["MemorySender", "Post"]


@dataclass
class Post:
    """One post on the in-memory platform."""

    id: str
    in_reply_to: str
    text: str
    key: str


@dataclass
class MemorySender:
    """A sender whose platform is a list."""

    name: str = "mastodon"
    posts: list[Post] = field(default_factory=list)
    script: list[Any] = field(default_factory=list)
    lookup_error: Exception | None = None
    calls: int = 0
    lookups: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> MemorySender:
        return cls()

    def post_reply(self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str) -> SentReply:
        self.calls += 1
        outcome = self.script.pop(0) if self.script else "ok"
        if isinstance(outcome, Exception):
            raise outcome
        post = Post(f"p{len(self.posts) + 1}", in_reply_to.external_id, text, idempotency_key)
        self.posts.append(post)
        if isinstance(outcome, tuple):
            raise outcome[1]
        return SentReply(post.id, f"https://memory.example/{post.id}")

    def find_own_reply(
        self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str, since: datetime
    ) -> SentReply | None:
        self.lookups += 1
        if self.lookup_error is not None:
            raise self.lookup_error
        for post in self.posts:
            if post.in_reply_to == in_reply_to.external_id and same_text(post.text, text):
                return SentReply(post.id)
        return None
