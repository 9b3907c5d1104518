"""The Bluesky collector: mappers and matching, then search and Jetstream against local fakes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from atproto import models
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import select

from config.settings import BlueskySettings, Settings
from crm.db import session_scope
from crm.mentions import purge_deleted, store_mentions
from crm.models import Mention
from listener.bluesky import BlueskyCollector, Matcher, jetstream_url, to_mention
from listener.errors import (
    AuthFailed,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
)
from tests.listener.fake_bluesky import (
    BRAND_DID,
    HANDLE,
    PASSWORD,
    POST,
    FakeAppView,
    FakeJetstream,
    closed_port,
    delete_event,
    post_event,
    post_view,
    silent_port,
)

FAN = "did:plc:fan4kq7x2m3vbz6nw5yrc8dt"
OTHER = "did:plc:other9h2k4m6p8r1t3v5x7zq"
KEYWORDS = ["Acme Cloud", "#acmefail"]
SECOND = 1_000_000


def brand_post(rkey: str) -> str:
    return f"at://{BRAND_DID}/{POST}/{rkey}"


def matcher() -> Matcher:
    return Matcher(handle=HANDLE, keywords=KEYWORDS, did=BRAND_DID)


# --- mapping -----------------------------------------------------------------------------------


def test_search_result_becomes_a_mention_with_author_and_links() -> None:
    view = post_view(
        FAN,
        "3kabc",
        "Is Acme Cloud down?",
        handle="fan.bsky.social",
        indexed_at="2026-11-20T10:00:05.123Z",
        langs=["en", "de"],
    )
    view["author"]["followersCount"] = 312
    mention = to_mention(view)
    assert mention.platform == "bluesky"
    assert mention.external_id == f"at://{FAN}/{POST}/3kabc"
    assert mention.url == "https://bsky.app/profile/fan.bsky.social/post/3kabc"
    assert (mention.author.platform_user_id, mention.author.handle) == (FAN, "fan.bsky.social")
    assert (mention.author.display_name, mention.author.followers) == ("Fan", 312)
    assert mention.posted_at == datetime(2026, 11, 20, 10, 0, 5, 123000, tzinfo=UTC)
    assert mention.conversation_id == mention.external_id
    assert mention.in_reply_to_id is None
    assert mention.language == "en"
    assert json.loads(json.dumps(mention.raw)) == view


def test_reply_links_to_its_thread_and_parent() -> None:
    reply = {
        "root": {"uri": brand_post("3root"), "cid": "bafyroot"},
        "parent": {"uri": f"at://{OTHER}/{POST}/3parent", "cid": "bafyparent"},
    }
    mention = to_mention(post_event(FAN, "3kreply", "same here", time_us=1, reply=reply))
    assert mention.conversation_id == brand_post("3root")
    assert mention.in_reply_to_id == f"at://{OTHER}/{POST}/3parent"


def test_quote_post_keeps_the_quoted_post_in_raw_only() -> None:
    embed = {"$type": "app.bsky.embed.record", "record": {"uri": brand_post("3q"), "cid": "b"}}
    mention = to_mention(post_event(FAN, "3kq", "look at this", time_us=1, embed=embed))
    assert mention.repost_of is None
    assert mention.raw["commit"]["record"]["embed"]["record"]["uri"] == brand_post("3q")


@pytest.mark.parametrize(
    ("text", "kind", "linked"),
    [
        ("", "app.bsky.embed.record", True),
        ("https://bsky.app/profile/x/post/3q", "app.bsky.embed.record", True),
        ("", "app.bsky.embed.recordWithMedia", True),
        ("same here", "app.bsky.embed.record", False),
    ],
)
def test_a_quote_that_says_nothing_points_at_the_quoted_post(
    text: str, kind: str, linked: bool
) -> None:
    quoted = f"at://{OTHER}/{POST}/3q"
    ref = {"uri": quoted, "cid": "b"}
    embed = {"$type": kind, "record": {"record": ref} if kind.endswith("WithMedia") else ref}
    mention = to_mention(post_event(FAN, "3kq", text, time_us=1, embed=embed))
    assert mention.repost_of == (quoted if linked else None)


def test_an_embedded_feed_or_list_is_not_a_quote() -> None:
    feed = f"at://{OTHER}/app.bsky.feed.generator/hot"
    embed = {"$type": "app.bsky.embed.record", "record": {"uri": feed, "cid": "b"}}
    assert to_mention(post_event(FAN, "3kq", "", time_us=1, embed=embed)).repost_of is None


def test_jetstream_event_becomes_a_mention_addressed_by_did() -> None:
    event = post_event(FAN, "3kjet", "@acmesupport.bsky.social hi", time_us=1_732_270_000_000_000)
    mention = to_mention(event)
    assert mention.external_id == f"at://{FAN}/{POST}/3kjet"
    assert mention.url == f"https://bsky.app/profile/{FAN}/post/3kjet"
    assert mention.author.platform_user_id == FAN
    assert mention.author.handle == ""
    assert mention.posted_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert mention.raw == event


def test_unreadable_created_at_falls_back_to_the_time_jetstream_saw_it() -> None:
    event = post_event(FAN, "3kt", "acme cloud", time_us=1_732_270_000_000_000, createdAt="soon")
    assert to_mention(event).posted_at == datetime(2024, 11, 22, 10, 6, 40, tzinfo=UTC)


def test_right_to_left_text_and_its_language_survive() -> None:
    text = "خدمة Acme Cloud متوقفة منذ الصباح؟"
    mention = to_mention(post_event(FAN, "3kar", text, time_us=1, langs=["ar"]))
    assert (mention.text, mention.language) == (text, "ar")
    assert matcher().matches({"text": text}, author_did=FAN)


def test_unusable_handle_falls_back_to_the_did_in_the_url() -> None:
    view = post_view(FAN, "3kinv", "acme cloud", handle="handle.invalid", indexed_at="2026-11-20")
    assert to_mention(view).url == f"https://bsky.app/profile/{FAN}/post/3kinv"


def test_sdk_post_view_model_maps_like_its_json() -> None:
    view = post_view(
        FAN, "3ksdk", "Acme Cloud", handle="fan.bsky.social", indexed_at="2026-11-20T10:00:00Z"
    )
    model = models.AppBskyFeedDefs.PostView.model_validate(view)
    assert to_mention(model).external_id == to_mention(view).external_id


def _broken(**changes: Any) -> dict[str, Any]:
    view = post_view(FAN, "3kbad", "acme cloud", handle="fan.bsky.social", indexed_at="2026-11-20")
    view.update(changes)
    return view


def _event(**commit: Any) -> dict[str, Any]:
    event = post_event(FAN, "3kbad", "acme cloud", time_us=5)
    event["commit"].update(commit)
    return event


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        pytest.param(["not", "an", "object"], "JSON object", id="not-an-object"),
        pytest.param(_broken(uri="https://bsky.app/x"), "at:// URI", id="not-at-uri"),
        pytest.param(_broken(uri=f"at://{FAN}/app.bsky.feed.like/3k"), "at:// URI", id="a-like"),
        pytest.param(_broken(author={"handle": "x"}), "author", id="author-without-did"),
        pytest.param(_broken(author={"did": OTHER}), "author", id="author-not-in-uri"),
        pytest.param(_broken(record={"createdAt": "2026-11-20"}), "no text", id="no-text"),
        pytest.param(_broken(record={"text": 7}), "no text", id="text-not-string"),
        pytest.param(
            _broken(record={"text": "a", "createdAt": "x"}, indexedAt=None), "ISO", id="no-time"
        ),
        pytest.param(_event(rkey="bad key!"), "record key", id="bad-rkey"),
        pytest.param(_event(operation="delete", record=None), "creation", id="a-delete"),
        pytest.param({**_event(), "did": "alice"}, "DID", id="bad-did"),
        pytest.param({**_event(), "time_us": "5"}, "time_us", id="time-not-int"),
    ],
)
def test_malformed_payloads_say_what_is_wrong(payload: Any, why: str) -> None:
    with pytest.raises(MalformedPayload, match=why):
        to_mention(payload)


# --- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is ACME CLOUD down again?", True),
        ("acme cloud's new pricing", True),
        ("(Acme Cloud)", True),
        ("@AcmeSupport.bsky.social my order", True),
        ("thanks @acmesupport.bsky.social.", True),
        ("see bsky.app/profile/acmesupport.bsky.social", True),
        ("#acmefail again", True),
        ("AcmeCloud is one word", False),
        ("acme cloudy skies", False),
        ("acme  \n cloud", True),
        ("@acmesupport.bsky.social.evil.com", False),
        ("@notacmesupport.bsky.social", False),
        ("acmefail without the hash", False),
        ("", False),
    ],
)
def test_text_matches_handle_and_keywords_as_whole_words(text: str, expected: bool) -> None:
    assert matcher().matches({"text": text}, author_did=FAN) is expected


def test_a_facet_mentioning_the_brand_is_a_mention_even_if_the_text_is_not() -> None:
    facet = {
        "index": {"byteStart": 0, "byteEnd": 6},
        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": BRAND_DID}],
    }
    other = {**facet, "features": [{"$type": "app.bsky.richtext.facet#mention", "did": OTHER}]}
    assert matcher().matches({"text": "@Acme! help", "facets": [facet]}, author_did=FAN)
    assert not matcher().matches({"text": "@Acme! help", "facets": [other]}, author_did=FAN)


def test_replies_and_quotes_of_the_brand_are_mentions() -> None:
    reply = {"parent": {"uri": brand_post("3p")}, "root": {"uri": brand_post("3p")}}
    quote = {
        "$type": "app.bsky.embed.recordWithMedia",
        "record": {"record": {"uri": brand_post("3q")}},
    }
    unrelated = {"parent": {"uri": f"at://{OTHER}/{POST}/3p"}, "root": {"uri": "junk"}}
    assert matcher().matches({"text": "ok", "reply": reply}, author_did=FAN)
    assert matcher().matches({"text": "lol", "embed": quote}, author_did=FAN)
    assert not matcher().matches({"text": "ok", "reply": unrelated}, author_did=FAN)


def test_the_brands_own_posts_are_never_mentions() -> None:
    assert not matcher().matches({"text": "Acme Cloud update"}, author_did=BRAND_DID)
    assert matcher().matches({"text": "Acme Cloud update"}, author_did=FAN)


def test_jetstream_url_asks_for_posts_from_the_cursor_and_keeps_existing_parameters() -> None:
    url = jetstream_url("wss://js.example/subscribe?compress=false", cursor_us=17)
    assert url == (
        "wss://js.example/subscribe?compress=false&wantedCollections=app.bsky.feed.post&cursor=17"
    )
    assert "cursor" not in jetstream_url("wss://js.example/subscribe", cursor_us=None)


# --- settings ----------------------------------------------------------------------------------


def _settings(settings: Settings, **bluesky: Any) -> Settings:
    return settings.model_copy(update={"bluesky": BlueskySettings(**bluesky)})


@pytest.mark.parametrize(
    ("bluesky", "names"),
    [
        ({}, "bluesky.handle"),
        ({"handle": "@ "}, "bluesky.handle"),
        ({"handle": HANDLE}, "bluesky.app_password"),
        ({"handle": HANDLE, "app_password": SecretStr("")}, "bluesky.app_password"),
        (
            {"handle": HANDLE, "app_password": SecretStr("x"), "jetstream_url": "https://x"},
            "bluesky.jetstream_url",
        ),
    ],
)
def test_without_the_brand_account_the_source_is_off_and_says_what_to_set(
    settings: Settings, bluesky: dict[str, Any], names: str
) -> None:
    with pytest.raises(NotConfigured, match=names.replace(".", r"\.")):
        BlueskyCollector.from_settings(_settings(settings, **bluesky))


def test_configured_collector_listens_for_handle_and_keywords(settings: Settings) -> None:
    collector = BlueskyCollector.from_settings(
        _settings(
            settings,
            handle="@AcmeSupport.bsky.social",
            app_password=SecretStr("p"),
            keywords=["Acme Cloud", " ", "acmesupport.bsky.social"],
        )
    )
    assert collector.name == "bluesky"
    assert collector.queries == [HANDLE, "Acme Cloud"]


# --- integration: a fake AppView and a fake Jetstream on 127.0.0.1 -----------------------------


@pytest.fixture
def appview() -> Iterator[FakeAppView]:
    with FakeAppView() as fake:
        yield fake


@pytest.fixture
def jetstream() -> Iterator[FakeJetstream]:
    with FakeJetstream() as fake:
        yield fake


def collector(
    appview: FakeAppView, jetstream_url: str = "ws://127.0.0.1:9/subscribe", **options: Any
) -> BlueskyCollector:
    bluesky = BlueskySettings(
        handle=HANDLE,
        app_password=SecretStr(PASSWORD),
        keywords=KEYWORDS,
        api_base_url=appview.url,
        jetstream_url=jetstream_url,
    )
    options = {"listen_seconds": 2.0, "idle_seconds": 0.15, "open_timeout": 0.5, **options}
    return BlueskyCollector(bluesky, **options)


def _jetstream_with_record(record: Any, *, time_us: int) -> dict[str, Any]:
    event = post_event(FAN, "3kodd", "", time_us=time_us)
    event["commit"]["record"] = record
    return event


def listening_from(time_us: int, recent: dict[str, int] | None = None) -> str:
    return json.dumps({"jetstream_time_us": time_us, "recent": recent or {}, "search": None})


def recently() -> int:
    """A Jetstream time two minutes ago: well inside what Jetstream keeps, well before now."""
    return (int(time.time()) - 120) * SECOND


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_first_run_backfills_by_search_page_by_page_then_switches_to_jetstream(
    appview: FakeAppView,
) -> None:
    now = datetime.now(UTC)
    wanted = []
    for i in range(7):
        text = f"Acme Cloud outage {i}" if i % 2 else f"@{HANDLE} where is order {i}?"
        view = post_view(
            FAN,
            f"3kok{i}",
            text,
            handle="fan.bsky.social",
            indexed_at=_iso(now - timedelta(hours=i + 1)),
        )
        appview.posts.append(view)
        wanted.append(view["uri"])
    appview.posts += [
        post_view(FAN, "3knear", "Acme Cloudy skies", handle="f.bsky.social", indexed_at=_iso(now)),
        post_view(BRAND_DID, "3kown", "Acme Cloud is back", handle=HANDLE, indexed_at=_iso(now)),
        {**post_view(FAN, "3kbad", "Acme Cloud", handle="f", indexed_at=_iso(now)), "author": {}},
        post_view(FAN, "3kold", "acme cloud", handle="f", indexed_at=_iso(now - timedelta(days=9))),
    ]
    source, cursor, got, skipped, batches = collector(appview), None, [], [], 0
    while True:
        batch = source.fetch(cursor, limit=2)
        batches += 1
        assert len(batch.mentions) <= 2
        got += [m.external_id for m in batch.mentions]
        skipped += batch.skipped
        cursor = batch.cursor
        if json.loads(cursor)["search"] is None:
            break
    assert sorted(got) == sorted(wanted)
    assert len(got) == len(set(got))
    assert [s.where for s in skipped] == [f"at://{FAN}/{POST}/3kbad"]
    assert batches >= 4
    state = json.loads(cursor)
    assert state["jetstream_time_us"] == pytest.approx((now.timestamp() - 60) * SECOND, abs=5e6)
    searches = appview.calls("app.bsky.feed.searchPosts")
    assert {s["q"][0] for s in searches} == {HANDLE, "Acme Cloud", "#acmefail"}
    assert all(s["sort"] == ["latest"] and s["since"][0] < _iso(now) for s in searches)
    assert len(appview.calls("com.atproto.server.createSession")) == 1


def test_a_post_found_by_two_queries_comes_once_per_batch(appview: FakeAppView) -> None:
    both = f"@{HANDLE} Acme Cloud is down"
    view = post_view(FAN, "3kboth", both, handle="f", indexed_at=_iso(datetime.now(UTC)))
    appview.posts.append(view)
    batch = collector(appview).fetch(None, limit=100)
    assert [m.external_id for m in batch.mentions] == [view["uri"]]
    assert len(appview.calls("app.bsky.feed.searchPosts")) == 3


def test_rate_limit_reports_when_the_window_resets(appview: FakeAppView) -> None:
    appview.mode["app.bsky.feed.searchPosts"] = "429"
    with pytest.raises(RateLimited) as caught:
        collector(appview).fetch(None, limit=10)
    assert caught.value.retry_after is not None
    assert 25 <= caught.value.retry_after <= 31


def test_wrong_app_password_fails_auth_naming_the_setting(appview: FakeAppView) -> None:
    bad = collector(appview)
    bad.settings = bad.settings.model_copy(update={"app_password": SecretStr("wrong-pass")})
    with pytest.raises(AuthFailed) as caught:
        bad.fetch(None, limit=10)
    assert caught.value.credential == "bluesky.app_password"
    assert "wrong-pass" not in str(caught.value)
    assert appview.calls("app.bsky.feed.searchPosts") == []


def test_server_error_is_transient(appview: FakeAppView) -> None:
    appview.mode["app.bsky.feed.searchPosts"] = "500"
    with pytest.raises(SourceUnavailable, match="500"):
        collector(appview).fetch(None, limit=10)


def test_search_that_cannot_page_further_is_recorded_not_retried_forever(
    appview: FakeAppView,
) -> None:
    now = datetime.now(UTC)
    appview.posts += [
        post_view(FAN, f"3kp{i}", "acme cloud", handle="f", indexed_at=_iso(now)) for i in range(3)
    ]
    appview.mode["app.bsky.feed.searchPosts"] = "400-paged"
    source = collector(appview, max_pages=50)
    batch = source.fetch(None, limit=2)
    batch = source.fetch(batch.cursor, limit=2)
    assert any("stopped paging" in s.reason for s in batch.skipped)
    assert json.loads(batch.cursor or "")["search"] is None


def test_jetstream_resumes_a_few_seconds_back_and_drops_only_what_it_already_took(
    appview: FakeAppView, jetstream: FakeJetstream
) -> None:
    stored = recently()
    taken = f"at://{FAN}/{POST}/3kwindow"
    jetstream.add(post_event(FAN, "3kbefore", "acme cloud", time_us=stored - 8 * SECOND))
    jetstream.add(post_event(FAN, "3kwindow", "acme cloud", time_us=stored - 3 * SECOND))
    jetstream.add(
        post_event(OTHER, "3klate", "@acmesupport.bsky.social ?", time_us=stored - SECOND)
    )
    jetstream.add(post_event(FAN, "3knew", "Acme Cloud down", time_us=stored + SECOND))
    jetstream.add(post_event(FAN, "3knear", "AcmeCloud rocks", time_us=stored + 2 * SECOND))
    jetstream.add(post_event(BRAND_DID, "3kown", "Acme Cloud news", time_us=stored + 3 * SECOND))
    jetstream.add("{not json", time_us=stored + 4 * SECOND)
    jetstream.add(post_event(FAN, "bad rkey", "acme cloud", time_us=stored + 5 * SECOND))
    jetstream.add({"did": FAN, "time_us": stored + 6 * SECOND, "kind": "identity"})
    jetstream.add(_jetstream_with_record([1, 2], time_us=stored + 6 * SECOND + 1))
    facet = {"features": [{"$type": "app.bsky.richtext.facet#mention", "did": BRAND_DID}]}
    jetstream.add(
        post_event(OTHER, "3kfacet", "hey you", time_us=stored + 7 * SECOND, facets=[facet])
    )
    appview.profiles[OTHER] = {"did": OTHER, "handle": "o.bsky.social", "followersCount": 9}
    source = collector(appview, jetstream.url)

    batch = source.fetch(listening_from(stored, {taken: stored - 3 * SECOND}), limit=100)

    assert jetstream.cursors == [stored - 5 * SECOND]
    assert "wantedCollections=app.bsky.feed.post" in jetstream.paths[0]
    assert [m.external_id.rsplit("/", 1)[1] for m in batch.mentions] == [
        "3klate",
        "3knew",
        "3kfacet",
    ]
    late = batch.mentions[0]
    assert (late.author.handle, late.author.followers) == ("o.bsky.social", 9)
    assert sorted(s.reason[:20] for s in batch.skipped) == [
        "not JSON (Expecting ",
        "the URI's DID or rec",
    ]
    assert batch.exhausted
    state = json.loads(batch.cursor or "")
    assert state["jetstream_time_us"] == stored + 7 * SECOND
    # What was taken or skipped in the last rewind window, so the next connection drops it.
    assert set(state["recent"]) == {f"at://{OTHER}/{POST}/3kfacet", f"at://{FAN}/{POST}/bad rkey"}

    again = source.fetch(batch.cursor, limit=100)
    assert jetstream.cursors[-1] == stored + 2 * SECOND
    assert again.mentions == []
    assert [s.where for s in again.skipped] == ["jetstream message"]  # unparsable: no URI to drop
    jetstream.add(post_event(FAN, "3klatest", "#AcmeFail", time_us=stored + 9 * SECOND))
    latest = source.fetch(again.cursor, limit=100)
    assert [m.external_id.rsplit("/", 1)[1] for m in latest.mentions] == ["3klatest"]
    assert len(appview.calls("com.atproto.server.createSession")) == 1


def test_jetstream_stops_at_the_limit_and_the_next_fetch_loses_nothing(
    appview: FakeAppView, jetstream: FakeJetstream
) -> None:
    stored = recently()
    for i in range(9):
        jetstream.add(post_event(FAN, f"3k{i}", "acme cloud", time_us=stored + i * 2 * SECOND))
    source, cursor, got = collector(appview, jetstream.url), listening_from(stored), []
    for _ in range(5):
        batch = source.fetch(cursor, limit=4)
        assert len(batch.mentions) <= 4
        assert batch.exhausted is (len(batch.mentions) < 4)
        got += [m.external_id for m in batch.mentions]
        cursor = batch.cursor
        if batch.exhausted:
            break
    assert got == [f"at://{FAN}/{POST}/3k{i}" for i in range(9)]
    assert json.loads(cursor or "")["jetstream_time_us"] == stored + 16 * SECOND


def test_jetstream_fetch_returns_within_its_time_budget_on_a_busy_stream(
    appview: FakeAppView, jetstream: FakeJetstream
) -> None:
    stored = recently()
    jetstream.trickle_from = stored
    source = collector(appview, jetstream.url, listen_seconds=0.5)
    result: list[Any] = []
    worker = threading.Thread(
        target=lambda: result.append(source.fetch(listening_from(stored), limit=10))
    )
    worker.start()
    worker.join(timeout=30)  # the stream never ends: only the budget can stop the fetch
    assert not worker.is_alive(), "fetch ignored its time budget on an endless stream"
    batch = result[0]
    assert not batch.exhausted
    assert json.loads(batch.cursor or "")["jetstream_time_us"] > stored


def test_unreachable_jetstream_is_transient(appview: FakeAppView) -> None:
    source = collector(appview, f"ws://127.0.0.1:{closed_port()}/subscribe")
    with pytest.raises(SourceUnavailable, match="Jetstream"):
        source.fetch(listening_from(recently()), limit=10)
    with silent_port() as port:
        source = collector(appview, f"ws://127.0.0.1:{port}/subscribe", open_timeout=0.3)
        with pytest.raises(SourceUnavailable, match="Jetstream"):  # the port never answers
            source.fetch(listening_from(recently()), limit=10)


def test_after_downtime_longer_than_jetstream_keeps_events_search_fills_the_gap(
    appview: FakeAppView,
) -> None:
    last_seen = datetime.now(UTC) - timedelta(days=2)
    appview.posts.append(
        post_view(
            FAN, "3kgap", "Acme Cloud", handle="f", indexed_at=_iso(last_seen + timedelta(hours=1))
        )
    )
    batch = collector(appview).fetch(listening_from(int(last_seen.timestamp() * SECOND)), limit=10)
    assert [m.external_id for m in batch.mentions] == [f"at://{FAN}/{POST}/3kgap"]
    since = datetime.fromisoformat(appview.calls("app.bsky.feed.searchPosts")[0]["since"][0])
    assert abs(since - (last_seen - timedelta(seconds=5))) < timedelta(milliseconds=1)
    assert json.loads(batch.cursor or "")["search"] is None


def test_a_quiet_jetstream_does_not_hold_the_fetch(
    appview: FakeAppView, jetstream: FakeJetstream
) -> None:
    stored = recently()
    source = collector(appview, jetstream.url, listen_seconds=0.5, idle_seconds=120.0)
    result: list[Any] = []
    worker = threading.Thread(
        target=lambda: result.append(source.fetch(listening_from(stored), limit=10))
    )
    worker.start()
    worker.join(timeout=30)  # far less than idle_seconds: only the listen budget can end it
    assert not worker.is_alive(), "fetch blocked on a silent connection"
    assert json.loads(result[0].cursor)["jetstream_time_us"] == stored


@pytest.mark.parametrize(
    ("status", "error", "retry_after"), [(429, RateLimited, 7.0), (502, SourceUnavailable, None)]
)
def test_jetstream_refusing_the_handshake_is_translated(
    appview: FakeAppView,
    jetstream: FakeJetstream,
    status: int,
    error: type[Exception],
    retry_after: float | None,
) -> None:
    jetstream.refuse = (status, "7")
    with pytest.raises(error) as caught:
        collector(appview, jetstream.url).fetch(listening_from(recently()), limit=10)
    assert getattr(caught.value, "retry_after", None) == retry_after


def test_an_unreadable_cursor_starts_over_with_a_backfill(appview: FakeAppView) -> None:
    batch = collector(appview).fetch('{"jetstream_time_us": "soon"}', limit=10)
    assert len(appview.calls("app.bsky.feed.searchPosts")) == 3
    assert json.loads(batch.cursor or "")["search"] is None


def test_reading_stops_once_it_reaches_the_moment_the_fetch_began(
    appview: FakeAppView, jetstream: FakeJetstream
) -> None:
    stored = recently()
    live = (int(time.time()) + 60) * SECOND  # after the fetch begins, however slow the machine
    jetstream.add(post_event(FAN, "3klive", "acme cloud", time_us=live))
    jetstream.add(post_event(FAN, "3klater", "acme cloud", time_us=live + SECOND))
    source = collector(appview, jetstream.url, listen_seconds=3.0, idle_seconds=3.0)
    batch = source.fetch(listening_from(stored), limit=10)
    assert batch.exhausted
    assert [m.external_id for m in batch.mentions] == [f"at://{FAN}/{POST}/3klive"]
    assert json.loads(batch.cursor or "")["jetstream_time_us"] == live  # 3klater left unread


def test_jetstream_delete_commits_come_back_as_deleted_and_are_purged(
    appview: FakeAppView, jetstream: FakeJetstream, sqlite_engine: Engine
) -> None:
    stored = recently()
    jetstream.add(post_event(FAN, "3kdoomed", "acme cloud is down", time_us=stored + SECOND))
    jetstream.add(delete_event(FAN, "3kdoomed", time_us=stored + 2 * SECOND))
    jetstream.add(delete_event(FAN, "3kstranger", time_us=stored + 3 * SECOND))
    source = collector(appview, jetstream.url, listen_seconds=2.0, idle_seconds=0.5)
    batch = source.fetch(listening_from(stored), limit=10)
    doomed = f"at://{FAN}/{POST}/3kdoomed"
    assert [m.external_id for m in batch.mentions] == [doomed]
    assert batch.deleted == [doomed, f"at://{FAN}/{POST}/3kstranger"]
    with session_scope(sqlite_engine) as session:
        store_mentions(session=session, mentions=batch.mentions, source="bluesky")
        purged = purge_deleted(session=session, source="bluesky", external_ids=batch.deleted)
        assert len(purged) == 1
        assert session.exec(select(Mention.text)).one() == ""
