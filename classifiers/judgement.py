"""What a judge returns for one text, and the interface every judge implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from config.labels import Intent, Risk, Sentiment

__all__ = ["Judge", "Judgement", "should_escalate"]


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict on one mention's text, with the scores behind it."""

    sentiment: Sentiment
    sentiment_scores: dict[str, float]
    intent: Intent
    intent_scores: dict[str, float]
    risk: tuple[Risk, ...]
    risk_scores: dict[str, float]
    language: str | None
    model_version: str
    escalate: bool = field(default=False)


def should_escalate(intent: Intent, risk: Sequence[Risk]) -> bool:
    """The default escalation policy: a complaint that carries at least one risk flag."""
    return intent is Intent.COMPLAINT and len(risk) > 0


class Judge(Protocol):
    """Anything that judges a batch of texts; pure, no database, loads its model lazily."""

    @property
    def version(self) -> str:
        """A name and version recorded with every judgement it makes."""
        ...

    def predict(self, texts: Sequence[str]) -> list[Judgement]:
        """Judge each text; the result is in the same order as ``texts``."""
        ...
