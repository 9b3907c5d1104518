"""Advocates and customers at risk: who loves the brand, who is turning away, what is unresolved.

A customer's score is the sum, over their posts, of each post's reach weight
(``reports.sql.reach_weight``): ten posts from a 50-follower fan score 10, one
post from a 20,000-follower author scores 4. Reposts and repeated texts
(``duplicate_of_id``) do not count twice. Suggested actions for advocates:
*feature* an author with ``FEATURE_FOLLOWERS`` or more followers, *invite*
one with ``INVITE_POSTS`` or more positive posts this week, else *thank*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from config.labels import Risk
from crm.enums import CaseStatus, Priority, Queue
from crm.models import Case, Customer, Escalation, Identity, Mention
from reports import sql
from reports.customers import in_window
from reports.model import (
    Advocate,
    AdvocatesSection,
    AtRiskCustomer,
    AtRiskSection,
    Figure,
    OpenEscalation,
    Quote,
    RiskMention,
)
from reports.weeks import ReportWeek

__all__ = [
    "FEATURE_FOLLOWERS",
    "INVITE_POSTS",
    "RISK_WINDOW",
    "compute_advocates",
    "compute_at_risk",
    "unresolved_at",
]

TOP = 10
LIST_LIMIT = 20
QUOTE_CHARS = 280
FEATURE_FOLLOWERS = 10_000
INVITE_POSTS = 3
# Churn and legal risks are listed while unresolved, for posts of the last four weeks; a repost
# or repeated text (``duplicate_of_id``) is the same risk and is not counted again.
RISK_WINDOW = timedelta(days=28)
LISTED_RISKS = (Risk.CHURN.value, Risk.LEGAL.value)


def _in(start: datetime, end: datetime) -> tuple[Any, ...]:
    return in_window(start, end)


Ranked = list[tuple[int, int, int, int]]


def _ranked(session: Session, table: sa.Table, kind: str, where: Any) -> Ranked:
    """(customer id, posts, score, followers) for the TOP customers by reach-weighted posts."""
    posts, score = table.c[f"{kind}_now"], table.c[f"{kind}_score_now"]
    rows = session.execute(
        sa.select(table.c.customer_id, posts, score, table.c.followers)
        .where(where)
        .order_by(score.desc(), posts.desc(), table.c.customer_id)
        .limit(TOP)
    ).all()
    return [(int(c), int(n), int(s), int(f)) for c, n, s, f in rows]


def _sums(session: Session, table: sa.Table, *values: Any, where: Any = True) -> list[int]:
    """Sums over the tallies' rows meeting ``where``, one pass; a condition sums as 1/0."""
    columns = [
        sa.func.sum(sa.case((value, 1), else_=0) if _is_condition(value) else value)
        for value in values
    ]
    row = session.execute(sa.select(*columns).select_from(table).where(where)).one()
    return [int(value or 0) for value in row]


def _is_condition(value: Any) -> bool:
    return isinstance(getattr(value, "type", None), sa.Boolean)


def _praised_before(table: sa.Table, moment: datetime) -> Any:
    """The customer praised the brand in a post before ``moment``."""
    return sa.exists().where(
        col(Identity.customer_id) == table.c.customer_id,
        col(Mention.identity_id) == col(Identity.id),
        col(Mention.posted_at) < moment,
        sql.positive(),
        sql.live(),
        col(Mention.duplicate_of_id).is_(None),
    )


def _people(session: Session, ids: Sequence[int]) -> dict[int, tuple[Customer, Identity | None]]:
    """Each customer with their widest-reaching identity."""
    customers = session.exec(select(Customer).where(col(Customer.id).in_(ids))).all()
    identities = session.exec(
        select(Identity)
        .where(col(Identity.customer_id).in_(ids))
        .order_by(sa.func.coalesce(col(Identity.followers), 0).desc(), col(Identity.id))
    ).all()
    best: dict[int, Identity] = {}
    for identity in identities:
        best.setdefault(identity.customer_id, identity)
    return {c.id: (c, best.get(c.id)) for c in customers if c.id is not None}


def _quotes(
    session: Session, condition: Any, week: ReportWeek, ids: Sequence[int]
) -> dict[int, list[Quote]]:
    rows = session.exec(
        select(Mention, Identity)
        .select_from(Mention)
        .join(Identity, col(Identity.id) == col(Mention.identity_id))
        .where(condition, col(Identity.customer_id).in_(ids), *_in(week.start, week.end))
        .order_by(
            sa.func.coalesce(col(Identity.followers), 0).desc(),
            col(Mention.posted_at).desc(),
            col(Mention.id),
        )
        .limit(TOP * 20)
    ).all()
    quotes: dict[int, list[Quote]] = defaultdict(list)
    for mention, identity in rows:
        quotes[identity.customer_id].append(
            Quote(
                text=_clip(mention.text),
                url=mention.url,
                platform=str(mention.platform),
                posted_at=mention.posted_at,
                followers=identity.followers or 0,
            )
        )
    return quotes


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _display(customer: Customer, identity: Identity | None) -> tuple[str, str, str]:
    handle = identity.handle if identity else ""
    platform = str(identity.platform) if identity else ""
    return customer.name or (f"@{handle}" if handle else f"#{customer.id}"), handle, platform


