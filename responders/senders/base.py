"""What every sender is: the ``Sender`` protocol, the post it answers, and what it returns.

A sender posts one reply to one platform and, when asked, looks for a reply of
ours that may already be there (reconciliation after an uncertain outcome).
Senders never touch the database: ``responders.sending`` owns the two-phase
protocol around them. Errors are the ``SenderError`` family in
``responders.errors``; each platform module translates its SDK's exceptions
at the edge.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, Self, runtime_checkable

from config.settings import Settings
from crm.models import Mention

__all__ = ["ReplyTarget", "Sender", "SentReply", "same_text"]

_TAG = re.compile(r"<[^>]{0,2000}>")
_LINKISH = re.compile(r"://|\w[./]\w")  # platforms shorten and re-render links


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """The post a reply answers, as much of the stored mention as a sender needs."""

    platform: str
    external_id: str
    conversation_id: str | None = None
    url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mention(cls, mention: Mention) -> Self:
        """The target for a stored mention."""
        return cls(
            platform=str(mention.platform),
            external_id=mention.external_id,
            conversation_id=mention.conversation_id,
            url=mention.url,
            raw=dict(mention.raw or {}),
        )


@dataclass(frozen=True, slots=True)
class SentReply:
    """A reply on the platform: its id there and, when known, its address."""

    platform_id: str
    url: str | None = None


@runtime_checkable
class Sender(Protocol):
    """Posts replies to one platform and finds its own replies again."""

    name: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A sender for these settings; SendNotConfigured names what is missing."""
        ...

    def post_reply(self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str) -> SentReply:
        """Post ``text`` as a reply; SendFailed, SendUncertain or WriteBudgetExhausted if not."""
        ...

    def find_own_reply(
        self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str, since: datetime
    ) -> SentReply | None:
        """Our reply to ``in_reply_to`` posted since ``since``, or None when it is surely absent.

        Raises SendUncertain when the platform cannot be asked right now.
        """
        ...


def same_text(posted: str, ours: str, *, posted_html: bool = False) -> bool:
    """Whether a platform's copy of a post is our text.

    Entities, spacing and case are folded and links left out (X wraps them in
    t.co, Mastodon re-renders them); ``posted_html`` strips the markup of
    platforms that answer HTML (Mastodon).
    """
    if posted_html:
        return _words(html.unescape(_TAG.sub(" ", posted))) == _words(ours)
    return _words(html.unescape(posted)) == _words(html.unescape(ours))


def _words(text: str) -> list[str]:
    words = unicodedata.normalize("NFC", text).casefold().split()
    return [word for word in words if not _LINKISH.search(word)]
