"""Logging, configured once by the CLI: JSON lines on stderr, with structured extras.

A last-line filter masks anything shaped like a credential, in case a
library puts one in a message; our own code never logs secrets.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

__all__ = ["JsonFormatter", "configure_logging", "redact"]

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
_BEARER = re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=%-]+")  # X tokens hold %2B, %3D
_KEY_VALUE = re.compile(
    r"(?i)(\b(?:authorization|(?:access_|bearer_|refresh_)?token|(?:client_)?secret"
    r"|(?:app_)?password|api_key)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,;}]+"
)


def redact(text: str) -> str:
    """Mask bearer tokens and the values of keys like token, secret or password."""
    return _KEY_VALUE.sub(r"\1***", _BEARER.sub(r"\1***", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        entry.update(
            (key, value if isinstance(value, int | float | bool) else redact(str(value)))
            for key, value in record.__dict__.items()
            if key not in _STANDARD
        )
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    """Send every log record to stderr as JSON; call once, at start-up."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Client libraries that log request headers (tweepy does, token included) stay quiet.
    for noisy in ("alembic", "httpx", "urllib3", "tweepy", "prawcore", "mastodon", "atproto"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
