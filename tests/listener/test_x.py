"""The X collector: the mapper on hand-built tweets, recorded X answers, a fake X on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import logging
import pathlib
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import tweepy
import yaml
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from config.settings import Settings, XSettings
from crm.db import session_scope
from crm.mentions import store_mentions
from crm.models import Mention
from listener.base import Gap
from listener.errors import (
    AuthFailed,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
)
from listener.runner import run_collector
from listener.x import (
    RedirectSession,
    XCollector,
    create_client,
    snowflake_time,
    to_mention,
)
from tests.listener.fake_x import FakeX, snowflake
from tests.recorded import X_CASSETTES, x_tape

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


# --- unit: to_mention on hand-built payloads ----------------------------------------------


def tweet(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "1859000000000000002",
        "text": "@acme my order never arrived",
        "author_id": "42",
        "created_at": "2026-11-20T10:00:00.000Z",
        "conversation_id": "1859000000000000001",
        "lang": "en",
        "edit_history_tweet_ids": ["1859000000000000002"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


USERS = {
    "42": {
        "id": "42",
        "username": "deniz_k",
        "name": "Deniz K",
        "public_metrics": {"followers_count": 312, "following_count": 9},
    }
}


def test_a_reply_maps_every_field() -> None:
    data = tweet(referenced_tweets=[{"type": "replied_to", "id": "1859000000000000001"}])
    mention = to_mention(data, USERS)
    assert mention.platform == "x"
    assert mention.external_id == "1859000000000000002"
    assert mention.url == "https://x.com/deniz_k/status/1859000000000000002"
    assert mention.author.platform_user_id == "42"
    assert (mention.author.handle, mention.author.display_name) == ("deniz_k", "Deniz K")
    assert mention.author.followers == 312
    assert mention.text == "@acme my order never arrived"
    assert mention.posted_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert mention.conversation_id == "1859000000000000001"
    assert mention.in_reply_to_id == "1859000000000000001"
    assert mention.repost_of is None
    assert mention.language == "en"
    assert mention.raw == data


def test_a_retweet_points_at_the_original() -> None:
    data = tweet(
        text="RT @someone: @acme is down again",
        referenced_tweets=[{"type": "retweeted", "id": "1858999999999999999"}],
    )
    mention = to_mention(data, USERS)
    assert mention.repost_of == "1858999999999999999"
    assert mention.in_reply_to_id is None


def test_a_quote_is_its_own_post_not_a_repost() -> None:
    refs = [{"type": "quoted", "id": "1858999999999999999"}]
    mention = to_mention(tweet(text="this, @acme?", referenced_tweets=refs), USERS)
    assert mention.repost_of is None
    assert mention.in_reply_to_id is None
    assert mention.raw["referenced_tweets"] == refs


@pytest.mark.parametrize(
    ("text", "quoted", "linked"),
    [
        ("https://t.co/AbC123", None, True),  # a quote with nothing added
        ("  https://t.co/AbC123 \n", None, True),
        ("@acme is DOWN again https://t.co/AbC123", "@acme is down again", True),
        ("@acme is down again https://t.co/AbC123", "@acme is down again &amp; again", False),
        ("me too https://t.co/AbC123", "@acme is down again", False),
    ],
)
def test_a_quote_without_words_of_its_own_points_at_the_original(
    text: str, quoted: str | None, linked: bool
) -> None:
    refs = [{"type": "quoted", "id": "1858999999999999999"}]
    texts = {"1858999999999999999": quoted} if quoted is not None else {}
    mention = to_mention(tweet(text=text, referenced_tweets=refs), USERS, quoted_texts=texts)
    assert mention.repost_of == ("1858999999999999999" if linked else None)


def test_a_bare_quote_is_stored_linked_to_its_original_not_queued_again(
    sqlite_engine: Engine,
) -> None:
    original = to_mention(tweet(id="1858999999999999999", text="@acme is down again"), USERS)
    refs = [{"type": "quoted", "id": original.external_id}]
    quote = to_mention(
        tweet(
            id="1859000000000000009", author_id="43", text="https://t.co/x", referenced_tweets=refs
        ),
        USERS,
    )
    with session_scope(sqlite_engine) as session:
        store_mentions(session=session, mentions=[original], source="x")
        store_mentions(session=session, mentions=[quote], source="x")
    with Session(sqlite_engine) as session:
        rows = {m.external_id: m for m in session.exec(select(Mention))}
    first = rows[original.external_id]
    assert rows[quote.external_id].duplicate_of_id == first.id and first.duplicate_of_id is None


def test_an_author_missing_from_includes_keeps_the_id() -> None:
    mention = to_mention(tweet(author_id="77"), USERS)
    assert mention.author.platform_user_id == "77"
    assert (mention.author.handle, mention.author.display_name) == ("", "")
    assert mention.author.followers is None
    assert mention.url == "https://x.com/i/web/status/1859000000000000002"


def test_a_hostile_username_is_not_put_into_the_url() -> None:
    users = {"42": {**USERS["42"], "username": "x/../../evil?"}}
    mention = to_mention(tweet(), users)
    assert mention.author.handle == ""
    assert mention.url == "https://x.com/i/web/status/1859000000000000002"


def test_unicode_rtl_text_and_x_escapes() -> None:
    text = "\u200fשלום @acme، الطلب لم يصل 📦 &amp; ça &lt;3 cafe\u0301\x00"
    mention = to_mention(tweet(text=text, lang="he"), USERS)
    assert mention.text == "\u200fשלום @acme، الطلب لم يصل 📦 & ça <3 café"
    assert mention.language == "he"


def test_a_long_post_takes_its_full_text() -> None:
    full = "@acme " + "word " * 100
    mention = to_mention(tweet(text=full[:280] + "…", note_tweet={"text": full}), USERS)
    assert mention.text == full


@pytest.mark.parametrize("lang", ["und", "zxx", "qme", None])
def test_x_not_a_language_codes_give_no_hint(lang: str | None) -> None:
    assert to_mention(tweet(lang=lang), USERS).language is None


def test_without_created_at_the_time_comes_from_the_id() -> None:
    tweet_id = snowflake(NOW, 7)
    mention = to_mention(tweet(id=tweet_id, created_at=None), USERS)
    assert abs(mention.posted_at - NOW) < timedelta(milliseconds=1)


def test_snowflake_time_of_a_recorded_id() -> None:
    # the recorded tweet's text is its own creation time: "2022-10-07 22:42:12.637103 tweepy"
    made = snowflake_time("1578516068309794817")
    assert abs(made - datetime(2022, 10, 7, 22, 42, 12, 637103, tzinfo=UTC)) < timedelta(seconds=1)


@pytest.mark.parametrize(
    ("overrides", "where", "why"),
    [
        ({"id": None}, "x tweet ?", "no id"),
        ({"id": "12 34"}, "x tweet ?", "no id"),
        ({"text": None}, "x tweet 1859000000000000002", "no text"),
        ({"text": "  "}, "x tweet 1859000000000000002", "no text"),
        ({"created_at": "yesterday"}, "x tweet 1859000000000000002", "created_at 'yesterday'"),
        ({"created_at": 1700000000}, "x tweet 1859000000000000002", "not ISO-8601"),
        ({"author_id": None}, "x tweet 1859000000000000002", "no author_id"),
        ({"conversation_id": "9" * 400}, "x tweet 1859000000000000002", "conversation_id"),
    ],
)
def test_a_malformed_tweet_says_where_and_why(
    overrides: dict[str, Any], where: str, why: str
) -> None:
    with pytest.raises(MalformedPayload) as caught:
        to_mention(tweet(**overrides), USERS)
    assert caught.value.where == where
    assert why in caught.value.why


# --- settings and the client ----------------------------------------------------------------


def x_settings(settings: Settings, **values: Any) -> Settings:
    return settings.model_copy(update={"x": XSettings(**values)})


def test_without_a_token_the_source_is_off_and_says_which_setting(settings: Settings) -> None:
    with pytest.raises(NotConfigured) as caught:
        XCollector.from_settings(x_settings(settings, query="acme"))
    assert "x.bearer_token" in caught.value.reason
    assert "SOCIALCRM_X__BEARER_TOKEN" in caught.value.reason


def test_without_a_query_or_user_the_source_is_off(settings: Settings) -> None:
    with pytest.raises(NotConfigured) as caught:
        XCollector.from_settings(x_settings(settings, bearer_token="t", query="  "))
    assert "x.query" in caught.value.reason
    assert "x.user_id" in caught.value.reason


@pytest.mark.parametrize("user_id", ["acme corp", "@", "12ab-", "@toolonghandle12345"])
def test_a_user_id_that_is_neither_an_id_nor_a_handle_is_refused(
    settings: Settings, user_id: str
) -> None:
    with pytest.raises(NotConfigured, match="numeric id or its @handle"):
        XCollector.from_settings(x_settings(settings, bearer_token="t", user_id=user_id))


def test_an_unknown_handle_says_which_setting_to_fix(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    collector = XCollector.from_settings(x_settings(settings, bearer_token="t", user_id="@nobody"))
    not_found = {"errors": [{"title": "Not Found Error", "detail": "Could not find user"}]}
    monkeypatch.setattr(collector.client, "get_user", lambda **_: not_found)
    with pytest.raises(NotConfigured, match=r"no account @nobody.*x\.user_id"):
        collector.fetch(None, limit=10)


def test_from_settings_builds_both_sources(settings: Settings) -> None:
    collector = XCollector.from_settings(
        x_settings(settings, bearer_token="t", query=" acme ", user_id="783214")
    )
    assert [(s.name, s.key) for s in collector.sources] == [
        ("search", "acme"),
        ("mentions", "783214"),
    ]


def test_the_client_uses_the_token_no_waiting_our_host_and_a_timeout() -> None:
    client = create_client(XSettings(bearer_token=SecretStr("sekrit"), api_base_url="http://h:1/"))
    assert client.bearer_token == "sekrit"
    assert client.wait_on_rate_limit is False
    assert client.return_type is dict
    assert isinstance(client.session, RedirectSession)
    assert (client.session.base_url, client.session.timeout) == ("http://h:1", 30.0)
    quick = XSettings(bearer_token=SecretStr("s"), timeout_seconds=2.5)
    assert create_client(quick).session.timeout == 2.5  # type: ignore[attr-defined]


# --- recorded: real X answers (tweepy's cassettes) and the synthetic error files ------------


def with_author(response: dict[str, Any]) -> dict[str, Any]:
    """tweepy recorded without the author_id expansion we always ask for; add that one field."""
    body = json.loads(response["body"]["string"])
    for item in body["data"] if isinstance(body.get("data"), list) else []:
        item["author_id"] = "783214"
    response["body"]["string"] = json.dumps(body).encode()
    return response


def recorded(name: str) -> dict[str, Any]:
    interaction = yaml.safe_load((X_CASSETTES / name).read_text())["interactions"][0]
    body: dict[str, Any] = json.loads(gzip.decompress(interaction["response"]["body"]["string"]))
    return body


def test_recorded_search_maps_ten_tweets_and_resumes_at_the_next_page() -> None:
    sent: list[str] = []
    recorder = x_tape(before_record_response=with_author, before_record_request=_log_to(sent))
    collector = XCollector(create_client(XSettings(bearer_token="t")), query="acme")
    with recorder.use_cassette("test_client_search_recent_tweets.yaml") as cassette:
        batch = collector.fetch(None, limit=50)
    assert cassette.all_played
    real = recorded("test_client_search_recent_tweets.yaml")
    assert [m.external_id for m in batch.mentions] == [t["id"] for t in real["data"]]
    assert len(batch.mentions) == 10
    assert batch.skipped == []
    for mention in batch.mentions:
        assert mention.text.endswith(" tweepy")
        stamp = datetime.fromisoformat(mention.text.removesuffix(" tweepy")).replace(tzinfo=UTC)
        assert abs(mention.posted_at - stamp) < timedelta(seconds=1)
    assert batch.exhausted is False
    assert json.loads(batch.cursor or "")["search"] == {
        "key": "acme",
        "since_id": None,
        "next_token": real["meta"]["next_token"],
        "newest_id": real["meta"]["newest_id"],
    }
    url = urlsplit(sent[-1])
    assert url.netloc == "api.x.com"
    query = parse_qs(url.query)
    assert query["expansions"] == ["author_id,referenced_tweets.id"]
    assert "created_at" in query["tweet.fields"][0].split(",")
    assert query["max_results"] == ["50"]


def test_recorded_search_as_recorded_invents_no_authors() -> None:
    collector = XCollector(create_client(XSettings(bearer_token="t")), query="acme")
    with x_tape().use_cassette("test_client_search_recent_tweets.yaml") as cassette:
        batch = collector.fetch(None, limit=10)
    assert cassette.all_played
    assert batch.mentions == []
    assert len(batch.skipped) == 10
    assert all("no author_id" in s.reason for s in batch.skipped)
    assert json.loads(batch.cursor or "")["search"]["next_token"]  # still pages on


def test_recorded_mentions_timeline() -> None:
    sent: list[str] = []
    recorder = x_tape(before_record_response=with_author, before_record_request=_log_to(sent))
    collector = XCollector(create_client(XSettings(bearer_token="t")), user_id="783214")
    with recorder.use_cassette("test_client_get_users_mentions.yaml") as cassette:
        batch = collector.fetch(None, limit=100)
    assert cassette.all_played
    real = recorded("test_client_get_users_mentions.yaml")
    assert [m.external_id for m in batch.mentions] == [t["id"] for t in real["data"]]
    assert all(m.text.strip() and "@" in m.text for m in batch.mentions)
    assert urlsplit(sent[-1]).path == "/2/users/783214/mentions"
    state = json.loads(batch.cursor or "")["mentions"]
    assert state["next_token"] == real["meta"]["next_token"]
    assert not batch.exhausted
    # the next page goes out as pagination_token, which is all the cassette lacks
    with recorder.use_cassette("test_client_get_users_mentions.yaml", allow_playback_repeats=True):
        collector.fetch(batch.cursor, limit=100)
    assert parse_qs(urlsplit(sent[-1]).query)["pagination_token"] == [real["meta"]["next_token"]]


def test_recorded_handle_is_looked_up_once_then_its_mentions_are_read(
    settings: Settings, tmp_path: pathlib.Path
) -> None:
    """x.user_id = "@Twitter": /2/users/by/username/Twitter gives 783214, then its mentions."""
    recorder = x_tape(tmp_path, before_record_response=with_author)  # skips without ../shared
    interactions = [
        yaml.safe_load((X_CASSETTES / name).read_text())["interactions"][0]
        for name in ("test_client_get_user.yaml", "test_client_get_users_mentions.yaml")
    ]
    (tmp_path / "handle_then_mentions.yaml").write_text(
        yaml.safe_dump({"interactions": interactions, "version": 1})
    )
    collector = XCollector.from_settings(x_settings(settings, bearer_token="t", user_id="@Twitter"))
    with recorder.use_cassette("handle_then_mentions.yaml") as cassette:
        batch = collector.fetch(None, limit=100)
    assert cassette.all_played  # the lookup, then the timeline of the id it gave
    assert [(s.name, s.key) for s in collector.sources] == [("mentions", "783214")]
    assert len(batch.mentions) == 10
    assert json.loads(batch.cursor or "")["mentions"]["key"] == "783214"


def _log_to(sent: list[str]) -> Any:
    def log(request: Any) -> Any:
        sent.append(request.uri)
        return request

    return log


def synthetic(name: str, *, clock: float = 1_700_000_000.0) -> Exception:
    collector = XCollector(
        create_client(XSettings(bearer_token="t")), query="acme", clock=lambda: clock
    )
    with x_tape().use_cassette(f"synthetic/{name}") as cassette, pytest.raises(Exception) as caught:
        collector.fetch(None, limit=10)
    assert cassette.all_played
    return caught.value


def test_recorded_rate_limit_waits_until_the_reset() -> None:
    error = synthetic("search_recent_tweets_429_rate_limited.yaml", clock=1_700_000_000.0)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 901.0  # reset 1700000900, plus a second for rounding
    assert isinstance(error.__cause__, tweepy.TooManyRequests)


def test_recorded_monthly_cap_gives_no_retry_time() -> None:
    error = synthetic("search_recent_tweets_429_usage_capped.yaml")
    assert isinstance(error, RateLimited)
    assert error.retry_after is None
    assert "monthly usage cap" in str(error)
    assert "Monthly product cap" in str(error)


def test_recorded_401_is_an_auth_failure_naming_the_setting() -> None:
    error = synthetic("search_recent_tweets_401_unauthorized.yaml")
    assert isinstance(error, AuthFailed)
    assert error.credential.startswith("x.bearer_token")


def test_recorded_503_is_transient() -> None:
    error = synthetic("search_recent_tweets_503_server_error.yaml")
    assert isinstance(error, SourceUnavailable)
    assert "503" in str(error)
    assert isinstance(error.__cause__, tweepy.TwitterServerError)


# --- integration: the real tweepy client against a fake X on 127.0.0.1 ----------------------


@pytest.fixture
def fake() -> Iterator[FakeX]:
    server = FakeX()
    server.add_user("100", "deniz_k", name="Deniz", followers=312)
    server.add_user("200", "acme", name="Acme Support", followers=90_000)
    with server.running():
        yield server


def collector_for(
    fake: FakeX, *, timeout: float = 2.0, token: str | None = None, **kwargs: Any
) -> XCollector:
    settings = XSettings(bearer_token=token or fake.token, api_base_url=fake.url)
    kwargs.setdefault("query", "acme")
    return XCollector(create_client(settings, timeout=timeout), **kwargs)


def drain(collector: XCollector, cursor: str | None, *, limit: int) -> tuple[list[str], str]:
    """Fetch until exhausted, as the runner does; every id in order, and the last cursor."""
    ids: list[str] = []
    for _ in range(20):
        batch = collector.fetch(cursor, limit=limit)
        ids += [m.external_id for m in batch.mentions]
        cursor = batch.cursor
        if batch.exhausted:
            break
    assert cursor is not None
    return ids, cursor


def test_pages_across_fetches_with_the_cursor(fake: FakeX) -> None:
    posted = [fake.post(f"@acme question {n}", ago=timedelta(minutes=30 - n)) for n in range(25)]
    fake.post("nothing to do with the brand")
    collector = collector_for(fake)
    first = collector.fetch(None, limit=10)
    assert [m.external_id for m in first.mentions] == posted[::-1][:10]
    assert first.exhausted is False
    second = collector.fetch(first.cursor, limit=10)
    assert [m.external_id for m in second.mentions] == posted[::-1][10:20]
    third = collector.fetch(second.cursor, limit=10)
    assert [m.external_id for m in third.mentions] == posted[::-1][20:]
    assert third.exhausted is True
    assert [p.get("next_token") for _, p, _ in fake.requests] == [
        None,
        f"p{posted[15]}",
        f"p{posted[5]}",
    ]
    assert json.loads(third.cursor or "")["search"] == {
        "key": "acme",
        "since_id": posted[-1],
        "next_token": None,
        "newest_id": None,
    }


def test_a_second_run_returns_only_what_is_new_even_if_it_came_mid_backlog(fake: FakeX) -> None:
    old = [fake.post(f"@acme old {n}", ago=timedelta(minutes=30 - n)) for n in range(15)]
    collector = collector_for(fake)
    page = collector.fetch(None, limit=10)
    during = fake.post("@acme posted while we paged")
    rest = collector.fetch(page.cursor, limit=10)
    assert rest.exhausted
    run_one = [m.external_id for m in page.mentions + rest.mentions]
    assert sorted(run_one) == sorted(old)
    assert all(p.get("since_id") is None for _, p, _ in fake.requests)
    after = fake.post("@acme posted after the run")
    run_two, cursor = drain(collector, rest.cursor, limit=10)
    assert sorted(run_two) == sorted([during, after])
    assert fake.params()["since_id"] == old[-1]
    run_three, unchanged = drain(collector, cursor, limit=10)
    assert run_three == []
    assert json.loads(unchanged)["search"]["since_id"] == after


def test_authors_come_from_the_expansion(fake: FakeX) -> None:
    fake.post("@acme love it", author_id="100")
    fake.post("@acme who am I", author_id="999")
    batch = collector_for(fake).fetch(None, limit=10)
    by_author = {m.author.platform_user_id: m for m in batch.mentions}
    known = by_author["100"].author
    assert (known.handle, known.display_name, known.followers) == ("deniz_k", "Deniz", 312)
    assert by_author["999"].author.handle == ""
    assert by_author["100"].raw["created_at"].endswith("Z")
    assert fake.params()["user.fields"] == "username,name,public_metrics"


def test_a_malformed_tweet_is_skipped_and_the_page_kept(fake: FakeX) -> None:
    good = fake.post("@acme fine", ago=timedelta(minutes=3))
    bad = fake.post("@acme bad date", created_at="last tuesday", ago=timedelta(minutes=2))
    nameless = fake.post("@acme who", author_id=None, ago=timedelta(minutes=1))
    batch = collector_for(fake).fetch(None, limit=10)
    assert [m.external_id for m in batch.mentions] == [good]
    assert {s.where for s in batch.skipped} == {f"x tweet {bad}", f"x tweet {nameless}"}
    assert json.loads(batch.cursor or "")["search"]["since_id"] == nameless


def test_both_sources_share_the_limit_and_page_on_their_own(fake: FakeX) -> None:
    searched = [fake.post(f"acme rocks {n}", ago=timedelta(minutes=40 - n)) for n in range(12)]
    mentioned = [fake.post(f"@acme help {n}", ago=timedelta(minutes=20 - n)) for n in range(3)]
    collector = collector_for(fake, query="rocks", user_id="200")
    first = collector.fetch(None, limit=20)
    assert len(first.mentions) == 13  # 10 searched, 3 mentions
    assert {p["max_results"] for _, p, _ in fake.requests} == {"10"}
    assert fake.requests[1][0] == "/2/users/200/mentions"
    assert not first.exhausted
    second = collector.fetch(first.cursor, limit=20)
    assert [r[0] for r in fake.requests[2:]] == ["/2/tweets/search/recent"]  # only the backlog
    assert second.exhausted
    ids = {m.external_id for m in first.mentions + second.mentions}
    assert ids == set(searched) | set(mentioned)


def test_a_cursor_older_than_the_search_window_reports_the_gap(fake: FakeX) -> None:
    kept = fake.post("@acme still searchable", ago=timedelta(days=6))
    now = datetime.now(UTC)
    stale = snowflake(now - timedelta(days=9))
    cursor = json.dumps({"search": {"key": "acme", "since_id": stale}})
    batch = collector_for(fake, clock=now.timestamp).fetch(cursor, limit=10)
    assert [m.external_id for m in batch.mentions] == [kept]
    assert "since_id" not in fake.params()  # X would answer 400 to the stale one
    window_start = now - timedelta(days=7)
    assert batch.skipped == []
    assert batch.gaps == [
        Gap(
            snowflake_time(stale).isoformat(timespec="seconds"),
            window_start.isoformat(timespec="seconds"),
            "x search: posts past the 7 days X recent search keeps cannot be collected",
        )
    ]
    assert json.loads(batch.cursor or "")["search"]["since_id"] == kept


def test_a_cursor_at_the_window_edge_searches_the_window_and_reports_no_gap(fake: FakeX) -> None:
    edge = fake.post("@acme nearly a week ago", ago=timedelta(days=7) - timedelta(minutes=5))
    later = fake.post("@acme today")
    cursor = json.dumps({"search": {"key": "acme", "since_id": edge}})
    batch = collector_for(fake).fetch(cursor, limit=10)
    assert "since_id" not in fake.params()
    assert batch.skipped == [] and batch.gaps == []
    assert {m.external_id for m in batch.mentions} == {edge, later}  # the store dedups `edge`


def test_a_refused_page_token_restarts_the_run_from_since_id(fake: FakeX) -> None:
    since = fake.post("@acme stored already", ago=timedelta(minutes=5))
    new = fake.post("@acme new")
    cursor = json.dumps({"search": {"key": "acme", "since_id": since, "next_token": "expired"}})
    collector = collector_for(fake)
    batch = collector.fetch(cursor, limit=10)
    assert batch.mentions == []
    assert "page token" in batch.skipped[0].reason
    assert json.loads(batch.cursor or "")["search"]["since_id"] == since
    assert [m.external_id for m in collector.fetch(batch.cursor, limit=10).mentions] == [new]


def test_a_changed_query_searches_the_window_again(fake: FakeX) -> None:
    older = fake.post("@acme and widgets", ago=timedelta(hours=2))
    since = fake.post("@acme", ago=timedelta(hours=1))
    cursor = json.dumps({"search": {"key": "@acme", "since_id": since}})
    batch = collector_for(fake, query="widgets").fetch(cursor, limit=10)
    assert [m.external_id for m in batch.mentions] == [older]
    assert "since_id" not in fake.params()


def test_an_unreadable_cursor_starts_afresh(fake: FakeX) -> None:
    posted = fake.post("@acme hi")
    batch = collector_for(fake).fetch("{not json", limit=10)
    assert [m.external_id for m in batch.mentions] == [posted]
    assert batch.skipped[0].where == "x cursor"


def test_a_rate_limit_with_reset_and_the_cursor_resumes_after(fake: FakeX) -> None:
    posted = [fake.post(f"@acme {n}", ago=timedelta(minutes=20 - n)) for n in range(15)]
    clock = time.time()
    collector = collector_for(fake, clock=lambda: clock)
    first = collector.fetch(None, limit=10)
    fake.fail_next(
        429,
        {"title": "Too Many Requests", "status": 429},
        headers={"x-rate-limit-reset": str(int(clock) + 120), "x-rate-limit-remaining": "0"},
    )
    with pytest.raises(RateLimited) as caught:
        collector.fetch(first.cursor, limit=10)
    assert caught.value.retry_after == pytest.approx(121 - (clock - int(clock)))
    rest = collector.fetch(first.cursor, limit=10)  # the stored cursor did not move
    assert {m.external_id for m in first.mentions + rest.mentions} == set(posted)


def test_a_429_without_reset_is_the_monthly_cap(fake: FakeX) -> None:
    fake.fail_next(429, {"title": "Too Many Requests"})
    with pytest.raises(RateLimited) as caught:
        collector_for(fake).fetch(None, limit=10)
    assert caught.value.retry_after is None
    assert "cap" in str(caught.value)


def test_a_wrong_token_is_an_auth_failure_that_does_not_show_it(fake: FakeX) -> None:
    with pytest.raises(AuthFailed) as caught:
        collector_for(fake, token="wrong-%2Bsecret").fetch(None, limit=10)
    assert "x.bearer_token" in str(caught.value)
    assert "secret" not in str(caught.value)
    assert fake.requests[-1][2]["authorization"] == "Bearer wrong-%2Bsecret"


def test_a_403_is_an_auth_failure(fake: FakeX) -> None:
    fake.fail_next(403, {"title": "Client Forbidden", "detail": "client-not-enrolled"})
    with pytest.raises(AuthFailed, match="client-not-enrolled"):
        collector_for(fake).fetch(None, limit=10)


def test_a_bad_query_names_the_setting_and_what_x_said(fake: FakeX) -> None:
    fake.fail_next(
        400,
        {
            "errors": [{"message": "There were errors processing your request: no viable rule"}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
        },
    )
    with pytest.raises(NotConfigured) as caught:
        collector_for(fake).fetch(None, limit=10)
    assert "x.query (SOCIALCRM_X__QUERY)" in caught.value.reason
    assert "400 There were errors processing your request: no viable rule" in caught.value.reason


def test_a_server_error_is_transient(fake: FakeX) -> None:
    fake.fail_next(502, {"title": "Bad Gateway"})
    with pytest.raises(SourceUnavailable, match="502"):
        collector_for(fake).fetch(None, limit=10)


def test_a_stalled_answer_times_out(fake: FakeX) -> None:
    fake.fail_next(200, {"meta": {"result_count": 0}}, delay=3.0)
    with pytest.raises(SourceUnavailable) as caught:
        collector_for(fake, timeout=0.2).fetch(None, limit=10)
    assert isinstance(caught.value.__cause__, requests.Timeout)


def test_no_server_is_transient() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    client = create_client(XSettings(bearer_token="t", api_base_url=url), timeout=0.5)
    with pytest.raises(SourceUnavailable, match="unreachable: ConnectionError"):
        XCollector(client, query="acme").fetch(None, limit=10)


def test_the_token_never_reaches_the_debug_log(
    fake: FakeX, caplog: pytest.LogCaptureFixture
) -> None:
    fake.post("@acme hi")
    with caplog.at_level(logging.DEBUG):
        collector_for(fake).fetch(None, limit=10)
    assert "Making API request" in caplog.text
    assert "Bearer ***" in caplog.text
    assert "fake-bearer" not in caplog.text
    assert "token%3D" not in caplog.text


def test_the_runner_stores_every_served_tweet_once(fake: FakeX, sqlite_engine: Engine) -> None:
    posted = [fake.post(f"@acme issue {n}", ago=timedelta(minutes=30 - n)) for n in range(23)]
    fake.post("@acme here to help", author_id="200")  # the brand's own post
    collector = collector_for(fake)
    report = run_collector(
        collector, engine=sqlite_engine, limit=10, own_handles=frozenset({"acme"})
    )
    assert report.error is None
    assert (report.fetched, report.new, report.duplicates) == (24, 23, 0)
    fake.post("@acme one more")
    again = run_collector(
        collector, engine=sqlite_engine, limit=10, own_handles=frozenset({"acme"})
    )
    assert (again.fetched, again.new) == (1, 1)
    assert len(posted) == 23
