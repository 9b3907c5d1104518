"""Importing customers from a CRM's CSV export, and linking them to the identities collected.

One row per customer. Columns (header names, any order; each optional, but a
row needs at least one of ``external_crm_id``, ``email`` or a handle):

- ``external_crm_id``: the id in your CRM; matches first.
- ``email``: matches second (case-insensitive) when the id did not.
- ``name``, ``tier``: replace the stored values when not empty.
- ``tags``: separated by ``;`` or ``,``; added to the stored tags.
- ``x``, ``reddit``, ``mastodon``, ``bluesky``: the person's handles there,
  several separated by ``;``, ``,`` or spaces (``@name``, ``u/name``,
  ``name@instance`` for Mastodon, ``name.bsky.social``).

Every identity already collected under a listed handle is merged into the
row's customer (audited and reversible, see :mod:`crm.customer_merge`). A
handle not seen yet is *pending*: nothing is created for it (an identity needs
the platform's user id, which only the platform knows); the report lists it,
and importing the file again after that author has posted links them. An
empty cell leaves the stored value alone, so importing the same file twice
changes nothing. A bad row is reported with its line and reason, and every
check that can refuse a row runs before the row writes anything, so the other
rows import cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from config.labels import Platform
from crm.customer_merge import (
    CustomerError,
    customer_id_of,
    customer_or_error,
    final_customer_id,
    merge_customers,
)
from crm.models import Customer, CustomerMerge, Identity
from crm.schemas import clean_text
from crm.types import utcnow

__all__ = [
    "CSV_COLUMNS",
    "ImportReport",
    "ImportRowError",
    "import_customers_csv",
    "normalise_handle",
]

CSV_COLUMNS = ("external_crm_id", "name", "email", "tier", "tags", *(p.value for p in Platform))
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]+$")
_HANDLE = re.compile(r"^[\w.\-]{1,100}(@[\w.\-]{1,200})?$")
_SPLIT = re.compile(r"[;,\s]+")
_LIMITS = {"external_crm_id": 100, "name": 200, "email": 320, "tier": 40}


@dataclass(frozen=True, slots=True)
class ImportRowError:
    """A row that was not imported: its line in the file and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, row by row where it matters."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merges: list[int] = field(default_factory=list)  # CustomerMerge ids made by this import
    pending: list[str] = field(default_factory=list)  # "line N: platform handle" not seen yet
    errors: list[ImportRowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for ``--json``."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": len(self.merges),
            "merge_ids": self.merges,
            "pending": self.pending,
            "errors": [{"line": e.line, "reason": e.reason} for e in self.errors],
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    values: dict[str, str]
    tags: list[str]
    handles: list[tuple[str, str]]  # (platform, normalised handle)


def normalise_handle(platform: str, handle: str) -> str:
    """A handle as identities store it, folded for comparison (``@Name`` -> ``name``)."""
    text = clean_text(handle).strip().casefold()
    if platform == Platform.REDDIT:
        text = text.removeprefix("/").removeprefix("u/")
    return text.removeprefix("@")


def import_customers_csv(
    *, session: Session, rows: Iterable[Mapping[str, str]], actor: str
) -> ImportReport:
    """Create or update a customer per row and merge in the identities of its handles.

    Lines are counted with the header as line 1 (a row mapping may carry its real line in
    ``_line``); see the module docstring for the columns.
    """
    report = ImportReport()
    claimed: dict[tuple[str, str], int] = {}  # key -> first line that named it
    for position, raw in enumerate(rows, start=2):
        line = _line_of(raw, position)
        if position == 2:
            unknown = sorted(str(k) for k in raw if k not in CSV_COLUMNS and k != "_line")
            if unknown:
                report.warnings.append(f"unknown columns ignored: {', '.join(unknown)}")
        try:
            row = _parse_row(raw, line)
            _claim(row, claimed)
            found = _match(session, row)
            owners, pending = _handle_owners(session, row, found)
        except CustomerError as exc:
            report.errors.append(ImportRowError(line, str(exc)))
            continue
        # Everything that can refuse the row has been checked: from here on it only writes.
        report.pending.extend(pending)
        customer, changed = _upsert(session, row, found)
        target = customer_id_of(customer)
        for owner, why in owners.items():
            if owner != target:
                merge = merge_customers(
                    session=session,
                    source_id=owner,
                    target_id=target,
                    actor=actor,
                    reason=f"CSV import line {row.line}: {why}",
                )
                report.merges.append(_merge_id(merge))
        if changed == "created":
            report.created += 1
        elif changed == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _line_of(raw: Mapping[str, Any], position: int) -> int:
    value = raw.get("_line")
    return value if isinstance(value, int) else position


def _parse_row(raw: Mapping[str, Any], line: int) -> _Row:
    values: dict[str, str] = {}
    for name in ("external_crm_id", "name", "email", "tier"):
        text = clean_text(str(raw.get(name) or "")).strip()
        if len(text) > _LIMITS[name]:
            raise CustomerError(f"{name} is longer than {_LIMITS[name]} characters")
        if text:
            values[name] = text
    if "email" in values:
        values["email"] = values["email"].casefold()
        if not _EMAIL.match(values["email"]):
            raise CustomerError(f"email {values['email'][:80]!r} is not an e-mail address")
    tags = [
        t
        for t in (clean_text(t).strip()[:60] for t in re.split(r"[;,]", raw.get("tags") or ""))
        if t
    ]
    handles: list[tuple[str, str]] = []
    for platform in Platform:
        for handle in _SPLIT.split(str(raw.get(platform.value) or "")):
            if not handle.strip():
                continue
            folded = normalise_handle(platform, handle)
            if not _HANDLE.match(folded):
                raise CustomerError(f"{platform.value} handle {handle[:80]!r} is not a handle")
            if platform == Platform.MASTODON and "@" not in folded:
                raise CustomerError(
                    f"mastodon handle {handle[:80]!r} needs its instance: name@instance"
                )
            handles.append((platform.value, folded))
    if not (values.get("external_crm_id") or values.get("email") or handles):
        raise CustomerError("the row has no external_crm_id, email or handle to match on")
    return _Row(line, values, tags[:50], list(dict.fromkeys(handles)))


def _claim(row: _Row, claimed: dict[tuple[str, str], int]) -> None:
    """The same CRM id, e-mail or handle on two rows of one file is a mistake in the file."""
    keys: list[tuple[str, str]] = [
        (n, row.values[n].casefold()) for n in ("external_crm_id", "email") if n in row.values
    ]
    keys += row.handles
    for key in keys:
        first = claimed.get(key)
        if first is not None and first != row.line:
            raise CustomerError(f"{key[0]} {key[1][:80]!r} is already on line {first}")
    for key in keys:
        claimed.setdefault(key, row.line)


def _upsert(session: Session, row: _Row, customer: Customer | None) -> tuple[Customer, str]:
    if customer is None:
        customer = Customer(
            name=row.values.get("name", ""),
            email=row.values.get("email"),
            external_crm_id=row.values.get("external_crm_id"),
            tier=row.values.get("tier", "standard"),
            tags=row.tags,
        )
        session.add(customer)
        session.flush()
        return customer, "created"
    changes: dict[str, Any] = {k: v for k, v in row.values.items() if getattr(customer, k) != v}
    tags = list(dict.fromkeys([*customer.tags, *row.tags]))
    if tags != customer.tags:
        changes["tags"] = tags
    if not changes:
        return customer, "unchanged"
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.updated_at = utcnow()
    session.add(customer)
    return customer, "updated"


def _match(session: Session, row: _Row) -> Customer | None:
    """The live customer with the row's CRM id, else with its e-mail (and no other CRM id)."""
    external = row.values.get("external_crm_id")
    if external:
        found = _live(session, Customer.external_crm_id == external)
        if found is not None:
            return found
    email = row.values.get("email")
    if email:
        found = _live(session, func.lower(Customer.email) == email)
        if found is not None and found.external_crm_id not in (None, external):
            raise CustomerError(
                f"email {email[:80]!r} belongs to customer #{found.id} with CRM id "
                f"{found.external_crm_id!r}, not {external!r}; fix the file or that customer"
            )
        return found
    return None


def _live(session: Session, condition: Any) -> Customer | None:
    found = session.exec(select(Customer).where(condition).order_by(col(Customer.id))).first()
    if found is None:
        return None
    return customer_or_error(
        session, final_customer_id(session=session, customer_id=customer_id_of(found))
    )


def _handle_owners(
    session: Session, row: _Row, customer: Customer | None
) -> tuple[dict[int, str], list[str]]:
    """The customers whose identities carry the row's handles, each with the handle that says so.

    Refuses the row when a handle belongs to another CRM record; notes handles not seen yet.
    """
    external = customer.external_crm_id if customer else row.values.get("external_crm_id")
    owners: dict[int, str] = {}
    pending: list[str] = []
    for platform, handle in row.handles:
        identities = session.exec(
            select(Identity).where(
                Identity.platform == platform, func.lower(Identity.handle) == handle
            )
        ).all()
        if not identities:
            pending.append(f"line {row.line}: {platform} {handle}")
        for identity in identities:
            owner = customer_or_error(
                session,
                final_customer_id(session=session, customer_id=identity.customer_id),
            )
            if customer is not None and owner.id == customer.id:
                continue
            if owner.external_crm_id and owner.external_crm_id != external:
                raise CustomerError(
                    f"{platform} handle {handle!r} belongs to customer #{owner.id} with CRM id "
                    f"{owner.external_crm_id!r}; a handle can be on one CRM record only"
                )
            owners.setdefault(customer_id_of(owner), f"{platform} {handle}")
    return owners, pending


def _merge_id(merge: CustomerMerge) -> int:
    if merge.id is None:
        raise RuntimeError("merge has no id yet; flush the session first")
    return merge.id
