"""Rendering the weekly report: a self-contained HTML page and a PDF made from it.

The page embeds its CSS and its charts (inline SVG) and refers to nothing
outside itself; a Content-Security-Policy forbids any fetch, so even a link
someone posted cannot make a reader's browser call out. Every text that came
from a post is escaped by Jinja2's autoescape; links are kept only when they
are http(s). Persian pages are ``dir="rtl"``. The PDF is WeasyPrint's
rendering of the same HTML, with fetching refused.
"""

from __future__ import annotations

import functools
import logging
import tomllib
from datetime import datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from reports.charts import chart_legends, render_charts
from reports.model import WeeklyReport

__all__ = ["LANGUAGES", "RTL_LANGUAGES", "render_html", "render_pdf", "translator"]

LANGUAGES = ("en", "tr", "fa")
RTL_LANGUAGES = frozenset({"fa", "ar", "he", "ur"})


@functools.cache
def _catalog() -> dict[str, dict[str, str]]:
    text = resources.files("reports").joinpath("catalog.toml").read_text("utf-8")
    return tomllib.loads(text)


def translator(language: str) -> Any:
    """A function from a catalog key to its text in ``language`` (English when missing)."""
    catalog = _catalog()
    words, english = catalog.get(language, catalog["en"]), catalog["en"]

    def translate(key: str) -> str:
        return words.get(key) or english.get(key) or key

    return translate


def _num(value: Any, signed: bool = False) -> str:
    if value is None or (isinstance(value, jinja2.Undefined)):
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:+,.2f}" if signed else f"{value:,.2f}"
        return text.rstrip("0").rstrip(".")
    return f"{int(value):+,}" if signed else f"{int(value):,}"


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _safe_url(value: str | None) -> str:
    if value and value.lower().startswith(("https://", "http://")):
        return value
    return "#"


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = _num
    environment.filters["safe_url"] = _safe_url
    environment.filters["local"] = _local
    return environment


def render_html(report: WeeklyReport) -> str:
    """The report as one self-contained HTML document in the report's language."""
    language = report.week.language if report.week.language in LANGUAGES else "en"
    translate = translator(language)
    css = resources.files("reports").joinpath("templates", "weekly.css").read_text("utf-8")
    rtl = language in RTL_LANGUAGES
    # Words inside the SVG images stay unshaped in the PDF: English there, the page's own below.
    charts = render_charts(report, translator("en") if rtl else translate)
    return (
        _environment()
        .get_template("weekly.html.j2")
        .render(
            r=report,
            t=translate,
            lang=language,
            direction="rtl" if rtl else "ltr",
            legends=chart_legends(report, translate),
            # Our own stylesheet and matplotlib's SVG (which escapes every label): trusted.
            css=Markup(css),  # noqa: S704
            charts={name: Markup(svg) for name, svg in charts.items()},  # noqa: S704
            generated=f"{_local(report.week.generated_at, report.week.timezone)}",
        )
    )


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report refers only to itself; not fetching {url[:80]}")


def render_pdf(html: str) -> bytes:
    """The HTML page as a PDF (A4), with every outside fetch refused."""
    import weasyprint  # imported here: it loads Pango, which only PDF output needs

    # WeasyPrint warns once per SVG presentation attribute it reads itself: noise, not news.
    noisy = logging.getLogger("weasyprint")
    level = noisy.level
    noisy.setLevel(max(level, logging.ERROR))
    try:
        return bytes(weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf())
    finally:
        noisy.setLevel(level)
