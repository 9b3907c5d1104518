"""What the fake platform write servers share: a real HTTP server on 127.0.0.1 and faults.

Each fake (``fake_write_x``, ``_reddit``, ``_mastodon``, ``_bluesky``) answers
its platform's calls in ``route``; this base serves them on a daemon thread,
logs every request, and applies the fault a test queued for the next *create*
request (the POST that makes a post):

- ``"drop-after"``: create the post, then close the connection unanswered;
- ``"timeout-after"``: create the post, then answer only after the client gave up;
- ``"hold-after"``: create the post, set ``arrived``, and hold the answer until
  ``release`` is set (the crash test kills the client meanwhile);
- ``"503-after"``: create the post, then answer 503;
- ``"503"``, ``"429"``, ``"401"``: answer that status and create nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["AFTER_CREATE", "Answer", "FakeWriteServer", "Logged"]

AFTER_CREATE = ("drop-after", "timeout-after", "hold-after", "503-after")
HOLD_SECONDS = 10.0


@dataclass
class Answer:
    """A status, a JSON body and headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Logged:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


class FakeWriteServer:
    """A platform's write API on a free port; subclasses implement ``route``."""

    def __init__(self) -> None:
        self.requests: list[Logged] = []
        self.faults: list[str] = []
        self.events: list[str] = []  # what each request got, for failure messages
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        """The server's base address."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[FakeWriteServer]:
        """Serve until the block ends; held answers are released on the way out."""
        self._thread.start()
        try:
            yield self
        finally:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def fail_next(self, *faults: str) -> None:
        """Queue faults for the next create requests, in order."""
        self.faults.extend(faults)

    def creates(self) -> list[Logged]:
        """The create requests received (whatever became of them)."""
        return [r for r in self.requests if r.method == "POST" and self.is_create(r.path)]

    # --- for subclasses ---------------------------------------------------------------

    def is_create(self, path: str) -> bool:
        """Whether ``path`` is the request that makes a post."""
        raise NotImplementedError

    def route(self, request: Logged) -> Answer:
        """The platform's answer to ``request``."""
        raise NotImplementedError

    def rejected(self, fault: str) -> Answer:
        """The answer for a fault that creates nothing."""
        return Answer(int(fault), {"error": fault})

    # --- serving ----------------------------------------------------------------------

    def handle(self, request: Logged) -> tuple[Answer | None, str | None]:
        """The answer (None: drop the connection) and the fault applied, if any."""
        with self.lock:
            self.requests.append(request)
            fault = None
            if request.method == "POST" and self.is_create(request.path) and self.faults:
                fault = self.faults.pop(0)
        if fault is not None and fault not in AFTER_CREATE:
            return self.rejected(fault), fault
        answer = self.route(request)
        if fault is None:
            return answer, None
        self.arrived.set()
        if fault in ("timeout-after", "hold-after"):
            self.release.wait(HOLD_SECONDS)
        if fault == "drop-after":
            return None, fault
        if fault == "503-after":
            return Answer(503, {"error": "service unavailable"}), fault
        return answer, fault


def _handler(fake: FakeWriteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def handle(self) -> None:
            try:
                super().handle()
            except Exception as exc:
                fake.events.append(f"handler error {exc!r}")
                raise

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Logged(
                method,
                url.path,
                {k: v[-1] for k, v in parse_qs(url.query).items()},
                _body(raw, headers.get("content-type", "")),
                headers,
            )
            answer, fault = fake.handle(request)
            fake.events.append(
                f"{method} {url.path} fault={fault} status={answer and answer.status}"
            )
            if answer is None:
                self.close_connection = True
                return
            payload = json.dumps(answer.body).encode()
            try:
                self.send_response(answer.status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if self.close_connection:  # the client asked to close (prawcore's token call)
                    self.send_header("connection", "close")
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

    return Handler


def _body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return {}
    text = raw.decode("utf-8")
    if "json" in content_type:
        return json.loads(text)
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
