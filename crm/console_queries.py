"""Read-only queries behind the console's queue: filters, facet counts and keyset pages.

The queue lists active cases, most urgent first, then by SLA due time, then by id.
A page is three set-based statements whatever its length: the cases (with their
customer), the latest mention of each with its author, and the pending drafts.
Pages follow each other by keyset (the last row's sort key), never OFFSET, so page
500 costs what page 1 costs. Every filter value is a bound parameter; enum filters
are checked against their vocabulary before any SQL is built.

Agents see the unassigned pool and their own cases; managers and admins see all.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from config.labels import Intent, Platform, Risk, Sentiment
from crm.enums import CaseStatus, LifecycleStage, Priority, Queue, ReplyStatus
from crm.models import Case, Customer, Identity, Mention, Reply, User
from crm.types import UTCDateTime

__all__ = [
    "ACTIVE_STATUSES",
    "FACETS",
    "FacetBasis",
    "QueueFilters",
    "QueuePage",
    "QueueRow",
    "Viewer",
    "case_visible",
    "counts_from_basis",
    "decode_cursor",
    "facet_basis",
    "facet_basis_key",
    "facet_counts",
    "queue_page",
    "visible_cases",
]

ACTIVE_STATUSES = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.WAITING)
MAX_TEXT_FILTER = 64

# Filters whose values come from a fixed vocabulary; anything else is refused.
_VOCABULARY: dict[str, tuple[str, ...]] = {
    "status": tuple(s.value for s in CaseStatus),
    "queue": tuple(q.value for q in Queue),
    "priority": tuple(p.value for p in Priority),
    "intent": tuple(i.value for i in Intent),
    "sentiment": tuple(s.value for s in Sentiment),
    "risk": tuple(r.value for r in Risk),
    "platform": tuple(p.value for p in Platform),
    "stage": tuple(s.value for s in LifecycleStage),
}
FACETS: tuple[str, ...] = (
    "status",
    "queue",
    "priority",
    "intent",
    "sentiment",
    "risk",
    "platform",
    "language",
    "assignee",
    "tier",
    "stage",
)


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking: agents see only the unassigned pool and their own cases."""

    user_id: int | None
    sees_all: bool


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the queue is narrowed to; empty fields do not filter.

    ``assignee`` is a user id, ``"me"`` or ``"none"``; ``tier``, ``tag`` and ``stage``
    select a customer segment; ``q`` matches a case reference, name or handle.
    """

    status: str = ""
    queue: str = ""
    priority: str = ""
    intent: str = ""
    sentiment: str = ""
    risk: str = ""
    platform: str = ""
    language: str = ""
    assignee: str = ""
    tier: str = ""
    tag: str = ""
    stage: str = ""
    q: str = ""

    @classmethod
    def parse(cls, params: dict[str, str]) -> QueueFilters:
        """Filters from query parameters; ValueError naming the filter when a value is unusable."""
        values: dict[str, str] = {}
        for field in fields(cls):
            raw = (params.get(field.name) or "").strip()
            if not raw:
                continue
            if field.name in _VOCABULARY and raw not in _VOCABULARY[field.name]:
                allowed = ", ".join(_VOCABULARY[field.name])
                raise ValueError(f"{field.name} must be one of {allowed}; got {raw[:40]!r}")
            if field.name == "assignee" and not (raw in ("me", "none") or raw.isdigit()):
                raise ValueError("assignee must be a user id, 'me' or 'none'")
            limit = 200 if field.name == "q" else MAX_TEXT_FILTER
            if len(raw) > limit:
                raise ValueError(f"{field.name} takes at most {limit} characters")
            values[field.name] = raw
        return cls(**values)

    def as_params(self) -> dict[str, str]:
        """The non-empty filters, for links that keep them."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def without(self, name: str) -> QueueFilters:
        """The same filters with one cleared (facet counts ignore their own filter)."""
        return QueueFilters(**{**self.as_params(), name: ""})


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of the queue: the case, its customer, the latest post and its author, the draft."""

    case: Case
    customer: Customer
    mention: Mention | None
    identity: Identity | None
    draft: Reply | None
    assignee: str | None


@dataclass(frozen=True, slots=True)
class QueuePage:
    """A page of the queue and the cursor of the next one (None on the last page)."""

    rows: list[QueueRow]
    next_cursor: str | None


def visible_cases(viewer: Viewer) -> Any:
    """The WHERE clause of the cases ``viewer`` may see."""
    if viewer.sees_all:
        return sa.true()
    return sa.or_(col(Case.assignee_id).is_(None), col(Case.assignee_id) == viewer.user_id)


def case_visible(case: Case, viewer: Viewer) -> bool:
    """True when ``viewer`` may see ``case``."""
    return viewer.sees_all or case.assignee_id is None or case.assignee_id == viewer.user_id


def _statuses(filters: QueueFilters) -> tuple[str, ...]:
    """The statuses a listing reads: the one asked for, else every active one."""
    return (filters.status,) if filters.status else tuple(ACTIVE_STATUSES)


def _may_lack_due(statuses: Sequence[str]) -> bool:
    """Active cases always have an SLA due time; ignored (and older resolved) ones may not."""
    return any(status not in ACTIVE_STATUSES for status in statuses)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json_has(column: Any, value: str) -> Any:
    """A JSON list column holds ``value`` (a tag, bound as a parameter)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    pattern = "%" + _like_escape(f'"{escaped}"') + "%"
    return sa.cast(column, sa.Text).like(pattern, escape="\\")


