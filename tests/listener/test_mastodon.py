"""The Mastodon collector: the status mapper, and the real Mastodon.py client against a fake."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from config.settings import MastodonSettings, Settings
from crm.models import Mention
from listener.errors import (
    AuthFailed,
    ListenerError,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
)
from listener.mastodon import MastodonCollector, create_client, html_to_text, to_mention
from listener.mastodon_deletions import SWEEP_EVERY
from listener.runner import run_collector
from tests.listener.fake_mastodon import NOTIFICATIONS, STATUSES, TAG_TIMELINE, FakeMastodon

# ---------------------------------------------------------------- the mapper


def status(**overrides: Any) -> dict[str, Any]:
    """A Mastodon status as the API sends it; any field can be overridden."""
    record: dict[str, Any] = {
        "id": "113469187542098561",
        "created_at": "2026-11-20T10:00:00.000Z",
        "in_reply_to_id": None,
        "spoiler_text": "",
        "language": "en",
        "uri": "https://social.example/users/deniz/statuses/113469187542098561",
        "url": "https://social.example/@deniz/113469187542098561",
        "content": "<p>hello</p>",
        "reblog": None,
        "account": {
            "id": "109",
            "username": "deniz",
            "acct": "deniz",
            "display_name": "Deniz K",
            "url": "https://social.example/@deniz",
            "followers_count": 312,
        },
    }
    record.update(overrides)
    return record


def test_html_becomes_plain_text_with_its_line_breaks() -> None:
    html = (
        '<p>Hi <span class="h-card"><a href="https://social.example/@brand" '
        'class="u-url mention">@<span>brand</span></a></span>, order #4411<br>'
        "never came &amp; support&#39;s silent&nbsp;&#x1F621;</p>"
        '<p>Details: <a href="https://example.com/orders/4411" rel="nofollow">'
        '<span class="invisible">https://</span><span class="ellipsis">example.com/ord'
        '</span><span class="invisible">ers/4411</span></a> '
        '<a href="https://social.example/tags/fail" class="mention hashtag">#<span>fail</span>'
        "</a></p>"
    )
    mention = to_mention(status(content=html), instance="social.example")
    assert mention.text == (
        "Hi @brand, order #4411\nnever came & support's silent 😡\n\n"
        "Details: https://example.com/orders/4411 #fail"
    )


def test_markup_never_survives_but_escaped_text_stays_text() -> None:
    html = (
        '<p onclick="steal()">visible<img src=x onerror="alert(1)"></p>'
        "<script>document.cookie</script><style>p{display:none}</style>"
        "<p>I typed &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;</p><p>end <script>never"
    )
    text = to_mention(status(content=html)).text
    assert text == "visible\n\nI typed <b>bold</b> & <script>\n\nend"
    assert "cookie" not in text and "display" not in text and "steal" not in text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a</p>\n<p>b</p>", "a\n\nb"),
        ("one<br/>two<br />three", "one\ntwo\nthree"),
        ("<p>lots   of\n spaces</p>", "lots of spaces"),
        ("<ul><li>x</li><li>y</li></ul>after", "x\ny\n\nafter"),
        ("<p></p><p><br><br><br>gap</p>", "gap"),
        ("", ""),
    ],
)
def test_html_spacing(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_right_to_left_text_keeps_its_joiners_and_order() -> None:
    persian = "سفارش‌های من رسید نشد"  # with a zero-width non-joiner
    html = (
        f'<p dir="rtl">{persian} <span class="h-card"><a href="https://m.s/@kavra" '
        'class="u-url mention">@<span>kavra</span></a></span></p><p>‏שלום עולם</p>'
    )
    mention = to_mention(status(content=html, language="fa"))
    assert mention.text == f"{persian} @kavra\n\n\u200fשלום עולם"
    assert "\u200c" in mention.text and mention.language == "fa"


def test_a_status_maps_every_field() -> None:
    mention = to_mention(status(), instance="social.example")
    assert mention.platform == "mastodon"
    assert mention.external_id == "113469187542098561"
    assert mention.url == "https://social.example/@deniz/113469187542098561"
    assert mention.author.platform_user_id == "109"
    assert mention.author.handle == "deniz@social.example"
    assert mention.author.display_name == "Deniz K"
    assert mention.author.followers == 312
    assert mention.posted_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert mention.conversation_id == "113469187542098561"
    assert (mention.in_reply_to_id, mention.repost_of) == (None, None)
    assert mention.raw["account"]["acct"] == "deniz"


def test_local_and_remote_handles_carry_their_instance() -> None:
    remote = {
        **status()["account"],
        "acct": "Bob@Other.Example",
        "url": "https://other.example/@Bob",
    }
    assert to_mention(status(account=remote), instance="social.example").author.handle == (
        "Bob@Other.Example"
    )
    # Without the instance, a local account's host comes from its profile address.
    assert to_mention(status()).author.handle == "deniz@social.example"
    local = {**status()["account"], "acct": "@deniz"}
    assert (
        to_mention(status(account=local), instance="m.example").author.handle == "deniz@m.example"
    )


def test_a_reply_points_at_its_parent_and_joins_its_thread() -> None:
    mention = to_mention(status(in_reply_to_id="113469000000000001"))
    assert mention.in_reply_to_id == "113469000000000001"
    assert mention.conversation_id == "113469000000000001"


def test_a_reblog_keeps_its_booster_and_takes_the_original_text() -> None:
    original = status(
        id="113400000000000007",
        content="<p>the <b>original</b> complaint</p>",
        language="de",
        url="https://other.example/@orig/113400000000000007",
        account={"id": "77", "acct": "orig@other.example", "username": "orig"},
    )
    boost = status(id="113469187542098999", reblog=original, content="", url=None, language=None)
    boost["uri"] = "https://social.example/users/deniz/statuses/113469187542098999/activity"
    mention = to_mention(boost, instance="social.example")
    assert mention.external_id == "113469187542098999"
    assert mention.repost_of == "113400000000000007"
    assert mention.text == "the original complaint"
    assert mention.author.handle == "deniz@social.example"
    assert mention.url == "https://other.example/@orig/113400000000000007"
    assert mention.language == "de"
    assert mention.in_reply_to_id is None


def test_a_content_warning_comes_before_the_text() -> None:
    mention = to_mention(status(spoiler_text="billing rant", content="<p>charged twice</p>"))
    assert mention.text == "billing rant\n\ncharged twice"


def test_times_become_utc_and_raw_becomes_json() -> None:
    aware = datetime(2026, 11, 20, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    mention = to_mention(status(created_at=aware, extra={"when": aware, "n": float("nan")}))
    assert mention.posted_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert json.loads(json.dumps(mention.raw, allow_nan=False))["created_at"] == (
        "2026-11-20T12:00:00+02:00"
    )
    assert mention.raw["extra"]["n"] is None
    naive = to_mention(status(created_at=datetime(2026, 11, 20, 10, 0)))
    assert naive.posted_at.tzinfo is UTC


def test_odd_but_readable_fields_do_not_drop_the_mention() -> None:
    account = {"id": 109, "acct": "deniz", "followers_count": -1, "display_name": None}
    mention = to_mention(status(account=account, url="ftp://x", uri="tag:x", language="x" * 40))
    assert mention.author.platform_user_id == "109"
    assert mention.author.followers is None and mention.author.display_name == ""
    assert mention.url is None and mention.language is None


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"id": None}, "id is missing"),
        ({"id": "1 2"}, "id is missing"),
        ({"account": None}, "account is missing"),
        ({"account": {"acct": "x"}}, "account.id is missing"),
        ({"created_at": "yesterday"}, "created_at 'yesterday' is not a time"),
        ({"created_at": None}, "created_at is missing"),
        ({"content": ["<p>"]}, "content is not text"),
        ({"content": "x" * 200_001}, "200,001 characters"),
        ({"reblog": "113"}, "reblog is not an object"),
        ({"reblog": {"content": "<p>x</p>"}}, "reblog.id is missing"),
    ],
)
def test_malformed_statuses_say_why(overrides: dict[str, Any], why: str) -> None:
    with pytest.raises(MalformedPayload) as caught:
        to_mention(status(**overrides))
    assert why in caught.value.why
    assert caught.value.where.startswith("mastodon status")


def test_not_a_status_at_all_is_malformed() -> None:
    with pytest.raises(MalformedPayload, match="expected a JSON object"):
        to_mention(["not", "a", "status"])  # type: ignore[arg-type]


# ---------------------------------------------------------------- settings and client


def with_mastodon(settings: Settings, **fields: Any) -> Settings:
    return settings.model_copy(update={"mastodon": MastodonSettings(**fields)})


def test_off_until_address_and_token_are_set(settings: Settings) -> None:
    with pytest.raises(NotConfigured) as caught:
        MastodonCollector.from_settings(settings)
    assert "mastodon.api_base_url" in caught.value.reason
    assert "mastodon.access_token" in caught.value.reason
    assert "SOCIALCRM_MASTODON__ACCESS_TOKEN" in caught.value.reason
    with pytest.raises(NotConfigured) as only_token:
        MastodonCollector.from_settings(with_mastodon(settings, api_base_url="social.example"))
    assert "mastodon.access_token" in only_token.value.reason
    assert "api_base_url" not in only_token.value.reason


def test_the_client_throws_on_429_never_checks_versions_and_times_out(settings: Settings) -> None:
    client = create_client(
        MastodonSettings(api_base_url="social.example/", access_token="s3cret-token")
    )
    assert client.api_base_url == "https://social.example"
    assert client.ratelimit_method == "throw"
    assert client.version_check_mode == "none"
    assert client.request_timeout == 30
    collector = MastodonCollector.from_settings(
        with_mastodon(
            settings,
            api_base_url="https://social.example",
            access_token="s3cret-token",
            hashtags=["#Brand", "brand", "Kavra_Destek", "حریم_خصوصی"],
        )
    )
    assert collector.instance == "social.example"
    assert [s.tag for s in collector.sources] == [None, "Brand", "Kavra_Destek", "حریم_خصوصی"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"api_base_url": "http://social.example"}, "must use https://"),
        ({"api_base_url": "ftp://social.example"}, "is not an instance address"),
        ({"hashtags": ["brand/../../admin"]}, "is not a hashtag"),
        ({"hashtags": ["two words"]}, "is not a hashtag"),
    ],
)
def test_unsafe_settings_are_refused(settings: Settings, fields: dict, problem: str) -> None:
    values = {"api_base_url": "https://social.example", "access_token": "t", **fields}
    with pytest.raises(NotConfigured, match=problem):
        MastodonCollector.from_settings(with_mastodon(settings, **values))


# ---------------------------------------------------------------- against the fake server


@pytest.fixture
def fake() -> Iterator[FakeMastodon]:
    with FakeMastodon() as server:
        yield server


def collector_for(
    fake: FakeMastodon, settings: Settings, *, token: str | None = None, hashtags: Any = ("brand",)
) -> MastodonCollector:
    return MastodonCollector.from_settings(
        with_mastodon(
            settings,
            api_base_url=fake.url,
            access_token=token or fake.token,
            hashtags=list(hashtags),
        )
    )


def ids(batch: Any) -> list[str]:
    return [mention.external_id for mention in batch.mentions]


def test_first_fetch_returns_everything_then_only_what_is_new(
    fake: FakeMastodon, settings: Settings
) -> None:
    mentioned = fake.post("<p>@brand my parcel is lost</p>", mention=True)
    both = fake.post("<p>@brand #brand refund?</p>", mention=True, tags=("brand",))
    tagged = fake.post("<p>love the new #Brand app</p>", tags=("Brand",))
    fake.post("<p>unrelated</p>", tags=("other",))
    collector = collector_for(fake, settings)

    first = collector.fetch(None, limit=100)
    assert sorted(ids(first)) == sorted([mentioned["id"], both["id"], tagged["id"]])
    assert first.exhausted and first.skipped == []
    assert all(m.author.handle == "alice@127.0.0.1" for m in first.mentions)
    assert json.loads(json.dumps([m.raw for m in first.mentions]))[0]["content"].startswith("<p>")

    assert collector.fetch(first.cursor, limit=100).mentions == []
    newer = fake.post("<p>still waiting @brand</p>", mention=True)
    newest = fake.post("<p>#brand down again</p>", tags=("brand",))
    second = collector.fetch(first.cursor, limit=100)
    assert ids(second) == [newer["id"], newest["id"]]

    cursor1, cursor2 = json.loads(first.cursor or ""), json.loads(second.cursor or "")
    assert set(cursor2) == {"notifications", "tag:brand", "_sweep"}
    sources = ("notifications", "tag:brand")
    assert all(int(cursor2[key]) > int(cursor1[key]) for key in sources)
    # Every page was read forwards from the cursor, never from the newest end.
    assert all("min_id" in request.query for request in fake.calls(NOTIFICATIONS))
    assert fake.calls(NOTIFICATIONS)[-1].query["min_id"] == [cursor1["notifications"]]
    assert fake.calls(NOTIFICATIONS)[0].query["types[]"] == ["mention"]


def test_pages_are_followed_across_fetches_without_loss_or_repeats(
    fake: FakeMastodon, settings: Settings
) -> None:
    posted = [fake.post(f"<p>mention {i}</p>", mention=True)["id"] for i in range(90)]
    tagged = [fake.post(f"<p>tag {i}</p>", tags=("brand",))["id"] for i in range(45)]
    collector = collector_for(fake, settings)
    cursor, seen, batches = None, [], 0
    while True:
        batch = collector.fetch(cursor, limit=50)
        seen += ids(batch)
        cursor, batches = batch.cursor, batches + 1
        if batch.exhausted:
            break
        assert len(batch.mentions) == 50
    assert seen == posted + tagged
    assert batches == 3
    sizes = [int(r.query["limit"][0]) for r in fake.calls(TAG_TIMELINE)]
    assert max(sizes) <= 40  # Mastodon serves at most 40 statuses a page


def test_a_full_page_says_more_may_wait(fake: FakeMastodon, settings: Settings) -> None:
    for i in range(3):
        fake.post(f"<p>{i}</p>", mention=True)
    collector = collector_for(fake, settings, hashtags=())
    batch = collector.fetch(None, limit=3)
    assert len(batch.mentions) == 3 and not batch.exhausted
    rest = collector.fetch(batch.cursor, limit=3)
    assert rest.mentions == [] and rest.exhausted


def test_a_status_seen_twice_in_one_fetch_is_returned_once(
    fake: FakeMastodon, settings: Settings
) -> None:
    both = fake.post("<p>@brand #brand #Kavra</p>", mention=True, tags=("brand", "kavra"))
    collector = collector_for(fake, settings, hashtags=("brand", "Kavra"))
    assert ids(collector.fetch(None, limit=100)) == [both["id"]]


def test_replies_in_one_batch_share_their_root_thread(
    fake: FakeMastodon, settings: Settings
) -> None:
    root = fake.post("<p>@brand broken</p>", mention=True)
    reply = fake.post("<p>@brand any news?</p>", mention=True, reply_to=root)
    again = fake.post("<p>@brand hello??</p>", mention=True, reply_to=reply)
    batch = collector_for(fake, settings).fetch(None, limit=100)
    threads = {m.external_id: m.conversation_id for m in batch.mentions}
    assert threads == {root["id"]: root["id"], reply["id"]: root["id"], again["id"]: root["id"]}
    assert batch.mentions[2].in_reply_to_id == reply["id"]


def test_malformed_items_are_skipped_and_the_rest_kept(
    fake: FakeMastodon, settings: Settings
) -> None:
    good = fake.post("<p>fine</p>", mention=True)
    bad_time = fake.post("<p>x</p>", mention=True, created_at="last tuesday")
    fake.post("<p>y</p>", tags=("brand",), account={"acct": "no-id"})
    fake.notify(None)  # a mention whose status was deleted
    fake.notify(fake.post("<p>a like</p>"), kind="favourite")  # filtered out by types[]
    after = fake.post("<p>after</p>", tags=("brand",))
    batch = collector_for(fake, settings).fetch(None, limit=100)
    assert ids(batch) == [good["id"], after["id"]]
    reasons = sorted(f"{s.where}: {s.reason}" for s in batch.skipped)
    assert len(reasons) == 3
    assert f"mastodon status {bad_time['id']}: created_at is missing" in reasons
    assert any("account.id is missing" in r for r in reasons)
    assert any(r.startswith("mastodon notification") and "deleted" in r for r in reasons)
    # The cursor moved past the bad items: they are not read again.
    assert collector_for(fake, settings).fetch(batch.cursor, limit=100).skipped == []


def test_a_new_hashtag_backfills_a_week_and_mentions_from_the_start(
    fake: FakeMastodon, settings: Settings
) -> None:
    old_mention = fake.post("<p>old mention</p>", mention=True, age=timedelta(days=30))
    fake.post("<p>old tag</p>", tags=("brand",), age=timedelta(days=8))
    recent = fake.post("<p>recent tag</p>", tags=("brand",), age=timedelta(days=6))
    batch = collector_for(fake, settings).fetch(None, limit=100)
    assert ids(batch) == [old_mention["id"], recent["id"]]


def test_a_missing_hashtag_is_just_empty(fake: FakeMastodon, settings: Settings) -> None:
    fake.missing_tags.add("gone")
    kept = fake.post("<p>#brand</p>", tags=("brand",))
    batch = collector_for(fake, settings, hashtags=("gone", "brand")).fetch(None, limit=100)
    assert ids(batch) == [kept["id"]] and batch.exhausted
    assert "tag:gone" not in json.loads(batch.cursor or "")


def test_429_with_a_reset_is_rate_limited_until_then(
    fake: FakeMastodon, settings: Settings
) -> None:
    reset = (datetime.now(UTC) + timedelta(seconds=90)).isoformat()
    fake.fail(NOTIFICATIONS, 429, headers={"X-RateLimit-Reset": reset})
    with pytest.raises(RateLimited) as caught:
        collector_for(fake, settings).fetch(None, limit=10)
    assert caught.value.retry_after is not None and 80 < caught.value.retry_after <= 91
    assert type(caught.value.__cause__).__name__ == "MastodonRatelimitError"
    assert len(fake.calls(NOTIFICATIONS)) == 1  # thrown, not slept on and retried


def test_429_without_a_reset_has_no_retry_after(fake: FakeMastodon, settings: Settings) -> None:
    fake.fail(TAG_TIMELINE, 429)
    with pytest.raises(RateLimited) as caught:
        collector_for(fake, settings).fetch(None, limit=10)
    assert caught.value.retry_after is None


def test_a_refused_token_names_the_setting(fake: FakeMastodon, settings: Settings) -> None:
    with pytest.raises(AuthFailed) as caught:
        collector_for(fake, settings, token="revoked-token-77").fetch(None, limit=10)
    assert caught.value.credential == "mastodon.access_token"
    assert type(caught.value.__cause__).__name__ == "MastodonUnauthorizedError"
    assert fake.calls(NOTIFICATIONS)[0].authorization == "Bearer revoked-token-77"


def test_a_token_without_the_notifications_scope_is_an_auth_failure(
    fake: FakeMastodon, settings: Settings
) -> None:
    fake.fail(NOTIFICATIONS, 403, body={"error": "This action is outside the authorized scopes"})
    with pytest.raises(AuthFailed, match="read scope"):
        collector_for(fake, settings).fetch(None, limit=10)


@pytest.mark.parametrize("code", [500, 502, 503, 504, 507])
def test_server_errors_are_transient(fake: FakeMastodon, settings: Settings, code: int) -> None:
    fake.fail(NOTIFICATIONS, code)
    with pytest.raises(SourceUnavailable, match=str(code)) as caught:
        collector_for(fake, settings, hashtags=()).fetch(None, limit=10)
    assert type(caught.value.__cause__).__name__.startswith("Mastodon")


def test_one_failing_hashtag_does_not_hold_back_the_others(
    fake: FakeMastodon, settings: Settings
) -> None:
    mentioned = fake.post("<p>@brand</p>", mention=True)
    fake.post("<p>#broken</p>", tags=("broken",))
    later = fake.post("<p>#brand</p>", tags=("brand",))
    fake.fail(TAG_TIMELINE + "broken", 500, times=2)
    collector = collector_for(fake, settings, hashtags=("broken", "brand"))
    batch = collector.fetch(None, limit=100)
    assert ids(batch) == [mentioned["id"], later["id"]]
    assert not batch.exhausted  # the runner comes back, and then hears of the failure
    assert "tag:broken" not in json.loads(batch.cursor or "")
    with pytest.raises(SourceUnavailable, match="#broken timeline"):
        collector.fetch(batch.cursor, limit=100)
    assert len(collector.fetch(batch.cursor, limit=100).mentions) == 1  # it recovered


def test_a_timeout_is_transient(fake: FakeMastodon, settings: Settings) -> None:
    fake.fail(NOTIFICATIONS, None, delay=1.0)
    collector = collector_for(fake, settings)
    collector.client.request_timeout = 0.2
    with pytest.raises(SourceUnavailable, match="timed out"):
        collector.fetch(None, limit=10)


def test_an_unreachable_instance_is_transient(settings: Settings) -> None:
    server = FakeMastodon()
    url, token = server.url, server.token
    server.stop()  # never started: the port is closed
    collector = MastodonCollector.from_settings(
        with_mastodon(settings, api_base_url=url, access_token=token, hashtags=["a", "b"])
    )
    with pytest.raises(SourceUnavailable, match="mention notifications"):
        collector.fetch(None, limit=10)


def test_the_token_never_reaches_a_log_or_an_error(
    fake: FakeMastodon, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[ListenerError] = []
    for code, headers in [(401, {}), (429, {"X-RateLimit-Reset": "soon"}), (500, {}), (400, {})]:
        fake.fail(NOTIFICATIONS, code, headers=headers)
        with pytest.raises(ListenerError) as caught:
            collector_for(fake, settings).fetch("not json", limit=10)
        errors.append(caught.value)
    texts = [caplog.text, *(str(e) for e in errors), *(repr(e.__cause__) for e in errors)]
    assert not [text for text in texts if fake.token in text]
    assert "mastodon cursor is unreadable" in caplog.text


def test_the_runner_stores_each_status_once(
    fake: FakeMastodon, settings: Settings, sqlite_engine: Engine
) -> None:
    for i in range(7):
        fake.post(f"<p>@brand #brand {i}</p>", mention=True, tags=("brand",))
    collector = collector_for(fake, settings)
    first = run_collector(collector, engine=sqlite_engine, limit=4)
    # Small batches meet each status twice (notification, then hashtag); the store keeps one.
    assert (first.new, first.duplicates, first.error) == (7, first.fetched - 7, None)
    fake.post("<p>@brand one more</p>", mention=True)
    second = run_collector(collector, engine=sqlite_engine, limit=4)
    assert (second.fetched, second.new, second.duplicates) == (1, 1, 0)


# ---------------------------------------------------------------- deletions


def later(collector: MastodonCollector, by: timedelta) -> None:
    """Move the collector's clock forward."""
    start = datetime.now(UTC)
    collector.clock = lambda: start + by


