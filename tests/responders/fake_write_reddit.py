"""A fake Reddit that takes replies: the token endpoint, ``POST /api/comment/``, a user's comments.

Besides the shared faults, ``"none"`` creates the comment but answers with no
thing (praw's ``reply()`` then returns None), and ``"ratelimit"`` answers
Reddit's in-body RATELIMIT error. Every answer carries ``x-ratelimit-*``.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.responders.fake_write_base import AFTER_CREATE, Answer, FakeWriteServer, Logged

__all__ = ["PASSWORD", "USERNAME", "FakeWriteReddit"]

USERNAME = "acme_support"
PASSWORD = "hunter2-but-longer"
RATE = {"x-ratelimit-remaining": "990", "x-ratelimit-used": "10", "x-ratelimit-reset": "300"}


class FakeWriteReddit(FakeWriteServer):
    """Comments made by the bot account."""

    def __init__(self) -> None:
        super().__init__()
        self.comments: list[dict[str, Any]] = []
        self._ids = (f"k{n:05d}" for n in itertools.count(1))
        self._none_next = 0

    def is_create(self, path: str) -> bool:
        return path == "/api/comment/"

    def fail_next(self, *faults: str) -> None:
        """Queue faults; ``none`` and ``ratelimit`` are Reddit's own."""
        self.faults.extend(faults)

    def rejected(self, fault: str) -> Answer:
        if fault == "ratelimit":
            errors = [["RATELIMIT", "Take a break for 9 minutes before trying again.", "ratelimit"]]
            return Answer(200, {"json": {"errors": errors}}, RATE)
        if fault == "none":  # created, but Reddit shows no thing
            self._create(self.requests[-1].body)
            return Answer(200, {"json": {"errors": [], "data": {"things": []}}}, RATE)
        if fault == "401":
            auth = 'Bearer realm="reddit", error="invalid_token"'
            return Answer(401, {"error": 401}, {**RATE, "www-authenticate": auth})
        return Answer(int(fault), {"error": int(fault)}, RATE)

    def route(self, request: Logged) -> Answer:
        if request.path == "/api/v1/access_token":
            if request.body.get("password") != PASSWORD:
                return Answer(200, {"error": "invalid_grant"})
            token = {"access_token": "t", "token_type": "bearer", "expires_in": 3600, "scope": "*"}
            return Answer(200, token)
        if request.method == "POST" and self.is_create(request.path):
            comment = self._create(request.body)
            things = [{"kind": "t1", "data": comment}]
            return Answer(200, {"json": {"errors": [], "data": {"things": things}}}, RATE)
        if request.path.rstrip("/") == f"/user/{USERNAME}/comments":
            newest = list(reversed(self.comments))[: int(request.query.get("limit", 25))]
            children = [{"kind": "t1", "data": c} for c in newest]
            listing = {"after": None, "before": None, "children": children}
            return Answer(200, {"kind": "Listing", "data": listing}, RATE)
        return Answer(404, {"error": 404}, RATE)

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            comment_id = next(self._ids)
            parent = body.get("thing_id", "")
            comment = {
                "id": comment_id,
                "name": f"t1_{comment_id}",
                "parent_id": parent,
                "link_id": parent if parent.startswith("t3_") else "t3_p1",
                "body": body.get("text", ""),
                "author": USERNAME,
                "created_utc": time.time(),
                "subreddit": "acme",
                "permalink": f"/r/acme/comments/p1/slug/{comment_id}/",
            }
            self.comments.append(comment)
        return comment


assert "none" not in AFTER_CREATE
