"""Data functions for mentions and the identities and customers behind them.

Every function takes a keyword-only ``session``, adds and flushes, and never
commits: the caller decides what commits together (mentions with their
cursor; a judgement batch; a routing decision with its case and draft).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from config.labels import Platform
from crm.models import Customer, Identity, Mention
from crm.schemas import AuthorIn, MentionIn, text_fingerprint
from crm.types import utcnow

__all__ = [
    "StoreResult",
    "get_or_create_identity",
    "pending_judgement",
    "pending_routing",
    "record_judgement",
    "store_mentions",
]

# The same customer posting the same text within this window is one post made twice.
DUPLICATE_WINDOW = timedelta(days=7)


@dataclass
class StoreResult:
    """What storing a batch did."""

    new_ids: list[int] = field(default_factory=list)
    duplicates: int = 0

    @property
    def new(self) -> int:
        """How many mentions were stored for the first time."""
        return len(self.new_ids)


def store_mentions(*, session: Session, mentions: Sequence[MentionIn], source: str) -> StoreResult:
    """Store each mention once per (platform, external_id); a repeat is counted, not stored."""
    result = StoreResult()
    known = _existing_keys(session=session, mentions=mentions)
    for item in mentions:
        key = (item.platform.value, item.external_id)
        if key in known:
            result.duplicates += 1
            continue
        known.add(key)
        mention_id = _insert_mention(session=session, item=item, source=source)
        if mention_id is None:
            result.duplicates += 1
        else:
            result.new_ids.append(mention_id)
    return result


def _existing_keys(*, session: Session, mentions: Sequence[MentionIn]) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    by_platform: dict[Platform, list[str]] = {}
    for item in mentions:
        by_platform.setdefault(item.platform, []).append(item.external_id)
    for platform, ids in by_platform.items():
        rows = session.exec(
            select(Mention.external_id).where(
                Mention.platform == platform, col(Mention.external_id).in_(ids)
            )
        )
        keys.update((platform.value, external_id) for external_id in rows)
    return keys


def _insert_mention(*, session: Session, item: MentionIn, source: str) -> int | None:
    """Insert one mention in a savepoint; None when a concurrent writer stored it first."""
    identity = get_or_create_identity(session=session, platform=item.platform, author=item.author)
    fingerprint = text_fingerprint(item.text)
    mention = Mention(
        platform=item.platform,
        external_id=item.external_id,
        url=item.url,
        source=source,
        identity_id=_id(identity),
        text=item.text,
        text_hash=fingerprint,
        language=item.language,
        posted_at=item.posted_at,
        conversation_id=item.conversation_id,
        in_reply_to_id=item.in_reply_to_id,
        raw=item.raw,
    )
    mention.duplicate_of_id = _original_of(session=session, item=item, mention=mention)
    try:
        with session.begin_nested():
            session.add(mention)
    except IntegrityError:
        return None
    return mention.id


def _original_of(*, session: Session, item: MentionIn, mention: Mention) -> int | None:
    """The earlier mention this one repeats: a named repost, or the same author's same text."""
    if item.repost_of is not None:
        original = session.exec(
            select(Mention.id).where(
                Mention.platform == item.platform, Mention.external_id == item.repost_of
            )
        ).first()
        if original is not None:
            return original
    customer_id = session.get_one(Identity, mention.identity_id).customer_id
    return session.exec(
        select(Mention.id)
        .join(Identity, col(Identity.id) == Mention.identity_id)
        .where(
            Identity.customer_id == customer_id,
            Mention.text_hash == mention.text_hash,
            col(Mention.posted_at) >= mention.posted_at - DUPLICATE_WINDOW,
            col(Mention.posted_at) <= mention.posted_at,
            col(Mention.duplicate_of_id).is_(None),
        )
        .order_by(col(Mention.posted_at))
    ).first()


def get_or_create_identity(*, session: Session, platform: Platform, author: AuthorIn) -> Identity:
    """The identity for this author, created with a new customer on first sight, kept current."""
    identity = _find_identity(session=session, platform=platform, user_id=author.platform_user_id)
    if identity is None:
        try:
            with session.begin_nested():
                identity = _new_identity(session=session, platform=platform, author=author)
        except IntegrityError:
            identity = _find_identity(
                session=session, platform=platform, user_id=author.platform_user_id
            )
            if identity is None:
                raise
    _refresh_profile(identity, author)
    return identity


def _find_identity(*, session: Session, platform: Platform, user_id: str) -> Identity | None:
    return session.exec(
        select(Identity).where(Identity.platform == platform, Identity.platform_user_id == user_id)
    ).first()


def _new_identity(*, session: Session, platform: Platform, author: AuthorIn) -> Identity:
    customer = Customer(name=author.display_name or author.handle)
    session.add(customer)
    session.flush()
    identity = Identity(
        platform=platform,
        platform_user_id=author.platform_user_id,
        handle=author.handle,
        display_name=author.display_name,
        followers=author.followers,
        customer_id=_id(customer),
    )
    session.add(identity)
    session.flush()
    return identity


def _refresh_profile(identity: Identity, author: AuthorIn) -> None:
    """Profiles change: keep the newest handle, name and follower count we were given."""
    changes: dict[str, Any] = {}
    if author.handle and author.handle != identity.handle:
        changes["handle"] = author.handle
    if author.display_name and author.display_name != identity.display_name:
        changes["display_name"] = author.display_name
    if author.followers is not None and author.followers != identity.followers:
        changes["followers"] = author.followers
    if changes:
        for name, value in changes.items():
            setattr(identity, name, value)
        identity.updated_at = utcnow()


def pending_judgement(*, session: Session, limit: int) -> list[Mention]:
    """Mentions stored but not judged yet, oldest first."""
    return list(
        session.exec(
            select(Mention)
            .where(col(Mention.judged_at).is_(None))
            .order_by(col(Mention.posted_at), col(Mention.id))
            .limit(limit)
        )
    )


def pending_routing(*, session: Session, limit: int) -> list[Mention]:
    """Mentions judged but not routed yet, oldest first, so cases grow in time order."""
    return list(
        session.exec(
            select(Mention)
            .where(col(Mention.judged_at).is_not(None), col(Mention.routed_at).is_(None))
            .order_by(col(Mention.posted_at), col(Mention.id))
            .limit(limit)
        )
    )


def record_judgement(
    *,
    session: Session,
    mention: Mention,
    judgement: dict[str, Any],
    at: datetime | None = None,
) -> None:
    """Write a judge's verdict onto a mention; the detected language fills a missing hint."""
    mention.sentiment = judgement["sentiment"]
    mention.sentiment_scores = dict(judgement["sentiment_scores"])
    mention.intent = judgement["intent"]
    mention.intent_scores = dict(judgement["intent_scores"])
    mention.risk = [str(flag) for flag in judgement["risk"]]
    mention.risk_scores = dict(judgement["risk_scores"])
    mention.escalate = bool(judgement["escalate"])
    mention.model_version = judgement["model_version"]
    mention.language = mention.language or judgement.get("language")
    mention.judged_at = at or utcnow()
    session.add(mention)


def _id(record: Customer | Identity | Mention) -> int:
    if record.id is None:
        raise RuntimeError(f"{type(record).__name__} has no id yet; flush the session first")
    return record.id
