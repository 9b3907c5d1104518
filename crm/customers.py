"""Customers: the CRM records people work with, merged across platforms and imported from a CRM.

This module is the public face of the customer data functions: listing and
searching here, merging in :mod:`crm.customer_merge`, CSV import in
:mod:`crm.customer_import` (both re-exported). None of them commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, or_, select

from crm.customer_import import (
    CSV_COLUMNS,
    ImportReport,
    ImportRowError,
    import_customers_csv,
    normalise_handle,
)
from crm.customer_merge import (
    CustomerError,
    CustomerNotFound,
    MergeRefused,
    customer_id_of,
    final_customer_id,
    merge_customers,
    unmerge,
)
from crm.models import Customer, Identity
from crm.schemas import clean_text

__all__ = [
    "CSV_COLUMNS",
    "CustomerError",
    "CustomerNotFound",
    "CustomerSummary",
    "ImportReport",
    "ImportRowError",
    "MergeRefused",
    "final_customer_id",
    "import_customers_csv",
    "list_customers",
    "merge_customers",
    "normalise_handle",
    "unmerge",
]


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """One live customer with the handles it is known by."""

    id: int
    name: str
    email: str | None
    external_crm_id: str | None
    tier: str
    tags: list[str]
    identities: list[str]  # "platform:handle"

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for ``--json``."""
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "external_crm_id": self.external_crm_id,
            "tier": self.tier,
            "tags": self.tags,
            "identities": self.identities,
        }


def list_customers(
    *, session: Session, search: str | None = None, limit: int = 100
) -> list[CustomerSummary]:
    """Live customers, newest first; ``search`` looks in name, e-mail, CRM id and handles."""
    query = select(Customer).where(col(Customer.merged_into_id).is_(None))
    if search:
        pattern = "%" + _escape_like(clean_text(search).strip().casefold()[:200]) + "%"
        handles = select(Identity.customer_id).where(
            func.lower(Identity.handle).like(pattern, escape="\\")
        )
        query = query.where(
            or_(
                func.lower(Customer.name).like(pattern, escape="\\"),
                func.lower(func.coalesce(Customer.email, "")).like(pattern, escape="\\"),
                func.lower(func.coalesce(Customer.external_crm_id, "")).like(pattern, escape="\\"),
                col(Customer.id).in_(handles),
            )
        )
    customers = list(session.exec(query.order_by(col(Customer.id).desc()).limit(limit)))
    ids = [customer_id_of(customer) for customer in customers]
    known: dict[int, list[str]] = {}
    for identity in session.exec(
        select(Identity).where(col(Identity.customer_id).in_(ids)).order_by(col(Identity.id))
    ):
        known.setdefault(identity.customer_id, []).append(
            f"{identity.platform}:{identity.handle or identity.platform_user_id}"
        )
    return [
        CustomerSummary(
            id=customer_id_of(c),
            name=c.name,
            email=c.email,
            external_crm_id=c.external_crm_id,
            tier=c.tier,
            tags=list(c.tags),
            identities=known.get(customer_id_of(c), []),
        )
        for c in customers
    ]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
