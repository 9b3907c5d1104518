"""The weekly report as typed data: every section, every figure with last week's value beside it.

``reports.weekly.compute_report`` fills these; the renderers only read them.
:meth:`WeeklyReport.as_dict` is the JSON file's content, with exactly the
top-level keys ``week``, ``advocates``, ``at_risk``, ``volume``, ``sentiment``,
``service`` and ``topics``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

__all__ = [
    "Advocate",
    "AdvocatesSection",
    "AtRiskCustomer",
    "AtRiskSection",
    "DaySentiment",
    "DayVolume",
    "Figure",
    "OpenEscalation",
    "Phrase",
    "Quote",
    "RiskMention",
    "SentimentSection",
    "ServiceSection",
    "SlaRow",
    "Spike",
    "TopicsSection",
    "VolumeSection",
    "WeekInfo",
    "WeeklyReport",
    "plain",
]


@dataclass(frozen=True, slots=True)
class Figure:
    """A number this week and the same number last week (None when it cannot be had)."""

    value: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """This week minus last week."""
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 6)


@dataclass(frozen=True, slots=True)
class WeekInfo:
    """Which week the report covers, in which zone and language, and when it was made."""

    label: str
    previous_label: str
    start: datetime
    end: datetime
    timezone: str
    days: list[date]
    language: str
    brand: str
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class Quote:
    """A post worth showing: its words, where it is, and how far it reached."""

    text: str
    url: str | None
    platform: str
    posted_at: datetime
    followers: int


@dataclass(frozen=True, slots=True)
class Advocate:
    """A customer who praised or defended the brand this week."""

    customer_id: int
    name: str
    handle: str
    platform: str
    followers: int
    positive_mentions: int
    score: int
    new: bool
    action: str
    quotes: list[Quote]


@dataclass(frozen=True, slots=True)
class AdvocatesSection:
    """Advocates ranked by positive mentions weighted by reach."""

    top: list[Advocate]
    advocates: Figure
    new_advocates: Figure
    positive_mentions: Figure


@dataclass(frozen=True, slots=True)
class AtRiskCustomer:
    """A detractor, or a customer whose sentiment turned negative."""

    customer_id: int
    name: str
    handle: str
    platform: str
    followers: int
    negative_mentions: int
    score: int
    lifecycle_stage: str
    turned_negative: bool
    quote: Quote | None


@dataclass(frozen=True, slots=True)
class OpenEscalation:
    """An escalated case not resolved at the end of the week."""

    case_id: int
    reference: str
    customer: str
    priority: str
    level: int
    reason: str
    opened_at: datetime
    age_hours: float


@dataclass(frozen=True, slots=True)
class RiskMention:
    """A churn or legal risk whose case was still unresolved at the end of the week."""

    risk: str
    text: str
    url: str | None
    customer: str
    case_reference: str | None
    posted_at: datetime


@dataclass(frozen=True, slots=True)
class AtRiskSection:
    """Detractors, turned-negative customers, open escalations and unresolved risks."""

    detractors: list[AtRiskCustomer]
    detractor_count: Figure
    turned_negative: list[AtRiskCustomer]
    turned_negative_count: Figure
    open_escalations: list[OpenEscalation]
    open_escalation_count: Figure
    risks: list[RiskMention]
    risk_counts: dict[str, Figure]


@dataclass(frozen=True, slots=True)
class DayVolume:
    """Mentions on one local day, by platform and by language."""

    day: date
    total: int
    by_platform: dict[str, int]
    by_language: dict[str, int]


@dataclass(frozen=True, slots=True)
class Spike:
    """An hour with far more mentions than usual, and what drove it."""

    start: datetime
    mentions: int
    hourly_mean: float
    phrases: list[Phrase]
    authors: list[str]


@dataclass(frozen=True, slots=True)
class VolumeSection:
    """Mentions per day by platform and language, totals, and the week's spikes."""

    days: list[DayVolume]
    total: Figure
    by_platform: dict[str, Figure]
    by_language: dict[str, Figure]
    spikes: list[Spike]


@dataclass(frozen=True, slots=True)
class DaySentiment:
    """Sentiment counts on one local day; net = (positive − negative) / judged × 100."""

    day: date
    positive: int
    neutral: int
    negative: int
    unjudged: int
    net: float | None


@dataclass(frozen=True, slots=True)
class SentimentSection:
    """Sentiment share and net sentiment per day and for the week, and the intent mix."""

    days: list[DaySentiment]
    share: dict[str, Figure]
    net: Figure
    intents: dict[str, Figure]


@dataclass(frozen=True, slots=True)
class SlaRow:
    """First-response targets met and missed for one priority or one agent."""

    key: str
    met: int
    missed: int
    share: float | None


@dataclass(frozen=True, slots=True)
class ServiceSection:
    """Cases opened, resolved and escalated; first-response times; SLAs met."""

    opened: Figure
    resolved: Figure
    escalated: Figure
    responded: Figure
    first_response_median_minutes: Figure
    first_response_p90_minutes: Figure
    sla_met_share: Figure
    sla_by_priority: list[SlaRow]
    sla_by_agent: list[SlaRow]


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase and in how many of the sampled posts it appeared."""

    text: str
    count: int


@dataclass(frozen=True, slots=True)
class TopicsSection:
    """The most frequent phrases in praise and in complaints, and how many posts were read."""

    praise: list[Phrase]
    complaints: list[Phrase]
    praise_sampled: int
    complaints_sampled: int


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    """Everything the weekly report says, computed from the store."""

    week: WeekInfo
    advocates: AdvocatesSection
    at_risk: AtRiskSection
    volume: VolumeSection
    sentiment: SentimentSection
    service: ServiceSection
    topics: TopicsSection
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: exactly the seven sections, dates as ISO-8601 text."""
        names = ("week", "advocates", "at_risk", "volume", "sentiment", "service", "topics")
        return {name: plain(getattr(self, name)) for name in names}

    def summary(self) -> dict[str, Any]:
        """The headline figures kept with the stored report and sent with a webhook."""
        return {
            "mentions": self.volume.total.value,
            "net_sentiment": self.sentiment.net.value,
            "advocates": self.advocates.advocates.value,
            "new_advocates": self.advocates.new_advocates.value,
            "detractors": self.at_risk.detractor_count.value,
            "open_escalations": self.at_risk.open_escalation_count.value,
            "cases_opened": self.service.opened.value,
            "cases_resolved": self.service.resolved.value,
            "first_response_median_minutes": self.service.first_response_median_minutes.value,
            "sla_met_share": self.service.sla_met_share.value,
        }


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses as dicts, figures with their change."""
    if isinstance(value, Figure):
        return {"value": value.value, "previous": value.previous, "change": value.change}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
