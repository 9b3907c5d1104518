"""A fake Mastodon instance on 127.0.0.1 for the collector's integration tests.

It serves ``/api/v1/notifications``, ``/api/v1/timelines/tag/<tag>`` and
``/api/v1/statuses?id[]=`` (at most 20 ids, as on Mastodon 4.3) with
Mastodon's paging (``max_id``, ``since_id``, ``min_id``, ``limit`` and
``Link`` headers), checks the bearer token, logs every request, and answers
queued faults (a status with headers and body, or a delay) in place of the
next matching requests. Status ids are snowflakes, as on Mastodon: the
creation time in milliseconds shifted left 16 bits.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["FakeMastodon"]

NOTIFICATIONS = "/api/v1/notifications"
TAG_TIMELINE = "/api/v1/timelines/tag/"
STATUSES = "/api/v1/statuses"


@dataclass
class Fault:
    """What the server does instead of answering one matching request."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0


@dataclass(frozen=True)
class Request:
    """One request the fake received."""

    path: str
    query: dict[str, list[str]]
    authorization: str | None


class FakeMastodon:
    """Statuses, mention notifications and faults, served over HTTP on a free port."""

    def __init__(self, *, token: str = "fake-token-8c1f") -> None:
        self.token = token
        self.statuses: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []
        self.requests: list[Request] = []
        self.missing_tags: set[str] = set()
        self.faults: list[tuple[str, Fault]] = []
        self._lock = threading.Lock()
        self._sequence = itertools.count(1)
        self._notification_ids = itertools.count(5001)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        """The instance address to give the client."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeMastodon:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------ data

    def account(self, username: str, *, domain: str | None = None, **fields: Any) -> dict:
        """An account: local when ``domain`` is None (its ``acct`` has no host)."""
        host = domain or "127.0.0.1"
        account = {
            "id": str(zlib.crc32(f"{username}@{host}".encode())),
            "username": username,
            "acct": username if domain is None else f"{username}@{domain}",
            "display_name": username.title(),
            "url": f"https://{host}/@{username}",
            "followers_count": 42,
        }
        account.update(fields)
        return account

    def post(
        self,
        html: str,
        *,
        author: dict[str, Any] | None = None,
        tags: tuple[str, ...] = (),
        mention: bool = False,
        reply_to: dict[str, Any] | None = None,
        age: timedelta = timedelta(minutes=30),
        **overrides: Any,
    ) -> dict[str, Any]:
        """Add a status (and, with ``mention``, a mention notification); returns it."""
        created = datetime.now(UTC) - age
        status_id = str((int(created.timestamp() * 1000) << 16) + next(self._sequence))
        status: dict[str, Any] = {
            "id": status_id,
            "created_at": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "in_reply_to_id": reply_to["id"] if reply_to else None,
            "in_reply_to_account_id": reply_to["account"]["id"] if reply_to else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": "en",
            "uri": f"{self.url}/users/x/statuses/{status_id}",
            "url": f"{self.url}/@{(author or {}).get('username', 'alice')}/{status_id}",
            "content": html,
            "reblog": None,
            "account": author or self.account("alice"),
            "mentions": [],
            "tags": [{"name": tag, "url": f"{self.url}/tags/{tag}"} for tag in tags],
            "emojis": [],
        }
        status.update(overrides)
        with self._lock:
            self.statuses.append(status)
            if mention:
                self.notify(status)
        return status

    def notify(self, status: dict[str, Any] | None, *, kind: str = "mention") -> dict:
        """Add a notification about ``status`` (None: one whose status is gone)."""
        notification = {
            "id": str(next(self._notification_ids)),
            "type": kind,
            "created_at": datetime.now(UTC).isoformat(),
            "account": (status or {}).get("account") or self.account("ghost"),
            "status": status,
        }
        self.notifications.append(notification)
        return notification

    def delete(self, status: dict[str, Any]) -> None:
        """Delete a status as its author would: gone from timelines, lookups and notifications."""
        with self._lock:
            self.statuses = [s for s in self.statuses if s["id"] != status["id"]]
            self.notifications = [
                n for n in self.notifications if (n.get("status") or {}).get("id") != status["id"]
            ]

    def fail(
        self,
        path: str,
        status: int | None,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests whose path starts with ``path`` with this fault."""
        fault = Fault(status, headers or {}, {"error": "fault"} if body is None else body, delay)
        self.faults.extend([(path, fault)] * times)

    def calls(self, prefix: str) -> list[Request]:
        """The requests whose path starts with ``prefix``."""
        return [request for request in self.requests if request.path.startswith(prefix)]

    # ------------------------------------------------------------ serving

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for index, (prefix, fault) in enumerate(self.faults):
                if path.startswith(prefix):
                    del self.faults[index]
                    return fault
        return None

    def answer(self, path: str, query: dict[str, list[str]], auth: str | None) -> tuple:
        """Status, headers and JSON body for one request."""
        if path.rstrip("/") == "/api/v2/instance":
            return 200, {}, _INSTANCE
        if auth != f"Bearer {self.token}":
            return 401, {}, {"error": "The access token is invalid"}
        if path == NOTIFICATIONS:
            kinds = set(query.get("types[]", [])) or None
            items = [n for n in self.notifications if kinds is None or n["type"] in kinds]
            return _paged(items, query, default=40, maximum=80, url=self.url + path)
        if path.startswith(TAG_TIMELINE):
            tag = path.removeprefix(TAG_TIMELINE).casefold()
            if tag in self.missing_tags:
                return 404, {}, {"error": "Record not found"}
            items = [s for s in self.statuses if tag in _tags(s) and not s.get("reblog")]
            return _paged(items, query, default=20, maximum=40, url=self.url + path)
        if path == STATUSES:
            wanted = query.get("id[]", [])
            if len(wanted) > 20:
                return 422, {}, {"error": "Validation failed: too many ids"}
            return 200, {}, [s for s in self.statuses if s["id"] in wanted]
        return 404, {}, {"error": "Record not found"}


