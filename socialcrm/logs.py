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
_SECRET = re.compile(
    r"(?i)(bearer\s+|authorization[\"':=\s]+|(?:token|secret|password|app_password)[\"':=\s]+)"
    r"([^\s\"',;]+)"
)


def redact(text: str) -> str:
    """Mask values that follow words like token, secret, password or Bearer."""
    return _SECRET.sub(lambda m: m.group(1) + "***", text)


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
    for noisy in ("alembic", "httpx", "urllib3"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
