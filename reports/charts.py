"""The report's charts: matplotlib (Agg, no display) drawn as inline SVG.

Every word and number in a chart is in the report's language and digits.
Text stays text in the SVG (``svg.fonttype = none``) so it is searchable and
sharp, except in right-to-left reports: WeasyPrint does not shape
Arabic-script text inside SVG, so there matplotlib (which shapes it, through
libraqm) draws the glyphs as outlines, and the chart's title goes in the
SVG's ``aria-label`` for screen readers. The page also carries each chart's
title and colour key (see :func:`chart_legends`) with the numbers in a table
beside it. Colours are the Okabe–Ito palette, readable with every common
colour-vision deficiency; every chart has a title, labelled axes and a legend.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from reports.model import WeeklyReport

__all__ = ["PALETTE", "chart_legends", "render_charts"]

# Okabe–Ito: blue, orange, bluish green, reddish purple, sky blue, vermillion, grey, yellow.
# Yellow comes last: on white it is the one colour of the set too pale to read as a thin bar.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#F0E442")
SENTIMENT_COLOURS = {"positive": "#009E73", "neutral": "#999999", "negative": "#D55E00"}
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "socialcrm-report",
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

Translate = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class _Words:
    """The report's words (``t("key")``) and its way of writing digits (``t.digits``)."""

    translate: Translate
    digits: Callable[[str], str]

    def __call__(self, key: str) -> str:
        return self.translate(key)

    def numbers_on(self, *axes: Any) -> None:
        """Tick labels of ``axes`` (x or y axis objects) in the report's digits."""
        for axis in axes:
            axis.set_major_formatter(FuncFormatter(lambda v, _: self.digits(f"{v:g}")))


def _svg(figure: Figure, chart_id: str, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = _PROLOG.sub("", buffer.getvalue(), count=1)
    # Several charts share one page: keep their internal ids apart.
    svg = re.sub(r'id="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{chart_id}-\1"', svg)
    label = escape(title, quote=True)
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" class="chart" data-chart="{chart_id}" ', 1
    )


def _days(report: WeeklyReport, t: _Words) -> list[str]:
    return [f"{t(f'weekday_{d.weekday()}')} {t.digits(str(d.day))}" for d in report.week.days]


def _platforms(report: WeeklyReport) -> list[str]:
    return sorted({p for day in report.volume.days for p in day.by_platform})


def chart_legends(report: WeeklyReport, translate: Translate) -> dict[str, list[tuple[str, str]]]:
    """Each chart's colour key as (label, colour), for the page to show in its language."""
    return {
        "volume": [(p, PALETTE[i % len(PALETTE)]) for i, p in enumerate(_platforms(report))],
        "sentiment": [(translate(name), colour) for name, colour in SENTIMENT_COLOURS.items()]
        + [(translate("net_sentiment"), "#000000")],
        "intents": [(translate("this_week"), PALETTE[0]), (translate("last_week"), PALETTE[4])],
        "sla": [(translate("share"), PALETTE[2])],
    }


def _volume(report: WeeklyReport, t: _Words, ax: Axes) -> None:
    labels = _days(report, t)
    platforms = _platforms(report)
    bottom = [0] * len(labels)
    for index, platform in enumerate(platforms):
        values = [day.by_platform.get(platform, 0) for day in report.volume.days]
        ax.bar(labels, values, bottom=bottom, label=platform, color=PALETTE[index % len(PALETTE)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(t("chart_volume"))
    ax.set_ylabel(t("mentions"))
    t.numbers_on(ax.yaxis)
    if platforms:
        ax.legend(title=t("platform"), frameon=False, fontsize=8)


def _sentiment(report: WeeklyReport, t: _Words, ax: Axes) -> None:
    labels = _days(report, t)
    bottom = [0.0] * len(labels)
    for name, colour in SENTIMENT_COLOURS.items():
        shares = []
        for day in report.sentiment.days:
            judged = day.positive + day.neutral + day.negative
            shares.append(100 * getattr(day, name) / judged if judged else 0.0)
        ax.bar(labels, shares, bottom=bottom, label=t(name), color=colour)
        bottom = [b + s for b, s in zip(bottom, shares, strict=True)]
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    net = ax.twinx()
    values = [day.net if day.net is not None else float("nan") for day in report.sentiment.days]
    net.plot(labels, values, color="#000000", marker="o", label=t("net_sentiment"))
    net.set_ylim(-100, 100)
    net.set_ylabel(t("net_sentiment"))
    t.numbers_on(ax.yaxis, net.yaxis)
    ax.set_title(t("chart_sentiment"))
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.12, 1))


def _intents(report: WeeklyReport, t: _Words, ax: Axes) -> None:
    names = list(report.sentiment.intents)
    current = [report.sentiment.intents[n].value or 0 for n in names]
    previous = [report.sentiment.intents[n].previous or 0 for n in names]
    positions = range(len(names))
    ax.barh(
        [p + 0.2 for p in positions], current, height=0.4, color=PALETTE[0], label=t("this_week")
    )
    ax.barh(
        [p - 0.2 for p in positions], previous, height=0.4, color=PALETTE[4], label=t("last_week")
    )
    ax.set_yticks(list(positions), [t(f"intent_{name}") for name in names])
    ax.set_xlabel(t("mentions"))
    t.numbers_on(ax.xaxis)
    ax.set_title(t("chart_intents"))
    ax.legend(frameon=False, fontsize=8)


def _sla(report: WeeklyReport, t: _Words, ax: Axes) -> None:
    rows = report.service.sla_by_priority
    bars = ax.bar(
        [t(f"priority_{row.key}") for row in rows],
        [row.share or 0 for row in rows],
        color=PALETTE[2],
        width=0.6,
    )
    # A 0 % bar is invisible: the label on each bar says the share and how many cases it counts.
    ax.bar_label(
        bars,
        labels=[
            t.digits(f"{row.share or 0:.0f}% ({row.met}/{row.met + row.missed})") for row in rows
        ],
        padding=2,
        fontsize=8,
    )
    ax.set_ylim(0, 112)
    ax.set_yticks(range(0, 101, 20))
    t.numbers_on(ax.yaxis)
    ax.set_ylabel(t("share"))
    ax.set_xlabel(t("priority"))
    ax.set_title(t("chart_sla"))


def render_charts(
    report: WeeklyReport,
    translate: Translate,
    *,
    digits: Callable[[str], str] = str,
    rtl: bool = False,
) -> dict[str, str]:
    """Each chart as an inline ``<svg>`` string, keyed volume, sentiment, intents, sla.

    ``digits`` writes numbers the report's way; ``rtl`` draws the text as outlines.
    """
    drawers = {"volume": _volume, "sentiment": _sentiment, "intents": _intents, "sla": _sla}
    words = _Words(translate, digits)
    charts = {}
    with rc_context(_RC | ({"svg.fonttype": "path"} if rtl else {})):  # type: ignore[arg-type]
        for name, draw in drawers.items():
            figure = Figure(figsize=(7.2, 3.0), dpi=100)
            draw(report, words, figure.add_subplot())
            charts[name] = _svg(figure, name, translate(f"chart_{name}"))
    return charts
