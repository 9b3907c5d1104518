"""Prometheus metrics at /metrics, read from the store on each scrape.

Needs a signed-in user or an API token (Prometheus: ``authorization: {credentials: …}``):
counts are business data. Gauges: cases by status, mentions judged per minute
(averaged over 5 minutes), escalations by status, each collector's health and
last success, and open gaps per collector.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from console.deps import Agent
from console.queries import metrics_numbers
from crm.db import session_scope

__all__ = ["StoreCollector", "router"]

router = APIRouter()


class StoreCollector(Collector):
    """Turns the store's counts into gauges at scrape time."""

    def __init__(self, numbers: dict[str, Any]) -> None:
        self.numbers = numbers

    def collect(self) -> Iterator[Metric]:
        """The gauges of one scrape."""
        cases = GaugeMetricFamily("socialcrm_cases", "Cases by status.", labels=["status"])
        for status in self.numbers["active_statuses"]:
            cases.add_metric([status], float(self.numbers["cases"].get(status, 0)))
        yield cases
        yield GaugeMetricFamily(
            "socialcrm_judged_per_minute",
            "Mentions judged per minute, averaged over the last 5 minutes.",
            value=self.numbers["judged_last_5_minutes"] / 5,
        )
        escalations = GaugeMetricFamily(
            "socialcrm_escalations", "Escalations by delivery status.", labels=["status"]
        )
        for status, count in sorted(self.numbers["escalations"].items()):
            escalations.add_metric([str(status)], float(count))
        yield escalations
        up = GaugeMetricFamily(
            "socialcrm_source_up", "1 when the collector's last run succeeded.", labels=["source"]
        )
        seen = GaugeMetricFamily(
            "socialcrm_source_last_success_timestamp_seconds",
            "When the collector last ran without error.",
            labels=["source"],
        )
        gaps = GaugeMetricFamily(
            "socialcrm_source_open_gaps", "Known unread stretches per collector.", labels=["source"]
        )
        for state in self.numbers["sources"]:
            up.add_metric([state.name], 1.0 if state.health == "ok" else 0.0)
            if state.last_success_at is not None:
                seen.add_metric([state.name], state.last_success_at.timestamp())
            gaps.add_metric([state.name], float(self.numbers["open_gaps"].get(state.name, 0)))
        yield from (up, seen, gaps)


@router.get("/metrics", tags=["health"])
def metrics(request: Request, who: Agent) -> Response:
    """Prometheus text format."""
    with session_scope(request.app.state.engine) as session:
        numbers = metrics_numbers(session=session)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoreCollector(numbers))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
