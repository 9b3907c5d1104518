"""Statuses and categories stored on records, with the one table of legal status moves."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "TRANSITIONS",
    "CaseStatus",
    "EscalationStatus",
    "IllegalTransition",
    "LifecycleStage",
    "Priority",
    "Queue",
    "ReplyStatus",
    "Role",
    "check_transition",
]


class CaseStatus(StrEnum):
    """Where a case stands in its life."""

    NEW = "new"
    OPEN = "open"
    ESCALATED = "escalated"
    WAITING = "waiting"
    RESOLVED = "resolved"
    IGNORED = "ignored"


class ReplyStatus(StrEnum):
    """Where a reply stands between drafting and the platform."""

    DRAFT = "draft"
    APPROVED = "approved"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    REJECTED = "rejected"


class EscalationStatus(StrEnum):
    """Delivery state of an escalation to people."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    ACKNOWLEDGED = "acknowledged"


class Queue(StrEnum):
    """The team queue a case lands in."""

    SUPPORT = "support"
    SALES = "sales"
    FEEDBACK = "feedback"
    ADVOCACY = "advocacy"
    IGNORED = "ignored"


class Priority(StrEnum):
    """How soon a case needs a first response; ordered most urgent first."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most urgent; sorts a queue."""
        return list(Priority).index(self)

    def raised(self) -> Priority:
        """One step more urgent (urgent stays urgent): a case that waits too long rises."""
        return list(Priority)[max(self.rank - 1, 0)]


class LifecycleStage(StrEnum):
    """A customer's relationship with the brand."""

    UNKNOWN = "unknown"
    LEAD = "lead"
    CUSTOMER = "customer"
    ADVOCATE = "advocate"
    DETRACTOR = "detractor"


class Role(StrEnum):
    """What a console user may do."""

    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"


TRANSITIONS: dict[type[StrEnum], dict[StrEnum, frozenset[StrEnum]]] = {
    CaseStatus: {
        CaseStatus.NEW: frozenset(
            {CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.RESOLVED, CaseStatus.IGNORED}
        ),
        CaseStatus.OPEN: frozenset(
            {CaseStatus.ESCALATED, CaseStatus.WAITING, CaseStatus.RESOLVED, CaseStatus.IGNORED}
        ),
        CaseStatus.ESCALATED: frozenset({CaseStatus.OPEN, CaseStatus.WAITING, CaseStatus.RESOLVED}),
        CaseStatus.WAITING: frozenset({CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.RESOLVED}),
        # A new mention reopens a closed case rather than starting a fresh one.
        CaseStatus.RESOLVED: frozenset({CaseStatus.OPEN}),
        CaseStatus.IGNORED: frozenset({CaseStatus.OPEN}),
    },
    ReplyStatus: {
        ReplyStatus.DRAFT: frozenset({ReplyStatus.APPROVED, ReplyStatus.REJECTED}),
        ReplyStatus.APPROVED: frozenset(
            {ReplyStatus.SENDING, ReplyStatus.DRAFT, ReplyStatus.REJECTED}
        ),
        # Back to approved only when reconciliation proved the platform never got it.
        ReplyStatus.SENDING: frozenset(
            {ReplyStatus.SENT, ReplyStatus.FAILED, ReplyStatus.APPROVED}
        ),
        ReplyStatus.FAILED: frozenset(
            {ReplyStatus.APPROVED, ReplyStatus.REJECTED, ReplyStatus.DRAFT}
        ),
        ReplyStatus.REJECTED: frozenset({ReplyStatus.DRAFT}),
        ReplyStatus.SENT: frozenset(),
    },
    EscalationStatus: {
        EscalationStatus.PENDING: frozenset({EscalationStatus.DELIVERED, EscalationStatus.FAILED}),
        EscalationStatus.FAILED: frozenset({EscalationStatus.PENDING, EscalationStatus.DELIVERED}),
        EscalationStatus.DELIVERED: frozenset({EscalationStatus.ACKNOWLEDGED}),
        EscalationStatus.ACKNOWLEDGED: frozenset(),
    },
}


class IllegalTransition(ValueError):
    """A status change that the table of legal moves does not allow."""

    def __init__(self, old: StrEnum, new: StrEnum) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[type(old)][old])) or "nothing"
        super().__init__(
            f"cannot move a {type(old).__name__} from {old!s} to {new!s}; "
            f"from {old!s} it may move to: {allowed}"
        )
        self.old = old
        self.new = new


def check_transition(old: StrEnum, new: StrEnum) -> None:
    """Raise IllegalTransition unless ``old`` may move to ``new``."""
    if type(old) is not type(new):
        raise TypeError(f"cannot compare {type(old).__name__} with {type(new).__name__}")
    if new not in TRANSITIONS[type(old)][old]:
        raise IllegalTransition(old, new)
