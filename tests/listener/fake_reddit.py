"""A fake Reddit on 127.0.0.1 for the collector's integration tests.

It serves what praw asks of a script app: the token endpoint, newest-first
listings paged with ``after`` (a cursor naming a vanished item gives an empty
page, as on Reddit), subreddit search, inbox mentions and ``/api/info/``; and
fails on demand: ``mode`` is ``ok``, ``429``, ``401``, ``403``, ``503``,
``slow``, ``bad-secret`` or ``bad-password``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["FakeReddit", "comment", "submission"]

RATE_HEADERS = {
    "x-ratelimit-remaining": "990",
    "x-ratelimit-used": "10",
    "x-ratelimit-reset": "300",
}


def submission(
    id: str, created: float, *, title: str = "Acme rocks", selftext: str = "", **extra: Any
) -> dict[str, Any]:
    """A t3 listing child's data."""
    data = {
        "id": id,
        "name": f"t3_{id}",
        "created_utc": created,
        "title": title,
        "selftext": selftext,
        "author": "alice",
        "author_fullname": "t2_alice",
        "subreddit": "acme",
        "permalink": f"/r/acme/comments/{id}/slug/",
    }
    return data | extra


def comment(
    id: str, created: float, *, body: str | None = "acme is fine", link: str = "t3_p1", **extra: Any
) -> dict[str, Any]:
    """A t1 listing child's data."""
    data = {
        "id": id,
        "name": f"t1_{id}",
        "created_utc": created,
        "body": body,
        "author": "bob",
        "author_fullname": "t2_bob",
        "subreddit": "acme",
        "link_id": link,
        "parent_id": link,
        "permalink": f"/r/acme/comments/{link[3:]}/slug/{id}/",
    }
    return data | extra


@dataclass
class FakeReddit:
    """The server's state; tests add items, switch ``mode`` and read ``requests``."""

    page_size: int = 2
    submissions: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "ok"
    requests: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    retry_in: int = 42
    url: str = ""

    def start(self) -> str:
        """Serve on a free port in a daemon thread; returns the base URL."""
        fake = self

        class Handler(_Handler):
            server_state = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._release = threading.Event()
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        """Stop serving and release any slow request."""
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def listing(self, path: str, query: dict[str, str]) -> list[dict[str, Any]] | None:
        """The items a GET path lists, unpaged; None for an unknown path."""
        parts = path.strip("/").split("/")
        if parts[:2] == ["message", "mentions"]:
            return self.mentions
        if parts[0] == "api" and parts[1:2] == ["info"]:
            wanted = query.get("id", "").split(",")
            return [i for i in self.submissions + self.comments if i.get("name") in wanted]
        if parts[0] != "r" or len(parts) < 3:
            return None
        subs = set(parts[1].lower().split("+"))
        pool = {"new": self.submissions, "search": self.submissions, "comments": self.comments}
        items = [
            i for i in pool.get(parts[2], []) if {"all", str(i.get("subreddit")).lower()} & subs
        ]
        if parts[2] == "search":
            words = [w.strip('"').lower() for w in query.get("q", "").split(" OR ")]
            text = lambda i: f"{i.get('title')} {i.get('selftext')}".lower()  # noqa: E731
            items = [i for i in items if any(w in text(i) for w in words)]
        return items if parts[2] in pool else None


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeReddit

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        """The token endpoint."""
        state = self.server_state
        state.requests.append(f"POST {self.path}")
        self.rfile.read(int(self.headers.get("content-length") or 0))
        if state.mode == "bad-secret":
            self._send(401, {"message": "Unauthorized", "error": 401})
        elif state.mode == "bad-password":
            self._send(200, {"error": "invalid_grant"})
        else:
            token = {"access_token": "t", "token_type": "bearer", "expires_in": 3600, "scope": "*"}
            self._send(200, token)

    def do_GET(self) -> None:
        """Listings, paged by ``after``, or the failure ``mode`` asks for."""
        state = self.server_state
        state.requests.append(f"GET {self.path}")
        state.user_agents.append(self.headers.get("user-agent", ""))
        if self._failed(state):
            return
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        items = state.listing(url.path, query)
        if items is None:
            self._send(404, {"error": 404})
            return
        whole = url.path.startswith("/api/info")  # Reddit answers info in one page of up to 100
        self._send(200, _page(items, query, page_size=100 if whole else state.page_size))

    def _failed(self, state: FakeReddit) -> bool:
        if state.mode == "slow":
            state._release.wait(2)
        if state.mode == "429":
            headers = {"x-ratelimit-remaining": "0", "x-ratelimit-used": "100"}
            self._send(429, {"error": 429}, {**headers, "x-ratelimit-reset": str(state.retry_in)})
        elif state.mode == "401":
            auth = 'Bearer realm="reddit", error="invalid_token"'
            self._send(401, {"error": 401}, {"www-authenticate": auth})
        elif state.mode in ("403", "503"):
            self._send(int(state.mode), {"error": int(state.mode)})
        return state.mode in ("429", "401", "403", "503", "slow")

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or RATE_HEADERS).items():
            self.send_header(name, value)
        self.send_header("content-type", "application/json; charset=UTF-8")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _page(items: list[dict[str, Any]], query: dict[str, str], *, page_size: int) -> dict[str, Any]:
    """Newest first; ``after`` continues past a fullname (a vanished one: an empty page)."""
    ordered = sorted(items, key=_created, reverse=True)
    start = 0
    if after := query.get("after"):
        names = [i.get("name") for i in ordered]
        start = names.index(after) + 1 if after in names else len(ordered)
    size = min(page_size, int(query.get("limit") or 100))
    chunk = ordered[start : start + size]
    more = start + size < len(ordered)
    children = [{"kind": str(i.get("name", "t3_"))[:2], "data": i} for i in chunk]
    listing = {"after": chunk[-1]["name"] if more and chunk else None, "before": None}
    return {"kind": "Listing", "data": {**listing, "children": children}}


def _created(item: dict[str, Any]) -> float:
    value = item.get("created_utc")
    return float(value) if isinstance(value, int | float) else float(item.get("_order", 0))