def test_a_deleted_status_is_found_by_the_next_sweep_and_its_text_purged(
    fake: FakeMastodon, settings: Settings, sqlite_engine: Engine
) -> None:
    kept = fake.post("<p>@brand thanks!</p>", mention=True)
    gone = fake.post("<p>@brand my phone is 0555 123</p>", mention=True)
    tagged = fake.post("<p>#brand fine</p>", tags=("brand",))
    collector = collector_for(fake, settings)
    first = run_collector(collector, engine=sqlite_engine)
    assert (first.new, first.error) == (3, None)
    fake.delete(gone)
    soon = run_collector(collector, engine=sqlite_engine)
    assert soon.purged_ids == [] and fake.calls(STATUSES) == []  # not due yet
    later(collector, SWEEP_EVERY + timedelta(seconds=1))
    swept = run_collector(collector, engine=sqlite_engine)
    assert (swept.error, len(swept.purged_ids)) == (None, 1)
    asked = fake.calls(STATUSES)[0].query["id[]"]
    assert sorted(asked) == sorted([kept["id"], gone["id"], tagged["id"]])
    with Session(sqlite_engine) as session:
        texts = {m.external_id: m.text for m in session.exec(select(Mention))}
    assert texts[gone["id"]] == "" and texts[kept["id"]] == "@brand thanks!"
    again = run_collector(collector, engine=sqlite_engine)  # checked once a quarter-hour
    assert again.purged_ids == [] and len(fake.calls(STATUSES)) == 1


