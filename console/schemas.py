"""What the REST API reads and returns: pydantic models, never the tables themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from config.labels import Intent, Risk, Sentiment
from crm.enums import Role

__all__ = [
    "AssignIn",
    "CaseOut",
    "CasePage",
    "CorrectionIn",
    "CustomerOut",
    "EscalateIn",
    "EscalationOut",
    "MentionOut",
    "MergeIn",
    "MergeOut",
    "NoteIn",
    "ReplyOut",
    "SourceOut",
    "TextIn",
    "TokenIn",
    "TokenOut",
    "UserIn",
    "UserOut",
]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserOut(_Out):
    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    language: str
    timezone: str


class UserIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(min_length=10, max_length=1000)
    role: Role = Role.AGENT
    name: str = Field(default="", max_length=200)


class TokenIn(BaseModel):
    name: str = Field(default="", max_length=120)
    user_id: int | None = Field(default=None, description="Admins only: a token for another user.")


class TokenOut(_Out):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    token: str | None = Field(default=None, description="Shown once, when the token is made.")


class MentionOut(_Out):
    id: int
    platform: str
    external_id: str
    url: str | None
    text: str
    language: str | None
    posted_at: datetime
    sentiment: Sentiment | None
    intent: Intent | None
    risk: list[str] | None
    sentiment_scores: dict[str, float] | None
    intent_scores: dict[str, float] | None
    risk_scores: dict[str, float] | None
    model_version: str | None
    corrected_sentiment: Sentiment | None
    corrected_intent: Intent | None
    corrected_risk: list[str] | None
    case_id: int | None
    route_rule: str | None
    route_reason: str | None


class ReplyOut(_Out):
    id: int
    case_id: int
    mention_id: int
    text: str
    status: str
    warnings: list[str]
    approved_by_id: int | None
    approved_at: datetime | None
    sent_at: datetime | None


class CaseOut(_Out):
    id: int
    reference: str
    customer_id: int
    status: str
    queue: str
    priority: str
    platform: str
    assignee_id: int | None
    rule: str
    reason: str
    escalation_level: int
    sla_due_at: datetime | None
    opened_at: datetime
    last_mention_at: datetime
    resolved_at: datetime | None


class CaseDetail(CaseOut):
    mentions: list[MentionOut] = Field(default_factory=list)
    replies: list[ReplyOut] = Field(default_factory=list)


class CasePage(BaseModel):
    items: list[CaseOut]
    next_cursor: str | None


class CustomerOut(_Out):
    id: int
    name: str
    email: str | None
    tier: str
    tags: list[str]
    lifecycle_stage: str
    advocacy_score: int
    merged_into_id: int | None
    identities: list[dict[str, Any]] = Field(default_factory=list)


class EscalationOut(_Out):
    id: int
    case_id: int
    level: int
    rule: str
    reason: str
    channel: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class SourceOut(_Out):
    name: str
    health: str
    last_run_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    fetched_total: int
    stored_total: int
    duplicate_total: int
    skipped_total: int
    open_gaps: int = 0


class TextIn(BaseModel):
    text: str | None = Field(default=None, max_length=20_000)


class AssignIn(BaseModel):
    assignee_id: int | None = None


class EscalateIn(BaseModel):
    reason: str = Field(default="", max_length=500)


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=5_000)


class RejectIn(BaseModel):
    reason: str = Field(default="", max_length=500)


class CorrectionIn(BaseModel):
    sentiment: Sentiment | None = None
    intent: Intent | None = None
    risk: list[Risk] | None = None


class MergeIn(BaseModel):
    other: str = Field(
        min_length=1, max_length=200, description="The customer to merge in: 42 or x:@handle."
    )
    reason: str = Field(default="", max_length=500)


class ImportErrorOut(BaseModel):
    line: int
    reason: str


class ImportOut(BaseModel):
    """What a CSV import did (``crm.customer_import.ImportReport``)."""

    created: int
    updated: int
    unchanged: int
    merged: int
    merge_ids: list[int]
    pending: list[str] = Field(description="Handles not collected yet: 'line N: platform handle'.")
    errors: list[ImportErrorOut]
    warnings: list[str]


class MergeOut(_Out):
    id: int
    source_customer_id: int
    target_customer_id: int
    identity_ids: list[int]
    case_ids: list[int]
    actor: str
    reason: str
    merged_at: datetime
    undone_at: datetime | None
