"""The baseline judge: multilingual lexicons and rules, no learned weights.

``LexiconJudge`` is the simplest honest judge behind the ``Judge`` interface.
It finds curated cues (``classifiers.lexicons``) in each text, turns them into
evidence per class, and softmaxes the evidence into scores, so every score is
traceable to words in the post. The transformer judge that replaces it keeps
the same interface; until then this is what labels mentions, and its
``model_version`` says so.

How evidence becomes a verdict:

* Sentiment: positive and negative cues, with negation ("not good" counts as
  negative, "not bad" as half a positive). Sarcasm markers (🙄, "yeah right")
  next to praise and a bad situation ("still", "3 weeks") turn the praise
  negative. Complaint and risk cues also count as negative.
* Intent: the first intent in ``INTENT_PRECEDENCE`` with a full cue's worth of
  evidence wins, and absorbs most of the evidence of the intents below it: a
  complaint phrased as a question is a complaint. Question marks belong to a
  request or price enquiry when there is one ("Can you add dark mode?",
  "How much is it?"), and hype in an obvious spam post is part of the spam.
* Risk: each risk's cues give a score in [0, 1]; 0.5 or more flags it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.cues import Cue, Surface, find_cues, fold, surface
from classifiers.judgement import Judgement, should_escalate
from classifiers.language import detect_language
from classifiers.text import normalise, strip_markup
from config.labels import INTENT_PRECEDENCE, Intent, Risk, Sentiment

__all__ = ["VERSION", "Evidence", "LexiconJudge", "gather_evidence"]

VERSION = "baseline-lexicon-1"

GATE = 1.0  # evidence an intent needs to claim the post under the precedence rule
ABSORB = 0.75  # share of lower intents' evidence the winning intent takes over
SPAM_CLAIM = 2.0  # spam evidence at which praise and purchase cues count as spam
INTENT_WEIGHT, OTHER_LOGIT = 2.5, 2.0  # one full cue beats "other"; half a cue does not
SENTIMENT_WEIGHT, NEUTRAL_LOGIT = 1.5, 1.0
RISK_RATE, RISK_FLAG = 0.8, 0.5  # score = 1 - exp(-rate * evidence); one full cue flags
_SENTIMENT_ORDER = (Sentiment.NEGATIVE, Sentiment.POSITIVE, Sentiment.NEUTRAL)  # tie-break

_Totals = defaultdict[str, float]  # cue weight per category; 0.0 for a category with no cues


@dataclass(frozen=True, slots=True)
class Evidence:
    """How much a text supports each class, before any softmax."""

    positive: float
    negative: float
    intents: dict[Intent, float]
    risks: dict[Risk, float]


class LexiconJudge:
    """Baseline judge from multilingual lexicons and rules; pure, batched, never raises."""

    @property
    def version(self) -> str:
        """The model version recorded with every judgement."""
        return VERSION

    def predict(self, texts: Sequence[str]) -> list[Judgement]:
        """Judge each text; the result is in the same order as ``texts``."""
        return [self._judge(text) for text in texts]

    def _judge(self, text: str) -> Judgement:
        clean = normalise(text)
        evidence = gather_evidence(clean)
        sentiment_scores = _sentiment_scores(evidence)
        intent_scores = _intent_scores(evidence)
        risk_scores = {risk.value: _risk_score(evidence.risks[risk]) for risk in Risk}
        intent = Intent(_best(intent_scores, INTENT_PRECEDENCE))
        risks = tuple(risk for risk in Risk if risk_scores[risk.value] >= RISK_FLAG)
        return Judgement(
            sentiment=Sentiment(_best(sentiment_scores, _SENTIMENT_ORDER)),
            sentiment_scores=sentiment_scores,
            intent=intent,
            intent_scores=intent_scores,
            risk=risks,
            risk_scores=risk_scores,
            language=detect_language(clean),
            model_version=VERSION,
            escalate=should_escalate(intent, risks),
        )


def gather_evidence(text: str) -> Evidence:
    """Find the cues in a normalised text and weigh them into evidence per class."""
    cues = find_cues(fold(strip_markup(text)))
    totals = _totals(cues)
    negated = _totals(cues, negated=True)
    praise = 0.0 if _is_ironic(totals) else totals["positive"]
    flipped = totals["positive"] - praise
    displeasure = totals["negative"] + totals["sarcasm"] + negated["positive"] + flipped
    risks = {risk: totals[risk.value] for risk in Risk}
    complaint = displeasure + totals["complaint"] + sum(risks.values())
    positive = praise + 0.5 * negated["negative"]
    intents = _intent_evidence(cues, totals, surface(text), complaint=complaint, praise=positive)
    return Evidence(positive=positive, negative=complaint, intents=intents, risks=risks)


def _totals(cues: Sequence[Cue], *, negated: bool = False) -> _Totals:
    """Sum cue weights per category (0.0 when absent), over negated or plain cues only."""
    sums: _Totals = defaultdict(float)
    for cue in cues:
        if cue.negated == negated:
            sums[cue.category] += cue.weight
    return sums


def _is_ironic(totals: _Totals) -> bool:
    """Praise beside an eye-roll and bad news: "great service 🙄 waiting 3 weeks"."""
    bad_news = totals["situation"] + totals["negative"] + totals["complaint"]
    return totals["sarcasm"] > 0 and totals["positive"] > 0 and bad_news > 0


def _intent_evidence(
    cues: Sequence[Cue],
    totals: _Totals,
    shape: Surface,
    *,
    complaint: float,
    praise: float,
) -> dict[Intent, float]:
    """Evidence per intent, with the precedence rule applied."""
    evidence = {
        Intent.COMPLAINT: complaint,
        Intent.QUESTION: _question_evidence(cues, totals, shape),
        Intent.SUGGESTION: totals["suggestion"],
        Intent.PURCHASE: totals["purchase"],
        Intent.PRAISE: praise,
        Intent.SPAM: totals["spam"] + _spam_shape(shape),
        Intent.OTHER: 0.0,
    }
    if evidence[Intent.SPAM] >= SPAM_CLAIM:
        _absorb(evidence, Intent.SPAM, (Intent.PRAISE, Intent.PURCHASE))
    winner = next((i for i in INTENT_PRECEDENCE if evidence[i] >= GATE), None)
    if winner is not None:
        lower = INTENT_PRECEDENCE[INTENT_PRECEDENCE.index(winner) + 1 :]
        _absorb(evidence, winner, lower)
    return evidence


def _question_evidence(cues: Sequence[Cue], totals: _Totals, shape: Surface) -> float:
    """Question words not part of a request or enquiry, plus the question mark."""
    requests = [c for c in cues if c.category in ("suggestion", "purchase")]
    words = sum(
        c.weight
        for c in cues
        if c.category == "question" and not any(c.overlaps(r) for r in requests)
    )
    is_request = totals["suggestion"] + totals["purchase"] >= GATE
    marked = shape.question_marks > 0 and not (is_request and words == 0)
    return words + (1.0 if marked else 0.0)


def _spam_shape(shape: Surface) -> float:
    """Spam evidence from the post's shape: hashtag walls, link piles, mass mentions."""
    evidence = 0.0
    if shape.hashtags >= 4:
        evidence += 1.0 + 0.25 * min(shape.hashtags - 4, 8)
    if shape.links >= 2:
        evidence += 1.0
    if shape.handles >= 5:
        evidence += 0.5
    return evidence


