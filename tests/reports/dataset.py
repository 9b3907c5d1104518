"""A fixed data set for the weekly report: two weeks of mentions, cases and escalations.

The report covers 2026-W44 (Monday 26 October to Sunday 1 November 2026) in
Europe/Berlin; the week before (W43) ends on the night summer time ends, so
its last day is 25 hours long. Every record is written from the plain specs
below, and the tests compute what the report must say from the same specs in
plain Python, never through the report's queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from crm.db import session_scope
from crm.enums import CaseStatus, LifecycleStage, Priority, Queue
from crm.models import Case, Customer, Escalation, Identity, Mention, User

TZ = ZoneInfo("Europe/Berlin")
WEEK = "2026-W44"
WEEK_START = datetime(2026, 10, 26, tzinfo=TZ).astimezone(UTC)
WEEK_END = datetime(2026, 11, 2, tzinfo=TZ).astimezone(UTC)
PREVIOUS_START = datetime(2026, 10, 19, tzinfo=TZ).astimezone(UTC)
BEFORE_PREVIOUS_START = datetime(2026, 10, 12, tzinfo=TZ).astimezone(UTC)

LONG_TEXT = "battery " * 12_500  # 100 KB in one post
HOSTILE = (
    '<script>alert("x")</script> =HYPERLINK("http://evil") \u202eevil\u202c ; DROP TABLE mention;--'
)


def local(text: str) -> datetime:
    """``"2026-10-28 14:05"`` Berlin time, as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)


@dataclass
class Person:
    key: str
    name: str
    platform: str
    followers: int | None
    stage: LifecycleStage = LifecycleStage.UNKNOWN


@dataclass
class Post:
    key: str
    who: str
    at: str
    text: str
    sentiment: str | None
    intent: str | None
    risk: list[str] = field(default_factory=list)
    language: str | None = "en"
    corrected_sentiment: str | None = None
    corrected_intent: str | None = None
    corrected_risk: list[str] | None = None
    duplicate_of: str | None = None
    deleted: bool = False
    case: str | None = None
    url: str | None = None  # else https://example.com/<who>/<key>


@dataclass
class CaseSpec:
    key: str
    who: str
    queue: Queue
    priority: Priority
    status: CaseStatus
    opened: str
    due: str | None
    responded: str | None
    resolved: str | None = None
    agent: str | None = None
    escalations: list[tuple[int, str, str]] = field(default_factory=list)


PEOPLE = [
    Person("ana", "Ana Lima", "x", 50),
    Person("bora", "Bora Demir", "bluesky", 25_000, LifecycleStage.ADVOCATE),
    Person("cem", "", "mastodon", 500),
    Person("deniz", "Deniz Kaya", "reddit", 200, LifecycleStage.CUSTOMER),
    Person(
        "eli", "+Eli Stone", "x", 15_000, LifecycleStage.DETRACTOR
    ),  # a formula to a spreadsheet
    Person("sara", "سارا رضایی", "x", 1_200, LifecycleStage.DETRACTOR),
    Person("gil", "Gil Spam", "x", 3),
    Person("hex", "Hex <b>Bold</b>", "reddit", None),
    *[Person(f"crowd{n}", f"Crowd {n}", "mastodon", 10 * n) for n in range(1, 13)],
]

