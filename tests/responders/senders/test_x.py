"""The X sender against a fake X API v2 on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from config.settings import Settings, XSettings
from crm.types import utcnow
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget
from responders.senders.x import XSender, XUserCredentials, create_client
from tests.responders.fake_write_x import BRAND_ID, USER_TOKEN, FakeWriteX

TARGET = ReplyTarget(platform="x", external_id="1859312345678901234")
OAUTH1 = XUserCredentials("consumer-key", "consumer-secret", "access-token", "access-secret")


@pytest.fixture
def fake() -> Iterator[FakeWriteX]:
    server = FakeWriteX()
    with server.running():
        yield server


def sender(fake: FakeWriteX, credentials: XUserCredentials = OAUTH1) -> XSender:
    client = create_client(XSettings(api_base_url=fake.url), credentials=credentials, timeout=0.5)
    return XSender(client)


def find(fake: FakeWriteX, text: str, target: ReplyTarget = TARGET) -> object:
    return sender(fake).find_own_reply(
        in_reply_to=target, text=text, idempotency_key="k", since=utcnow() - timedelta(minutes=2)
    )


@pytest.mark.parametrize(
    "credentials",
    [OAUTH1, XUserCredentials(user_access_token=USER_TOKEN)],
    ids=["oauth1", "oauth2"],
)
def test_a_reply_is_posted_in_user_context(fake: FakeWriteX, credentials: XUserCredentials) -> None:
    sent = sender(fake, credentials).post_reply(
        in_reply_to=TARGET, text="We are on it", idempotency_key="k"
    )

    [request] = fake.creates()
    assert request.body == {
        "text": "We are on it",
        "reply": {"in_reply_to_tweet_id": TARGET.external_id},
    }
    if credentials.oauth1:
        assert request.headers["authorization"].startswith("OAuth ")
        assert 'oauth_consumer_key="consumer-key"' in request.headers["authorization"]
    assert sent.platform_id == fake.tweets[0]["id"]
    assert sent.url == f"https://x.com/i/web/status/{sent.platform_id}"


@pytest.mark.parametrize("fault", ["drop-after", "timeout-after", "503-after"])
def test_an_uncertain_post_is_found_in_the_account_timeline(fake: FakeWriteX, fault: str) -> None:
    fake.fail_next(fault)
    with pytest.raises(SendUncertain):
        sender(fake).post_reply(
            in_reply_to=TARGET, text="Sorry! https://acme.example/help", idempotency_key="k"
        )

    found = find(fake, "Sorry! https://acme.example/help")

    assert found is not None and found.platform_id == fake.tweets[0]["id"]  # type: ignore[attr-defined]
    timeline = [r for r in fake.requests if r.path == f"/2/users/{BRAND_ID}/tweets"][-1]
    assert "referenced_tweets" in timeline.query["tweet.fields"]
    assert "start_time" in timeline.query


def test_x_calling_it_a_duplicate_is_uncertain_not_failed(fake: FakeWriteX) -> None:
    sender(fake).post_reply(in_reply_to=TARGET, text="Same words", idempotency_key="a")

    with pytest.raises(SendUncertain, match="duplicate"):
        sender(fake).post_reply(in_reply_to=TARGET, text="Same words", idempotency_key="a")

    assert len(fake.tweets) == 1


def test_only_our_reply_to_that_post_counts(fake: FakeWriteX) -> None:
    other = ReplyTarget(platform="x", external_id="1859312345678900000")
    sender(fake).post_reply(in_reply_to=other, text="Sorry!", idempotency_key="a")

    assert find(fake, "Sorry!") is None
    assert find(fake, "Sorry!", other) is not None


def test_refusals_are_translated(fake: FakeWriteX) -> None:
    fake.fail_next("429", "400", "401")
    with pytest.raises(WriteBudgetExhausted):
        sender(fake).post_reply(in_reply_to=TARGET, text="a", idempotency_key="1")
    with pytest.raises(SendFailed) as bad:
        sender(fake).post_reply(in_reply_to=TARGET, text="a", idempotency_key="2")
    with pytest.raises(SendFailed) as auth:
        sender(fake).post_reply(in_reply_to=TARGET, text="a", idempotency_key="3")

    assert not bad.value.retryable
    assert auth.value.retryable and "Read and Write" in auth.value.reason
    assert fake.tweets == []


def test_the_app_bearer_token_cannot_write_and_the_missing_settings_are_named(
    settings: Settings,
) -> None:
    with_bearer = settings.model_copy(update={"x": XSettings(bearer_token="app-only")})

    with pytest.raises(SendNotConfigured) as missing:
        XSender.from_settings(with_bearer)

    for name in ("consumer_key", "consumer_secret", "access_token", "access_token_secret"):
        assert f"x.{name} (SOCIALCRM_X__{name.upper()})" in missing.value.reason
    assert "x.user_access_token" in missing.value.reason


def test_a_target_that_is_not_a_post_id_fails_without_a_request(fake: FakeWriteX) -> None:
    with pytest.raises(SendFailed):
        sender(fake).post_reply(
            in_reply_to=ReplyTarget(platform="x", external_id="12; DROP TABLE"),
            text="a",
            idempotency_key="k",
        )
    assert fake.requests == []


def test_the_write_credentials_come_from_the_environment_and_post(
    fake: FakeWriteX, monkeypatch: pytest.MonkeyPatch
) -> None:
    from config.settings import load_settings

    monkeypatch.setenv("SOCIALCRM_X__API_BASE_URL", fake.url)
    monkeypatch.setenv("SOCIALCRM_X__USER_ACCESS_TOKEN", USER_TOKEN)

    posted = XSender.from_settings(load_settings()).post_reply(
        in_reply_to=TARGET, text="We are on it.", idempotency_key="env"
    )

    assert posted.platform_id == fake.tweets[0]["id"]
    assert USER_TOKEN not in repr(load_settings().x)
