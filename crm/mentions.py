"""Data functions for mentions: storing batches once, and the judging and routing worklists.

Every function takes a keyword-only ``session`` and never commits: the caller
decides what commits together (mentions with their cursor; a judgement batch;
a routing decision with its case and draft). Storing is set-based — one
lookup of known keys, one identity lookup, one ``INSERT … ON CONFLICT DO
NOTHING`` per chunk — so a concurrent writer's copy is skipped, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from crm.cases import add_audit_event, change_status
from crm.crossposts import NewPost, find_cross_posts
from crm.enums import CaseStatus, ReplyStatus
from crm.identities import IdentityKey, resolve_identities, upsert_statement
from crm.models import Case, Identity, Mention, Reply
from crm.schemas import MentionIn, text_fingerprint
from crm.types import utcnow

__all__ = [
    "StoreResult",
    "pending_judgement",
    "pending_routing",
    "purge_deleted",
    "record_judgement",
    "store_mentions",
]

# The same customer posting the same text within this window is one post made twice.
DUPLICATE_WINDOW = timedelta(days=7)
# Rows per INSERT statement: well under SQLite's and PostgreSQL's bound-parameter limits.
INSERT_CHUNK = 500

MentionKey = tuple[str, str]  # (platform, external id)


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
    fresh = _unseen(session=session, mentions=mentions)
    result = StoreResult(duplicates=len(mentions) - len(fresh))
    if not fresh:
        return result
    identities = resolve_identities(
        session=session, authors=[(item.platform, item.author) for item in fresh]
    )
    rows = [_row(item, identity=identities[_author_key(item)], source=source) for item in fresh]
    inserted = _insert_new(session=session, rows=rows)
    stored = [item for item in fresh if _key(item) in inserted]
    result.new_ids = [inserted[_key(item)] for item in stored]
    result.duplicates += len(fresh) - len(stored)
    if stored:
        _link_repeats(session=session, stored=stored, ids=inserted, identities=identities)
    return result


def _key(item: MentionIn) -> MentionKey:
    return (item.platform.value, item.external_id)


def _author_key(item: MentionIn) -> IdentityKey:
    return (item.platform.value, item.author.platform_user_id)


def _unseen(*, session: Session, mentions: Sequence[MentionIn]) -> list[MentionIn]:
    """The mentions not stored yet, each once, in the order given."""
    known = _stored_ids(session=session, keys={_key(item) for item in mentions})
    fresh: dict[MentionKey, MentionIn] = {}
    for item in mentions:
        if _key(item) not in known:
            fresh.setdefault(_key(item), item)
    return list(fresh.values())


def _stored_ids(*, session: Session, keys: set[MentionKey]) -> dict[MentionKey, int]:
    """The ids of the mentions among ``keys`` that are stored, one query per platform."""
    by_platform: dict[str, list[str]] = {}
    for platform, external_id in keys:
        by_platform.setdefault(platform, []).append(external_id)
    found: dict[MentionKey, int] = {}
    for platform, external_ids in by_platform.items():
        rows = session.exec(
            select(Mention.id, Mention.external_id).where(
                Mention.platform == platform, col(Mention.external_id).in_(external_ids)
            )
        )
        for mention_id, external_id in rows:
            if mention_id is not None:  # always set for stored rows; the column type says "maybe"
                found[(platform, external_id)] = mention_id
    return found


def _row(item: MentionIn, *, identity: Identity, source: str) -> dict[str, Any]:
    return {
        "platform": item.platform,
        "external_id": item.external_id,
        "url": item.url,
        "source": source,
        "identity_id": identity.id,
        "text": item.text,
        "text_hash": text_fingerprint(item.text),
        "language": item.language,
        "posted_at": item.posted_at,
        "collected_at": utcnow(),
        "conversation_id": item.conversation_id,
        "in_reply_to_id": item.in_reply_to_id,
        "raw": item.raw,
    }


def _insert_new(*, session: Session, rows: list[dict[str, Any]]) -> dict[MentionKey, int]:
    """Insert rows, skipping any a concurrent writer stored first; the new ids by key."""
    inserted: dict[MentionKey, int] = {}
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = (
            upsert_statement(session, Mention)
            .values(rows[start : start + INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["platform", "external_id"])
            .returning(col(Mention.id), col(Mention.platform), col(Mention.external_id))
        )
        for mention_id, platform, external_id in session.execute(statement):
            inserted[(str(platform), external_id)] = mention_id
    return inserted


def _link_repeats(
    *,
    session: Session,
    stored: list[MentionIn],
    ids: dict[MentionKey, int],
    identities: dict[IdentityKey, Identity],
) -> None:
    """Point reposts at their originals, and a customer's repeated words at their first post.

    Repeats are the same text (any platform, ``DUPLICATE_WINDOW``) or a cross-post
    (another platform, the same words give or take handles and links; see crm.crossposts).
    """
    originals = _stored_ids(
        session=session,
        keys={(item.platform.value, item.repost_of) for item in stored if item.repost_of},
    )
    links: dict[int, int] = {}
    for item in stored:
        original = originals.get((item.platform.value, item.repost_of or ""))
        if original is not None and original != ids[_key(item)]:
            links[ids[_key(item)]] = original
    customers = {key: identity.customer_id for key, identity in identities.items()}
    links.update(
        (repeat, first)
        for repeat, first in _repeated_texts(
            session=session, stored=stored, ids=ids, customers=customers
        ).items()
        if repeat not in links
    )
    cross = find_cross_posts(
        session=session,
        posts=[
            NewPost(
                id=ids[_key(item)],
                platform=item.platform.value,
                customer_id=customers[_author_key(item)],
                text=item.text,
                posted_at=item.posted_at,
            )
            for item in stored
            if ids[_key(item)] not in links
        ],
    )
    links.update(cross)
    for repeat, first in links.items():  # a repeat of a repeat in this batch: the original
        seen = {repeat}
        while first in links and first not in seen:
            seen.add(first)
            first = links[first]
        links[repeat] = first
    if links:
        mentions = SQLModel.metadata.tables["mention"]
        session.execute(
            sa.update(mentions)
            .where(mentions.c.id == sa.bindparam("repeat_id"))
            .values(duplicate_of_id=sa.bindparam("first_id")),
            [{"repeat_id": repeat, "first_id": first} for repeat, first in links.items()],
        )


def _repeated_texts(
    *,
    session: Session,
    stored: list[MentionIn],
    ids: dict[MentionKey, int],
    customers: dict[IdentityKey, int],
) -> dict[int, int]:
    """New mention id -> the same customer's earliest post of the same text within the window."""
    hashes = {text_fingerprint(item.text) for item in stored}
    since = min(item.posted_at for item in stored) - DUPLICATE_WINDOW
    candidates = session.exec(
        select(Mention.id, Identity.customer_id, Mention.text_hash, Mention.posted_at)
        .join(Identity, col(Identity.id) == Mention.identity_id)
        .where(
            col(Mention.text_hash).in_(hashes),
            col(Mention.posted_at) >= since,
            col(Mention.duplicate_of_id).is_(None),
        )
        .order_by(col(Mention.posted_at), col(Mention.id))
    ).all()
    repeats: dict[int, int] = {}
    for item in stored:
        own_id, customer = ids[_key(item)], customers[_author_key(item)]
        fingerprint = text_fingerprint(item.text)
        first = next(
            (
                mention_id
                for mention_id, customer_id, text_hash, posted_at in candidates
                if customer_id == customer
                and text_hash == fingerprint
                and item.posted_at - DUPLICATE_WINDOW <= posted_at <= item.posted_at
            ),
            None,
        )
        if first is not None and first != own_id:
            repeats[own_id] = first
    return repeats


