"""Exceptions raised by the responders package.

The tree::

    ResponderError            anything the responders raise on purpose
     ├── PolicyError          the routing policy cannot decide: a bad threshold, no rule matched
     └── NoTemplate           no reply template for an intent (spam and other never get a reply)

Each also derives from the builtin that fits (``ValueError``, ``LookupError``), so
callers that only know the builtins still catch them.
"""

from __future__ import annotations

__all__ = ["NoTemplate", "PolicyError", "ResponderError"]


class ResponderError(Exception):
    """Base class for the responders' own errors."""


class PolicyError(ResponderError, ValueError):
    """The routing policy is unusable as configured, or no rule matched a mention."""


class NoTemplate(ResponderError, LookupError):
    """There is no reply template for this intent."""

    def __init__(self, intent: str, reason: str) -> None:
        super().__init__(f"no reply template for intent {intent!r}: {reason}")
        self.intent = intent
        self.reason = reason
