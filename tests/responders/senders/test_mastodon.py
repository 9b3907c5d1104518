"""The Mastodon sender against a fake instance on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from config.settings import MastodonSettings, Settings
from crm.types import utcnow
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget
from responders.senders.mastodon import MastodonSender, create_client
from tests.responders.fake_write_mastodon import TOKEN, FakeWriteMastodon

TARGET = ReplyTarget(platform="mastodon", external_id="113500000000000042")
HOSTILE = [
    "<script>alert('x')</script> & \"quotes\"",
    "'; DROP TABLE reply; --",
    "سلام، سفارش شما در راه است \u202eevil\u202c",
    "tab\tand\nnew line",
]


@pytest.fixture
def fake() -> Iterator[FakeWriteMastodon]:
    server = FakeWriteMastodon()
    with server.running():
        yield server


def sender(fake: FakeWriteMastodon, token: str = TOKEN) -> MastodonSender:
    settings = MastodonSettings(api_base_url=fake.url, access_token=token)
    return MastodonSender(create_client(settings, timeout=0.5))


def since() -> datetime:
    return utcnow() - timedelta(minutes=2)


def test_a_reply_is_posted_with_its_target_and_idempotency_key(fake: FakeWriteMastodon) -> None:
    sent = sender(fake).post_reply(in_reply_to=TARGET, text="We are on it", idempotency_key="k-1")

    [request] = fake.creates()
    assert request.body["in_reply_to_id"] == TARGET.external_id
    assert request.body["status"] == "We are on it"
    assert request.headers["idempotency-key"] == "k-1"
    assert sent.platform_id == fake.statuses[0]["id"]
    assert sent.url == fake.statuses[0]["url"]


def test_the_same_key_twice_makes_one_status(fake: FakeWriteMastodon) -> None:
    first = sender(fake).post_reply(in_reply_to=TARGET, text="Once", idempotency_key="same")
    second = sender(fake).post_reply(in_reply_to=TARGET, text="Once", idempotency_key="same")

    assert first == second
    assert len(fake.statuses) == 1


@pytest.mark.parametrize("fault", ["drop-after", "timeout-after", "503-after"])
def test_an_uncertain_post_is_found_again(fake: FakeWriteMastodon, fault: str) -> None:
    fake.fail_next(fault)
    with pytest.raises(SendUncertain):
        sender(fake).post_reply(in_reply_to=TARGET, text="Sorry!", idempotency_key="k")

    found = sender(fake).find_own_reply(
        in_reply_to=TARGET, text="Sorry!", idempotency_key="k", since=since()
    )

    assert found is not None and found.platform_id == fake.statuses[0]["id"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_posted_verbatim_and_recognised_in_its_html_form(
    fake: FakeWriteMastodon, text: str
) -> None:
    sent = sender(fake).post_reply(in_reply_to=TARGET, text=text, idempotency_key="k")

    found = sender(fake).find_own_reply(
        in_reply_to=TARGET, text=text, idempotency_key="k", since=since()
    )
    assert fake.creates()[0].body["status"] == text
    assert found == sent


def test_no_reply_of_ours_means_none(fake: FakeWriteMastodon) -> None:
    other = ReplyTarget(platform="mastodon", external_id="999")
    sender(fake).post_reply(in_reply_to=other, text="Sorry!", idempotency_key="a")
    sender(fake).post_reply(in_reply_to=TARGET, text="Something else", idempotency_key="b")

    found = sender(fake).find_own_reply(
        in_reply_to=TARGET, text="Sorry!", idempotency_key="c", since=since()
    )

    assert found is None


def test_refusals_are_translated(fake: FakeWriteMastodon) -> None:
    fake.fail_next("429", "404", "503")
    with pytest.raises(WriteBudgetExhausted):
        sender(fake).post_reply(in_reply_to=TARGET, text="a", idempotency_key="1")
    with pytest.raises(SendFailed) as gone:
        sender(fake).post_reply(in_reply_to=TARGET, text="a", idempotency_key="2")
    with pytest.raises(SendUncertain):
        sender(fake).post_reply(in_reply_to=TARGET, text="a", idempotency_key="3")
    with pytest.raises(SendFailed) as token:
        sender(fake, token="wrong").post_reply(in_reply_to=TARGET, text="a", idempotency_key="4")

    assert not gone.value.retryable
    assert token.value.retryable and "write:statuses" in token.value.reason
    assert fake.statuses == []


def test_unusable_settings_name_what_to_set(settings: Settings) -> None:
    with pytest.raises(SendNotConfigured) as missing:
        MastodonSender.from_settings(settings)
    insecure = MastodonSettings(api_base_url="http://mastodon.example", access_token="t")
    with pytest.raises(SendNotConfigured) as clear_text:
        create_client(insecure)

    assert "SOCIALCRM_MASTODON__ACCESS_TOKEN" in missing.value.reason
    assert "https" in clear_text.value.reason
    with pytest.raises(SendFailed):
        MastodonSender(
            create_client(MastodonSettings(api_base_url="https://m.example", access_token="t"))
        ).post_reply(
            in_reply_to=ReplyTarget(platform="mastodon", external_id="not-an-id"),
            text="a",
            idempotency_key="k",
        )
