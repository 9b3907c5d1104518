"""Data functions for identities: one account on one platform, linked to one customer.

An author seen for the first time becomes an Identity and a new Customer; a
known author's handle, name and follower count are kept current. Lookups and
inserts are set-based, so a batch of mentions costs a handful of statements
here however many new authors it brings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from config.labels import Platform
from crm.enums import LifecycleStage
from crm.models import Customer, Identity
from crm.schemas import AuthorIn
from crm.types import utcnow

__all__ = ["IdentityKey", "resolve_identities", "upsert_statement"]

IdentityKey = tuple[str, str]  # (platform, platform user id)


def resolve_identities(
    *, session: Session, authors: Sequence[tuple[Platform, AuthorIn]]
) -> dict[IdentityKey, Identity]:
    """The identity of every author, created on first sight; later entries are newer profiles."""
    newest: dict[IdentityKey, tuple[Platform, AuthorIn]] = {}
    for platform, author in authors:
        newest[(platform.value, author.platform_user_id)] = (platform, author)
    known = _find(session=session, keys=newest)
    missing = {key: value for key, value in newest.items() if key not in known}
    if missing:
        _create_all(session=session, authors=missing)
        known.update(_find(session=session, keys=missing))
    for key, (_platform, author) in newest.items():
        _refresh_profile(known[key], author)
    return known


def _find(*, session: Session, keys: Iterable[IdentityKey]) -> dict[IdentityKey, Identity]:
    by_platform: dict[str, list[str]] = {}
    for platform, user_id in keys:
        by_platform.setdefault(platform, []).append(user_id)
    found: dict[IdentityKey, Identity] = {}
    for platform, user_ids in by_platform.items():
        rows = session.exec(
            select(Identity).where(
                Identity.platform == platform, col(Identity.platform_user_id).in_(user_ids)
            )
        )
        found.update(((platform, row.platform_user_id), row) for row in rows)
    return found


def _create_all(*, session: Session, authors: dict[IdentityKey, tuple[Platform, AuthorIn]]) -> None:
    """New identities, each with a new customer; an identity a concurrent writer made wins."""
    customers = session.execute(
        upsert_statement(session, Customer).returning(
            col(Customer.id), sort_by_parameter_order=True
        ),
        [_customer_row(author) for _platform, author in authors.values()],
    ).scalars()
    rows = [
        _identity_row(platform, author, customer_id=customer_id)
        for (platform, author), customer_id in zip(authors.values(), customers, strict=True)
    ]
    created = session.execute(
        upsert_statement(session, Identity)
        .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
        .returning(col(Identity.customer_id)),
        rows,
    ).scalars()
    orphans = {row["customer_id"] for row in rows} - set(created)
    if orphans:
        session.execute(sa.delete(Customer).where(col(Customer.id).in_(orphans)))


def upsert_statement(session: Session, model: Any) -> Any:
    """INSERT with ON CONFLICT support for the session's database."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)


def _customer_row(author: AuthorIn) -> dict[str, Any]:
    now = utcnow()
    return {
        "name": author.display_name or author.handle,
        "tags": [],
        "notes": "",
        "tier": "standard",
        "lifecycle_stage": LifecycleStage.UNKNOWN,
        "advocacy_score": 0,
        "created_at": now,
        "updated_at": now,
    }


def _identity_row(platform: Platform, author: AuthorIn, *, customer_id: int) -> dict[str, Any]:
    now = utcnow()
    return {
        "platform": platform,
        "platform_user_id": author.platform_user_id,
        "handle": author.handle,
        "display_name": author.display_name,
        "followers": author.followers,
        "customer_id": customer_id,
        "created_at": now,
        "updated_at": now,
    }


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
