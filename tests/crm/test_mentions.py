"""Storing mentions: once per (platform, external id), authors linked, hostile text kept safe."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from config.labels import Platform
from crm.customers import merge_customers
from crm.db import session_scope
from crm.enums import CaseStatus, Queue, ReplyStatus
from crm.mentions import pending_judgement, purge_deleted, store_mentions
from crm.models import Case, Customer, Identity, Mention, Reply
from crm.schemas import MentionIn


def _count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_same_mention_twice_is_stored_once(engine: Engine, mention_factory: Any) -> None:
    first = mention_factory()
    with session_scope(engine) as session:
        result = store_mentions(session=session, mentions=[first, first], source="test")
    with session_scope(engine) as session:
        again = store_mentions(session=session, mentions=[first], source="test")
    assert (result.new, result.duplicates) == (1, 1)
    assert (again.new, again.duplicates) == (0, 1)
    assert _count(engine, Mention) == 1


def test_same_external_id_on_two_platforms_is_two_mentions(
    engine: Engine, mention_factory: Any
) -> None:
    on_x = mention_factory(external_id="42")
    on_mastodon = mention_factory(external_id="42", platform="mastodon", url=None)
    with session_scope(engine) as session:
        result = store_mentions(session=session, mentions=[on_x, on_mastodon], source="test")
    assert result.new == 2


def test_author_becomes_identity_and_customer_once_and_profile_updates(
    engine: Engine, mention_factory: Any
) -> None:
    author = {"id": "777", "handle": "old_handle", "name": "Ayşe Yılmaz", "followers": 5}
    renamed = {**author, "handle": "new_handle", "followers": 50}
    with session_scope(engine) as session:
        store_mentions(session=session, mentions=[mention_factory(author=author)], source="t")
    with session_scope(engine) as session:
        store_mentions(session=session, mentions=[mention_factory(author=renamed)], source="t")
    with Session(engine) as session:
        identities = session.exec(select(Identity)).all()
        customer = session.exec(select(Customer)).one()
    assert len(identities) == 1
    assert (identities[0].handle, identities[0].followers) == ("new_handle", 50)
    assert customer.name == "Ayşe Yılmaz"


def test_timestamps_come_back_utc_aware(engine: Engine, mention_factory: Any) -> None:
    istanbul = datetime(2026, 11, 20, 15, 0, tzinfo=UTC) + timedelta(hours=3)
    local = istanbul.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Istanbul"))
    with session_scope(engine) as session:
        store_mentions(session=session, mentions=[mention_factory(posted_at=local)], source="t")
    with Session(engine) as session:
        stored = session.exec(select(Mention)).one()
    assert stored.posted_at.tzinfo is not None
    assert stored.posted_at.utcoffset() == timedelta(0)
    assert stored.posted_at == local


def test_hostile_text_is_stored_intact_but_without_control_characters(
    engine: Engine, mention_factory: Any
) -> None:
    hostile = (
        "<script>alert(1)</script>'; DROP TABLE mention; --\x00\x07 "
        "\u202eRTL override \u0645\u0631\u062d\u0628\u0627 mixed עברית 🙂\nline two"
    )
    with session_scope(engine) as session:
        store_mentions(session=session, mentions=[mention_factory(text=hostile)], source="t")
    with Session(engine) as session:
        stored = session.exec(select(Mention)).one()
    assert "\x00" not in stored.text and "\x07" not in stored.text
    assert stored.text.startswith("<script>alert(1)</script>'; DROP TABLE mention; --")
    assert "\u202eRTL override" in stored.text and stored.text.endswith("🙂\nline two")


def test_large_post_is_stored_whole(engine: Engine, mention_factory: Any) -> None:
    text = "ş" * 40_000
    with session_scope(engine) as session:
        store_mentions(session=session, mentions=[mention_factory(text=text)], source="t")
    with Session(engine) as session:
        assert session.exec(select(Mention.text)).one() == text


def test_repost_is_linked_to_its_original(engine: Engine, mention_factory: Any) -> None:
    original = mention_factory(external_id="100")
    repost = mention_factory(external_id="101", text="RT @user: " + original.text, repost_of="100")
    with session_scope(engine) as session:
        store_mentions(session=session, mentions=[original, repost], source="t")
    with Session(engine) as session:
        by_id = {m.external_id: m for m in session.exec(select(Mention))}
    assert by_id["101"].duplicate_of_id == by_id["100"].id
    assert by_id["100"].duplicate_of_id is None


def test_same_author_same_text_twice_is_a_duplicate_of_the_first(
    engine: Engine, mention_factory: Any
) -> None:
    author = {"id": "9", "handle": "crossposter"}
    now = datetime.now(UTC)
    first = mention_factory(
        author=author, text="Battery died  AGAIN", posted_at=now - timedelta(hours=2)
    )
    second = mention_factory(author=author, text="battery died again", posted_at=now)
    with session_scope(engine) as session:
        store_mentions(session=session, mentions=[first, second], source="t")
    with Session(engine) as session:
        rows = session.exec(select(Mention).order_by(Mention.posted_at)).all()
    assert rows[0].duplicate_of_id is None
    assert rows[1].duplicate_of_id == rows[0].id


def test_two_writers_at_once_store_each_mention_once(engine: Engine, mention_factory: Any) -> None:
    mentions = [mention_factory(author={"id": "shared", "handle": "same"}) for _ in range(30)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait()
            with session_scope(engine) as session:
                store_mentions(session=session, mentions=mentions, source="t")
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(engine, Mention) == 30
    assert _count(engine, Identity) == 1


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"platform": "myspace"}, "platform"),
        ({"external_id": ""}, "external_id"),
        ({"external_id": "has space"}, "external_id"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"author": {"handle": "no id"}}, "author"),
    ],
)
def test_invalid_mentions_are_refused_with_the_field_named(
    mention_factory: Any, override: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValidationError) as info:
        mention_factory(**override)
    assert problem in str(info.value)


def test_naive_timestamps_are_taken_as_utc() -> None:
    mention = MentionIn.model_validate(
        {
            "platform": "reddit",
            "external_id": "t3_abc",
            "author": {"id": "t2_x"},
            "text": "hi",
            "posted_at": "2026-11-20T10:00:00",
        }
    )
    assert mention.posted_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _routed(session: Session, mention_id: int, case: Case) -> Reply:
    mention = session.get(Mention, mention_id)
    assert mention is not None
    mention.case_id = case.id
    reply = Reply(
        case_id=case.id or 0,
        mention_id=mention_id,
        text="Sorry! DM us.",
        idempotency_key=uuid.uuid4().hex,
    )
    session.add_all([mention, reply])
    session.flush()
    return reply


def test_purging_a_deleted_mention_clears_text_drafts_and_an_emptied_case(
    engine: Engine, mention_factory: Any
) -> None:
    alone, first, second = (mention_factory(text=f"secret {n}") for n in range(3))
    with session_scope(engine) as session:
        ids = store_mentions(session=session, mentions=[alone, first, second], source="x").new_ids
        cases = [
            Case(customer_id=1, queue=Queue.SUPPORT, platform=Platform.X, status=s)
            for s in (CaseStatus.OPEN, CaseStatus.ESCALATED)
        ]
        session.add_all(cases)
        session.flush()
        replies = [_routed(session, ids[0], cases[0]), _routed(session, ids[1], cases[1])]
        _routed(session, ids[2], cases[1])
        purged = purge_deleted(
            session=session,
            source="x",
            external_ids=[alone.external_id, first.external_id, "unknown"],
        )
        assert purged == ids[:2]
        # Another source's mention with the same id is not this source's to purge.
        assert (
            purge_deleted(session=session, source="replay", external_ids=[second.external_id]) == []
        )
    with session_scope(engine) as session:
        rows = {m.id: m for m in session.exec(select(Mention))}
        assert [(rows[i].text, rows[i].raw) for i in ids[:2]] == [("", {}), ("", {})]
        assert rows[ids[2]].text == "secret 2" and rows[ids[2]].deleted_at is None
        assert [session.get(Reply, r.id).status for r in replies] == [  # type: ignore[union-attr]
            ReplyStatus.REJECTED,
            ReplyStatus.REJECTED,
        ]
        assert [session.get(Case, c.id).status for c in cases] == [  # type: ignore[union-attr]
            CaseStatus.RESOLVED,  # its only mention is gone
            CaseStatus.ESCALATED,  # one live mention remains
        ]
        assert pending_judgement(session=session, limit=10) == [rows[ids[2]]]


def _merged_author(session: Session, mention_factory: Any) -> tuple[dict[str, str], dict[str, str]]:
    """One person with an X and a Mastodon account whose customers are merged."""
    on_x = {"id": "x-ana", "handle": "ana"}
    on_mastodon = {"id": "m-ana", "handle": "ana@mastodon.social"}
    old = datetime.now(UTC) - timedelta(days=30)
    hello = [
        mention_factory(author=on_x, text="first post on x", posted_at=old),
        mention_factory(
            platform="mastodon", author=on_mastodon, text="first post here", posted_at=old
        ),
    ]
    store_mentions(session=session, mentions=hello, source="test")
    customers = session.exec(select(Identity.customer_id).order_by(Identity.id)).all()
    merge_customers(session=session, source_id=customers[1], target_id=customers[0], actor="t")
    return on_x, on_mastodon


def test_a_cross_post_on_another_platform_is_linked_to_the_first(
    engine: Engine, mention_factory: Any
) -> None:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        on_x, on_mastodon = _merged_author(session, mention_factory)
        first = mention_factory(
            author=on_x,
            text="@Acme my order 123 never arrived, again! https://t.co/abc",
            posted_at=now - timedelta(minutes=30),
        )
        cross = mention_factory(
            platform="mastodon",
            author=on_mastodon,
            text="@acme@mastodon.social My order 123 never arrived again https://acme.example/o/1",
            posted_at=now - timedelta(minutes=20),
        )
        late = mention_factory(
            platform="mastodon",
            author=on_mastodon,
            text="@acme@mastodon.social my order 123 never arrived, again",
            posted_at=now + timedelta(days=2),
        )
        short = [
            mention_factory(author=on_x, text="@acme thanks!", posted_at=now),
            mention_factory(
                platform="mastodon", author=on_mastodon, text="thanks! @acme", posted_at=now
            ),
        ]
        same_platform = [
            mention_factory(author=on_x, text="@acme the login page is broken on android"),
            mention_factory(author=on_x, text="@acme_help The login page is broken on Android!"),
        ]
        ids = store_mentions(session=session, mentions=[first], source="x").new_ids
        ids += store_mentions(
            session=session, mentions=[cross, late, *short, *same_platform], source="mixed"
        ).new_ids
        links = dict(session.exec(select(Mention.id, Mention.duplicate_of_id)).all())
    assert links[ids[1]] == ids[0]  # the cross-post points at the first post
    assert links[ids[2]] is None  # two days later is a new post, not a cross-post
    assert links[ids[3]] is None and links[ids[4]] is None  # too short to tell
    assert links[ids[6]] is None  # same platform: only exact repeats are linked


def test_the_same_words_by_two_different_people_are_not_cross_posts(
    engine: Engine, mention_factory: Any
) -> None:
    text = "@acme the app logs me out every five minutes since the update"
    with session_scope(engine) as session:
        store_mentions(
            session=session,
            mentions=[
                mention_factory(text=text),
                mention_factory(platform="mastodon", text=text.replace("@acme", "@acme@m.s")),
            ],
            source="mixed",
        )
        assert session.exec(select(Mention.duplicate_of_id)).all() == [None, None]


def test_a_post_made_on_three_platforms_at_once_points_every_copy_at_the_first(
    engine: Engine, mention_factory: Any
) -> None:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        on_x, on_mastodon = _merged_author(session, mention_factory)
        on_bluesky = {"id": "did:plc:ana", "handle": "ana.bsky.social"}
        store_mentions(
            session=session,
            mentions=[mention_factory(platform="bluesky", author=on_bluesky, text="hi there")],
            source="test",
        )
        owners = session.exec(select(Identity.customer_id).order_by(Identity.id)).all()
        merge_customers(session=session, source_id=owners[-1], target_id=owners[0], actor="t")
        words = "my card was charged twice for order 555, please refund"
        copies = [
            mention_factory(author=on_x, text=f"@acme {words}", posted_at=now),
            mention_factory(
                platform="mastodon",
                author=on_mastodon,
                text=f"@acme@mastodon.social {words}!",
                posted_at=now + timedelta(seconds=1),
            ),
            mention_factory(
                platform="bluesky",
                author=on_bluesky,
                text=f"@acme.bsky.social {words.upper()}",
                posted_at=now + timedelta(seconds=2),
            ),
        ]
        ids = store_mentions(session=session, mentions=copies, source="crossposter").new_ids
        links = dict(session.exec(select(Mention.id, Mention.duplicate_of_id)).all())
    assert [links[i] for i in ids] == [None, ids[0], ids[0]]
