"""Exceptions raised by the responders package.

The tree::

    ResponderError            anything the responders raise on purpose
     ├── PolicyError          the routing policy cannot decide: a bad threshold, no rule matched
     ├── NoTemplate           no reply template for an intent (spam and other never get a reply)
     ├── ReplyRefused         a reply edit or approval that cannot stand
     │    ├── EmptyReply      nothing left to post
     │    ├── ReplyTooLong    over the platform's length limit
     │    └── ReplyNotEditable  already sending or sent
     ├── CaseLocked           someone else is drafting on the case right now
     ├── SenderError          posting a reply to a platform went wrong
     │    ├── SendFailed(reason, retryable)  definitely not posted; retryable: try again later
     │    ├── SendUncertain    may have been posted (timeout, reset, 5xx): reconcile, never resend
     │    ├── SendNotConfigured(reason)  the platform cannot post with these settings
     │    └── WriteBudgetExhausted(retry_after)  the platform's write limit is reached
     ├── EscalationError      an escalation cannot be found or re-armed
     │    ├── EscalationNotFound(escalation_id)  no escalation with that id
     │    └── EscalationNotRetryable(escalation_id, status)  only failed ones can be retried
     └── SlaConfigError       sla settings that cannot be counted with (hours, days, time zone)

Each also derives from the builtin that fits (``ValueError``, ``LookupError``), so
callers that only know the builtins still catch them.
"""

from __future__ import annotations

from datetime import datetime

__all__ = [
    "CaseLocked",
    "EmptyReply",
    "EscalationError",
    "EscalationNotFound",
    "EscalationNotRetryable",
    "NoTemplate",
    "PolicyError",
    "ReplyNotEditable",
    "ReplyRefused",
    "ReplyTooLong",
    "ResponderError",
    "SendFailed",
    "SendNotConfigured",
    "SendUncertain",
    "SenderError",
    "SlaConfigError",
    "WriteBudgetExhausted",
]


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


class ReplyRefused(ResponderError, ValueError):
    """A reply edit or approval that cannot stand as asked."""


class EmptyReply(ReplyRefused):
    """The reply has no text left to post."""

    def __init__(self) -> None:
        super().__init__("the reply is empty; write something before saving or approving it")


class ReplyTooLong(ReplyRefused):
    """The reply is longer than its platform takes."""

    def __init__(self, length: int, limit: int, platform: str) -> None:
        super().__init__(
            f"the reply is {length} characters by {platform}'s count and {platform} takes "
            f"{limit}; shorten it by {length - limit}"
        )
        self.length = length
        self.limit = limit
        self.platform = platform


class ReplyNotEditable(ReplyRefused):
    """The reply is on its way to the platform or already there."""

    def __init__(self, reply_id: int, status: str) -> None:
        super().__init__(
            f"reply {reply_id} is {status} and can no longer be changed; "
            "write a new reply on the case instead"
        )
        self.reply_id = reply_id
        self.status = status


class CaseLocked(ResponderError, RuntimeError):
    """Someone else holds the case's short drafting lock."""

    def __init__(self, case_ref: str, holder: str, until: datetime) -> None:
        super().__init__(
            f"{case_ref} is being answered by {holder} until {until:%H:%M:%S} UTC; "
            "pick another case or try again after that"
        )
        self.holder = holder
        self.until = until


class SenderError(ResponderError):
    """Posting a reply to a platform went wrong; the subclass says whether it was posted."""


class SendFailed(SenderError, RuntimeError):
    """The platform definitely did not post the reply; ``retryable`` when trying later may work."""

    def __init__(self, reason: str, *, retryable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class SendUncertain(SenderError, RuntimeError):
    """The reply may or may not be on the platform: look for it before any second attempt."""


class SendNotConfigured(SenderError, LookupError):
    """The platform cannot post with these settings; the reason names the settings to set."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WriteBudgetExhausted(SenderError, RuntimeError):
    """The platform's write limit is reached; ``retry_after`` seconds, None when unknown."""

    def __init__(self, retry_after: float | None, message: str = "write limit reached") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EscalationError(ResponderError):
    """An escalation cannot be found or changed as asked."""


class EscalationNotFound(EscalationError, LookupError):
    """No escalation has this id."""

    def __init__(self, escalation_id: int) -> None:
        super().__init__(
            f"there is no escalation {escalation_id}; `socialcrm escalations` lists them"
        )
        self.escalation_id = escalation_id


class EscalationNotRetryable(EscalationError, ValueError):
    """Only a failed escalation can be re-armed."""

    def __init__(self, escalation_id: int, status: str) -> None:
        super().__init__(
            f"escalation {escalation_id} is {status}; only failed escalations can be retried"
        )
        self.escalation_id = escalation_id
        self.status = status


class SlaConfigError(ResponderError, ValueError):
    """The sla settings cannot be counted with; the message names the setting to fix."""
