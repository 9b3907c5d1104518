"""The product's label vocabulary: the judgements every stage speaks about.

These are policy, not model details, so they live in ``config`` where the
classifiers (which produce them), the store (which keeps them) and the
responders (which act on them) can all import them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["INTENT_PRECEDENCE", "PLATFORMS", "Intent", "Platform", "Risk", "Sentiment"]


class Platform(StrEnum):
    """A social platform socialcrm listens to."""

    X = "x"
    REDDIT = "reddit"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"


PLATFORMS: tuple[str, ...] = tuple(p.value for p in Platform)


class Sentiment(StrEnum):
    """The author's attitude toward the brand."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Intent(StrEnum):
    """What the author wants; when several apply, the first in INTENT_PRECEDENCE wins."""

    COMPLAINT = "complaint"
    QUESTION = "question"
    SUGGESTION = "suggestion"
    PURCHASE = "purchase"
    PRAISE = "praise"
    SPAM = "spam"
    OTHER = "other"


INTENT_PRECEDENCE: tuple[Intent, ...] = tuple(Intent)


class Risk(StrEnum):
    """A risk the text supports; zero or more per mention."""

    LEGAL = "legal"
    SAFETY = "safety"
    PRIVACY = "privacy"
    CHURN = "churn"
