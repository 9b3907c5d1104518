"""Text clean-up that every judge applies before looking at a post.

Posts arrive as hostile, arbitrary Unicode: megabyte pastes, NUL bytes, bidi
overrides that make text display in a different order than it is stored.
``normalise`` turns any of that into a short, single-line, NFC string that a
lexicon or a tokenizer can read; ``strip_markup`` then drops the links and
@handles that carry no language or mood. Both are for classification only;
the stored mention keeps the original text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["DEFAULT_MAX_CHARS", "normalise", "strip_markup"]

DEFAULT_MAX_CHARS = 2000

# Embedding/override/isolate controls plus the invisible direction marks (LRM,
# RLM, ALM): they change how text displays, never what it says.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Invisible characters that split words without being spaces: zero-width space,
# word joiner, BOM, soft hyphen. ZWNJ/ZWJ stay: Persian spelling and emoji use them.
_INVISIBLE = "\u200b\u2060\ufeff\u00ad"
# C0 and C1 controls and DEL (but not the whitespace ones, including NEL, which
# become spaces below), and lone surrogates from broken escapes, which cannot
# even be encoded as UTF-8.
_DROP = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f" + _BIDI_CONTROLS + _INVISIBLE + "\ud800-\udfff]"
)
_WHITESPACE = re.compile(r"\s+")
# Links and @handles say nothing about the author's language or mood (and a URL
# path like /cancel-subscription must not count as a churn cue).
_MARKUP = re.compile(r"https?://\S+|www\.\S+|(?<!\w)@\w+", re.IGNORECASE)
_HASH_MARK = re.compile(r"(?<!\w)#(?=\w)")


def normalise(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return ``text`` truncated, NFC-composed, stripped of controls, on one line."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    # Cut first, so the cost of everything below is bounded by max_chars.
    clipped = text[:max_chars]
    cleaned = _DROP.sub("", clipped)
    # Tab, newline, CR, VT, FF and Unicode spaces become single spaces.
    collapsed = _WHITESPACE.sub(" ", cleaned).strip()
    # NFC can (rarely) lengthen a string, so clip once more after composing.
    return unicodedata.normalize("NFC", collapsed)[:max_chars]


def strip_markup(text: str) -> str:
    """Return normalised ``text`` without links and @handles, and hashtags without '#'."""
    without_links = _MARKUP.sub(" ", text)
    return _WHITESPACE.sub(" ", _HASH_MARK.sub("", without_links)).strip()
