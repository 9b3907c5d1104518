"""Replaying the recorded X and Reddit answers in ``../shared/cassettes`` with vcrpy.

Both helpers skip the calling test, with the reason, when the shared folder is absent.
Nothing here reaches the network: ``record_mode="none"`` refuses any request the
cassette does not hold.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import vcr

from tests.conftest import SHARED

X_CASSETTES = SHARED / "cassettes" / "x"
REDDIT_CASSETTES = SHARED / "cassettes" / "reddit"


def x_tape(directory: Path = X_CASSETTES, **options: Any) -> vcr.VCR:
    """tweepy's recordings (or ones spliced from them in ``directory``), matched on method
    and path (our queries and fields differ)."""
    if not X_CASSETTES.is_dir():
        pytest.skip(f"no recorded X answers at {X_CASSETTES} (../shared is absent)")
    return vcr.VCR(
        cassette_library_dir=str(directory),
        record_mode="none",
        match_on=["method", "path"],
        decode_compressed_response=True,  # the bodies are gzip; urllib3 2 will not gunzip them
        **options,
    )


def _any_subreddit_path(r1: Any, r2: Any) -> None:
    """Recordings of r/all or r/kakapo stand in for the bot's subreddits."""

    def norm(path: str) -> str:
        return re.sub(r"^/r/[^/]+", "/r/*", path.rstrip("/"))

    if norm(r1.path) != norm(r2.path):
        raise AssertionError(f"{r1.path} != {r2.path}")


def reddit_tape() -> vcr.VCR:
    """praw's and prawcore's recordings (JSON), any subreddit standing in for ours."""
    if not REDDIT_CASSETTES.is_dir():
        pytest.skip(f"no recorded Reddit answers at {REDDIT_CASSETTES} (../shared is absent)")
    recorder = vcr.VCR(
        cassette_library_dir=str(REDDIT_CASSETTES),
        serializer="json",
        record_mode="none",
        match_on=["method", "sub_path"],
        decode_compressed_response=True,
    )
    recorder.register_matcher("sub_path", _any_subreddit_path)
    return recorder
