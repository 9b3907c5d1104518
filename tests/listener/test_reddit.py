"""The Reddit collector: the mapper on hand-built items, recorded Reddit answers, a fake Reddit."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import prawcore
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from config.settings import RedditSettings, Settings
from listener.base import Skipped
from listener.errors import (
    AuthFailed,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
)
from listener.reddit import (
    DELETED_ON_REDDIT,
    DeletedOnReddit,
    RedditCollector,
    create_client,
    to_mention,
    user_agent,
)
from listener.runner import RATE_LIMIT_WAIT, run_collector
from tests.listener.fake_reddit import FakeReddit, comment, submission
from tests.recorded import reddit_tape

SECRET = "s3cr3t-client-value"
PASSWORD = "hunter2-password-value"

vcr = pytest.importorskip("vcr")


# --- unit: to_mention on hand-built items -------------------------------------------------


def post(**overrides: Any) -> dict[str, Any]:
    return submission("p1", 1_700_000_000.0, title="Acme broke", selftext="Since the update.") | (
        overrides
    )


def reply(**overrides: Any) -> dict[str, Any]:
    data = comment("c2", 1_700_000_100.0, body="Same here", link="t3_p1", parent_id="t1_c1")
    return data | overrides


def test_a_submission_maps_title_and_body_and_starts_its_thread() -> None:
    mention = to_mention(post(permalink="/r/acme/comments/p1/acme_broke/?ref=search_posts"))
    assert mention.platform == "reddit"
    assert mention.external_id == "t3_p1"
    assert mention.url == "https://www.reddit.com/r/acme/comments/p1/acme_broke/"
    assert mention.text == "Acme broke\nSince the update."
    assert mention.posted_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert mention.conversation_id == "t3_p1"
    assert mention.in_reply_to_id is None
    assert (mention.author.platform_user_id, mention.author.handle) == ("t2_alice", "alice")
    assert mention.raw["selftext"] == "Since the update."


def test_a_link_post_is_just_its_title() -> None:
    assert to_mention(post(selftext="", url="https://acme.example/")).text == "Acme broke"


def test_a_reply_points_at_its_parent_and_thread() -> None:
    mention = to_mention(reply())
    assert mention.external_id == "t1_c2"
    assert mention.text == "Same here"
    assert mention.conversation_id == "t3_p1"
    assert mention.in_reply_to_id == "t1_c1"
    assert mention.url == "https://www.reddit.com/r/acme/comments/p1/slug/c2/"


def test_an_inbox_mention_takes_its_url_and_thread_from_the_context() -> None:
    data = reply(context="/r/acme/comments/p9/title/c2/?context=3", parent_id="t3_p9")
    del data["permalink"], data["link_id"]
    mention = to_mention(data)
    assert mention.url == "https://www.reddit.com/r/acme/comments/p9/title/c2/"
    assert mention.conversation_id == "t3_p9"


def test_without_permalink_the_url_is_built_from_ids() -> None:
    data = reply()
    del data["permalink"]
    assert to_mention(data).url == "https://www.reddit.com/comments/p1/_/c2/"


def test_an_author_without_a_t2_id_is_keyed_by_username() -> None:
    data = reply()
    del data["author_fullname"]
    assert to_mention(data).author.platform_user_id == "bob"


@pytest.mark.parametrize("author", ["[deleted]", None])
def test_a_deleted_account_gets_its_own_stable_identity(author: str | None) -> None:
    first = to_mention(reply(author=author, author_fullname=None))
    again = to_mention(reply(author=author, author_fullname=None))
    other = to_mention(reply(name="t1_c3", author=author))
    assert first.author.handle == "[deleted]"
    assert first.author.platform_user_id == again.author.platform_user_id == "[deleted]:t1_c2"
    assert other.author.platform_user_id != first.author.platform_user_id
    assert first.text == "Same here"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (reply(body="[removed]"), "text is [removed]"),
        (reply(body="[deleted]", author="[deleted]"), "text is [deleted]"),
        (post(selftext="[deleted]", title="[deleted by user]"), "text is [deleted]"),
        (post(selftext="", removed_by_category="moderator"), "removed (moderator)"),
    ],
)
def test_deleted_or_removed_items_are_refused_without_their_text(
    data: dict[str, Any], why: str
) -> None:
    with pytest.raises(DeletedOnReddit) as caught:
        to_mention(data)
    assert caught.value.fullname == data["name"]
    assert caught.value.why == why


def test_unicode_rtl_and_control_characters() -> None:
    body = "المنتج \u202eمعطل\u202c — שלום 👋🏽 e\u0301\x00"
    mention = to_mention(reply(body=body, author="Zoë_ü"))
    assert mention.text == "المنتج \u202eمعطل\u202c — שלום 👋🏽 é"
    assert mention.author.handle == "Zoë_ü"


@pytest.mark.parametrize(
    ("data", "where", "why"),
    [
        ([1, 2], "reddit item", "expected an object"),
        (reply(name=None, id="zz"), "reddit item 'zz'", "no fullname"),
        (reply(name="t4_m1"), "reddit item 't4_m1'", "not a comment or submission"),
        (reply(created_utc="yesterday"), "t1_c2", "created_utc 'yesterday'"),
        (reply(created_utc=True), "t1_c2", "not a Unix time"),
        (reply(body=None), "t1_c2", "body is missing"),
        (post(title=42), "t3_p1", "title is missing"),
        (reply(author=["x"]), "t1_c2", "author is not a username"),
        (reply(parent_id="t1_" + "9" * 400), "t1_c2", "in_reply_to_id"),
    ],
)
def test_a_malformed_item_says_where_and_why(data: Any, where: str, why: str) -> None:
    with pytest.raises(MalformedPayload) as caught:
        to_mention(data)
    assert caught.value.where == where
    assert why in caught.value.why


# --- unit: client and settings -------------------------------------------------------------


def reddit_settings(**overrides: Any) -> RedditSettings:
    values: dict[str, Any] = {
        "client_id": "cid",
        "client_secret": SecretStr(SECRET),
        "username": "acme_bot",
        "password": SecretStr(PASSWORD),
        "subreddits": ["r/acme"],
    }
    return RedditSettings(**(values | overrides))


def test_the_user_agent_follows_reddits_format() -> None:
    agent = user_agent(reddit_settings())
    assert re.fullmatch(r"python:socialcrm:[\w.+-]+ \(by /u/acme_bot\)", agent)
    assert user_agent(reddit_settings(username=None)).startswith("python:socialcrm:")
    own = "web:com.acme.listener:2.1 (by /u/acme_ops)"
    assert user_agent(reddit_settings(user_agent=f"  {own} ")) == own


def test_the_request_timeout_comes_from_the_settings() -> None:
    reddit = create_client(reddit_settings(timeout_seconds=4.25, user_agent="web:a:1 (by /u/b)"))
    assert reddit._core.requestor.timeout == 4.25
    assert reddit._core.requestor._http.headers["User-Agent"].startswith("web:a:1 (by /u/b)")


def test_the_client_is_a_script_app_on_the_configured_host() -> None:
    reddit = create_client(reddit_settings(api_base_url="http://127.0.0.1:9/"), timeout=3.5)
    assert not reddit.read_only
    assert reddit.config.oauth_url == "http://127.0.0.1:9/"
    assert reddit.config.reddit_url == "http://127.0.0.1:9"
    assert reddit.config.check_for_updates is False
    assert reddit._core is not None
    assert reddit._core.requestor.timeout == 3.5
    assert "(by /u/acme_bot)" in reddit._core.requestor._http.headers["User-Agent"]


def test_the_default_host_is_left_to_praw_and_read_only_needs_no_login() -> None:
    reddit = create_client(reddit_settings(username=None, password=None))
    assert reddit.read_only
    assert reddit.config.oauth_url == "https://oauth.reddit.com"
    assert reddit.config.reddit_url == "https://www.reddit.com"


def test_without_app_credentials_the_source_is_off_and_names_them(settings: Settings) -> None:
    with pytest.raises(NotConfigured) as caught:
        RedditCollector.from_settings(settings)
    assert "reddit.client_id and reddit.client_secret" in caught.value.reason
    settings.reddit = reddit_settings(client_secret=SecretStr(""))
    with pytest.raises(NotConfigured, match=r"set reddit\.client_secret \("):
        RedditCollector.from_settings(settings)


def test_with_nothing_to_listen_to_the_source_is_off(settings: Settings) -> None:
    settings.reddit = reddit_settings(username=None, password=None, subreddits=[])
    with pytest.raises(NotConfigured) as caught:
        RedditCollector.from_settings(settings)
    for name in ("reddit.subreddits", "reddit.keywords", "reddit.username", "reddit.password"):
        assert name in caught.value.reason


def test_feeds_follow_the_settings(settings: Settings) -> None:
    settings.reddit = reddit_settings(keywords=["acme"])
    assert RedditCollector.from_settings(settings).feeds == (
        "search",
        "submissions",
        "comments",
        "mentions",
    )
    settings.reddit = reddit_settings(subreddits=[], keywords=["acme"], password=None)
    assert RedditCollector.from_settings(settings).feeds == ("search",)
    settings.reddit = reddit_settings(subreddits=[])
    assert RedditCollector.from_settings(settings).feeds == ("mentions",)


# --- recorded: praw's and prawcore's cassettes through the collector ---------------------


@pytest.fixture
def tape() -> Any:
    return reddit_tape()


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """prawcore sleeps before its own retries; the tests do not wait for it."""
    naps: list[float] = []
    monkeypatch.setattr(time, "sleep", naps.append)
    return naps


def recorded(
    *,
    feeds: tuple[str, ...],
    logged_in: bool = False,
    keywords: tuple[str, ...] = (),
    **options: Any,
) -> RedditCollector:
    login = {} if logged_in else {"username": None, "password": None}
    reddit = create_client(reddit_settings(**login))
    return RedditCollector(
        reddit, subreddits=["acme"], keywords=keywords, feeds=feeds, lookback=None, **options
    )


def test_recorded_search_maps_six_submissions(tape: Any) -> None:
    with tape.use_cassette("TestSubreddit.test_search.json") as cassette:
        batch = recorded(feeds=("search",), keywords=("praw",)).fetch(None, limit=100)
    assert cassette.all_played
    assert len(batch.mentions) == 6
    assert batch.skipped == []
    oldest = batch.mentions[0]
    assert oldest.external_id == "t3_1qvzkd"
    assert oldest.text.startswith("Praw, opening a user page.")
    assert oldest.author.handle == "DAsSNipez"
    assert oldest.url is not None and "?" not in oldest.url
    assert [m.posted_at for m in batch.mentions] == sorted(m.posted_at for m in batch.mentions)
    assert any("たびたび" in m.text for m in batch.mentions)
    feeds = json.loads(batch.cursor or "")["feeds"]
    assert feeds["search"]["created_utc"] == 1458221634.0
    assert feeds["search"]["seen"] == {"t3_4at068": 1458221634.0}  # nothing else within the hour
    assert feeds["search"]["scope"] == 'acme "praw"'


def test_recorded_new_submissions_keep_every_post_of_the_same_second(tape: Any) -> None:
    with tape.use_cassette("TestSubredditStreams.test_submissions.json") as cassette:
        batch = recorded(feeds=("submissions",), max_scan=100).fetch(None, limit=500)
    assert cassette.play_count == 2  # the token and the first page; page two was not needed
    assert len(batch.mentions) == 100
    assert batch.mentions[-1].external_id == "t3_5jo13y"
    mark = json.loads(batch.cursor or "")["feeds"]["submissions"]
    assert mark["created_utc"] == 1482373050.0
    assert sorted(mark["seen"]) == [f"t3_5jo13{c}" for c in "tuvwxy"]


def test_recorded_comments_then_only_the_new_one(tape: Any) -> None:
    with tape.use_cassette("TestSubredditStreams.test_comments__with_pause.json") as cassette:
        collector = recorded(feeds=("comments",))
        first = collector.fetch(None, limit=100)
        quiet = collector.fetch(first.cursor, limit=100)
        later = collector.fetch(quiet.cursor, limit=100)
    assert cassette.all_played
    assert len(first.mentions) == 16
    reply_to_reply = next(m for m in first.mentions if m.external_id == "t1_dgauydy")
    assert reply_to_reply.in_reply_to_id == "t1_dg7dqfd"
    assert reply_to_reply.conversation_id == "t3_654eqk"
    assert reply_to_reply.url == "https://www.reddit.com/comments/654eqk/_/dgauydy/"
    assert quiet.mentions == [] and quiet.cursor == first.cursor
    assert [m.external_id for m in later.mentions] == ["t1_dgd9bcm"]


def test_recorded_username_mentions(tape: Any) -> None:
    with tape.use_cassette("TestInbox.test_mentions.json") as cassette:
        batch = recorded(feeds=("mentions",), logged_in=True, max_scan=16).fetch(None, limit=100)
    assert cassette.all_played
    assert len(batch.mentions) == 16
    newest = batch.mentions[-1]
    assert newest.external_id == "t1_ekftbox"
    assert newest.author.platform_user_id == "t2_3efd9zdo"
    assert newest.conversation_id == "t3_bb24k7"
    assert newest.in_reply_to_id == "t3_bb24k7"
    assert newest.url is not None and newest.url.endswith(
        "/comments/bb24k7/just_a_normal_girl_going_for_her_10th_class_exam/ekftbox/"
    )
    assert newest.raw["type"] == "username_mention"
    assert isinstance(newest.raw["subreddit"], str) and isinstance(newest.raw["author"], str)


@pytest.mark.parametrize(
    ("cassette", "error", "detail"),
    [
        ("TestSession.test_request__too__many_requests__with_retry_headers.json", RateLimited, 4.0),
        ("TestSession.test_request__forbidden.json", AuthFailed, "reddit.client_secret"),
        ("TestSession.test_request__service_unavailable.json", SourceUnavailable, None),
        (
            "TestScriptAuthorizer.test_refresh__with_invalid_username_or_password.json",
            AuthFailed,
            "reddit.client_id",
        ),
    ],
)
def test_recorded_errors_are_translated(
    tape: Any, no_sleep: list[float], cassette: str, error: type[Exception], detail: Any
) -> None:
    tape.match_on = ["method"]  # prawcore recorded other paths; any GET gets the error
    with tape.use_cassette(f"prawcore/{cassette}") as played, pytest.raises(error) as caught:
        recorded(feeds=("submissions",), logged_in="invalid_username" in cassette).fetch(
            None, limit=10
        )
    assert played.all_played
    assert isinstance(caught.value.__cause__, prawcore.PrawcoreException)
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == detail
    if isinstance(caught.value, AuthFailed):
        assert caught.value.credential == detail


@pytest.mark.parametrize(
    ("cassette", "feed", "credential"),
    [
        ("prawcore/TestSession.test_request__with_invalid_access_token.json", "submissions", None),
        ("TestInbox.test_message__unauthorized.json", "mentions", "reddit.password"),
    ],
)
def test_recorded_refusals_name_the_credential(
    tape: Any, no_sleep: list[float], cassette: str, feed: str, credential: str | None
) -> None:
    tape.match_on = ["method"]
    with (
        tape.use_cassette(cassette, allow_playback_repeats=True) as played,
        pytest.raises(AuthFailed) as caught,
    ):
        recorded(feeds=(feed,), logged_in=feed == "mentions").fetch(None, limit=10)
    assert played.all_played
    assert caught.value.credential == (credential or "reddit.client_secret")
    assert isinstance(caught.value.__cause__, prawcore.PrawcoreException)


def test_recorded_expired_token_is_renewed_once_and_the_fetch_goes_on(
    tape: Any, no_sleep: list[float]
) -> None:
    tape.match_on = ["method"]  # prawcore recorded the front page; it stands in for r/acme/new
    cassette = "prawcore/TestSession.test_request__with_invalid_access_token__retry.json"
    with tape.use_cassette(cassette) as played:
        batch = recorded(feeds=("submissions",), max_scan=25).fetch(None, limit=500)
    assert played.all_played and played.play_count == 4  # token, 401, new token, the page
    assert len(batch.mentions) == 25  # the recorded page: 25 submissions
    assert all(m.external_id.startswith("t3_") for m in batch.mentions)


def test_recorded_429_without_reset_is_a_short_wait_not_a_monthly_cap(
    tape: Any, no_sleep: list[float], sqlite_engine: Engine
) -> None:
    tape.match_on = ["method"]
    cassette = "prawcore/TestSession.test_request__too__many_requests__without_retry_headers.json"
    with tape.use_cassette(cassette) as played:
        report = run_collector(recorded(feeds=("submissions",)), engine=sqlite_engine)
    assert played.all_played
    assert (report.health, report.rate_limited) == ("rate_limited", True)
    assert report.retry_after == RATE_LIMIT_WAIT  # Reddit gave no reset; X's cap is not this


# --- integration: a fake Reddit on 127.0.0.1 -------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeReddit]:
    server = FakeReddit()
    server.start()
    yield server
    server.stop()


def ago(minutes: float) -> float:
    return round((datetime.now(UTC) - timedelta(minutes=minutes)).timestamp())


def collector_for(
    fake: FakeReddit, *, timeout: float = 5.0, max_scan: int = 1000, **overrides: Any
) -> RedditCollector:
    conf = reddit_settings(api_base_url=fake.url, **overrides)
    reddit = create_client(conf, timeout=timeout)
    return RedditCollector(
        reddit, subreddits=conf.subreddits, keywords=conf.keywords, max_scan=max_scan
    )


def mention_item(id: str, created: float, body: str = "u/acme_bot help") -> dict[str, Any]:
    data = comment(id, created, body=body, link="t3_p9", context=f"/r/else/comments/p9/t/{id}/")
    del data["permalink"], data["link_id"]
    return data


def ids(batch: Any) -> list[str]:
    return [m.external_id for m in batch.mentions]


def test_pages_every_feed_then_returns_only_what_is_new(fake: FakeReddit) -> None:
    fake.submissions = [submission(f"s{i}", ago(60 - i)) for i in range(1, 6)]
    fake.comments = [comment(f"c{i}", ago(50 - i)) for i in range(1, 4)]
    fake.comments.append(comment("bad", ago(45), body=None))
    fake.mentions = [mention_item("m1", ago(40))]
    collector = collector_for(fake)
    first = collector.fetch(None, limit=100)
    assert sorted(ids(first)) == sorted(
        ["t3_s1", "t3_s2", "t3_s3", "t3_s4", "t3_s5", "t1_c1", "t1_c2", "t1_c3", "t1_m1"]
    )
    assert first.skipped == [Skipped("t1_bad", "body is missing or not text")]
    assert first.exhausted
    assert any("after=t3_s4" in r for r in fake.requests), "listings are paged with after"
    assert not any("before=" in r for r in fake.requests)
    assert all(ua.startswith("python:socialcrm:") for ua in fake.user_agents)
    assert all("(by /u/acme_bot)" in ua for ua in fake.user_agents)

    fake.submissions.append(submission("s6", ago(5)))
    fake.comments.append(comment("c4", ago(4)))
    fake.mentions.append(mention_item("m2", ago(3)))
    second = collector.fetch(first.cursor, limit=100)
    assert ids(second) == ["t3_s6", "t1_c4", "t1_m2"]
    assert second.skipped == []
    third = collector.fetch(second.cursor, limit=100)
    assert third.mentions == [] and third.skipped == [] and third.exhausted
    assert third.cursor == second.cursor


def test_a_capped_fetch_hands_over_the_oldest_and_resumes(fake: FakeReddit) -> None:
    fake.submissions = [submission(f"s{i}", ago(60 - i)) for i in range(1, 8)]
    collector = collector_for(fake, password=None)
    cursor, seen, flags = None, [], []
    for _ in range(5):
        batch = collector.fetch(cursor, limit=3)
        seen.append(ids(batch))
        flags.append(batch.exhausted)
        cursor = batch.cursor
        if batch.exhausted:
            break
    assert seen == [["t3_s1", "t3_s2", "t3_s3"], ["t3_s4", "t3_s5", "t3_s6"], ["t3_s7"]]
    assert flags == [False, False, True]


def test_items_of_one_second_split_by_the_limit_are_each_handed_over_once(
    fake: FakeReddit,
) -> None:
    second = ago(10)
    fake.comments = [comment(f"c{i}", second) for i in range(1, 5)]
    collector = collector_for(fake, password=None)
    cursor, handed = None, []
    for _ in range(6):
        batch = collector.fetch(cursor, limit=1)
        handed += ids(batch)
        cursor = batch.cursor
    assert sorted(handed) == ["t1_c1", "t1_c2", "t1_c3", "t1_c4"]


def test_a_deleted_cursor_item_does_not_stall_the_feed(fake: FakeReddit) -> None:
    fake.submissions = [submission(f"s{i}", ago(30 - i)) for i in range(1, 4)]
    collector = collector_for(fake, password=None)
    first = collector.fetch(None, limit=100)
    fake.submissions = [s for s in fake.submissions if s["name"] != "t3_s3"]  # the cursor's item
    fake.submissions.append(submission("s4", ago(2)))
    later = collector.fetch(first.cursor, limit=100)
    assert ids(later) == ["t3_s4"]


def test_a_backlog_deeper_than_the_listing_is_reported_as_a_gap(fake: FakeReddit) -> None:
    first_seen = ago(60)
    fake.comments = [comment("c0", first_seen)]
    collector = collector_for(fake, password=None, max_scan=3)
    first = collector.fetch(None, limit=100)
    fake.comments += [comment(f"c{i}", ago(50 - i)) for i in range(1, 5)]
    later = collector.fetch(first.cursor, limit=100)
    assert ids(later) == ["t1_c2", "t1_c3", "t1_c4"]  # c1 is beyond what the listing serves
    assert later.skipped == []
    [gap] = later.gaps
    assert gap.reason.startswith("reddit comments: read 3 items")
    assert gap.start == datetime.fromtimestamp(first_seen, UTC).isoformat(timespec="seconds")
    assert gap.end == datetime.fromtimestamp(
        later.mentions[0].posted_at.timestamp(), UTC
    ).isoformat(timespec="seconds")
    assert collector.fetch(later.cursor, limit=100).gaps == []


def test_the_first_run_reads_back_only_the_lookback(fake: FakeReddit) -> None:
    fake.submissions = [submission("old", ago(60 * 24 * 30)), submission("new", ago(60))]
    assert ids(collector_for(fake, password=None).fetch(None, limit=100)) == ["t3_new"]


def test_keywords_are_searched_and_filter_the_subreddit_feeds(fake: FakeReddit) -> None:
    fake.submissions = [
        submission("hit", ago(20), title="ACME support is slow"),
        submission("miss", ago(19), title="Unrelated"),
    ]
    fake.comments = [comment("c1", ago(18), body="acme!"), comment("c2", ago(17), body="acmex")]
    collector = collector_for(fake, password=None, keywords=["acme"])
    batch = collector.fetch(None, limit=100)
    assert ids(batch) == ["t3_hit", "t1_c1"]  # found by search and by the feed: once
    search = next(r for r in fake.requests if "/search/" in r)
    assert "q=%22acme%22" in search and "sort=new" in search and "restrict_sr=True" in search
    assert "t=month" in search, "the first run reaches back the 7-day lookback"
    fake.requests.clear()
    collector.fetch(batch.cursor, limit=100)
    assert "t=day" in next(r for r in fake.requests if "/search/" in r), "last run + an hour"


def test_search_rereads_an_hour_for_posts_indexed_late(fake: FakeReddit) -> None:
    fake.submissions = [submission("a", ago(30), title="acme one")]
    collector = collector_for(fake, password=None, subreddits=[], keywords=["acme"])
    first = collector.fetch(None, limit=100)
    fake.submissions.append(submission("late", ago(40), title="acme indexed late"))
    fake.submissions.append(submission("older", ago(120), title="acme long before"))
    second = collector.fetch(first.cursor, limit=100)
    assert ids(first) == ["t3_a"]
    assert ids(second) == ["t3_late"]
    assert collector.fetch(second.cursor, limit=100).mentions == []
    assert any("/r/all/search/" in r and "restrict_sr=False" in r for r in fake.requests)


def test_changed_keywords_read_the_lookback_again(fake: FakeReddit) -> None:
    fake.submissions = [
        submission("a", ago(30), title="acme"),
        submission("b", ago(60), title="zeta"),
    ]
    first = collector_for(fake, password=None, keywords=["acme"]).fetch(None, limit=100)
    widened = collector_for(fake, password=None, keywords=["acme", "zeta"])
    assert ids(widened.fetch(first.cursor, limit=100)) == ["t3_b", "t3_a"]
    unchanged = collector_for(fake, password=None, keywords=["acme"])
    assert unchanged.fetch(first.cursor, limit=100).mentions == []


def test_an_unreadable_cursor_reads_the_lookback_again(fake: FakeReddit) -> None:
    fake.submissions = [submission("a", ago(30))]
    batch = collector_for(fake, password=None).fetch("{not json", limit=100)
    assert ids(batch) == ["t3_a"]
    assert batch.skipped[0].where == "reddit cursor"
    assert json.loads(batch.cursor or "")["feeds"]["submissions"]["created_utc"] == ago(30)


def test_deleted_items_are_reported_and_their_text_is_not_kept(fake: FakeReddit) -> None:
    fake.comments = [comment("gone", ago(10), body="[removed]"), comment("ok", ago(9))]
    collector = collector_for(fake, password=None)
    batch = collector.fetch(None, limit=100)
    assert ids(batch) == ["t1_ok"]
    assert batch.skipped == [Skipped("t1_gone", DELETED_ON_REDDIT)]
    fake.comments[1]["body"] = "[deleted]"
    fake.submissions = [submission("s1", ago(8), selftext="[removed]"), submission("s2", ago(7))]
    gone = collector.deleted(["t1_ok", "t1_gone", "t3_s1", "t3_s2", "t1_ok"])
    assert sorted(gone) == ["t1_gone", "t1_ok", "t3_s1"]
    assert collector.deleted([]) == []


@pytest.mark.parametrize(
    ("mode", "error", "credential"),
    [
        ("401", AuthFailed, "reddit.password"),
        ("403", AuthFailed, "reddit.password"),
        ("bad-secret", AuthFailed, "reddit.client_secret"),
        ("bad-password", AuthFailed, "reddit.password"),
        ("503", SourceUnavailable, None),
    ],
)
def test_errors_are_translated_naming_the_setting(
    fake: FakeReddit, no_sleep: list[float], mode: str, error: type[Exception], credential: Any
) -> None:
    fake.mode = mode
    with pytest.raises(error) as caught:
        collector_for(fake).fetch(None, limit=10)
    assert getattr(caught.value, "credential", None) == credential
    assert SECRET not in str(caught.value) and PASSWORD not in str(caught.value)


def test_a_read_only_403_names_the_app_secret(fake: FakeReddit) -> None:
    fake.mode = "403"
    with pytest.raises(AuthFailed) as caught:
        collector_for(fake, username=None, password=None).fetch(None, limit=10)
    assert caught.value.credential == "reddit.client_secret"
    assert "r/acme" in str(caught.value)


def test_a_429_gives_the_reset_without_retrying_or_sleeping(fake: FakeReddit) -> None:
    fake.mode = "429"
    with pytest.raises(RateLimited) as caught:
        collector_for(fake).fetch(None, limit=10)
    assert caught.value.retry_after == 42.0
    assert sum(r.startswith("GET") for r in fake.requests) == 1


def test_a_stalled_answer_times_out(fake: FakeReddit, no_sleep: list[float]) -> None:
    fake.mode = "slow"
    with pytest.raises(SourceUnavailable, match="ReadTimeout"):
        collector_for(fake, timeout=0.2).fetch(None, limit=10)


def test_secrets_never_reach_the_log(fake: FakeReddit, caplog: pytest.LogCaptureFixture) -> None:
    fake.submissions = [submission("s1", ago(5))]
    with caplog.at_level(logging.DEBUG):
        collector_for(fake).fetch(None, limit=10)
    assert caplog.records, "prawcore logs at DEBUG; the check must see something"
    assert SECRET not in caplog.text and PASSWORD not in caplog.text


def test_the_runner_stores_every_served_item_once(fake: FakeReddit, sqlite_engine: Engine) -> None:
    fake.submissions = [submission(f"s{i}", ago(30 - i)) for i in range(1, 6)]
    fake.comments = [comment(f"c{i}", ago(20 - i)) for i in range(1, 4)]
    collector = collector_for(fake, password=None)
    report = run_collector(collector, engine=sqlite_engine, limit=3)
    assert (report.error, report.fetched, report.new) == (None, 8, 8)
    fake.comments.append(comment("c9", ago(1)))
    again = run_collector(collector, engine=sqlite_engine, limit=3)
    assert (again.error, again.new, again.duplicates) == (None, 1, 0)


def test_the_sweep_rechecks_recent_items_and_reports_the_deleted_ones(fake: FakeReddit) -> None:
    fake.comments = [comment("keep", ago(20)), comment("gone", ago(19))]
    now = [datetime.now(UTC)]
    conf = reddit_settings(api_base_url=fake.url, password=None)
    collector = RedditCollector(
        create_client(conf, timeout=5.0),
        subreddits=conf.subreddits,
        keywords=conf.keywords,
        sweep_every=timedelta(minutes=15),
        clock=lambda: now[0],
    )
    first = collector.fetch(None, limit=100)
    assert ids(first) == ["t1_keep", "t1_gone"] and first.deleted == []
    fake.comments[1]["body"] = "[deleted]"
    soon = collector.fetch(first.cursor, limit=100)
    assert soon.deleted == []  # not due yet: no /api/info call
    now[0] += timedelta(minutes=16)
    due = collector.fetch(soon.cursor, limit=100)
    assert due.deleted == ["t1_gone"]
    assert sorted(json.loads(due.cursor or "")["recent"]) == ["t1_keep"]
    now[0] += timedelta(days=8)  # past the sweep window: nothing left to re-check
    assert json.loads(collector.fetch(due.cursor, limit=100).cursor or "")["recent"] == {}


def test_an_item_met_deleted_is_reported_deleted_at_once(fake: FakeReddit) -> None:
    fake.comments = [comment("gone", ago(10), body="[removed]")]
    batch = collector_for(fake, password=None).fetch(None, limit=100)
    assert batch.deleted == ["t1_gone"] and batch.mentions == []