_INSTANCE = {
    "domain": "127.0.0.1",
    "version": "4.3.0",
    "configuration": {
        "timelines_access": {
            "live_feeds": {"local": "public", "remote": "public"},
            "hashtag_feeds": {"local": "public", "remote": "public"},
            "trending_link_feeds": {"local": "public", "remote": "public"},
        }
    },
}


def _tags(status: dict[str, Any]) -> set[str]:
    return {str(tag.get("name", "")).casefold() for tag in status.get("tags") or []}


def _paged(
    items: list[dict[str, Any]],
    query: dict[str, list[str]],
    *,
    default: int,
    maximum: int,
    url: str,
) -> tuple[int, dict[str, str], list[dict[str, Any]]]:
    """Mastodon's paging: newest first; ``min_id`` takes the oldest just after it."""

    def number(name: str) -> int | None:
        values = query.get(name)
        return int(values[0]) if values else None

    limit = min(number("limit") or default, maximum)
    max_id, since_id, min_id = number("max_id"), number("since_id"), number("min_id")
    rows = [
        item
        for item in items
        if (max_id is None or int(item["id"]) < max_id)
        and (since_id is None or int(item["id"]) > since_id)
        and (min_id is None or int(item["id"]) > min_id)
    ]
    rows.sort(key=lambda item: int(item["id"]), reverse=min_id is None)
    rows = sorted(rows[:limit], key=lambda item: int(item["id"]), reverse=True)
    headers = {}
    if rows:
        headers["Link"] = (
            f'<{url}?limit={limit}&max_id={rows[-1]["id"]}>; rel="next", '
            f'<{url}?limit={limit}&min_id={rows[0]["id"]}>; rel="prev"'
        )
    return 200, headers, rows


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeMastodon

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is not an error worth printing."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        auth = self.headers.get("Authorization")
        fake.requests.append(Request(path, query, auth))
        fault = fake._take_fault(path)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status is not None:
                self._send(fault.status, fault.headers, fault.body)
                return
        self._send(*fake.answer(path, query, auth))

    def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is ``FakeMastodon.requests``."""
