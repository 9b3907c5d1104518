"""The Reddit sender against a fake Reddit on 127.0.0.1; this client never resends a POST."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from config.settings import RedditSettings, Settings
from crm.types import utcnow
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget
from responders.senders.reddit import RedditSender, create_client
from tests.responders.fake_write_reddit import PASSWORD, USERNAME, FakeWriteReddit

COMMENT = ReplyTarget(platform="reddit", external_id="t1_abc12")
SUBMISSION = ReplyTarget(platform="reddit", external_id="t3_post9")


@pytest.fixture
def fake() -> Iterator[FakeWriteReddit]:
    server = FakeWriteReddit()
    with server.running():
        yield server


def sender(fake: FakeWriteReddit, *, password: str = PASSWORD) -> RedditSender:
    settings = RedditSettings(
        client_id="cid",
        client_secret="cs",
        username=USERNAME,
        password=password,
        api_base_url=fake.url,
    )
    return RedditSender(create_client(settings, timeout=0.5), username=USERNAME)


def find(fake: FakeWriteReddit, target: ReplyTarget, text: str) -> object:
    return sender(fake).find_own_reply(
        in_reply_to=target, text=text, idempotency_key="k", since=utcnow() - timedelta(minutes=2)
    )


@pytest.mark.parametrize("target", [COMMENT, SUBMISSION])
def test_a_reply_goes_to_the_comment_or_post_by_fullname(
    fake: FakeWriteReddit, target: ReplyTarget
) -> None:
    sent = sender(fake).post_reply(in_reply_to=target, text="We are on it", idempotency_key="k")

    [request] = fake.creates()
    assert request.body["thing_id"] == target.external_id
    assert request.body["text"] == "We are on it"
    assert sent.platform_id == fake.comments[0]["name"]
    assert sent.url == f"https://www.reddit.com{fake.comments[0]['permalink']}"


@pytest.mark.parametrize("fault", ["none", "drop-after", "timeout-after", "503-after"])
def test_an_uncertain_post_is_never_resent_and_is_found_again(
    fake: FakeWriteReddit, fault: str
) -> None:
    fake.fail_next(fault)
    with pytest.raises(SendUncertain):
        sender(fake).post_reply(in_reply_to=COMMENT, text="Sorry!", idempotency_key="k")

    found = find(fake, COMMENT, "Sorry!")

    assert len(fake.creates()) == 1  # prawcore's retry of a POST is switched off
    assert found is not None and found.platform_id == fake.comments[0]["name"]  # type: ignore[attr-defined]


def test_a_5xx_before_anything_was_written_is_uncertain_and_then_absent(
    fake: FakeWriteReddit,
) -> None:
    fake.fail_next("503")
    with pytest.raises(SendUncertain):
        sender(fake).post_reply(in_reply_to=COMMENT, text="Sorry!", idempotency_key="k")

    assert find(fake, COMMENT, "Sorry!") is None
    assert len(fake.creates()) == 1


def test_only_our_reply_to_that_post_counts(fake: FakeWriteReddit) -> None:
    sender(fake).post_reply(in_reply_to=SUBMISSION, text="Sorry!", idempotency_key="a")
    sender(fake).post_reply(in_reply_to=COMMENT, text="Another text", idempotency_key="b")

    assert find(fake, COMMENT, "Sorry!") is None
    assert find(fake, COMMENT, "another   TEXT") is not None


def test_refusals_are_translated(fake: FakeWriteReddit) -> None:
    fake.fail_next("ratelimit", "429", "403")
    with pytest.raises(WriteBudgetExhausted):
        sender(fake).post_reply(in_reply_to=COMMENT, text="a", idempotency_key="1")
    with pytest.raises(WriteBudgetExhausted):
        sender(fake).post_reply(in_reply_to=COMMENT, text="a", idempotency_key="2")
    with pytest.raises(SendFailed) as locked:
        sender(fake).post_reply(in_reply_to=COMMENT, text="a", idempotency_key="3")
    fake.fail_next("401")
    with pytest.raises(SendFailed) as token:
        sender(fake).post_reply(in_reply_to=COMMENT, text="a", idempotency_key="4")

    assert not locked.value.retryable
    assert token.value.retryable and "reddit.password" in token.value.reason
    assert fake.comments == []


def test_writing_needs_the_bot_account(settings: Settings) -> None:
    app_only = settings.reddit.model_copy(update={"client_id": "cid"})

    with pytest.raises(SendNotConfigured) as missing:
        create_client(app_only)

    assert "SOCIALCRM_REDDIT__USERNAME" in missing.value.reason
    assert "SOCIALCRM_REDDIT__PASSWORD" in missing.value.reason
    assert "client_id" not in missing.value.reason


def test_a_target_that_is_not_a_fullname_fails_without_a_request(fake: FakeWriteReddit) -> None:
    target = ReplyTarget(platform="reddit", external_id="https://reddit.com/r/x")

    with pytest.raises(SendFailed):
        sender(fake).post_reply(in_reply_to=target, text="a", idempotency_key="k")

    assert fake.creates() == []
