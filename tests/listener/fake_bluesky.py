"""Fake Bluesky services on 127.0.0.1 for the collector's integration tests.

:class:`FakeAppView` answers the XRPC calls the collector makes (sign-in,
profiles, post search with cursor pagination) and can be switched to answer
429, 401, 400 or 500. :class:`FakeJetstream` is a WebSocket server that, like
Jetstream, replays its events from the ``cursor`` the client asks for.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import ServerConnection, serve

HANDLE = "acmesupport.bsky.social"
BRAND_DID = "did:plc:brand7xq2mzv4ysn3kcfh5lpa"
PASSWORD = "abcd-efgh-ijkl-mnop"
POST = "app.bsky.feed.post"


def jwt(**claims: Any) -> str:
    """An unsigned JWT-shaped token; atproto only reads its ``exp``."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'ES256K', 'typ': 'JWT'})}.{part(claims)}.c2ln"


class FakeAppView:
    """A PDS and AppView in one: createSession, getProfile(s), searchPosts."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.profiles: dict[str, dict[str, Any]] = {
            BRAND_DID: {"did": BRAND_DID, "handle": HANDLE, "displayName": "Acme Support"}
        }
        self.mode: dict[str, str] = {}  # method name -> "429" | "401" | "500" | "400-paged"
        self.requests: list[tuple[str, dict[str, list[str]], str | None]] = []
        self.access = jwt(sub=BRAND_DID, exp=int(time.time()) + 3600, scope="com.atproto.appPass")
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        """The address to give ``bluesky.api_base_url``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def calls(self, method: str) -> list[dict[str, list[str]]]:
        """The query parameters of each call to ``method``, in order."""
        return [params for name, params, _ in self.requests if name == method]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve(None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._serve(json.loads(self.rfile.read(length) or b"{}"))

            def _serve(self, body: dict[str, Any] | None) -> None:
                parts = urlsplit(self.path)
                method = parts.path.removeprefix("/xrpc/")
                params = parse_qs(parts.query)
                fake.requests.append((method, params, self.headers.get("Authorization")))
                status, payload, headers = fake.answer(method, params, body, self.headers)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def answer(
        self, method: str, params: dict[str, list[str]], body: Any, headers: Any
    ) -> tuple[int, Any, dict[str, str]]:
        """Status, JSON body and headers for one call."""
        mode = self.mode.get(method)
        if mode == "429":
            reset = str(int(time.time()) + 30)
            return 429, _error("RateLimitExceeded", "slow down"), {"ratelimit-reset": reset}
        if mode == "500":
            return 500, _error("InternalServerError", "boom"), {}
        if mode == "400-paged" and "cursor" in params:
            return 400, _error("InvalidRequest", "cursor too deep"), {}
        if method == "com.atproto.server.createSession":
            return self._session(body)
        if headers.get("Authorization") != f"Bearer {self.access}" or mode == "401":
            return 401, _error("AuthenticationRequired", "Authentication Required"), {}
        if method == "app.bsky.actor.getProfile":
            return 200, self.profiles[BRAND_DID], {}
        if method == "app.bsky.actor.getProfiles":
            found = [self.profiles[d] for d in params.get("actors", []) if d in self.profiles]
            return 200, {"profiles": found}, {}
        if method == "app.bsky.feed.searchPosts":
            return 200, self._search(params), {}
        return 501, _error("MethodNotImplemented", method), {}

    def _session(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if body.get("identifier") != HANDLE or body.get("password") != PASSWORD:
            return 401, _error("AuthenticationRequired", "Invalid identifier or password"), {}
        refresh = jwt(sub=BRAND_DID, exp=int(time.time()) + 86400, scope="com.atproto.refresh")
        session = {"did": BRAND_DID, "handle": HANDLE, "accessJwt": self.access}
        return 200, {**session, "refreshJwt": refresh, "active": True}, {}

    def _search(self, params: dict[str, list[str]]) -> dict[str, Any]:
        query = params["q"][0].casefold()
        since = params.get("since", [""])[0]
        hits = [
            p
            for p in sorted(self.posts, key=lambda p: str(p.get("indexedAt")), reverse=True)
            if query in str(p.get("record", {}).get("text", "")).casefold()
            and str(p.get("indexedAt")) >= since
        ]
        start = int(params.get("cursor", ["0"])[0])
        limit = int(params.get("limit", ["25"])[0])
        page = hits[start : start + limit]
        more = start + limit < len(hits)
        return {"posts": page, **({"cursor": str(start + limit)} if more else {})}

    def __enter__(self) -> FakeAppView:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _error(error: str, message: str) -> dict[str, str]:
    return {"error": error, "message": message}


class FakeJetstream:
    """Jetstream on 127.0.0.1: replays events with ``time_us >= cursor``, then stays quiet."""

    def __init__(self) -> None:
        self.events: list[tuple[int, str]] = []
        self.cursors: list[int | None] = []
        self.paths: list[str] = []
        self.trickle_from: int | None = None  # then send unrelated posts from this time_us on
        self.refuse: tuple[int, str] | None = (
            None  # answer the handshake with (status, Retry-After)
        )
        self.server = serve(self._serve, "127.0.0.1", 0, process_request=self._handshake)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The address to give ``bluesky.jetstream_url``."""
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/subscribe"

    def add(self, event: dict[str, Any] | str, *, time_us: int | None = None) -> None:
        """Queue an event (or a raw, possibly broken, message sent at ``time_us``)."""
        when = time_us if time_us is not None else event["time_us"]  # type: ignore[index]
        self.events.append((when, event if isinstance(event, str) else json.dumps(event)))

    def _handshake(self, ws: ServerConnection, request: Request) -> Response | None:
        if self.refuse is None:
            return None
        response = ws.respond(self.refuse[0], "go away\n")
        response.headers["Retry-After"] = self.refuse[1]
        return response

    def _serve(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        self.paths.append(ws.request.path)
        cursor = parse_qs(urlsplit(ws.request.path).query).get("cursor")
        self.cursors.append(int(cursor[0]) if cursor else None)
        try:
            for when, message in sorted(self.events, key=lambda item: item[0]):
                if cursor is None or when >= int(cursor[0]):
                    ws.send(message)
            tick = 0
            while self.trickle_from is not None:
                tick += 1
                when = self.trickle_from + tick
                ws.send(
                    json.dumps(post_event("did:plc:someone", f"t{tick}", "lunch", time_us=when))
                )
                time.sleep(0.002)
            ws.recv()
        except ConnectionClosed:
            pass

    def __enter__(self) -> FakeJetstream:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.trickle_from = None
        self.server.shutdown()


def post_event(did: str, rkey: str, text: str, *, time_us: int, **record: Any) -> dict[str, Any]:
    """A Jetstream commit event creating a post."""
    body = {"$type": POST, "text": text, "createdAt": "2026-11-20T10:00:00.000Z", **record}
    commit = {"rev": "3l3qo2vutsw2b", "operation": "create", "collection": POST, "rkey": rkey}
    return {
        "did": did,
        "time_us": time_us,
        "kind": "commit",
        "commit": {**commit, "record": body, "cid": "bafyreib2rxk3rh6kzwq"},
    }


def delete_event(did: str, rkey: str, *, time_us: int) -> dict[str, Any]:
    """A Jetstream commit event deleting a post (no record: it is gone)."""
    commit = {"rev": "3l3qo2vutsw2c", "operation": "delete", "collection": POST, "rkey": rkey}
    return {"did": did, "time_us": time_us, "kind": "commit", "commit": commit}


def post_view(
    did: str, rkey: str, text: str, *, handle: str, indexed_at: str, **record: Any
) -> dict[str, Any]:
    """A search result (app.bsky.feed.defs#postView)."""
    return {
        "uri": f"at://{did}/{POST}/{rkey}",
        "cid": "bafyreib2rxk3rh6kzwq",
        "author": {"did": did, "handle": handle, "displayName": handle.split(".")[0].title()},
        "record": {"$type": POST, "text": text, "createdAt": indexed_at, **record},
        "indexedAt": indexed_at,
        "replyCount": 0,
    }


@contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections and never answers the WebSocket handshake."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def closed_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
