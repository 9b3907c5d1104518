"""The console in English, Turkish and Persian: a small catalog, dates in the user's zone.

Catalogs are TOML files in ``console/locales`` (packaged data), one flat table of
``key = "text"`` per language; a missing key falls back to English, then to the key
itself, so a half-translated catalog never breaks a page. Persian is written right
to left: :func:`direction` tells the base template what to put in ``<html dir>``.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = [
    "LANGUAGES",
    "RTL_LANGUAGES",
    "catalog",
    "direction",
    "format_time",
    "time_left",
    "time_zones",
    "translator",
]

LANGUAGES = {"en": "English", "tr": "Türkçe", "fa": "فارسی"}
RTL_LANGUAGES = frozenset({"fa"})


@functools.cache
def catalog(language: str) -> dict[str, str]:
    """The strings of ``language`` (empty for a language we do not ship)."""
    if language not in LANGUAGES:
        return {}
    text = resources.files("console").joinpath("locales", f"{language}.toml").read_text("utf-8")
    return {str(key): str(value) for key, value in tomllib.loads(text).items()}


def translator(language: str) -> Callable[..., str]:
    """A ``t(key, **values)`` for templates, falling back to English and then to the key."""
    own, english = catalog(language), catalog("en")

    def translate(key: str, **values: object) -> str:
        text = own.get(key) or english.get(key) or key
        return text.format(**values) if values else text

    return translate


def direction(language: str) -> str:
    """``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The IANA zone names a user can pick, sorted (UTC first)."""
    names = {name for name in available_timezones() if "/" in name and not name.startswith("Etc/")}
    return ("UTC", *sorted(names))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_time(value: datetime | None, timezone: str) -> str:
    """``2026-11-22 17:04 +03`` in the user's time zone; empty for None."""
    if value is None:
        return ""
    local = value.astimezone(_zone(timezone))
    offset = local.strftime("%z")
    short = offset[:3] if offset.endswith("00") else f"{offset[:3]}:{offset[3:]}"
    return f"{local:%Y-%m-%d %H:%M} {short}"


def time_left(due: datetime | None, now: datetime) -> tuple[str, int] | None:
    """SLA time left as (``"1h 05m"``, seconds); negative seconds when breached."""
    if due is None:
        return None
    seconds = int((due - now).total_seconds())
    span = abs(seconds)
    days, rest = divmod(span, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    text = f"{days}d {hours}h" if days else f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"
    return text, seconds