CASES = [
    # Opened this week: answered in 10, 40, 90 and 200 minutes; one never answered and overdue.
    CaseSpec(
        "c1",
        "eli",
        Queue.SUPPORT,
        Priority.URGENT,
        CaseStatus.ESCALATED,
        "2026-10-27 09:00",
        "2026-10-27 09:30",
        "2026-10-27 09:10",
        agent="ops@example.com",
        # Level 2 came last; its reason sorts first, so "alphabetically last" would be wrong.
        escalations=[(1, "risk: legal", "2026-10-27 09:01"), (2, "influencer", "2026-10-27 09:20")],
    ),
    CaseSpec(
        "c2",
        "deniz",
        Queue.SUPPORT,
        Priority.HIGH,
        CaseStatus.OPEN,
        "2026-10-28 10:00",
        "2026-10-28 12:00",
        "2026-10-28 10:40",
        agent="ops@example.com",
    ),
    CaseSpec(
        "c3",
        "sara",
        Queue.SUPPORT,
        Priority.HIGH,
        CaseStatus.RESOLVED,
        "2026-10-29 08:00",
        "2026-10-29 10:00",
        "2026-10-29 11:20",
        resolved="2026-10-30 12:00",
        agent="mina@example.com",
    ),
    CaseSpec(
        "c4",
        "hex",
        Queue.SUPPORT,
        Priority.NORMAL,
        CaseStatus.OPEN,
        "2026-10-30 09:00",
        "2026-10-31 09:00",
        None,
    ),
    CaseSpec(
        "c5",
        "ana",
        Queue.ADVOCACY,
        Priority.LOW,
        CaseStatus.RESOLVED,
        "2026-10-26 12:00",
        "2026-10-29 12:00",
        "2026-10-26 13:30",
        resolved="2026-10-27 08:00",
        agent="mina@example.com",
    ),
    # Spam: parked, never service work.
    CaseSpec(
        "c6",
        "gil",
        Queue.IGNORED,
        Priority.LOW,
        CaseStatus.IGNORED,
        "2026-10-28 03:00",
        "2026-10-31 03:00",
        None,
    ),
    # Still within its target at the end of the week: neither met nor missed.
    CaseSpec(
        "c7",
        "crowd1",
        Queue.SUPPORT,
        Priority.LOW,
        CaseStatus.NEW,
        "2026-11-01 20:00",
        "2026-11-04 20:00",
        None,
    ),
    # Last week: answered in 20 and 300 minutes, one escalated and resolved this week.
    CaseSpec(
        "p1",
        "bora",
        Queue.SUPPORT,
        Priority.HIGH,
        CaseStatus.RESOLVED,
        "2026-10-20 10:00",
        "2026-10-20 12:00",
        "2026-10-20 10:20",
        resolved="2026-10-28 09:00",
        agent="ops@example.com",
        escalations=[(1, "influencer", "2026-10-20 10:01")],
    ),
    CaseSpec(
        "p2",
        "deniz",
        Queue.SUPPORT,
        Priority.NORMAL,
        CaseStatus.RESOLVED,
        "2026-10-25 23:30",
        "2026-10-26 23:30",
        "2026-10-26 04:30",
        resolved="2026-10-25 23:50",
    ),
]

POSTS = [
    # The week before last (W42): only to tell who turned negative last week.
    Post("e-1", "eli", "2026-10-14 12:00", "is the 5G rollout done?", "neutral", "question"),
    # Last week (W43).
    Post(
        "b0",
        "bora",
        "2026-10-20 09:55",
        "Support fixed my roaming in minutes",
        "positive",
        "praise",
    ),
    Post("d0", "deniz", "2026-10-22 18:00", "New plan works fine", "positive", "other"),
    Post("d1", "deniz", "2026-10-25 23:30", "bill question", "neutral", "question", case="p2"),
    Post("e0", "eli", "2026-10-21 08:00", "signal drops again", "negative", "complaint"),
    Post("p0", "crowd2", "2026-10-23 12:00", "fast delivery thanks", "positive", "praise"),
    Post("x0", "crowd3", "2026-10-19 00:30", "hello", None, None, language=None),
    # This week (W44).
    Post(
        "a1",
        "ana",
        "2026-10-26 11:55",
        "Love the new battery life, great signal too",
        "positive",
        "praise",
        case="c5",
    ),
    Post(
        "a2",
        "ana",
        "2026-10-28 08:00",
        "battery life is amazing on the new plan https://t.co/x @Nimbus",
        "positive",
        "praise",
    ),
    Post(
        "a3",
        "ana",
        "2026-10-31 21:00",
        "Great signal in the metro! Battery life holds all day",
        "positive",
        "praise",
    ),
    Post(
        "a4",
        "ana",
        "2026-10-31 21:05",
        "Great signal in the metro! Battery life holds all day",
        "positive",
        "praise",
        duplicate_of="a3",
    ),
    Post(
        "b1",
        "bora",
        "2026-10-29 16:00",
        "Nimbus support deserves a raise, battery life too",
        "positive",
        "praise",
        language="tr",
    ),
    Post(
        "c1m",
        "cem",
        "2026-10-30 10:00",
        f"okay network, good coverage {HOSTILE}",
        "neutral",
        "other",
        corrected_sentiment="positive",
        url="JavaScript:alert(document.cookie)",  # a link that must not become a link
    ),
    Post(
        "d2",
        "deniz",
        "2026-10-28 09:50",
        "My bill doubled, I will cancel",
        "negative",
        "complaint",
        risk=["churn"],
        case="c2",
    ),
    Post(
        "d3",
        "deniz",
        "2026-10-28 17:00",
        "still waiting, bill doubled",
        "negative",
        "complaint",
        case="c2",
    ),
    Post(
        "e1",
        "eli",
        "2026-10-27 08:55",
        "My lawyer will hear about this outage",
        "negative",
        "complaint",
        risk=["legal"],
        case="c1",
    ),
    Post(
        "s1",
        "sara",
        "2026-10-29 07:55",
        "اینترنت قطع است و پشتیبانی جواب نمی‌دهد",
        "negative",
        "complaint",
        language="fa",
        case="c3",
        risk=["churn"],
    ),
    Post(
        "g1",
        "gil",
        "2026-10-28 02:59",
        "free crypto giveaway click now",
        "neutral",
        "spam",
        case="c6",
    ),
    Post(
        "h1",
        "hex",
        "2026-10-30 08:59",
        HOSTILE,
        "negative",
        "complaint",
        case="c4",
        corrected_intent="question",
        corrected_sentiment="neutral",
    ),
    Post("h2", "hex", "2026-10-30 09:30", LONG_TEXT, "neutral", "other", language=None),
    Post("h3", "hex", "2026-10-31 10:00", "deleted rant", "negative", "complaint", deleted=True),
    Post(
        "k1",
        "crowd1",
        "2026-11-01 19:59",
        "when does the store open?",
        "neutral",
        "question",
        case="c7",
    ),
    Post(
        "z1",
        "eli",
        "2026-11-01 23:59",
        "last minute of the week",
        "neutral",
        "other",
        language="de",
    ),
    Post("z2", "eli", "2026-11-02 00:00", "first minute of next week", "negative", "complaint"),
    # A spike: twelve outage complaints within one hour on Wednesday evening.
    *[
        Post(
            f"o{n}",
            f"crowd{n}",
            f"2026-10-28 19:{n * 4:02d}",
            f"outage again in Ankara, no signal #{n}",
            "negative",
            "complaint",
            language="tr" if n % 2 else "en",
        )
        for n in range(1, 13)
    ],
]