def _risk_has(flag: str) -> Any:
    """The case's comma-separated, sorted ``risk_flags`` include ``flag``."""
    padded = sa.literal(",") + col(Case.risk_flags) + sa.literal(",")
    return padded.like("%," + _like_escape(flag) + ",%", escape="\\")


def _case_conditions(filters: QueueFilters, viewer: Viewer) -> list[Any]:
    """WHERE clauses on Case alone (not the status) for ``filters``."""
    where: list[Any] = [visible_cases(viewer)]
    for name in ("queue", "platform", "intent", "sentiment", "language"):
        if value := getattr(filters, name):
            where.append(getattr(Case, name) == value)
    if filters.priority:
        where.append(col(Case.priority_rank) == Priority(filters.priority).rank)
    if filters.risk:
        where.append(_risk_has(filters.risk))
    if filters.assignee == "none":
        where.append(col(Case.assignee_id).is_(None))
    elif filters.assignee == "me":
        where.append(col(Case.assignee_id) == viewer.user_id)
    elif filters.assignee:
        where.append(col(Case.assignee_id) == int(filters.assignee))
    if filters.q and _case_reference(filters.q) is not None:
        where.append(col(Case.id) == _case_reference(filters.q))
    return where


def _needs_customer(filters: QueueFilters) -> bool:
    """Segment filters and a name search read Customer; everything else is on Case."""
    searching = bool(filters.q) and _case_reference(filters.q) is None
    return bool(filters.tier or filters.stage or filters.tag or searching)


def _customer_conditions(filters: QueueFilters) -> list[Any]:
    """WHERE clauses on Customer (joined to Case) for the segment filters and a name search."""
    where: list[Any] = []
    if filters.tier:
        where.append(col(Customer.tier) == filters.tier)
    if filters.stage:
        where.append(col(Customer.lifecycle_stage) == filters.stage)
    if filters.tag:
        where.append(_json_has(Customer.tags, filters.tag))
    if filters.q and _case_reference(filters.q) is None:
        where.append(_search(filters.q))
    return where


def _case_reference(text: str) -> int | None:
    """The case id in ``C-000042`` or ``42``, else None."""
    reference = text.strip().upper().removeprefix("C-")
    if reference.isdigit() and len(reference) <= 12:
        return int(reference)
    return None


def _search(text: str) -> Any:
    pattern = "%" + _like_escape(text.lower()) + "%"
    handle = sa.exists(
        select(Identity.id).where(
            col(Identity.customer_id) == col(Case.customer_id),
            func.lower(col(Identity.handle)).like(pattern, escape="\\"),
        )
    ).correlate(Case)
    return sa.or_(func.lower(col(Customer.name)).like(pattern, escape="\\"), handle)


