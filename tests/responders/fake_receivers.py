"""Real local receivers for escalation tests: a webhook server (http.server) and SMTP (aiosmtpd).

``WebhookReceiver`` listens on 127.0.0.1 in a thread, checks the HMAC
signature of every request it gets (a bad one is answered 401), can refuse the
first N requests (503), and keeps what it accepted. ``SmtpReceiver`` is an
aiosmtpd ``Controller`` on a free port that keeps every message, optionally
with STARTTLS or implicit TLS and a required login.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

__all__ = ["Received", "SmtpReceiver", "WebhookReceiver", "free_port"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One request the webhook receiver accepted."""

    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A webhook endpoint that verifies signatures and can fail on purpose."""

    secret: str | None = "s3cret"
    fail_first: int = 0
    fail_status: int = 503
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/escalations?token=abc"

    def __enter__(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._answer(dict(self.headers.items()), body)
                if receiver.delay:
                    time.sleep(receiver.delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"no" if status >= 300 else b"ok")
                except OSError:  # the client gave up waiting (timeout tests)
                    return

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            self.requests += 1
            if self.requests <= self.fail_first:
                return self.fail_status
            problem = self._signature_problem(headers, body)
            if problem is not None:
                self.rejected.append(problem)
                return 401
            self.received.append(Received(headers, body, time.perf_counter()))
        with self.arrived:
            self.arrived.notify_all()
        return 200

    def _signature_problem(self, headers: dict[str, str], body: bytes) -> str | None:
        if self.secret is None:
            return None
        timestamp = headers.get("X-Socialcrm-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return f"stale or missing timestamp {timestamp!r}"
        expected = (
            "sha256="
            + hmac.new(
                self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
        )
        if not hmac.compare_digest(expected, headers.get("X-Socialcrm-Signature", "")):
            return "bad signature"
        return None

    def keys(self) -> list[str]:
        """The idempotency keys of what was accepted, in arrival order."""
        return [r.payload["idempotency_key"] for r in self.received]


class _Keeper:
    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        message = message_from_bytes(raw, policy=policy.default)
        self.messages.append((envelope, message))
        return "250 Message accepted for delivery"


class SmtpReceiver:
    """aiosmtpd on 127.0.0.1: keeps messages; TLS and login when asked."""

    def __init__(
        self,
        *,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
        login: tuple[str, str] | None = None,
    ) -> None:
        self.keeper = _Keeper()
        self.port = free_port()
        self.logins: list[str] = []
        kwargs: dict[str, Any] = {}
        if tls_context is not None and implicit_tls:
            kwargs["ssl_context"] = tls_context
        elif tls_context is not None:
            kwargs["tls_context"] = tls_context
            kwargs["require_starttls"] = True
        if login is not None:
            kwargs["authenticator"] = self._authenticator(login)
            kwargs["auth_required"] = True
            # aiosmtpd only counts STARTTLS as TLS; with implicit TLS the whole link is encrypted.
            kwargs["auth_require_tls"] = tls_context is not None and not implicit_tls
        self.controller = Controller(
            self.keeper, hostname="127.0.0.1", port=self.port, ready_timeout=10, **kwargs
        )

    def _authenticator(self, login: tuple[str, str]) -> Any:
        def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            ok = (
                isinstance(data, LoginPassword)
                and (
                    data.login.decode(),
                    data.password.decode(),
                )
                == login
            )
            if ok:
                self.logins.append(data.login.decode())
            return AuthResult(success=ok, handled=False)

        return check

    @property
    def messages(self) -> list[tuple[Envelope, EmailMessage]]:
        return self.keeper.messages

    def __enter__(self) -> SmtpReceiver:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
