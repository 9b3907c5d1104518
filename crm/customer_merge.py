"""Merging one person's customer records, and undoing exactly that.

A merge moves everything of the source customer that describes the person
(its identities, its open cases, its notes) to the target and marks the
source ``merged_into_id``; a :class:`crm.models.CustomerMerge` row remembers
which identities and cases moved (the notes are in the merge's audit event),
so :func:`unmerge` puts back just those. Merging into a customer that was
itself merged goes to the end of the chain. Closed cases stay with the
source: they are history, and the target's history reaches them through the
moved identities' mentions.

Errors::

    CustomerError (ValueError)
    ├── CustomerNotFound     no customer (or merge) with that id
    └── MergeRefused         the merge or unmerge would be wrong; the message says why
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from crm.enums import CaseStatus
from crm.models import AuditEvent, Case, Customer, CustomerMerge, Identity, Note
from crm.schemas import clean_text
from crm.types import utcnow

__all__ = [
    "CustomerError",
    "CustomerNotFound",
    "MergeRefused",
    "customer_id_of",
    "customer_or_error",
    "final_customer_id",
    "merge_customers",
    "unmerge",
]

_CLOSED = (CaseStatus.RESOLVED, CaseStatus.IGNORED)
_MAX_CHAIN = 1000  # longer merge chains than this mean a cycle, which merge_customers prevents


class CustomerError(ValueError):
    """Base of the customer errors; the message says what went wrong and what to do."""


class CustomerNotFound(CustomerError):
    """No customer, or no merge, with the id given."""


class MergeRefused(CustomerError):
    """A merge or unmerge that would be wrong (into itself, undone twice, depended on)."""


def final_customer_id(*, session: Session, customer_id: int) -> int:
    """The customer a (possibly merged) customer now lives in: the end of its merge chain."""
    current = customer_or_error(session, customer_id)
    for _ in range(_MAX_CHAIN):
        if current.merged_into_id is None:
            return customer_id_of(current)
        current = customer_or_error(session, current.merged_into_id)
    raise MergeRefused(f"customer #{customer_id} has a merge chain that loops; unmerge one link")


def merge_customers(
    *, session: Session, source_id: int, target_id: int, actor: str, reason: str = ""
) -> CustomerMerge:
    """Move the source customer's identities, open cases and notes to the target, audited."""
    source = customer_or_error(session, source_id, lock=True)
    if source.merged_into_id is not None:
        raise MergeRefused(
            f"customer #{source_id} was already merged into #{source.merged_into_id}; "
            "merge that customer instead, or unmerge first"
        )
    final_id = final_customer_id(session=session, customer_id=target_id)
    if final_id == source_id:
        raise MergeRefused(
            f"cannot merge customer #{source_id} into itself"
            + (f" (#{target_id} was merged into it)" if target_id != source_id else "")
        )
    target = customer_or_error(session, final_id, lock=True)
    identity_ids = _move(session, Identity, source_id, final_id)
    case_ids = _move(session, Case, source_id, final_id, extra=col(Case.status).not_in(_CLOSED))
    note_ids = _move(session, Note, source_id, final_id)
    now = utcnow()
    source.merged_into_id, source.updated_at, target.updated_at = final_id, now, now
    session.add_all([source, target])
    merge = CustomerMerge(
        source_customer_id=source_id,
        target_customer_id=final_id,
        identity_ids=identity_ids,
        case_ids=case_ids,
        actor=actor[:320],
        reason=clean_text(reason)[:500],
    )
    session.add(merge)
    session.flush()
    _audit(
        session,
        "customer.merged",
        merge,
        actor,
        source=source_id,
        target=final_id,
        requested_target=target_id,
        identity_ids=identity_ids,
        case_ids=case_ids,
        note_ids=note_ids,
        reason=merge.reason,
    )
    return merge


