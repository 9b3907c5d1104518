"""Reply drafting: a polite, on-brand holding reply that a community manager approves.

Pure code, no database. ``draft_reply`` renders ``templates/replies/<name>.<lang>.j2``
for the intent (English when the language has no template), keeps the text within the
platform's length limit, and reports anything a reviewer should look at. Templates only
ever see three values, a sanitised first name, our case reference and whether to be
short, so a draft can never repeat what the mention said. ``lint_draft`` flags risky
wording (refund promises, admissions of fault, personal data) in any draft, including
one a person edited.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, TemplateNotFound

from config.labels import Intent, Platform
from responders.errors import NoTemplate

__all__ = [
    "DRAFTABLE",
    "FALLBACK_LANGUAGE",
    "MAX_FIRST_NAME",
    "PLATFORM_LIMITS",
    "Draft",
    "clean_first_name",
    "draft_reply",
    "environment",
    "lint_draft",
    "measure",
    "trim_to_limit",
]

PLATFORM_LIMITS: dict[Platform, int] = {
    Platform.X: 280,
    Platform.BLUESKY: 300,
    Platform.MASTODON: 500,
    Platform.REDDIT: 10_000,
}
DRAFTABLE: frozenset[Intent] = frozenset(
    {Intent.COMPLAINT, Intent.QUESTION, Intent.SUGGESTION, Intent.PURCHASE, Intent.PRAISE}
)
FALLBACK_LANGUAGE = "en"
MAX_FIRST_NAME = 40
ELLIPSIS = "…"

_LANGUAGE = re.compile(r"[a-z]{2,3}")
_CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
_NAME_SEPARATORS = re.compile(r"[ '’\-\u200c]")
# Code points X counts once; everything else (emoji, CJK, ...) counts twice (twitter-text v3).
_X_SINGLE_WEIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


@dataclass(frozen=True, slots=True)
class Draft:
    """A rendered reply, the template it came from, its language and what to review."""

    text: str
    template: str
    language: str
    warnings: tuple[str, ...]


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment for reply templates, built on first use."""
    # Autoescape is off on purpose: replies are plain text posted through platform APIs,
    # not HTML, and escaping would post "we&#39;re". The only outside value a template
    # sees is a first name already cut down to letters; the console escapes drafts itself.
    return Environment(
        loader=PackageLoader("responders", "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 - plain text, see above
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def draft_reply(
    *,
    intent: Intent,
    language: str | None,
    platform: Platform,
    first_name: str | None,
    case_ref: str,
    escalated: bool = False,
    env: Environment | None = None,
) -> Draft:
    """Draft the reply for one mention; ``env`` swaps in other templates (tests, brands)."""
    base = _template_base(intent, escalated=escalated)
    template, used, notes = _load(env or environment(), base, language)
    context = {"first_name": clean_first_name(first_name), "case_ref": _checked_ref(case_ref)}
    text, fitted = _fit(template, context, platform=platform)
    warnings = dict.fromkeys((*notes, *fitted, *lint_draft(text)))
    return Draft(text=text, template=template.name or base, language=used, warnings=(*warnings,))


def _template_base(intent: Intent, *, escalated: bool) -> str:
    """The template's name without language; only complaints have an escalated variant."""
    if intent not in DRAFTABLE:
        raise NoTemplate(str(intent), "this intent never gets a reply")
    return "complaint_escalated" if escalated and intent is Intent.COMPLAINT else str(intent)


def _load(env: Environment, base: str, language: str | None) -> tuple[Template, str, list[str]]:
    """The template in the wanted language, else in English with a note saying so."""
    wanted = _primary_language(language)
    if wanted is not None:
        try:
            return env.get_template(f"replies/{base}.{wanted}.j2"), wanted, []
        except TemplateNotFound:
            pass
    try:
        template = env.get_template(f"replies/{base}.{FALLBACK_LANGUAGE}.j2")
    except TemplateNotFound as exc:
        raise NoTemplate(base, f"no {FALLBACK_LANGUAGE} template to fall back on") from exc
    tag = wanted or "such"  # never echo a malformed tag
    notes = [] if language is None else [f"language-fallback: no {tag} reply; drafted in English"]
    return template, FALLBACK_LANGUAGE, notes


def _primary_language(language: str | None) -> str | None:
    """``"pt-BR"`` -> ``"pt"``; None for anything that is not a language tag."""
    if not language:
        return None
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return primary if _LANGUAGE.fullmatch(primary) else None


def _checked_ref(case_ref: str) -> str:
    """Our own case reference, refused if it could not be one (a caller's bug)."""
    if not _CASE_REF.fullmatch(case_ref):
        raise ValueError(f"not a case reference: {case_ref!r}")
    return case_ref


def _fit(
    template: Template, context: dict[str, str | None], *, platform: Platform
) -> tuple[str, list[str]]:
    """The full text if it fits the platform, else the short variant, else a trimmed one."""
    limit = PLATFORM_LIMITS[platform]
    for short in (False, True):
        text = unicodedata.normalize("NFC", template.render(**context, short=short)).strip()
        if measure(text, platform=platform) <= limit:
            return text, []
    return trim_to_limit(text, platform=platform), [f"trimmed: cut to fit {platform}'s {limit}"]


def measure(text: str, *, platform: Platform) -> int:
    """How long ``text`` is by ``platform``'s count (X weighs emoji and CJK double)."""
    if platform is not Platform.X:
        return len(text)  # code points: never fewer than Bluesky's graphemes
    return sum(1 if _x_single(ord(ch)) else 2 for ch in unicodedata.normalize("NFC", text))


def _x_single(code: int) -> bool:
    return any(low <= code <= high for low, high in _X_SINGLE_WEIGHT)


def trim_to_limit(text: str, *, platform: Platform) -> str:
    """``text`` cut at a word boundary, with an ellipsis, to fit ``platform``'s limit."""
    limit = PLATFORM_LIMITS[platform]
    if measure(text, platform=platform) <= limit:
        return text
    cut = text[:limit]  # every platform counts a code point as at least one
    while cut and measure(cut + ELLIPSIS, platform=platform) > limit:
        space = max(cut.rfind(" "), cut.rfind("\n"))
        cut = cut[:space].rstrip() if space > 0 else cut[:-1]
    return cut + ELLIPSIS


def clean_first_name(raw: str | None) -> str | None:
    """``raw`` if it is plainly a name (letters, at most 40 characters), else None."""
    if raw is None:
        return None
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name or len(name) > MAX_FIRST_NAME:
        return None
    return name if all(map(_is_word, _NAME_SEPARATORS.split(name))) else None


def _is_word(part: str) -> bool:
    """A run of letters, with the marks some scripts attach to them; no digits, no symbols."""
    return bool(part) and part[0].isalpha() and all(ch.isalpha() or _is_mark(ch) for ch in part)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


# --- lint -------------------------------------------------------------------------------

_MI = "می[\u200c ]?"  # Persian verb prefix, written joined, with ZWNJ or with a space
_FOLD = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9", "\u0640": None, "’": "'"})
_NOT = r"(?!not\b|never\b)"

_REFUND = (
    rf"\bwe(?:'ll|\s+will|\s+shall|\s+can|\s+would|\s+are\s+going\s+to)\s+(?:{_NOT}\w+\s+){{0,3}}?"
    r"refunds?\b(?!\s+(?:policy|policies|requests?|process|options?|team)\b)",
    r"\b(?:full|guaranteed)\s+refund",
    r"\byou(?:'ll|\s+will)\s+(?:be\s+refunded|(?:\w+\s+){0,2}?(?:get|receive|be\s+given)\s+"
    r"(?:\w+\s+){0,2}?refund)",
    r"\b(?:your|the)\s+money\s+back\b",
    r"iade\s+(?:edeceğiz|ediyoruz|ederiz|edilecek(?:tir)?|yapacağız)",
    r"(?:paranızı|ücretinizi|ödemenizi)\s+(?:\w+\s+){0,2}?(?:iade|geri\s+öde)",
    r"geri\s+ödeyeceğiz",
    rf"بازپرداخت\s+(?:\S+\s+){{0,2}}?(?:{_MI}کنیم|خواهیم\s+کرد)",
    r"(?:بازپرداخت|استرداد)\s+کامل",
    rf"(?:پول|وجه|مبلغ|هزینه)\S*\s+(?:\S+\s+){{0,3}}?(?:بر{_MI}گردانیم|باز\s*{_MI}گردانیم"
    rf"|عودت\s+(?:{_MI}دهیم|خواهیم\s+داد)|پس\s+(?:{_MI}دهیم|خواهیم\s+داد))",
)
_FAULT = (
    r"\b(?:(?:it|this|that)(?:'s|\s+is|\s+was)\s+(?:\w+\s+)?)?our\s+(?:fault|mistake)\b",
    rf"\bwe(?:'re|\s+are)\s+(?:{_NOT}\w+\s+)?(?:liable|to\s+blame|at\s+fault)\b",
    r"\bwe\s+(?:admit|accept|take)\s+(?:full\s+)?(?:liability|responsibility|the\s+blame)\b",
    r"\bwe\s+(?:messed|screwed)\s+up\b",
    r"bizim\s+(?:hatamız|suçumuz|kusurumuz)\w*",
    r"(?:hata|suç|kusur)\s+(?:tamamen\s+)?bizde\w*",
    r"(?:sorumluluğu|suçu|hatayı|kusuru)\s+(?:tamamen\s+)?(?:kabul\s+ediyoruz|üstleniyoruz)",
    r"bizden\s+kaynaklan\w*",
    r"(?:تقصیر|اشتباه|خطا|قصور)\s+(?:\S+\s+){0,2}?ما(?:ست|\s+است|\s+بود)",
    r"ما\s+مقصر(?:یم|\s+هستیم|\s+بودیم)",
    rf"مس(?:ئو|ؤو)لیت\s+(?:\S+\s+){{0,2}}?(?:{_MI}پذیریم|بر\s+عهده\s+{_MI}گیریم)",
)
_WORDING: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    *(("refund-promise", "promises a refund", re.compile(p, re.I)) for p in _REFUND),
    *(("fault-admission", "admits fault or liability", re.compile(p, re.I)) for p in _FAULT),
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RUN = re.compile(r"(?<!\w)\+?\d(?:[ .()\-]{0,2}\d)+")


def lint_draft(text: str) -> tuple[str, ...]:
    """Warnings about risky wording or personal data in a reply, in English, Turkish or Persian."""
    folded = unicodedata.normalize("NFC", text).translate(_FOLD)
    return tuple(dict.fromkeys((*_risky_wording(folded), *_personal_data(folded))))


def _risky_wording(text: str) -> list[str]:
    """One warning per risky phrase, quoted; overlapping or repeated hits count once."""
    spans: dict[str, list[tuple[int, int]]] = {}
    found: dict[tuple[str, str], str] = {}
    for code, what, pattern in _WORDING:
        for match in pattern.finditer(text):
            taken = spans.setdefault(code, [])
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.setdefault((code, match.group(0).casefold()), f'{code}: "{match[0]}" {what}')
    return list(found.values())


def _personal_data(text: str) -> list[str]:
    """Warnings for contact or card details, named by kind so the warning repeats none of it."""
    found = ["personal-data: an e-mail address"] if _EMAIL.search(text) else []
    for match in _DIGIT_RUN.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if digits >= 13:
            found.append("personal-data: a card-like run of digits")
        elif digits >= 9 or (digits >= 7 and match.group(0).startswith("+")):
            found.append("personal-data: a phone number")
    return found
