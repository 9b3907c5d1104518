"""The shape of one language's cue lists, shared by every module in this package."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CATEGORIES", "RISK_CATEGORIES", "Lexicon"]

RISK_CATEGORIES: tuple[str, ...] = ("legal", "safety", "privacy", "churn")
CATEGORIES: tuple[str, ...] = (
    "positive",  # approval, thanks, delight
    "negative",  # anger, disappointment, insults
    "sarcasm",  # markers that flip nearby praise (eye-roll, "yeah right")
    "situation",  # a bad situation that makes praise ironic ("still", "3 weeks")
    "complaint",  # something is broken, late, missing, wrong
    "question",  # interrogative words and phrasings
    "suggestion",  # feature requests and wishes
    "purchase",  # price, buying, upgrading, availability
    "spam",  # giveaways, crypto, follower farming
    *RISK_CATEGORIES,
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's cues by category, plus the words that negate them.

    ``cues`` count 1.0 each and ``weak`` cues 0.5. Entry syntax: a plain entry must
    match whole words; ``stem*`` matches any word starting with ``stem``; a leading
    ``^`` only matches at the start of a sentence. Entries are written as people
    type them; matching folds case, accents, dotless i and Arabic/Persian letter
    variants, so ``"çalışmıyor"`` also matches ``"calismiyor"``.
    """

    cues: dict[str, tuple[str, ...]]
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pre_negators: tuple[str, ...] = ()  # "not good": negator up to 3 words before
    post_negators: tuple[str, ...] = ()  # "iyi değil": negator up to 2 words after
    negation_breakers: tuple[str, ...] = ()  # "not just slow": not a negation
    negation_fillers: tuple[str, ...] = ()  # "not going to cancel": skipped in the window
