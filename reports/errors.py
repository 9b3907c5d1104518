"""Exceptions raised by the reports package.

The tree::

    ReportError              anything the reports package raises on purpose
     ├── InvalidWeek         a week that is not ``YYYY-Www`` or does not exist (2025-W53)
     ├── UnknownTimezone     report.timezone is not an IANA zone name
     ├── UnknownFormat       a format other than html, pdf, csv, json
     ├── UnknownLanguage     a report language other than en, tr, fa
     └── OutputError         the output directory or a file cannot be written

Each also derives from the builtin that fits (``ValueError``, ``OSError``), so
callers that only know the builtins still catch them.
"""

from __future__ import annotations

__all__ = [
    "InvalidWeek",
    "OutputError",
    "ReportError",
    "UnknownFormat",
    "UnknownLanguage",
    "UnknownTimezone",
]


class ReportError(Exception):
    """Base of every error the reports package raises on purpose."""


class InvalidWeek(ReportError, ValueError):
    """A week label that cannot be read or names no real ISO week."""


class UnknownTimezone(ReportError, ValueError):
    """A time zone name the system's zone database does not know."""


class UnknownFormat(ReportError, ValueError):
    """A report format that is not one of html, pdf, csv, json."""


class UnknownLanguage(ReportError, ValueError):
    """A report language the catalog has no words for."""


class OutputError(ReportError, OSError):
    """The report's directory or one of its files cannot be written."""
