"""The explicit list of senders, and which of them the settings can build.

An SDK is imported only when its platform's sender is built, so a missing
optional package never breaks the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from config.settings import Settings
from responders.errors import SenderError, SendNotConfigured
from responders.senders.base import Sender

__all__ = ["SENDERS", "SenderChoice", "choose_senders", "load_sender_class"]

SENDERS: dict[str, str] = {
    "x": "responders.senders.x:XSender",
    "reddit": "responders.senders.reddit:RedditSender",
    "mastodon": "responders.senders.mastodon:MastodonSender",
    "bluesky": "responders.senders.bluesky:BlueskySender",
}


@dataclass(slots=True)
class SenderChoice:
    """The senders that can post, and why each other one cannot."""

    enabled: dict[str, Sender] = field(default_factory=dict)
    off: dict[str, str] = field(default_factory=dict)


def load_sender_class(name: str) -> type[Sender]:
    """The sender class registered as ``name``."""
    if name not in SENDERS:
        raise ValueError(f"no sender for platform {name!r}; there is one for {', '.join(SENDERS)}")
    module_name, _, class_name = SENDERS[name].partition(":")
    cls: type[Sender] = getattr(importlib.import_module(module_name), class_name)
    return cls


def choose_senders(settings: Settings, platforms: Iterable[str]) -> SenderChoice:
    """Build the sender of each platform named; the others say why they cannot post."""
    choice = SenderChoice()
    for name in dict.fromkeys(platforms):
        if name not in SENDERS:
            choice.off[name] = f"socialcrm cannot post replies on {name}"
            continue
        try:
            choice.enabled[name] = load_sender_class(name).from_settings(settings)
        except SendNotConfigured as exc:
            choice.off[name] = exc.reason
        except SenderError as exc:
            choice.off[name] = f"cannot reach {name} to post: {exc}"
        except ImportError as exc:
            choice.off[name] = f"its client library ({exc.name}) is missing; run scripts/setup"
    return choice