def _absorb(evidence: dict[Intent, float], winner: Intent, losers: Sequence[Intent]) -> None:
    """Move most of the losers' evidence to the winner, in place."""
    for loser in losers:
        moved = ABSORB * evidence[loser]
        evidence[loser] -= moved
        evidence[winner] += moved


def _sentiment_scores(evidence: Evidence) -> dict[str, float]:
    """Softmax over negative, neutral and positive evidence; neutral is the prior."""
    logits = {
        Sentiment.NEGATIVE: SENTIMENT_WEIGHT * evidence.negative,
        Sentiment.NEUTRAL: NEUTRAL_LOGIT,
        Sentiment.POSITIVE: SENTIMENT_WEIGHT * evidence.positive,
    }
    return _softmax({s.value: logits[s] for s in Sentiment})


def _intent_scores(evidence: Evidence) -> dict[str, float]:
    """Softmax over intent evidence; "other" is the prior when nothing else has cues."""
    logits = {
        i.value: OTHER_LOGIT if i is Intent.OTHER else INTENT_WEIGHT * evidence.intents[i]
        for i in Intent
    }
    return _softmax(logits)


def _risk_score(evidence: float) -> float:
    """Map risk evidence to [0, 1): no cue is 0, one full cue passes ``RISK_FLAG``."""
    return 1.0 - math.exp(-RISK_RATE * evidence)


def _softmax(logits: dict[str, float]) -> dict[str, float]:
    """Scores that are positive and sum to 1, computed stably."""
    top = max(logits.values())
    exps = {label: math.exp(value - top) for label, value in logits.items()}
    total = sum(exps.values())
    return {label: value / total for label, value in exps.items()}


def _best(scores: dict[str, float], order: Sequence[str]) -> str:
    """The highest-scoring label; ties go to the label earliest in ``order``."""
    return max(order, key=lambda label: (scores[label], -order.index(label)))
