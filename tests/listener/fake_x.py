"""A fake X API v2 on 127.0.0.1: recent search and the mentions timeline, as X answers them.

It serves ``GET /2/tweets/search/recent`` and ``GET /2/users/:id/mentions``
newest first, with ``since_id`` (exclusive), ``max_results`` bounds, page
tokens (``next_token`` / ``pagination_token``), ``includes.users`` only when
the ``author_id`` expansion is asked for, fields only when asked for, X's 400
for a ``since_id`` older than 7 days, a 401 for a wrong bearer token, and any
scripted failure (429 with or without a reset, 5xx, a slow answer) a test queues.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TWITTER_EPOCH_MS = 1_288_834_974_657
ALWAYS = ("id", "text", "edit_history_tweet_ids")


@dataclass
class Scripted:
    """One canned answer for the next matching request."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def snowflake(at: datetime, sequence: int = 0) -> str:
    """An X id made at ``at``."""
    return str(((int(at.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22) | (sequence & 0xFFF))


class FakeX:
    """The server's state: tweets, users, scripted failures and a log of requests."""

    def __init__(self, *, token: str = "fake-bearer-%2Btoken%3D") -> None:
        self.token = token
        self.tweets: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.script: list[Scripted] = []
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.release = threading.Event()
        self._sequence = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def add_user(self, user_id: str, username: str, *, name: str = "", followers: int = 0) -> None:
        """A user that ``includes.users`` can carry."""
        self.users[user_id] = {
            "id": user_id,
            "username": username,
            "name": name or username.title(),
            "public_metrics": {"followers_count": followers, "following_count": 1},
        }

    def post(
        self,
        text: str,
        *,
        author_id: str | None = "100",
        ago: timedelta = timedelta(0),
        **extra: Any,
    ) -> str:
        """A new tweet, newer than every earlier one unless ``ago`` says otherwise; its id."""
        self._sequence += 1
        at = datetime.now(UTC) - ago
        tweet_id = snowflake(at, self._sequence)
        tweet = {
            "id": tweet_id,
            "text": text,
            "edit_history_tweet_ids": [tweet_id],
            "author_id": author_id,
            "created_at": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "conversation_id": tweet_id,
            "lang": "en",
        }
        tweet.update(extra)
        self.tweets.append({k: v for k, v in tweet.items() if v is not None})
        return tweet_id

    def fail_next(self, status: int, body: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """Answer the next request with ``status`` (headers and delay as keyword arguments)."""
        self.script.append(
            Scripted(status, body or {"title": "scripted", "status": status}, **kwargs)
        )

    def params(self, number: int = -1) -> dict[str, str]:
        """The query parameters of a logged request (the last by default)."""
        return self.requests[number][1]

    @contextmanager
    def running(self) -> Iterator[FakeX]:
        """Serve on a daemon thread until the block ends."""
        thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=2)

    def answer(self, path: str, params: dict[str, str], headers: dict[str, str]) -> Scripted:
        """What X would answer to this request."""
        with self._lock:
            self.requests.append((path, params, headers))
            if self.script:
                return self.script.pop(0)
        if headers.get("authorization") != f"Bearer {self.token}":
            return Scripted(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"})
        if path == "/2/tweets/search/recent":
            query = params.get("query", "").casefold()
            return self._timeline(params, "next_token", 10, lambda t: query in _text(t))
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["2", "users"] and parts[3] == "mentions":
            handle = "@" + self.users.get(parts[2], {}).get("username", "\0").casefold()
            return self._timeline(params, "pagination_token", 5, lambda t: handle in _text(t))
        return Scripted(404, {"title": "Not Found", "status": 404})

    def _timeline(
        self, params: dict[str, str], token_name: str, least: int, match: Any
    ) -> Scripted:
        size = int(params.get("max_results", least))
        if not least <= size <= 100:
            return _bad_request(f"The `max_results` value [{size}] is not between {least} and 100")
        since = int(params.get("since_id", 0))
        if since and _made(since) < datetime.now(UTC) - timedelta(days=7):
            return _bad_request(
                f"Invalid 'since_id':'{since}'. 'since_id' must be a tweet id created "
                "after the last 7 days"
            )
        token = params.get(token_name)
        if token is not None and not token.startswith("p"):
            return _bad_request(f"The `{token_name}` query parameter value [{token}] is not valid")
        before = int(token[1:]) if token else 1 << 64
        found = sorted(
            (t for t in self.tweets if since < int(t["id"]) < before and match(t)),
            key=lambda t: int(t["id"]),
            reverse=True,
        )
        return Scripted(200, self._page(found[:size], more=len(found) > size, params=params))

    def _page(
        self, tweets: list[dict[str, Any]], *, more: bool, params: dict[str, str]
    ) -> dict[str, Any]:
        fields = set(ALWAYS) | set(params.get("tweet.fields", "").split(","))
        expansions = set(params.get("expansions", "").split(","))
        if "author_id" in expansions:
            fields.add("author_id")
        body: dict[str, Any] = {"data": [_only(t, fields) for t in tweets]}
        if "author_id" in expansions:
            user_fields = {"id", "name", "username"} | set(params.get("user.fields", "").split(","))
            authors = dict.fromkeys(t.get("author_id") for t in tweets)
            users = [self.users[a] for a in authors if a in self.users]
            body["includes"] = {"users": [_only(u, user_fields) for u in users]}
        meta: dict[str, Any] = {"result_count": len(tweets)}
        if tweets:
            meta.update(newest_id=tweets[0]["id"], oldest_id=tweets[-1]["id"])
        if more:
            meta["next_token"] = f"p{tweets[-1]['id']}"
        body["meta"] = meta
        if not tweets:
            body.pop("data")
        return body


def _only(item: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k in keys}


def _made(tweet_id: int) -> datetime:
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, UTC)


def _bad_request(message: str) -> Scripted:
    return Scripted(
        400,
        {
            "errors": [{"parameters": {}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
    )


def _handler(fake: FakeX) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(url.query).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = fake.answer(url.path, params, headers)
            if answer.delay:
                fake.release.wait(answer.delay)
            payload = json.dumps(answer.body).encode()
            try:
                self.send_response(answer.status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _text(tweet: dict[str, Any]) -> str:
    return str(tweet.get("text", "")).casefold()