@dataclass
class Built:
    customers: dict[str, int]
    mentions: dict[str, int]
    cases: dict[str, int]


def build(engine: Engine) -> Built:
    """Write PEOPLE, CASES and POSTS into the store."""
    with session_scope(engine) as session:
        users = {}
        for email, name in (("ops@example.com", "Ops Lead"), ("mina@example.com", "")):
            user = User(email=email, name=name)
            session.add(user)
            session.flush()
            users[email] = user.id
        customers, identities = {}, {}
        for person in PEOPLE:
            customer = Customer(name=person.name, lifecycle_stage=person.stage)
            session.add(customer)
            session.flush()
            identity = Identity(
                platform=person.platform,
                platform_user_id=f"id-{person.key}",
                handle=person.key,
                followers=person.followers,
                customer_id=customer.id,
            )
            session.add(identity)
            session.flush()
            customers[person.key], identities[person.key] = customer.id, identity.id
        cases = {}
        for spec in CASES:
            case = Case(
                customer_id=customers[spec.who],
                status=spec.status,
                queue=spec.queue,
                priority=spec.priority,
                platform=next(p.platform for p in PEOPLE if p.key == spec.who),
                assignee_id=users.get(spec.agent or ""),
                opened_at=local(spec.opened),
                sla_due_at=local(spec.due) if spec.due else None,
                first_response_at=local(spec.responded) if spec.responded else None,
                resolved_at=local(spec.resolved) if spec.resolved else None,
                escalation_level=len(spec.escalations),
                reason=f"reason {spec.key}",
            )
            session.add(case)
            session.flush()
            cases[spec.key] = case.id
        mentions: dict[str, int] = {}
        for post in POSTS:
            person = next(p for p in PEOPLE if p.key == post.who)
            mention = Mention(
                platform=person.platform,
                external_id=post.key,
                url=post.url or f"https://example.com/{post.who}/{post.key}",
                identity_id=identities[post.who],
                text=post.text,
                text_hash=post.key,
                language=post.language,
                posted_at=local(post.at),
                sentiment=post.sentiment,
                intent=post.intent,
                risk=post.risk,
                corrected_sentiment=post.corrected_sentiment,
                corrected_intent=post.corrected_intent,
                corrected_risk=post.corrected_risk,
                duplicate_of_id=mentions[post.duplicate_of] if post.duplicate_of else None,
                deleted_at=local(post.at) + timedelta(hours=1) if post.deleted else None,
                case_id=cases[post.case] if post.case else None,
            )
            session.add(mention)
            session.flush()
            mentions[post.key] = mention.id
        for spec in CASES:
            for level, reason, at in spec.escalations:
                first = (
                    next(p.key for p in POSTS if p.case == spec.key)
                    if any(p.case == spec.key for p in POSTS)
                    else next(iter(mentions))
                )
                session.add(
                    Escalation(
                        case_id=cases[spec.key],
                        mention_id=mentions[first],
                        level=level,
                        reason=reason,
                        created_at=local(at),
                    )
                )
    return Built(customers, mentions, cases)
