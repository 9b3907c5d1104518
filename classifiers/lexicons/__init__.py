"""Curated cue lists for the baseline judge: one module per language, plus emoji.

Each language module holds one ``Lexicon`` (see ``schema``): words and phrases
by category, and the words that negate them. The judge matches every lexicon
against every text, whatever language was detected, so a post that mixes
languages, or one the detector gets wrong, still finds its cues.
"""

from __future__ import annotations

from classifiers.lexicons import ar, common, de, en, es, fa, fr, tr
from classifiers.lexicons.schema import CATEGORIES, RISK_CATEGORIES, Lexicon

__all__ = ["CATEGORIES", "LEXICONS", "RISK_CATEGORIES", "Lexicon"]

LEXICONS: dict[str, Lexicon] = {
    "common": common.LEXICON,
    "en": en.LEXICON,
    "tr": tr.LEXICON,
    "fa": fa.LEXICON,
    "ar": ar.LEXICON,
    "es": es.LEXICON,
    "de": de.LEXICON,
    "fr": fr.LEXICON,
}
