"""A fake Mastodon that takes replies: ``POST /api/v1/statuses`` and the account's statuses.

Like Mastodon, it honours ``Idempotency-Key``: a second post with the same key
returns the first status and creates nothing. Content comes back as HTML.
"""

from __future__ import annotations

import html
import itertools
from datetime import UTC, datetime
from typing import Any

from tests.responders.fake_write_base import Answer, FakeWriteServer, Logged

__all__ = ["ACCOUNT_ID", "TOKEN", "FakeWriteMastodon"]

TOKEN = "fake-write-token-5e2a"
ACCOUNT_ID = "109000000000000001"


class FakeWriteMastodon(FakeWriteServer):
    """Statuses posted by the brand account, keyed by idempotency key."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[dict[str, Any]] = []
        self.by_key: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(110_000_000_000_000_001)

    def is_create(self, path: str) -> bool:
        return path == "/api/v1/statuses"

    def route(self, request: Logged) -> Answer:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Answer(401, {"error": "The access token is invalid"})
        if request.method == "POST" and self.is_create(request.path):
            return self._post(request)
        if request.path == "/api/v1/accounts/verify_credentials":
            return Answer(200, _account())
        if request.path == f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
            limit = int(request.query.get("limit", 20))
            max_id = int(request.query.get("max_id", 1 << 64))
            found = [s for s in reversed(self.statuses) if int(s["id"]) < max_id][:limit]
            headers = {}
            if len(found) == limit:
                link = f"{self.url}{request.path}?limit={limit}&max_id={found[-1]['id']}"
                headers["link"] = f'<{link}>; rel="next"'
            return Answer(200, found, headers)
        return Answer(404, {"error": "Record not found"})

    def _post(self, request: Logged) -> Answer:
        key = request.headers.get("idempotency-key")
        with self.lock:
            if key and key in self.by_key:
                return Answer(200, self.by_key[key])
            status_id = str(next(self._ids))
            status = {
                "id": status_id,
                "uri": f"https://fake.example/users/acme/statuses/{status_id}",
                "url": f"https://fake.example/@acme/{status_id}",
                "created_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "in_reply_to_id": request.body.get("in_reply_to_id"),
                "in_reply_to_account_id": "1",
                "content": "<p>" + html.escape(request.body.get("status", "")) + "</p>",
                "visibility": "public",
                "account": _account(),
                "mentions": [],
                "tags": [],
                "emojis": [],
                "media_attachments": [],
            }
            self.statuses.append(status)
            if key:
                self.by_key[key] = status
        return Answer(200, status)


def _account() -> dict[str, Any]:
    return {
        "id": ACCOUNT_ID,
        "username": "acme",
        "acct": "acme",
        "display_name": "Acme",
        "url": "https://fake.example/@acme",
        "created_at": "2024-01-01T00:00:00.000Z",
    }