def _action(*, followers: int, posts: int) -> str:
    if followers >= FEATURE_FOLLOWERS:
        return "feature"
    if posts >= INVITE_POSTS:
        return "invite"
    return "thank"


def compute_advocates(*, session: Session, week: ReportWeek, table: sa.Table) -> AdvocatesSection:
    """The top advocates with their best quotes, and advocate counts against last week."""
    c = table.c
    ranked = _ranked(session, table, "pos", c.pos_now > 0)
    ids = [row[0] for row in ranked]
    people = _people(session, ids)
    quotes = _quotes(session, sql.positive(), week, ids)
    earlier = _praised_before(table, week.previous().start)
    new = {
        int(i)
        for i in session.execute(
            sa.select(c.customer_id).where(c.customer_id.in_(ids), c.pos_before == 0, ~earlier)
        ).scalars()
    }
    top = []
    for customer_id, posts, score, followers in ranked:
        name, handle, platform = _display(*people[customer_id])
        top.append(
            Advocate(
                customer_id=customer_id,
                name=name,
                handle=handle,
                platform=platform,
                followers=followers,
                positive_mentions=posts,
                score=score,
                new=customer_id in new,
                action=_action(followers=followers, posts=posts),
                quotes=quotes.get(customer_id, [])[:2],
            )
        )
    now, before, posts_now, posts_before = _sums(
        session, table, c.pos_now > 0, c.pos_before > 0, c.pos_now, c.pos_before
    )
    new_now, new_before = _sums(
        session,
        table,
        (c.pos_now > 0) & (c.pos_before == 0),
        c.pos_before > 0,
        where=~earlier,
    )
    return AdvocatesSection(
        top=top,
        advocates=Figure(now, before),
        new_advocates=Figure(new_now, new_before),
        positive_mentions=Figure(posts_now, posts_before),
    )


def unresolved_at(moment: datetime) -> Any:
    """Cases opened before ``moment`` and not resolved (or parked as ignored) by then."""
    return (
        (col(Case.opened_at) < moment)
        & (col(Case.queue) != Queue.IGNORED.value)
        & (
            (col(Case.resolved_at).is_(None) & (col(Case.status) != CaseStatus.IGNORED.value))
            | (col(Case.resolved_at) >= moment)
        )
    )


def _at_risk_customers(
    session: Session, week: ReportWeek, ranked: Ranked, turned: set[int]
) -> list[AtRiskCustomer]:
    ids = [row[0] for row in ranked]
    people = _people(session, ids)
    quotes = _quotes(session, sql.negative(), week, ids)
    result = []
    for customer_id, posts, score, followers in ranked:
        customer, identity = people[customer_id]
        name, handle, platform = _display(customer, identity)
        result.append(
            AtRiskCustomer(
                customer_id=customer_id,
                name=name,
                handle=handle,
                platform=platform,
                followers=followers,
                negative_mentions=posts,
                score=score,
                lifecycle_stage=str(customer.lifecycle_stage),
                turned_negative=customer_id in turned,
                quote=next(iter(quotes.get(customer_id, [])), None),
            )
        )
    return result


def _latest_reason(moment: datetime) -> Any:
    """The reason of the case's highest (then latest) escalation made before ``moment``."""
    return (
        select(col(Escalation.reason))
        .where(col(Escalation.case_id) == col(Case.id), col(Escalation.created_at) < moment)
        .order_by(
            col(Escalation.level).desc(),
            col(Escalation.created_at).desc(),
            col(Escalation.id).desc(),
        )
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )


def _open_escalations(session: Session, moment: datetime) -> tuple[int, list[OpenEscalation]]:
    escalated = (
        select(
            col(Escalation.case_id).label("case_id"),
            func.max(col(Escalation.level)).label("level"),
        )
        .where(col(Escalation.created_at) < moment)
        .group_by(col(Escalation.case_id))
        .subquery()
    )
    base = (
        select(Case, Customer, escalated.c.level)
        .join(escalated, escalated.c.case_id == col(Case.id))
        .join(Customer, col(Customer.id) == col(Case.customer_id))
        .where(unresolved_at(moment))
    )
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    urgency = sa.case({p.value: p.rank for p in Priority}, value=col(Case.priority), else_=9)
    rows = session.execute(
        base.add_columns(_latest_reason(moment))
        .order_by(urgency, escalated.c.level.desc(), col(Case.opened_at), col(Case.id))
        .limit(LIST_LIMIT)
    ).all()
    listed = [
        OpenEscalation(
            case_id=case.id or 0,
            reference=case.reference,
            customer=customer.name or f"#{customer.id}",
            priority=str(case.priority),
            level=int(level),
            reason=_clip(reason or case.reason),
            opened_at=case.opened_at,
            age_hours=round((moment - case.opened_at).total_seconds() / 3600, 1),
        )
        for case, customer, level, reason in rows
    ]
    return int(total), listed


