"""The Bluesky sender against a fake PDS on 127.0.0.1: reply references from stored payloads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from config.settings import BlueskySettings, Settings
from crm.types import utcnow
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget
from responders.senders.bluesky import BlueskySender, reply_reference
from tests.responders.fake_write_bluesky import HANDLE, PASSWORD, FakeWriteBluesky

CUSTOMER = "did:plc:customer7x2mzv4ysn3kcfh5"
PARENT = f"at://{CUSTOMER}/app.bsky.feed.post/3lparent22"
ROOT = "at://did:plc:someoneelse4ysn3kcfh5lp/app.bsky.feed.post/3lroot0001"


def post_view(*, reply: dict[str, Any] | None = None) -> dict[str, Any]:
    """The raw payload the collector stores for a search result."""
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "text": "@acme help",
        "createdAt": "2026-11-20T10:00:00Z",
    }
    if reply is not None:
        record["reply"] = reply
    return {
        "uri": PARENT,
        "cid": "bafyparentcid",
        "author": {"did": CUSTOMER, "handle": "c.bsky.social"},
        "record": record,
    }


def jetstream_event(*, reply: dict[str, Any] | None = None) -> dict[str, Any]:
    """The raw payload the collector stores for a Jetstream commit."""
    record: dict[str, Any] = {"text": "@acme help", "createdAt": "2026-11-20T10:00:00Z"}
    if reply is not None:
        record["reply"] = reply
    commit = {
        "operation": "create",
        "collection": "app.bsky.feed.post",
        "rkey": "3lparent22",
        "cid": "bafyparentcid",
        "record": record,
    }
    return {"did": CUSTOMER, "time_us": 1_763_632_800_000_000, "kind": "commit", "commit": commit}


THREAD = {
    "root": {"uri": ROOT, "cid": "bafyrootcid"},
    "parent": {"uri": ROOT, "cid": "bafyrootcid"},
}


@pytest.fixture
def fake() -> Iterator[FakeWriteBluesky]:
    server = FakeWriteBluesky()
    with server.running():
        yield server


def sender(fake: FakeWriteBluesky, password: str = PASSWORD) -> BlueskySender:
    return BlueskySender(
        BlueskySettings(handle=HANDLE, app_password=password, api_base_url=fake.url), timeout=0.5
    )


def target(raw: dict[str, Any]) -> ReplyTarget:
    return ReplyTarget(platform="bluesky", external_id=PARENT, raw=raw)


@pytest.mark.parametrize("make", [post_view, jetstream_event], ids=["search", "jetstream"])
@pytest.mark.parametrize("thread", [None, THREAD], ids=["top-level", "in-thread"])
def test_a_reply_names_its_parent_and_the_thread_root(
    fake: FakeWriteBluesky, make: Any, thread: dict[str, Any] | None
) -> None:
    sent = sender(fake).post_reply(
        in_reply_to=target(make(reply=thread)), text="On it", idempotency_key="k"
    )

    [body] = fake.records
    reply = body["record"]["reply"]
    assert (reply["parent"]["uri"], reply["parent"]["cid"]) == (PARENT, "bafyparentcid")
    expected_root = (ROOT, "bafyrootcid") if thread else (PARENT, "bafyparentcid")
    assert (reply["root"]["uri"], reply["root"]["cid"]) == expected_root
    assert body["record"]["text"] == "On it"
    assert sent.platform_id == fake.posts[0]["uri"]
    assert sent.url is not None and sent.url.startswith("https://bsky.app/profile/")


@pytest.mark.parametrize("fault", ["drop-after", "timeout-after", "503-after"])
def test_an_uncertain_post_is_found_in_the_author_feed(fake: FakeWriteBluesky, fault: str) -> None:
    fake.fail_next(fault)
    with pytest.raises(SendUncertain):
        sender(fake).post_reply(in_reply_to=target(post_view()), text="Sorry!", idempotency_key="k")

    found = sender(fake).find_own_reply(
        in_reply_to=target(post_view()),
        text="Sorry!",
        idempotency_key="k",
        since=utcnow() - timedelta(minutes=2),
    )

    assert found is not None and found.platform_id == fake.posts[0]["uri"]


def test_no_reply_to_that_post_means_none(fake: FakeWriteBluesky) -> None:
    elsewhere = ReplyTarget(
        platform="bluesky",
        external_id=ROOT,
        raw={"uri": ROOT, "cid": "bafyrootcid", "record": {"text": "x"}},
    )
    sender(fake).post_reply(in_reply_to=elsewhere, text="Sorry!", idempotency_key="a")

    found = sender(fake).find_own_reply(
        in_reply_to=target(post_view()),
        text="Sorry!",
        idempotency_key="k",
        since=utcnow() - timedelta(minutes=2),
    )

    assert found is None


def test_refusals_are_translated(fake: FakeWriteBluesky) -> None:
    fake.fail_next("429", "400")
    with pytest.raises(WriteBudgetExhausted):
        sender(fake).post_reply(in_reply_to=target(post_view()), text="a", idempotency_key="1")
    with pytest.raises(SendFailed) as bad:
        sender(fake).post_reply(in_reply_to=target(post_view()), text="a", idempotency_key="2")
    with pytest.raises(SendFailed) as signin:
        sender(fake, password="wrong").post_reply(
            in_reply_to=target(post_view()), text="a", idempotency_key="3"
        )

    assert not bad.value.retryable
    assert signin.value.retryable and "bluesky.app_password" in signin.value.reason
    assert fake.posts == []


def test_a_stored_post_without_its_cid_cannot_be_answered() -> None:
    raw = post_view()
    del raw["cid"]

    with pytest.raises(SendFailed, match="cid"):
        reply_reference(target(raw))


def test_the_account_settings_are_named(settings: Settings) -> None:
    with pytest.raises(SendNotConfigured) as missing:
        BlueskySender.from_settings(settings)

    assert "SOCIALCRM_BLUESKY__APP_PASSWORD" in missing.value.reason
