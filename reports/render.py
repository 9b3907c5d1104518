"""Rendering the weekly report: a self-contained HTML page and a PDF made from it.

The page embeds its CSS and its charts (inline SVG) and refers to nothing
outside itself; a Content-Security-Policy forbids any fetch, so even a link
someone posted cannot make a reader's browser call out. Every text that came
from a post is escaped by Jinja2's autoescape; links are kept only when they
are http(s); bidi controls in posts (U+202E and its kin) are dropped so a post
cannot reverse the words after it, and each user text gets the direction of
its own first strong letter. Persian pages are ``dir="rtl"`` and write numbers
and dates in Persian digits (۲۷, ۱٬۲۰۰٫۵); Turkish ones group as 1.200,5. The
PDF is WeasyPrint's rendering of the same HTML, with fetching refused.
"""

from __future__ import annotations

import functools
import logging
import tomllib
import unicodedata
from datetime import date, datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from reports.charts import chart_legends, render_charts
from reports.model import WeeklyReport

__all__ = [
    "LANGUAGES",
    "RTL_LANGUAGES",
    "clean_text",
    "format_number",
    "localise_digits",
    "render_html",
    "render_pdf",
    "text_direction",
    "translator",
]

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


# Thousands and decimal separators, and digits, per report language.
_SEPARATORS = {"en": (",", "."), "tr": (".", ","), "fa": ("\u066c", "\u066b")}
_DIGITS = {"fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")}
# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): a post's U+202E could
# otherwise reverse the words after it ("evil" read as "live"); the page sets direction itself.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def localise_digits(text: str, language: str) -> str:
    """``text`` with its ASCII digits written the way ``language`` writes them."""
    table = _DIGITS.get(language)
    return text.translate(table) if table else text


def format_number(value: Any, language: str = "en", *, signed: bool = False) -> str:
    """A figure for people: grouped, two decimals at most, in the language's digits; – for none."""
    if value is None or isinstance(value, jinja2.Undefined):
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:+,.2f}" if signed else f"{value:,.2f}"
        text = text.rstrip("0").rstrip(".")
    else:
        text = f"{int(value):+,}" if signed else f"{int(value):,}"
    thousands, decimal = _SEPARATORS.get(language, _SEPARATORS["en"])
    text = text.translate(str.maketrans(",.", thousands + decimal))
    return localise_digits(text, language)


@jinja2.pass_context
def _num(context: Any, value: Any, signed: bool = False) -> str:
    return format_number(value, context.get("lang", "en"), signed=signed)


@jinja2.pass_context
def _day(context: Any, value: date) -> str:
    return localise_digits(value.isoformat(), context.get("lang", "en"))


@jinja2.pass_context
def _local(context: Any, moment: datetime, timezone: str) -> str:
    text = moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
    return localise_digits(text, context.get("lang", "en"))


def clean_text(value: str | None) -> str:
    """User text without the bidi controls that would reorder what follows it."""
    return (value or "").translate(_BIDI_CONTROLS)


def text_direction(value: str | None) -> str:
    """``rtl`` when the text's first strong letter is right-to-left, else ``ltr``."""
    for char in value or "":
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


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
    environment.filters["day"] = _day
    environment.filters["clean"] = clean_text
    environment.filters["textdir"] = text_direction
    return environment


def render_html(report: WeeklyReport) -> str:
    """The report as one self-contained HTML document in the report's language."""
    language = report.week.language if report.week.language in LANGUAGES else "en"
    translate = translator(language)
    css = resources.files("reports").joinpath("templates", "weekly.css").read_text("utf-8")
    rtl = language in RTL_LANGUAGES
    charts = render_charts(
        report, translate, digits=lambda text: localise_digits(text, language), rtl=rtl
    )
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
            generated=localise_digits(
                report.week.generated_at.astimezone(ZoneInfo(report.week.timezone)).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                language,
            ),
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
