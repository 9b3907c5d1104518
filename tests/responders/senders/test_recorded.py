"""The X and Reddit senders against real recorded answers (tweepy's and praw's cassettes).

The fake platforms in this folder test faults; these recordings check that the senders
read what X and Reddit really answer. A test skips with the reason when ``../shared``
is absent.
"""

from __future__ import annotations

import pytest

from config.settings import RedditSettings, XSettings
from responders.errors import SendUncertain
from responders.senders.base import ReplyTarget
from responders.senders.reddit import RedditSender
from responders.senders.reddit import create_client as reddit_client
from responders.senders.x import XSender, XUserCredentials
from responders.senders.x import create_client as x_client
from tests.recorded import reddit_tape, x_tape

OAUTH1 = XUserCredentials("consumer-key", "consumer-secret", "access-token", "access-secret")


def x_sender() -> XSender:
    return XSender(x_client(XSettings(), credentials=OAUTH1))


def reddit_sender() -> RedditSender:
    settings = RedditSettings(
        client_id="cid", client_secret="cs", username="acme_bot", password="pw"
    )
    return RedditSender(reddit_client(settings), username="acme_bot")


def test_x_records_the_post_id_of_a_created_reply() -> None:
    # Recorded by tweepy: POST /2/tweets -> 201 {"data": {"id": "1456012973835788293", ...}}.
    with x_tape().use_cassette("test_client_create_and_delete_tweet.yaml") as cassette:
        sent = x_sender().post_reply(
            in_reply_to=ReplyTarget(platform="x", external_id="1455953449422516226"),
            text="Test Tweet",
            idempotency_key="k",
        )
    assert cassette.play_count == 1  # the POST; the recording's DELETE is never asked for
    assert sent.platform_id == "1456012973835788293"
    assert sent.url == "https://x.com/i/web/status/1456012973835788293"


def test_x_refusing_duplicate_content_is_uncertain_never_a_resend() -> None:
    # 403 "duplicate content" means an identical reply may already be up: reconcile, not fail.
    with (
        x_tape().use_cassette("synthetic/create_tweet_403_duplicate.yaml") as cassette,
        pytest.raises(SendUncertain, match="duplicate"),
    ):
        x_sender().post_reply(
            in_reply_to=ReplyTarget(platform="x", external_id="1578516295611748353"),
            text="Thanks!",
            idempotency_key="k",
        )
    assert cassette.all_played


def test_x_learns_the_brand_account_id_once_from_users_me() -> None:
    sender = x_sender()
    with x_tape().use_cassette("test_client_get_me.yaml") as cassette:
        assert sender.account_id() == "1072250532645998596"  # @TweepyDev
        assert sender.account_id() == "1072250532645998596"
    assert cassette.play_count == 1


@pytest.mark.parametrize(
    ("cassette_name", "target", "text", "comment_id"),
    [
        ("TestComment.test_reply.json", "t1_d1616q2", "Comment reply", "d1680wu"),
        ("TestSubmission.test_reply.json", "t3_4b1tfm", "Test reply", "d162ara"),
    ],
    ids=["comment", "submission"],
)
def test_reddit_records_the_created_comment_and_a_working_link(
    cassette_name: str, target: str, text: str, comment_id: str
) -> None:
    with reddit_tape().use_cassette(cassette_name) as cassette:
        sent = reddit_sender().post_reply(
            in_reply_to=ReplyTarget(platform="reddit", external_id=target),
            text=text,
            idempotency_key="k",
        )
    assert cassette.all_played  # the password grant, then POST /api/comment/
    assert sent.platform_id == f"t1_{comment_id}"
    # The recorded answer has no permalink; the link goes through the submission's id.
    assert sent.url == f"https://www.reddit.com/comments/4b1tfm/_/{comment_id}/"
