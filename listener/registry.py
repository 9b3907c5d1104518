"""The explicit list of collectors, and which of them the settings switch on.

An SDK is imported only when its platform's collector is built, so a
missing optional package never breaks the others.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from config.settings import Settings
from listener.base import Collector
from listener.errors import NotConfigured

__all__ = ["COLLECTORS", "SourceChoice", "choose_collectors", "load_collector_class"]

COLLECTORS: dict[str, str] = {
    "replay": "listener.replay:ReplayCollector",
    "x": "listener.x:XCollector",
    "reddit": "listener.reddit:RedditCollector",
    "mastodon": "listener.mastodon:MastodonCollector",
    "bluesky": "listener.bluesky:BlueskyCollector",
}


@dataclass(frozen=True, slots=True)
class SourceChoice:
    """The collectors that can run, and why each other one is off."""

    enabled: list[Collector]
    off: dict[str, str]


def load_collector_class(name: str) -> type[Collector]:
    """The collector class registered as ``name``."""
    if name not in COLLECTORS:
        raise ValueError(f"unknown source {name!r}; choose one of {', '.join(COLLECTORS)}")
    module_name, _, class_name = COLLECTORS[name].partition(":")
    cls: type[Collector] = getattr(importlib.import_module(module_name), class_name)
    return cls


def choose_collectors(settings: Settings, *, only: str | None = None) -> SourceChoice:
    """Build every configured collector (or just ``only``); the rest say why they are off."""
    names = [only] if only else list(COLLECTORS)
    enabled: list[Collector] = []
    off: dict[str, str] = {}
    for name in names:
        try:
            enabled.append(load_collector_class(name).from_settings(settings))
        except NotConfigured as exc:
            off[name] = exc.reason
        except ImportError as exc:
            off[name] = f"its client library is not installed ({exc.name}); run scripts/setup"
    return SourceChoice(enabled=enabled, off=off)