def _risk_window(moment: datetime) -> tuple[Any, ...]:
    unresolved_case = sa.select(col(Case.id)).where(unresolved_at(moment))
    return (
        sql.live(),
        col(Mention.duplicate_of_id).is_(None),
        col(Mention.posted_at) >= moment - RISK_WINDOW,
        col(Mention.posted_at) < moment,
        col(Mention.case_id).is_(None) | col(Mention.case_id).in_(unresolved_case),
    )


def _risk_counts(session: Session, moments: Sequence[datetime]) -> list[dict[str, int]]:
    """Unresolved posts per listed risk at each moment, counted in one pass."""
    posted = col(Mention.posted_at)
    sums = [
        sa.func.sum(
            sa.case(
                (
                    sql.has_risk(risk)
                    & (posted >= moment - RISK_WINDOW)
                    & (posted < moment)
                    & (col(Mention.case_id).is_(None) | unresolved_at(moment)),
                    1,
                ),
                else_=0,
            )
        )
        for moment in moments
        for risk in LISTED_RISKS
    ]
    row = list(
        session.execute(
            sa.select(*sums)
            .select_from(Mention)
            .outerjoin(Case, col(Case.id) == col(Mention.case_id))
            .where(
                sql.live(),
                col(Mention.duplicate_of_id).is_(None),
                sql.may_have_risk(LISTED_RISKS),
                posted >= min(moments) - RISK_WINDOW,
                posted < max(moments),
            )
        ).one()
    )
    width = len(LISTED_RISKS)
    return [
        {risk: int(row[i * width + j] or 0) for j, risk in enumerate(LISTED_RISKS)}
        for i in range(len(moments))
    ]


def _risk_list(session: Session, moment: datetime) -> list[RiskMention]:
    any_risk = sql.may_have_risk(LISTED_RISKS) & sa.or_(*(sql.has_risk(r) for r in LISTED_RISKS))
    rows = session.exec(
        select(Mention, Identity, Customer)
        .join(Identity, col(Identity.id) == col(Mention.identity_id))
        .join(Customer, col(Customer.id) == col(Identity.customer_id))
        .where(any_risk, *_risk_window(moment))
        .order_by(col(Mention.posted_at).desc(), col(Mention.id))
        .limit(LIST_LIMIT)
    ).all()
    return [
        RiskMention(
            risk=next(r for r in LISTED_RISKS if r in _risks_of(mention)),
            text=_clip(mention.text),
            url=mention.url,
            customer=customer.name or f"@{identity.handle}",
            case_reference=f"C-{mention.case_id:06d}" if mention.case_id else None,
            posted_at=mention.posted_at,
        )
        for mention, identity, customer in rows
    ]


def _risks_of(mention: Mention) -> list[str]:
    return mention.corrected_risk if mention.corrected_risk is not None else (mention.risk or [])


def compute_at_risk(*, session: Session, week: ReportWeek, table: sa.Table) -> AtRiskSection:
    """Detractors, customers turned negative, open escalations and unresolved churn/legal risks."""
    c = table.c
    # Negative on balance this week after a week with judged posts and a non-negative balance.
    turned_now = (c.net_now < 0) & (c.judged_before > 0) & (c.net_before >= 0)
    turned_before = (c.net_before < 0) & (c.judged_before2 > 0) & (c.net_before2 >= 0)
    turned_ranked = _ranked(session, table, "neg", turned_now)
    turned = {row[0] for row in turned_ranked}
    detractors = _at_risk_customers(
        session, week, _ranked(session, table, "neg", c.neg_now > 0), turned
    )
    now, before, turned_count, turned_previous = _sums(
        session, table, c.neg_now > 0, c.neg_before > 0, turned_now, turned_before
    )
    escalation_count, escalations = _open_escalations(session, week.end)
    previous_escalations, _ = _open_escalations(session, week.previous().end)
    risk_counts, previous_risks = _risk_counts(session, [week.end, week.previous().end])
    return AtRiskSection(
        detractors=detractors,
        detractor_count=Figure(now, before),
        turned_negative=_at_risk_customers(session, week, turned_ranked, turned),
        turned_negative_count=Figure(turned_count, turned_previous),
        open_escalations=escalations,
        open_escalation_count=Figure(escalation_count, previous_escalations),
        risks=_risk_list(session, week.end),
        risk_counts={r: Figure(risk_counts[r], previous_risks[r]) for r in LISTED_RISKS},
    )