def test_many_recent_statuses_are_checked_twenty_at_a_time(
    fake: FakeMastodon, settings: Settings
) -> None:
    posts = [fake.post(f"<p>#brand {i}</p>", tags=("brand",)) for i in range(45)]
    collector = collector_for(fake, settings)
    first = collector.fetch(None, limit=100)
    fake.delete(posts[0])
    fake.delete(posts[44])
    later(collector, SWEEP_EVERY)
    swept = collector.fetch(first.cursor, limit=100)
    assert sorted(swept.deleted) == sorted([posts[0]["id"], posts[44]["id"]])
    sizes = [len(call.query["id[]"]) for call in fake.calls(STATUSES)]
    assert sizes == [20, 20, 5]
    remembered = json.loads(swept.cursor or "")["_sweep"]["recent"]
    assert len(remembered) == 43 and posts[0]["id"] not in remembered


def test_an_instance_without_the_lookup_purges_nothing_and_says_so(
    fake: FakeMastodon, settings: Settings
) -> None:
    fake.post("<p>#brand hi</p>", tags=("brand",))
    collector = collector_for(fake, settings)
    first = collector.fetch(None, limit=100)
    fake.fail(STATUSES, 404, body={"error": "Record not found"})
    later(collector, SWEEP_EVERY)
    swept = collector.fetch(first.cursor, limit=100)
    assert swept.deleted == []
    assert [s.reason[:39] for s in swept.skipped] == ["the instance cannot list statuses by id"]


def test_a_failing_check_keeps_the_batch_and_the_next_fetch_reports_it(
    fake: FakeMastodon, settings: Settings
) -> None:
    fake.post("<p>#brand one</p>", tags=("brand",))
    collector = collector_for(fake, settings)
    first = collector.fetch(None, limit=100)
    newer = fake.post("<p>#brand two</p>", tags=("brand",))
    fake.fail(STATUSES, 503, times=2)
    later(collector, SWEEP_EVERY)
    batch = collector.fetch(first.cursor, limit=100)
    assert ids(batch) == [newer["id"]] and not batch.exhausted and batch.deleted == []
    with pytest.raises(SourceUnavailable, match="deletion check"):
        collector.fetch(batch.cursor, limit=100)