def _cases_where(filters: QueueFilters, viewer: Viewer, *, statuses: Sequence[str]) -> Any:
    """A SELECT of Case ids (with their sort key) matching ``filters`` in ``statuses``."""
    query = select(col(Case.id), col(Case.priority_rank), col(Case.sla_due_at))
    if _needs_customer(filters):
        query = query.join(Customer, col(Customer.id) == col(Case.customer_id)).where(
            *_customer_conditions(filters)
        )
    status = (
        col(Case.status) == statuses[0] if len(statuses) == 1 else col(Case.status).in_(statuses)
    )
    return query.where(status, *_case_conditions(filters, viewer))


def encode_cursor(case: Case) -> str:
    """The keyset position just after ``case``."""
    due = case.sla_due_at.astimezone(UTC).isoformat() if case.sla_due_at else ""
    raw = f"{case.priority_rank}|{due}|{case.id}"
    return base64.urlsafe_b64encode(raw.encode("ascii")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, datetime | None, int]:
    """The (rank, due, id) in a cursor; ValueError when it was not made by encode_cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        rank, due, case_id = base64.urlsafe_b64decode(padded).decode("ascii").split("|")
        when = datetime.fromisoformat(due) if due else None
        if when is not None and when.tzinfo is None:
            raise ValueError("naive time")
        if not (0 <= int(rank) < 100 and 0 <= int(case_id) < 2**63):
            raise ValueError("out of range")
        return int(rank), when, int(case_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("the page cursor is not valid; start again from the first page") from exc


def _after(cursor: str, *, lacking_due: bool) -> Any:
    """Rows after the cursor in (rank, due with no due last, id) order.

    The row-value comparison is what lets both databases seek in ``ix_case_queue_rank``
    instead of reading the queue from its start; the NULL branches only join in when
    the statuses read may lack a due time.
    """
    rank, due, case_id = decode_cursor(cursor)
    rank_col, due_col, id_col = col(Case.priority_rank), col(Case.sla_due_at), col(Case.id)
    if due is None:
        return sa.or_(
            rank_col > rank, sa.and_(rank_col == rank, due_col.is_(None), id_col > case_id)
        )
    key = sa.tuple_(rank_col, due_col, id_col)
    after = key > sa.tuple_(sa.literal(rank), sa.literal(due, UTCDateTime()), sa.literal(case_id))
    if not lacking_due:
        return after
    return sa.or_(after, sa.and_(rank_col == rank, due_col.is_(None)))


def _order(rank: Any, due: Any, case_id: Any, *, lacking_due: bool) -> list[Any]:
    # Without NULLs to place, a plain ascending order is the index's own order.
    return [rank, due.asc().nulls_last() if lacking_due else due, case_id]


def queue_statement(
    *, filters: QueueFilters, viewer: Viewer, after: str | None = None, limit: int = 50
) -> Any:
    """The SELECT of (Case, Customer) for one queue page, ``limit + 1`` rows at most.

    Each status is read on its own, in index order, ``limit + 1`` rows deep, and the
    few rows merged: the index ``(status, priority_rank, sla_due_at, id)`` orders one
    status, not several, so this is what keeps a page from sorting the whole queue.
    """
    statuses = _statuses(filters)
    lacking_due = _may_lack_due(statuses)
    parts = []
    for status in statuses:
        inner = _cases_where(filters, viewer, statuses=(status,))
        if after:
            inner = inner.where(_after(after, lacking_due=lacking_due))
        ordered = inner.order_by(
            *_order(
                col(Case.priority_rank), col(Case.sla_due_at), col(Case.id), lacking_due=lacking_due
            )
        ).limit(limit + 1)
        sub = ordered.subquery()
        parts.append(select(sub.c.id, sub.c.priority_rank, sub.c.sla_due_at))
    merged = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery("page")
    return (
        select(Case, Customer)
        .join(merged, merged.c.id == col(Case.id))
        .join(Customer, col(Customer.id) == col(Case.customer_id))
        .order_by(
            *_order(
                merged.c.priority_rank, merged.c.sla_due_at, merged.c.id, lacking_due=lacking_due
            )
        )
        .limit(limit + 1)
    )


def queue_page(
    *,
    session: Session,
    filters: QueueFilters,
    viewer: Viewer,
    after: str | None = None,
    limit: int = 50,
) -> QueuePage:
    """One page of the queue in priority, due-time and id order, after the cursor ``after``."""
    statement = queue_statement(filters=filters, viewer=viewer, after=after, limit=limit)
    found = session.exec(statement).all()
    more = len(found) > limit
    found = found[:limit]
    rows = _complete_rows(session=session, found=found)
    cursor = encode_cursor(found[-1][0]) if more and found else None
    return QueuePage(rows=rows, next_cursor=cursor)


def _complete_rows(*, session: Session, found: Sequence[tuple[Case, Customer]]) -> list[QueueRow]:
    """Each case's latest mention with its author, its pending draft and its assignee."""
    ids = [case.id for case, _ in found]
    if not ids:
        return []
    latest = (
        select(Mention.id)
        .where(col(Mention.case_id) == col(Case.id))
        .order_by(col(Mention.posted_at).desc(), col(Mention.id).desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    latest_ids = select(latest).select_from(Case).where(col(Case.id).in_(ids))
    mentions = {
        mention.case_id: (mention, identity)
        for mention, identity in session.exec(
            select(Mention, Identity)
            .join(Identity, col(Identity.id) == col(Mention.identity_id))
            .where(col(Mention.id).in_(latest_ids))
        )
    }
    drafts: dict[int, Reply] = {}
    for reply in session.exec(
        select(Reply)
        .where(col(Reply.case_id).in_(ids), Reply.status == ReplyStatus.DRAFT)
        .order_by(col(Reply.id))
    ):
        drafts.setdefault(reply.case_id, reply)
    assignee_ids = {case.assignee_id for case, _ in found if case.assignee_id}
    emails = dict(
        session.exec(select(User.id, User.email).where(col(User.id).in_(assignee_ids))).all()
        if assignee_ids
        else []
    )
    rows = []
    for case, customer in found:
        mention, identity = mentions.get(case.id, (None, None))
        rows.append(
            QueueRow(
                case=case,
                customer=customer,
                mention=mention,
                identity=identity,
                draft=drafts.get(case.id or 0),
                assignee=emails.get(case.assignee_id) if case.assignee_id else None,
            )
        )
    return rows


_FACET_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("status", col(Case.status)),
    ("queue", col(Case.queue)),
    ("priority", col(Case.priority_rank)),
    ("intent", col(Case.intent)),
    ("sentiment", col(Case.sentiment)),
    ("risk", col(Case.risk_flags)),
    ("platform", col(Case.platform)),
    ("language", col(Case.language)),
    ("assignee", col(Case.assignee_id)),
    ("tier", col(Customer.tier)),
    ("stage", col(Customer.lifecycle_stage)),
)
_PRIORITIES = tuple(p.value for p in Priority)


@dataclass(frozen=True, slots=True)
class FacetBasis:
    """Case counts per combination of the facet columns: every facet count is a sum of these.

    One grouped statement makes it, for all viewers and every choice of the facet
    filters (they are applied when summing), so a cache of it keyed by
    :func:`facet_basis_key` serves every click on a filter. Each combination is a
    tuple in ``FACETS`` order (priority as its rank) followed by its count.
    """

    combos: tuple[tuple[Any, ...], ...]


def _basis_statuses(filters: QueueFilters) -> list[str]:
    """The statuses any facet shows: the active ones, and the status filtered on."""
    return sorted({*ACTIVE_STATUSES, *_statuses(filters)})


def facet_basis_key(filters: QueueFilters) -> tuple[str, ...]:
    """What a :class:`FacetBasis` depends on: the statuses read, the tag and the search."""
    return (*_basis_statuses(filters), filters.tag, filters.q)


def facet_basis(*, session: Session, filters: QueueFilters) -> FacetBasis:
    """Count the cases per combination of facet values (the only scan the counts need)."""
    columns = [column for _name, column in _FACET_COLUMNS]
    query = (
        sa.select(*columns, func.count())
        .select_from(Case)
        .join(Customer, col(Customer.id) == col(Case.customer_id))
        .where(col(Case.status).in_(_basis_statuses(filters)))
    )
    basis_filters = QueueFilters(tag=filters.tag, q=filters.q)
    query = query.where(*_customer_conditions(basis_filters))
    if filters.q and (reference := _case_reference(filters.q)) is not None:
        query = query.where(col(Case.id) == reference)
    rows = session.execute(query.group_by(*columns)).all()
    return FacetBasis(combos=tuple(_combo(row) for row in rows))


def _combo(row: Sequence[Any]) -> tuple[Any, ...]:
    """Enum members as their plain values; ranks, ids and the count stay numbers."""
    return tuple(value if value is None or isinstance(value, int) else str(value) for value in row)


def facet_counts(
    *, session: Session, filters: QueueFilters, viewer: Viewer
) -> dict[str, list[tuple[str, int]]]:
    """For each filter, its values and how many cases each would show (other filters kept)."""
    basis = facet_basis(session=session, filters=filters)
    return counts_from_basis(basis, filters=filters, viewer=viewer)


def counts_from_basis(
    basis: FacetBasis, *, filters: QueueFilters, viewer: Viewer
) -> dict[str, list[tuple[str, int]]]:
    """The facet counts of ``filters`` as ``viewer`` sees them, summed from ``basis``.

    A combination counts towards every facet when it passes all filters, and towards
    facet F alone when F's filter is the only one it fails.
    """
    tests = _facet_tests(filters, viewer)
    tallies: list[Counter[str]] = [Counter() for _ in FACETS]
    for combo in basis.combos:
        if not viewer.sees_all and combo[8] is not None and combo[8] != viewer.user_id:
            continue
        failed = [index for index, test in tests if not test(combo[index])]
        if len(failed) > 1:
            continue
        total = combo[-1]
        for index in failed or range(len(FACETS)):
            for value in _facet_values(index, combo[index]):
                tallies[index][value] += total
    return {name: _sorted(list(tallies[i].items())) for i, name in enumerate(FACETS)}


def _facet_tests(filters: QueueFilters, viewer: Viewer) -> list[tuple[int, Any]]:
    """(facet index, test of a combination's value) for the status and each filter set."""
    tests: list[tuple[int, Any]] = []
    status = filters.status
    tests.append((0, (lambda v: v == status) if status else (lambda v: v in ACTIVE_STATUSES)))
    for index, name in enumerate(FACETS):
        wanted = getattr(filters, name)
        if name == "status" or not wanted:
            continue
        if name == "priority":
            rank = _PRIORITIES.index(wanted)
            tests.append((index, lambda v, rank=rank: v == rank))
        elif name == "risk":
            tests.append((index, lambda v, flag=wanted: flag in (v or "").split(",")))
        elif name == "assignee":
            target = {"none": None, "me": viewer.user_id}.get(wanted, wanted)
            if wanted == "me" and viewer.user_id is None:
                tests.append((index, lambda v: False))
            else:
                number = target if target is None else int(target)
                tests.append((index, lambda v, number=number: v == number))
        else:
            tests.append((index, lambda v, wanted=wanted: v == wanted))
    return tests


def _facet_values(index: int, value: Any) -> list[str]:
    """The value(s) of facet number ``index`` a combination counts towards."""
    name = FACETS[index]
    if name == "priority":
        return [_PRIORITIES[value]] if isinstance(value, int) and 0 <= value < 4 else []
    if name == "risk":
        return [flag for flag in (value or "").split(",") if flag]
    if name == "assignee":
        return ["none" if value is None else str(value)]
    return [] if value is None else [str(value)]


def _sorted(pairs: Sequence[Any]) -> list[tuple[str, int]]:
    cleaned = [("none" if value is None else str(value), int(total)) for value, total in pairs]
    return sorted(cleaned, key=lambda pair: (-pair[1], pair[0]))
