"""A fake X API v2 that takes replies: ``POST /2/tweets``, ``/2/users/me`` and the user's posts.

Posting needs user context (an ``OAuth`` signature, or an OAuth 2.0 user token),
as on X, where an app-only bearer token gets 403. Identical text twice is
refused with X's 403 "duplicate content". The user's timeline includes
``referenced_tweets`` only when ``tweet.fields`` asks for it, as X does.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from tests.responders.fake_write_base import Answer, FakeWriteServer, Logged

__all__ = ["BRAND_ID", "FakeWriteX"]

BRAND_ID = "1500000000000000001"
USER_TOKEN = "fake-oauth2-user-token"


class FakeWriteX(FakeWriteServer):
    """Posts made by the brand account."""

    def __init__(self) -> None:
        super().__init__()
        self.tweets: list[dict[str, Any]] = []
        self._ids = itertools.count(1_860_000_000_000_000_001)

    def is_create(self, path: str) -> bool:
        return path == "/2/tweets"

    def rejected(self, fault: str) -> Answer:
        if fault == "429":
            return Answer(
                429, {"title": "Too Many Requests", "status": 429}, {"x-rate-limit-reset": "1"}
            )
        return Answer(int(fault), {"title": "scripted", "detail": "scripted", "status": int(fault)})

    def route(self, request: Logged) -> Answer:
        auth = request.headers.get("authorization", "")
        if not (auth.startswith("OAuth ") or auth == f"Bearer {USER_TOKEN}"):
            return Answer(
                403,
                {
                    "title": "Unsupported Authentication",
                    "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden "
                    "for this endpoint.",
                    "status": 403,
                },
            )
        if request.method == "POST" and self.is_create(request.path):
            return self._post(request.body)
        if request.path == "/2/users/me":
            return Answer(200, {"data": {"id": BRAND_ID, "name": "Acme", "username": "acme"}})
        if request.path == f"/2/users/{BRAND_ID}/tweets":
            return self._timeline(request.query)
        return Answer(404, {"title": "Not Found", "status": 404})

    def _post(self, body: dict[str, Any]) -> Answer:
        text = body.get("text", "")
        with self.lock:
            if any(t["text"] == text for t in self.tweets):
                return Answer(
                    403,
                    {
                        "detail": "You are not allowed to create a Tweet with duplicate content.",
                        "type": "about:blank",
                        "title": "Forbidden",
                        "status": 403,
                    },
                )
            tweet_id = str(next(self._ids))
            tweet = {
                "id": tweet_id,
                "text": text,
                "edit_history_tweet_ids": [tweet_id],
                "author_id": BRAND_ID,
                "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "referenced_tweets": [
                    {
                        "type": "replied_to",
                        "id": str(body.get("reply", {}).get("in_reply_to_tweet_id")),
                    }
                ],
                "reply": body.get("reply"),
            }
            self.tweets.append(tweet)
        return Answer(
            201, {"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}}
        )

    def _timeline(self, query: dict[str, str]) -> Answer:
        fields = {"id", "text", "edit_history_tweet_ids"} | set(
            query.get("tweet.fields", "").split(",")
        )
        start = query.get("start_time")
        found = [
            {k: v for k, v in t.items() if k in fields}
            for t in reversed(self.tweets)
            if start is None or t["created_at"] >= start.replace("Z", "+00:00")
        ]
        size = int(query.get("max_results", 10))
        page = found[:size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        return Answer(200, {"data": page, "meta": meta} if page else {"meta": meta})
