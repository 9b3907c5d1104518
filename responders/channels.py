"""Transports that carry a message to people: a signed webhook (httpx) and e-mail (smtplib).

Escalations use them, and so does the weekly report's delivery. Neither
function raises for network, HTTP or SMTP trouble: each returns a
:class:`Delivery` saying whether it worked, how long it took and, if not,
what went wrong in words a person can act on. Errors and logs name only the
scheme and host of a webhook (a Slack URL's path is its secret) and never a
password.

Webhook signing (when a secret is set)::

    X-Socialcrm-Timestamp: 1764000000                 (Unix seconds when sent)
    X-Socialcrm-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>

A receiver recomputes the HMAC over the timestamp, a dot and the exact bytes
of the body, compares it in constant time, and refuses timestamps more than
five minutes old, so a captured request cannot be replayed later. A payload
carrying ``idempotency_key`` is also sent with an ``Idempotency-Key`` header:
the same key means the same message, so a receiver can drop a repeat.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import smtplib
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

import httpx

from config.settings import SmtpSettings

__all__ = [
    "IDEMPOTENCY_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Delivery",
    "post_webhook",
    "safe_url",
    "send_email",
    "sign_body",
    "webhook_client",
]

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Socialcrm-Signature"
TIMESTAMP_HEADER = "X-Socialcrm-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
USER_AGENT = "socialcrm-webhook/1"
# How much of a refusing receiver's answer goes into the error message.
ERROR_BODY_CHARS = 200


@dataclass(frozen=True)
class Delivery:
    """The outcome of one try: HTTP status or SMTP reply code when there was one."""

    succeeded: bool
    status_code: int | None
    duration_ms: float
    error: str | None


def sign_body(body: bytes, secret: str) -> str:
    """``sha256=<hex HMAC-SHA256>`` of ``body`` (for webhooks: ``b"<timestamp>." + body``)."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def safe_url(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: enough to say where, never a token in the path."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparsable URL>"
    return f"{parts.scheme or '?'}://{host}{port}"


def post_webhook(
    url: str,
    payload: Mapping[str, Any],
    *,
    secret: str | None,
    timeout: float,
    client: httpx.Client | None = None,
) -> Delivery:
    """POST ``payload`` as JSON, signed when ``secret`` is set; any 2xx answer is success."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = _webhook_headers(body, payload=payload, secret=secret)
    where = safe_url(url)
    started = time.perf_counter()
    try:
        if client is None:
            with webhook_client(timeout) as own:
                response = own.post(url, content=body, headers=headers, timeout=timeout)
        else:
            response = client.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        return _failed(started, None, f"{where} did not answer within {timeout:g} s")
    except httpx.HTTPError as exc:
        return _failed(started, None, f"cannot reach {where}: {_describe(exc)}")
    except (httpx.InvalidURL, ValueError) as exc:
        return _failed(started, None, f"the webhook URL {where} is not usable: {exc}")
    if 200 <= response.status_code < 300:
        return Delivery(True, response.status_code, _ms(started), None)
    answer = _printable(response.text[:ERROR_BODY_CHARS])
    return _failed(
        started,
        response.status_code,
        f"{where} answered HTTP {response.status_code}" + (f": {answer}" if answer else ""),
    )


def webhook_client(timeout: float) -> httpx.Client:
    """An httpx client for webhooks: no redirects, and the process's one TLS context."""
    return httpx.Client(timeout=timeout, follow_redirects=False, verify=_tls_context())


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes 50-150 ms; once per process, not once per client.
    return ssl.create_default_context()


def _webhook_headers(
    body: bytes, *, payload: Mapping[str, Any], secret: str | None
) -> dict[str, str]:
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        TIMESTAMP_HEADER: timestamp,
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign_body(timestamp.encode("ascii") + b"." + body, secret)
    key = payload.get("idempotency_key")
    if isinstance(key, str) and key.isascii() and key.isprintable():
        headers[IDEMPOTENCY_HEADER] = key
    return headers


def send_email(
    smtp: SmtpSettings,
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> Delivery:
    """Send one message through ``smtp`` (TLS as configured); attachments are (name, data, mime)."""
    started = time.perf_counter()
    if not smtp.host:
        return _failed(started, None, "no mail server is set: set smtp.host (SOCIALCRM_SMTP__HOST)")
    if not to:
        return _failed(started, None, "no recipients: set the e-mail addresses to send to")
    try:
        message = _message(smtp, to=to, subject=subject, text=text, html=html)
        for name, data, mime in attachments:
            maintype, _, subtype = mime.partition("/")
            message.add_attachment(
                data, maintype=maintype, subtype=subtype or "octet-stream", filename=name
            )
    except (ValueError, TypeError) as exc:
        return _failed(started, None, f"cannot build the e-mail: {exc}")
    where = f"{smtp.host}:{smtp.port}"
    try:
        refused = _transmit(smtp, message)
    except smtplib.SMTPRecipientsRefused as exc:
        code = next((code for code, _ in exc.recipients.values()), None)
        return _failed(started, code, f"{where} refused every recipient: {_refusals(exc)}")
    except smtplib.SMTPAuthenticationError as exc:
        return _failed(
            started,
            exc.smtp_code,
            f"{where} refused the login for {smtp.username!r} ({exc.smtp_code}); "
            "check smtp.username and smtp.password",
        )
    except smtplib.SMTPResponseException as exc:
        reply = _printable(_decode(exc.smtp_error))
        return _failed(started, exc.smtp_code, f"{where} answered {exc.smtp_code}: {reply}")
    except smtplib.SMTPNotSupportedError as exc:
        return _failed(started, None, f"{where}: {exc}; check smtp.tls")
    except (smtplib.SMTPException, OSError) as exc:
        return _failed(started, None, f"cannot send through {where}: {_describe(exc)}")
    error = f"{where} refused some recipients: {', '.join(refused)}" if refused else None
    return Delivery(True, 250, _ms(started), error)


def _message(
    smtp: SmtpSettings, *, to: Sequence[str], subject: str, text: str, html: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = ", ".join(to)
    # A header may never carry a line break (header injection); squash every control char.
    message["Subject"] = " ".join(_printable(subject).split())[:200]
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or "socialcrm")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _transmit(smtp: SmtpSettings, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
    """Connect as ``smtp.tls`` says, log in when a username is set, send; refused recipients."""
    host = smtp.host or ""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(host, smtp.port, timeout=smtp.timeout_seconds, context=context)
    else:
        client = smtplib.SMTP(host, smtp.port, timeout=smtp.timeout_seconds)
    with client:
        client.ehlo()
        if smtp.tls == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if smtp.username:
            password = smtp.password.get_secret_value() if smtp.password else ""
            client.login(smtp.username, password)
        return client.send_message(message)


def _refusals(exc: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(
        f"{address} ({code} {_printable(_decode(reply))})"
        for address, (code, reply) in exc.recipients.items()
    )


def _failed(started: float, status_code: int | None, error: str) -> Delivery:
    return Delivery(False, status_code, _ms(started), error)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return _printable(text)[:300]


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _printable(text: str) -> str:
    """Control characters (line breaks included) become spaces: safe in a header or log line."""
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()
