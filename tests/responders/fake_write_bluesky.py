"""A fake Bluesky PDS that takes replies: sign-in, ``createRecord`` and ``getAuthorFeed``.

``createRecord`` keeps the record as sent, so tests can check the reply's
``parent`` and ``root`` references; the author feed shows the account's
posts newest first, as post views.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
from datetime import UTC, datetime
from typing import Any

from tests.responders.fake_write_base import Answer, FakeWriteServer, Logged

__all__ = ["BRAND_DID", "HANDLE", "PASSWORD", "FakeWriteBluesky"]

HANDLE = "acme.bsky.social"
BRAND_DID = "did:plc:acmebrand4x7k2q9zvw3mnp"
PASSWORD = "abcd-efgh-ijkl-mnop"
POST = "app.bsky.feed.post"


def _jwt(**claims: Any) -> str:
    """An unsigned JWT-shaped token; atproto only reads its ``exp``."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'ES256K', 'typ': 'JWT'})}.{part(claims)}.c2ln"


class FakeWriteBluesky(FakeWriteServer):
    """Posts by the brand account, as the PDS and AppView would show them."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[dict[str, Any]] = []  # createRecord bodies, as received
        self.posts: list[dict[str, Any]] = []  # post views
        self.access = _jwt(sub=BRAND_DID, exp=int(time.time()) + 3600, scope="com.atproto.appPass")
        self._rkeys = (f"3lfake{n:07d}" for n in itertools.count(1))

    def is_create(self, path: str) -> bool:
        return path == "/xrpc/com.atproto.repo.createRecord"

    def rejected(self, fault: str) -> Answer:
        headers = {"ratelimit-reset": str(int(time.time()) + 30)} if fault == "429" else {}
        return Answer(int(fault), {"error": "Scripted", "message": fault}, headers)

    def route(self, request: Logged) -> Answer:
        method = request.path.removeprefix("/xrpc/")
        if method == "com.atproto.server.createSession":
            if request.body.get("identifier") != HANDLE or request.body.get("password") != PASSWORD:
                return Answer(401, {"error": "AuthenticationRequired", "message": "Invalid"})
            refresh = _jwt(sub=BRAND_DID, exp=int(time.time()) + 86400, scope="com.atproto.refresh")
            session = {"did": BRAND_DID, "handle": HANDLE, "accessJwt": self.access}
            return Answer(200, {**session, "refreshJwt": refresh, "active": True})
        if request.headers.get("authorization") != f"Bearer {self.access}":
            return Answer(401, {"error": "AuthenticationRequired", "message": "no token"})
        if method == "app.bsky.actor.getProfile":
            return Answer(200, {"did": BRAND_DID, "handle": HANDLE, "displayName": "Acme"})
        if method == "com.atproto.repo.createRecord":
            return self._create(request.body)
        if method == "app.bsky.feed.getAuthorFeed":
            limit = int(request.query.get("limit", 50))
            feed = [{"post": p} for p in reversed(self.posts)][:limit]
            return Answer(200, {"feed": feed})
        return Answer(501, {"error": "MethodNotImplemented", "message": method})

    def _create(self, body: dict[str, Any]) -> Answer:
        if body.get("collection") != POST or body.get("repo") != BRAND_DID:
            return Answer(400, {"error": "InvalidRequest", "message": "wrong repo or collection"})
        with self.lock:
            rkey = next(self._rkeys)
            uri = f"at://{BRAND_DID}/{POST}/{rkey}"
            cid = f"bafyreifake{rkey}"
            self.records.append(body)
            self.posts.append(
                {
                    "uri": uri,
                    "cid": cid,
                    "author": {"did": BRAND_DID, "handle": HANDLE},
                    "record": body["record"],
                    "indexedAt": datetime.now(UTC).isoformat(timespec="milliseconds"),
                }
            )
        return Answer(200, {"uri": uri, "cid": cid})