def unmerge(*, session: Session, merge_id: int, actor: str) -> None:
    """Reverse exactly one merge: what it moved goes back, and the source lives again; audited."""
    merge = session.get(CustomerMerge, merge_id, with_for_update=True)
    if merge is None:
        raise CustomerNotFound(
            f"no merge #{merge_id}; its number was printed by `socialcrm customers merge` "
            "(and by `customers import --json` as merge_ids)"
        )
    if merge.undone_at is not None:
        raise MergeRefused(
            f"merge #{merge_id} was already undone at {merge.undone_at:%Y-%m-%d %H:%M}"
        )
    later = session.exec(
        select(CustomerMerge).where(
            CustomerMerge.source_customer_id == merge.target_customer_id,
            col(CustomerMerge.undone_at).is_(None),
            col(CustomerMerge.id) != merge_id,
        )
    ).first()
    if later is not None:
        raise MergeRefused(
            f"merge #{merge_id} cannot be undone while merge #{later.id} (customer "
            f"#{later.source_customer_id} into #{later.target_customer_id}) depends on it; "
            f"unmerge #{later.id} first"
        )
    source = customer_or_error(session, merge.source_customer_id, lock=True)
    target_id, source_id = merge.target_customer_id, merge.source_customer_id
    note_ids = _moved_notes(session, merge)
    identity_ids = _move(session, Identity, target_id, source_id, only=merge.identity_ids)
    case_ids = _move(session, Case, target_id, source_id, only=merge.case_ids)
    _move(session, Note, target_id, source_id, only=note_ids)
    now = utcnow()
    source.merged_into_id, source.updated_at = None, now
    merge.undone_at = now
    session.add_all([source, merge])
    session.flush()
    _audit(
        session,
        "customer.unmerged",
        merge,
        actor,
        source=source_id,
        target=target_id,
        identity_ids=identity_ids,
        case_ids=case_ids,
        note_ids=note_ids,
    )


def customer_or_error(session: Session, customer_id: int, *, lock: bool = False) -> Customer:
    """The customer with this id, or CustomerNotFound saying how to find ids."""
    customer = session.get(Customer, customer_id, with_for_update=lock or None)
    if customer is None:
        raise CustomerNotFound(
            f"no customer #{customer_id}; `socialcrm customers list --search TEXT` finds ids"
        )
    return customer


def _move(
    session: Session,
    model: type[Identity] | type[Case] | type[Note],
    from_id: int,
    to_id: int,
    *,
    extra: Any = None,
    only: list[int] | None = None,
) -> list[int]:
    """Point the rows of ``model`` owned by ``from_id`` at ``to_id``; the ids moved."""
    where = [col(model.customer_id) == from_id]
    if extra is not None:
        where.append(extra)
    if only is not None:
        if not only:
            return []
        where.append(col(model.id).in_(only))
    moved = session.execute(
        sa.update(model)
        .where(*where)
        .values(customer_id=to_id)
        .returning(col(model.id))
        .execution_options(synchronize_session="fetch")
    )
    return sorted(int(row) for row in moved.scalars())


def _moved_notes(session: Session, merge: CustomerMerge) -> list[int]:
    """The notes a merge moved (kept in its audit event: CustomerMerge has no column for them)."""
    event = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.action == "customer.merged",
            AuditEvent.entity_type == "customermerge",
            AuditEvent.entity_id == merge.id,
        )
        .order_by(col(AuditEvent.id))
    ).first()
    ids = event.detail.get("note_ids", []) if event is not None else []
    return [int(note_id) for note_id in ids if isinstance(note_id, int)]


def _audit(session: Session, action: str, merge: CustomerMerge, actor: str, **detail: Any) -> None:
    session.add(
        AuditEvent(
            actor=actor[:320],
            action=action,
            entity_type="customermerge",
            entity_id=merge.id,
            detail=detail,
        )
    )


def customer_id_of(customer: Customer) -> int:
    """The id of a stored customer."""
    if customer.id is None:
        raise RuntimeError("customer has no id yet; flush the session first")
    return customer.id
