"""Storing mentions: once per (platform, external id), authors linked, hostile text kept safe."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from crm.db import session_scope
from crm.mentions import store_mentions
from crm.models import Customer, Identity, Mention
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
