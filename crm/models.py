"""The records of DESIGN.md as SQLModel tables, with the constraints that keep them honest.

Dedup is a unique constraint, not a hope: a mention is unique on
(platform, external_id) and an identity on (platform, platform_user_id).
Every timestamp is UTC-aware; statuses are enums whose legal moves live in
``crm.enums.TRANSITIONS``. Every schema change here needs an Alembic revision
(``crm/migrations``); a test checks the two agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field, SQLModel

from config.labels import Intent, Platform, Sentiment
from crm.enums import (
    CaseStatus,
    EscalationStatus,
    LifecycleStage,
    Priority,
    Queue,
    ReplyStatus,
    Role,
)
from crm.types import UTCDateTime, enum_type, utcnow

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Case",
    "Customer",
    "CustomerMerge",
    "Escalation",
    "EscalationAttempt",
    "Identity",
    "Mention",
    "Note",
    "Reply",
    "ReplyRevision",
    "SignInAttempt",
    "SourceGap",
    "SourceState",
    "User",
    "WeeklyReport",
]


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _when() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


class User(SQLModel, table=True):
    """A person who signs in to the console."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    role: Role = Field(default=Role.AGENT, sa_type=enum_type(Role))
    password_hash: str = Field(default="", max_length=400)
    is_active: bool = True
    language: str = Field(default="en", max_length=16)
    timezone: str = Field(default="UTC", max_length=64)
    created_at: datetime = _created()
    last_sign_in_at: datetime | None = _when()
    # Bumped to sign the user out everywhere: sessions carry the version they began with.
    session_version: int = 0


