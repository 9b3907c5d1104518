"""Fakes for pipeline tests: a judge that reads its verdict from tags in the text.

``"my phone caught fire #complaint #safety"`` is judged a complaint with the
safety risk, so a test states the judgement it needs right in the mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from classifiers.judgement import Judgement, should_escalate
from config.labels import Intent, Risk, Sentiment

_TAG = re.compile(r"#(\w+)")
_SENTIMENT = {Intent.COMPLAINT: Sentiment.NEGATIVE, Intent.PRAISE: Sentiment.POSITIVE}


class TagJudge:
    """Judges by ``#intent`` and ``#risk`` tags; untagged text is ``other``."""

    version = "fake-tags-1"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def predict(self, texts: Sequence[str]) -> list[Judgement]:
        self.calls.append(len(texts))
        return [self._judge(text) for text in texts]

    def _judge(self, text: str) -> Judgement:
        tags = set(_TAG.findall(text.lower()))
        intent = next((i for i in Intent if i.value in tags), Intent.OTHER)
        risk = tuple(r for r in Risk if r.value in tags)
        sentiment = _SENTIMENT.get(intent, Sentiment.NEUTRAL)
        return Judgement(
            sentiment=sentiment,
            sentiment_scores={s.value: float(s is sentiment) for s in Sentiment},
            intent=intent,
            intent_scores={i.value: float(i is intent) for i in Intent},
            risk=risk,
            risk_scores={r.value: float(r in risk) for r in Risk},
            language="en",
            model_version=self.version,
            escalate=should_escalate(intent, risk),
        )