def pending_judgement(*, session: Session, limit: int) -> list[Mention]:
    """Mentions stored but not judged yet, oldest first."""
    return list(
        session.exec(
            select(Mention)
            .where(col(Mention.judged_at).is_(None), col(Mention.deleted_at).is_(None))
            .order_by(col(Mention.posted_at), col(Mention.id))
            .limit(limit)
        )
    )


def pending_routing(*, session: Session, limit: int) -> list[Mention]:
    """Mentions judged but not routed yet, oldest first, so cases grow in time order."""
    return list(
        session.exec(
            select(Mention)
            .where(
                col(Mention.judged_at).is_not(None),
                col(Mention.routed_at).is_(None),
                col(Mention.deleted_at).is_(None),
            )
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


# Replies not sent yet; a deleted post gets no answer. (SENDING is in flight: reconciliation
# decides it.)
_UNSENT = (ReplyStatus.DRAFT, ReplyStatus.APPROVED, ReplyStatus.FAILED)
_OPEN_CASE = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.WAITING)


def purge_deleted(
    *, session: Session, source: str, external_ids: Sequence[str], actor: str = "system"
) -> list[int]:
    """Honour deletions the platform reported: purge the text of the ones ``source`` stored.

    Each such mention keeps its id, platform, link and judgement for the counts, but its
    text becomes "" and its raw payload {}; its unsent replies are rejected, and a case
    left with no live mention is resolved. Audited; the ids purged now (not before).
    """
    mentions: list[Mention] = []
    wanted = list(dict.fromkeys(external_ids))
    for start in range(0, len(wanted), INSERT_CHUNK):
        mentions += session.exec(
            select(Mention).where(
                Mention.source == source,
                col(Mention.external_id).in_(wanted[start : start + INSERT_CHUNK]),
                col(Mention.deleted_at).is_(None),
            )
        ).all()
    if not mentions:
        return []
    now = utcnow()
    for mention in mentions:
        mention.deleted_at, mention.text, mention.text_hash, mention.raw = now, "", "", {}
        session.add(mention)
        add_audit_event(
            session=session, action="mention.deleted", entity=mention, actor=actor, source=source
        )
    ids = [mention.id for mention in mentions if mention.id is not None]
    for reply in session.exec(
        select(Reply).where(col(Reply.mention_id).in_(ids), col(Reply.status).in_(_UNSENT))
    ):
        change_status(session=session, record=reply, new=ReplyStatus.REJECTED, actor=actor)
    session.flush()
    emptied = {m.case_id for m in mentions if m.case_id is not None}
    _close_emptied_cases(session=session, case_ids=emptied, actor=actor)
    return ids


def _close_emptied_cases(*, session: Session, case_ids: set[int], actor: str) -> None:
    """Resolve the open cases among ``case_ids`` that no live mention is left in."""
    if not case_ids:
        return
    live = set(
        session.exec(
            select(Mention.case_id).where(
                col(Mention.case_id).in_(case_ids), col(Mention.deleted_at).is_(None)
            )
        ).all()
    )
    for case in session.exec(
        select(Case).where(col(Case.id).in_(case_ids - live), col(Case.status).in_(_OPEN_CASE))
    ):
        change_status(session=session, record=case, new=CaseStatus.RESOLVED, actor=actor)
        case.resolved_at = case.resolved_at or utcnow()
