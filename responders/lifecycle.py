"""A customer's life-cycle stage, moved by what they say: lead → customer → advocate / detractor.

One pure function over one table, so the rules are easy to read and to test:

* a policy outcome that names a stage (the default sends purchase intent to
  ``lead``) sets it on a customer we know nothing about yet, or a lead;
* support talk (a complaint or a question) shows someone already uses the
  product: unknown and leads become ``customer``;
* an escalated complaint (risk, reach, VIP or repeat) or any complaint with churn
  risk makes a ``detractor``;
* praise that brings the advocacy score to ``ADVOCATE_SCORE`` makes an
  ``advocate``; becoming a detractor sets the score back to zero, and a
  detractor's praise at that score first makes them a ``customer`` again.

Stages a person set by hand are not overridden except by a detractor signal.
"""

from __future__ import annotations

from config.labels import Intent, Risk
from crm.enums import LifecycleStage
from responders.policy import RoutingDecision

__all__ = ["ADVOCATE_SCORE", "next_stage"]

ADVOCATE_SCORE = 2

_EARLY = (LifecycleStage.UNKNOWN, LifecycleStage.LEAD)


def next_stage(
    current: LifecycleStage,
    *,
    intent: Intent,
    risk: tuple[Risk, ...],
    decision: RoutingDecision,
    advocacy_score: int,
) -> LifecycleStage:
    """The stage after this mention; ``advocacy_score`` already includes its delta."""
    if intent is Intent.COMPLAINT and (decision.escalate or Risk.CHURN in risk):
        return LifecycleStage.DETRACTOR
    if decision.lifecycle is not None and current in _EARLY:
        return decision.lifecycle
    if intent in (Intent.COMPLAINT, Intent.QUESTION) and current in _EARLY:
        return LifecycleStage.CUSTOMER
    if intent is Intent.PRAISE and advocacy_score >= ADVOCATE_SCORE:
        if current is LifecycleStage.DETRACTOR:
            return LifecycleStage.CUSTOMER
        return LifecycleStage.ADVOCATE
    return current
