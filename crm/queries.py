"""Read-only queries: the work queue, totals, and rows for export. Routes and jobs use these."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from crm.console_queries import QueueFilters, Viewer, queue_page
from crm.enums import ReplyStatus
from crm.models import Case, Customer, Escalation, Identity, Mention, Reply

__all__ = ["EXPORT_KINDS", "QueueItem", "export_rows", "queue", "totals"]


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One line of the work queue: the case, who it is about, the latest post and draft."""

    case: Case
    customer: Customer
    identity: Identity
    mention: Mention
    draft: Reply | None


def totals(*, session: Session) -> dict[str, int]:
    """Counts of what the pipeline has made, as ``socialcrm demo --json`` prints them."""

    def count(*where: Any, model: Any) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return {
        "mentions": count(model=Mention),
        "judged": count(col(Mention.judged_at).is_not(None), model=Mention),
        "customers": count(model=Customer),
        "cases": count(model=Case),
        "escalations": count(model=Escalation),
        "drafts": count(Reply.status == ReplyStatus.DRAFT, model=Reply),
    }


def queue(*, session: Session, limit: int = 100) -> list[QueueItem]:
    """Active cases, most urgent first, then by SLA due time: three statements for any length."""
    page = queue_page(
        session=session,
        filters=QueueFilters(),
        viewer=Viewer(user_id=None, sees_all=True),
        limit=limit,
    )
    return [
        QueueItem(
            case=row.case,
            customer=row.customer,
            identity=row.identity,
            mention=row.mention,
            draft=row.draft,
        )
        for row in page.rows
        if row.mention is not None and row.identity is not None
    ]


def _mention_rows(session: Session) -> Iterator[dict[str, Any]]:
    rows = session.exec(
        select(Mention, Identity)
        .join(Identity, col(Identity.id) == Mention.identity_id)
        .order_by(col(Mention.posted_at), col(Mention.id))
        .execution_options(yield_per=1000)
    )
    for mention, identity in rows:
        yield {
            "platform": mention.platform,
            "external_id": mention.external_id,
            "url": mention.url,
            "author_id": identity.platform_user_id,
            "author_handle": identity.handle,
            "author_name": identity.display_name,
            "author_followers": identity.followers,
            "text": mention.text,
            "posted_at": mention.posted_at,
            "language": mention.language,
            "sentiment": mention.sentiment,
            "intent": mention.intent,
            "risk": mention.risk or [],
            "escalate": mention.escalate,
            "model_version": mention.model_version,
            "case_id": mention.case_id,
            "duplicate_of_id": mention.duplicate_of_id,
            "route_rule": mention.route_rule,
            "customer_id": identity.customer_id,
        }


def _customer_rows(session: Session) -> Iterator[dict[str, Any]]:
    handles: dict[int, list[str]] = {}
    for identity in session.exec(select(Identity).order_by(col(Identity.id))):
        handles.setdefault(identity.customer_id, []).append(
            f"{identity.platform}:{identity.handle}"
        )
    for customer in session.exec(select(Customer).order_by(col(Customer.id))):
        row = customer.model_dump()
        row["identities"] = handles.get(customer.id or 0, [])
        yield row


def _simple_rows(model: Any) -> Any:
    def rows(session: Session) -> Iterator[dict[str, Any]]:
        for record in session.exec(
            select(model).order_by(model.id).execution_options(yield_per=1000)
        ):
            yield record.model_dump()

    return rows


EXPORT_KINDS = {
    "mentions": _mention_rows,
    "customers": _customer_rows,
    "cases": _simple_rows(Case),
    "replies": _simple_rows(Reply),
}


def export_rows(*, session: Session, kind: str) -> Iterator[dict[str, Any]]:
    """Every record of ``kind`` (mentions, customers, cases, replies) as a flat dict."""
    if kind not in EXPORT_KINDS:
        raise ValueError(f"cannot export {kind!r}; choose one of {', '.join(EXPORT_KINDS)}")
    return EXPORT_KINDS[kind](session)
