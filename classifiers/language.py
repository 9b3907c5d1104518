"""Language detection for mention text: py3langid plus a Persian/Arabic script tie-break.

The detector is py3langid's Naive Bayes model (shipped inside the package, so
no download). Three choices were measured on short social posts in en, tr, fa,
ar, es, de, fr and a few other languages (see ``tests/classifiers``):

* All 139 labels: short posts drift to small languages ("thanks!" -> Xhosa).
* Only our seven core languages: Italian, Portuguese, Russian and Dutch posts
  are confidently mislabelled as Spanish, German or Arabic.
* ``CANDIDATES``, about forty languages common on social platforms: best of the
  three, and it still names languages the lexicons do not cover.

Posts where the detector is unsure (``MIN_CONFIDENCE``) or that have too few
letters (``MIN_LETTERS``) get ``None``: "unknown" is more useful downstream than
a wrong code. Persian and Arabic share a script and py3langid mixes them up on
short text, so letters that exist in only one of the two settle it.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from classifiers.text import normalise, strip_markup

__all__ = ["CANDIDATES", "MIN_CONFIDENCE", "MIN_LETTERS", "detect_language"]

# ISO 639-1 codes, plus the two Arabic dialect labels the model has (folded to "ar").
CANDIDATES: tuple[str, ...] = (
    "en", "es", "pt", "fr", "de", "it", "nl", "tr", "fa", "ar", "arz", "ary",
    "ru", "uk", "pl", "ja", "ko", "zh", "hi", "ur", "id", "th", "vi", "he", "el",
    "sv", "da", "no", "fi", "cs", "ro", "hu", "bn", "ta", "tl", "ms", "az", "ca",
)  # fmt: skip
_ALIASES = {"arz": "ar", "ary": "ar"}
MIN_CONFIDENCE = 0.3
MIN_LETTERS = 3

# Letters Persian has and Arabic lacks (and the Arabic-only ones that Persian spells
# differently); Urdu shares the Persian letters but has its own heh/yeh forms.
_PERSIAN = frozenset("پچژگکی")
_ARABIC_ONLY = frozenset("ةيكى")
_URDU_ONLY = frozenset("ہےۓںٹڈڑھ")


@functools.cache
def _identifier() -> Any:
    """Load py3langid's model once, restricted to ``CANDIDATES``.

    ``set_languages`` keeps the full table of 142 languages beside the chosen
    columns; building an identifier from those columns alone frees it (17 MB).
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full.set_languages(list(CANDIDATES))
    return LanguageIdentifier(
        np.ascontiguousarray(full.nb_ptc),
        full.nb_pc,
        full.nb_classes,
        full.tk_nextmove,
        full.tk_output,
        norm_probs=True,
        tk_row=full.tk_row,
    )


def _script_tie_break(text: str, code: str) -> str:
    """Settle Persian versus Arabic (or Urdu) by letters only one of them uses."""
    letters = set(text)
    persian, arabic = bool(letters & _PERSIAN), bool(letters & _ARABIC_ONLY)
    if code == "ar" and persian and not arabic:
        return "fa"
    if code == "ur" and persian and not letters & _URDU_ONLY:
        return "fa"
    if code == "fa" and arabic and not persian:
        return "ar"
    return code


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of ``text``'s language, or None when it cannot tell."""
    cleaned = strip_markup(normalise(text))
    if sum(ch.isalpha() for ch in cleaned) < MIN_LETTERS:
        return None
    label, confidence = _identifier().classify(cleaned)
    if confidence < MIN_CONFIDENCE:
        return None
    return _script_tie_break(cleaned, _ALIASES.get(label, label))
