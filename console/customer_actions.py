"""The console's customer actions (manager and above), shared by the pages and the REST API.

Merging moves one customer's identities, open cases and notes into another
(``crm.customer_merge``: audited, reversible merge by merge); the other customer
is named by id (``42``, ``#42``) or by one of its identities (``x:@deniz_k``,
``reddit:u/name``). CSV import creates or updates customers and merges in the
identities of the handles it lists (``crm.customer_import``). Each action is one
transaction; a refusal raises with a message saying what to do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from config.labels import Platform
from console.deps import Principal
from console.errors import Forbidden
from crm.customers import (
    CustomerNotFound,
    ImportReport,
    final_customer_id,
    import_customers_csv,
    merge_customers,
    normalise_handle,
    unmerge,
)
from crm.db import session_scope
from crm.enums import Role
from crm.models import CustomerMerge, Identity

__all__ = [
    "MAX_IMPORT_BYTES",
    "MergeDone",
    "import_csv",
    "merge_into",
    "resolve_customer",
    "undo_merge",
]

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class MergeDone:
    """A merge made or undone: its record and the customer to show next."""

    merge: CustomerMerge
    show_customer_id: int


def _manager(who: Principal) -> None:
    if not who.at_least(Role.MANAGER):
        raise Forbidden(
            f"merging and importing customers needs the manager role; you are {who.role}"
        )


def resolve_customer(*, session: Session, text: str) -> int:
    """The customer named by ``text``: an id (``42``, ``#42``) or ``platform:handle``."""
    cleaned = text.strip()
    number = cleaned.removeprefix("#")
    if number.isdigit() and len(number) <= 18:
        return final_customer_id(session=session, customer_id=int(number))
    platform, sep, handle = cleaned.partition(":")
    if not sep or platform.strip().lower() not in {p.value for p in Platform} or not handle.strip():
        raise CustomerNotFound(
            f"{cleaned[:80]!r} names no customer; give a customer number such as 42, "
            "or an identity such as x:@handle"
        )
    name = normalise_handle(platform.strip().lower(), handle)
    identity = session.exec(
        select(Identity).where(
            Identity.platform == platform.strip().lower(), func.lower(col(Identity.handle)) == name
        )
    ).first()
    if identity is None:
        raise CustomerNotFound(
            f"no identity {platform.strip().lower()}:{name[:80]} has been collected; "
            "search the customers page for the person"
        )
    return final_customer_id(session=session, customer_id=identity.customer_id)


def merge_into(
    engine: Engine, who: Principal, *, target_id: int, other: str, reason: str = ""
) -> MergeDone:
    """Merge the customer named ``other`` into customer ``target_id``."""
    _manager(who)
    with session_scope(engine) as session:
        source_id = resolve_customer(session=session, text=other)
        merge = merge_customers(
            session=session,
            source_id=source_id,
            target_id=target_id,
            actor=who.user.email,
            reason=reason,
        )
        return MergeDone(merge=merge, show_customer_id=merge.target_customer_id)


def undo_merge(engine: Engine, who: Principal, *, merge_id: int) -> MergeDone:
    """Undo one merge; the customer it had merged away lives again."""
    _manager(who)
    with session_scope(engine) as session:
        unmerge(session=session, merge_id=merge_id, actor=who.user.email)
        merge = session.get_one(CustomerMerge, merge_id)
        return MergeDone(merge=merge, show_customer_id=merge.source_customer_id)


def import_csv(engine: Engine, who: Principal, *, data: bytes) -> ImportReport:
    """Import a CRM's CSV export (UTF-8, header row; see ``crm.customer_import``)."""
    _manager(who)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValueError(
            f"the file has {len(data):,} bytes; import at most {MAX_IMPORT_BYTES:,} at a time"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"the file is not UTF-8 (byte {exc.start}); save it from your CRM as CSV UTF-8"
        ) from None
    if "\x00" in text:
        raise ValueError("the file holds NUL bytes, so it is not a CSV text file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise ValueError("the file is empty; the first line must name the columns")
    rows: list[dict[str, Any]] = []
    for row in reader:
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ValueError(f"the file has more than {MAX_IMPORT_ROWS:,} rows; split it")
        cells = {key: value for key, value in row.items() if isinstance(key, str)}
        rows.append({**cells, "_line": reader.line_num})
    with session_scope(engine) as session:
        return import_customers_csv(session=session, rows=rows, actor=who.user.email)