class ApiToken(SQLModel, table=True):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(default="", max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(default="", max_length=16)
    created_at: datetime = _created()
    last_used_at: datetime | None = _when()
    revoked_at: datetime | None = _when()


class SignInAttempt(SQLModel, table=True):
    """One console sign-in attempt, kept to rate-limit guessing."""

    __table_args__ = (sa.Index("ix_signinattempt_email_at", "email", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320)
    address: str = Field(default="", max_length=64)
    succeeded: bool = False
    at: datetime = _created()


class Customer(SQLModel, table=True):
    """The CRM record: one person or organisation, across all their platform identities."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320, index=True)
    external_crm_id: str | None = Field(default=None, max_length=100, index=True)
    tier: str = Field(default="standard", max_length=40)
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    notes: str = Field(default="", sa_type=sa.Text)
    lifecycle_stage: LifecycleStage = Field(
        default=LifecycleStage.UNKNOWN, sa_type=enum_type(LifecycleStage)
    )
    advocacy_score: int = 0
    language: str | None = Field(default=None, max_length=16)
    merged_into_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class CustomerMerge(SQLModel, table=True):
    """One merge of a customer into another, kept so that it can be undone."""

    id: int | None = Field(default=None, primary_key=True)
    source_customer_id: int = Field(foreign_key="customer.id", index=True)
    target_customer_id: int = Field(foreign_key="customer.id", index=True)
    identity_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    case_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    actor: str = Field(default="system", max_length=320)
    reason: str = Field(default="", max_length=500)
    merged_at: datetime = _created()
    undone_at: datetime | None = _when()


class Identity(SQLModel, table=True):
    """One account on one platform, linked to one customer."""

    __table_args__ = (
        sa.UniqueConstraint("platform", "platform_user_id", name="uq_identity_platform_user"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: Platform = Field(sa_type=enum_type(Platform))
    platform_user_id: str = Field(max_length=200)
    handle: str = Field(default="", max_length=200, index=True)
    display_name: str = Field(default="", max_length=200)
    followers: int | None = None
    customer_id: int = Field(foreign_key="customer.id", index=True)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Case(SQLModel, table=True):
    """The unit of work: one customer's open conversation."""

    __table_args__ = (
        sa.Index("ix_case_queue_order", "status", "priority", "sla_due_at"),
        sa.Index("ix_case_queue_rank", "status", "priority_rank", "sla_due_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    status: CaseStatus = Field(default=CaseStatus.NEW, sa_type=enum_type(CaseStatus))
    queue: Queue = Field(sa_type=enum_type(Queue))
    priority: Priority = Field(default=Priority.NORMAL, sa_type=enum_type(Priority))
    # Priority.rank, set from ``priority`` on every flush, so the queue sorts on an index.
    priority_rank: int = Field(default=Priority.NORMAL.rank)
    # The newest mention's judgement (a person's correction first), for queue filters.
    intent: Intent | None = Field(default=None, sa_type=enum_type(Intent), index=True)
    sentiment: Sentiment | None = Field(default=None, sa_type=enum_type(Sentiment))
    language: str | None = Field(default=None, max_length=16)
    risk_flags: str = Field(default="", max_length=80)  # sorted, comma-separated
    assignee_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    platform: Platform = Field(sa_type=enum_type(Platform))
    conversation_id: str | None = Field(default=None, max_length=200)
    rule: str = Field(default="", max_length=80)
    reason: str = Field(default="", max_length=500)
    escalation_level: int = 0
    locked_by_id: int | None = Field(default=None, foreign_key="user.id")
    locked_until: datetime | None = _when()
    sla_due_at: datetime | None = _when()
    opened_at: datetime = _created()
    updated_at: datetime = _created()
    last_mention_at: datetime = _created()
    first_response_at: datetime | None = _when()
    resolved_at: datetime | None = _when()

    @property
    def reference(self) -> str:
        """The case reference customers and agents quote, e.g. ``C-000042``."""
        return f"C-{self.id:06d}"


@sa.event.listens_for(Case, "before_insert")
@sa.event.listens_for(Case, "before_update")
def _keep_priority_rank(_mapper: object, _connection: object, target: Case) -> None:
    target.priority_rank = Priority(target.priority).rank


class Mention(SQLModel, table=True):
    """One post that mentions the brand, with its judgement and routing once made."""

    __table_args__ = (
        sa.UniqueConstraint("platform", "external_id", name="uq_mention_platform_external"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: Platform = Field(sa_type=enum_type(Platform))
    external_id: str = Field(max_length=300)
    url: str | None = Field(default=None, max_length=2000)
    source: str = Field(default="", max_length=80)
    identity_id: int = Field(foreign_key="identity.id", index=True)
    text: str = Field(sa_type=sa.Text)
    text_hash: str = Field(max_length=64, index=True)
    language: str | None = Field(default=None, max_length=16)
    posted_at: datetime = Field(sa_type=UTCDateTime, index=True)
    collected_at: datetime = _created()
    conversation_id: str | None = Field(default=None, max_length=300, index=True)
    in_reply_to_id: str | None = Field(default=None, max_length=300)
    duplicate_of_id: int | None = Field(default=None, foreign_key="mention.id")
    raw: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)

    sentiment: Sentiment | None = Field(default=None, sa_type=enum_type(Sentiment))
    sentiment_scores: dict[str, float] | None = Field(default=None, sa_type=JSON)
    intent: Intent | None = Field(default=None, sa_type=enum_type(Intent))
    intent_scores: dict[str, float] | None = Field(default=None, sa_type=JSON)
    risk: list[str] | None = Field(default=None, sa_type=JSON)
    risk_scores: dict[str, float] | None = Field(default=None, sa_type=JSON)
    escalate: bool | None = None
    # heads name@digest + encoder name@weights[+lora-…]-precision; 80 was too short for all
    model_version: str | None = Field(default=None, max_length=160)
    judged_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)

    corrected_sentiment: Sentiment | None = Field(default=None, sa_type=enum_type(Sentiment))
    corrected_intent: Intent | None = Field(default=None, sa_type=enum_type(Intent))
    corrected_risk: list[str] | None = Field(default=None, sa_type=JSON)
    corrected_by_id: int | None = Field(default=None, foreign_key="user.id")
    corrected_at: datetime | None = _when()

    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    routed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    route_rule: str | None = Field(default=None, max_length=80)
    route_reason: str | None = Field(default=None, max_length=500)
    deleted_at: datetime | None = _when()


class Reply(SQLModel, table=True):
    """A drafted or written answer to a mention, recorded before it is ever sent."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    mention_id: int = Field(foreign_key="mention.id", index=True)
    text: str = Field(sa_type=sa.Text)
    template: str | None = Field(default=None, max_length=120)
    language: str | None = Field(default=None, max_length=16)
    warnings: list[str] = Field(default_factory=list, sa_type=JSON)
    status: ReplyStatus = Field(default=ReplyStatus.DRAFT, sa_type=enum_type(ReplyStatus))
    idempotency_key: str = Field(max_length=64, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = _when()
    platform_reply_id: str | None = Field(default=None, max_length=300)
    error: str | None = Field(default=None, sa_type=sa.Text)
    attempts: int = 0
    sending_started_at: datetime | None = _when()
    created_at: datetime = _created()
    updated_at: datetime = _created()
    sent_at: datetime | None = _when()


class ReplyRevision(SQLModel, table=True):
    """One earlier text of a reply, kept when someone edits it."""

    id: int | None = Field(default=None, primary_key=True)
    reply_id: int = Field(foreign_key="reply.id", index=True)
    text: str = Field(sa_type=sa.Text)
    edited_by: str = Field(default="system", max_length=320)
    edited_at: datetime = _created()


class Escalation(SQLModel, table=True):
    """A complaint pushed to people; never twice for the same case, level and channel."""

    __table_args__ = (
        sa.UniqueConstraint("case_id", "level", "channel", name="uq_escalation_case_level"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    mention_id: int = Field(foreign_key="mention.id")
    level: int = 1
    rule: str = Field(default="", max_length=80)
    reason: str = Field(default="", max_length=500)
    channel: str = Field(default="unconfigured", max_length=40)
    target: str = Field(default="", max_length=500)
    status: EscalationStatus = Field(
        default=EscalationStatus.PENDING, sa_type=enum_type(EscalationStatus)
    )
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    created_at: datetime = _created()
    delivered_at: datetime | None = _when()
    acknowledged_at: datetime | None = _when()


class EscalationAttempt(SQLModel, table=True):
    """One try at delivering an escalation, successful or not."""

    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int = Field(foreign_key="escalation.id", index=True)
    at: datetime = _created()
    succeeded: bool = False
    status_code: int | None = None
    duration_ms: float = 0.0
    error: str | None = Field(default=None, sa_type=sa.Text)


class Note(SQLModel, table=True):
    """A note a person wrote on a customer, optionally about one case."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    author: str = Field(default="system", max_length=320)
    text: str = Field(sa_type=sa.Text)
    created_at: datetime = _created()


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, and when."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _created()
    actor: str = Field(default="system", max_length=320)
    action: str = Field(max_length=80)
    entity_type: str = Field(max_length=40)
    entity_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class SourceState(SQLModel, table=True):
    """One collector's cursor and health; the cursor moves in the transaction that stores."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    cursor: str | None = Field(default=None, sa_type=sa.Text)
    health: str = Field(default="unknown", max_length=20)
    last_run_at: datetime | None = _when()
    last_success_at: datetime | None = _when()
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    fetched_total: int = 0
    stored_total: int = 0
    duplicate_total: int = 0
    skipped_total: int = 0
    updated_at: datetime = _created()


class SourceGap(SQLModel, table=True):
    """A stretch a collector knows it could not read (retention, outage, lost cursor)."""

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=80, index=True)
    start: str | None = Field(default=None, max_length=300)
    end: str | None = Field(default=None, max_length=300)
    reason: str = Field(default="", max_length=500)
    detected_at: datetime = _created()
    filled_at: datetime | None = _when()


class WeeklyReport(SQLModel, table=True):
    """One generated weekly report: its numbers, its files and its delivery."""

    __table_args__ = (sa.UniqueConstraint("week", "language", name="uq_weeklyreport_week_lang"),)

    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(max_length=10)
    language: str = Field(default="en", max_length=16)
    generated_at: datetime = _created()
    directory: str = Field(default="", max_length=1000)
    files: list[str] = Field(default_factory=list, sa_type=JSON)
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    delivered_at: datetime | None = _when()
    delivery_error: str | None = Field(default=None, sa_type=sa.Text)
