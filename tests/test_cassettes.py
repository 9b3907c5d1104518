"""Every recording in ``../shared/cassettes`` is replayed by a test, or says why not.

A new recording dropped into the shared folder fails here until a test plays it (through
a collector or a sender) or it is listed below with the reason the product never makes
that call. Skips with the reason when ``../shared`` is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

CASSETTES = SHARED / "cassettes"
TESTS = Path(__file__).resolve().parent

NOT_CALLED = {
    "reddit/TestAuthImplicit.test_implicit__with_invalid_token.json": (
        "implicit grant is for installed apps; the bot signs in as a script app"
    ),
    "reddit/TestInbox.test_mark_read.json": (
        "the collector never changes the bot's inbox; a cursor, not read marks, says what is new"
    ),
    "reddit/TestInbox.test_stream.json": (
        "inbox.stream() yields unread messages of every kind; the collector reads "
        "inbox.mentions() with its own cursor (TestInbox.test_mentions)"
    ),
    "reddit/TestUser.test_me.json": (
        "the bot's username comes from reddit.username; praw signs in with it on the first call"
    ),
    "reddit/betamax_legacy/TestInbox.test_mentions.json": (
        "the same call in betamax's old format; its vcrpy recording "
        "TestInbox.test_mentions.json is replayed through the collector"
    ),
    "x/test_client_get_tweet.yaml": (
        "quoted and replied-to posts arrive in the search's includes (expansions), "
        "so no post is fetched on its own"
    ),
    "x/test_client_get_users.yaml": (
        "authors and their follower counts arrive in includes.users with every page"
    ),
}


def recordings() -> list[str]:
    if not CASSETTES.is_dir():
        return []
    return sorted(
        str(p.relative_to(CASSETTES))
        for p in CASSETTES.rglob("*")
        if p.suffix in {".json", ".yaml"}
    )


@pytest.fixture(scope="module")
def test_code() -> str:
    """The source of every other test module (cassettes are named there, platform-relative)."""
    others = (p for p in TESTS.rglob("test_*.py") if p.resolve() != Path(__file__).resolve())
    return "\n".join(p.read_text(encoding="utf-8") for p in others)


@pytest.mark.skipif(not CASSETTES.is_dir(), reason=f"no recordings at {CASSETTES}")
@pytest.mark.parametrize("recording", recordings() or ["(none)"])
def test_each_recording_is_played_or_explained(recording: str, test_code: str) -> None:
    # Tests name a recording by its path under the platform folder, or by its file name
    # alone when no other recording shares it.
    _platform, _, key = recording.partition("/")
    names = [key]
    basename = Path(recording).name
    if [Path(r).name for r in recordings()].count(basename) == 1:
        names.append(basename)
    played = any(f'"{name}"' in test_code or f'/{name}"' in test_code for name in names)
    if recording in NOT_CALLED:
        assert not played, f"{recording} is played now; drop it from NOT_CALLED"
    else:
        assert played, f"no test replays {recording}; replay it or say in NOT_CALLED why not"
