"""The phrases people used most: words and two-word phrases, stop words removed, in any language.

Each post counts a phrase once (document frequency), so one post repeating a
word cannot make a topic. Links, @handles and numbers are dropped, ``#tags``
count as words, and the brand's own name is a stop word. Stop words for
English, Turkish, Persian, Spanish, German, French and Arabic live in
``stopwords.toml``; all lists apply to every post, because language detection
on a short post is often wrong. Arabic and Persian letter forms are folded
(ي→ی, ك→ک) so the two spellings count as one word. Posts are cut to
``MAX_CHARS`` before reading, so a 100 KB post costs what a tweet costs.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from importlib import resources

from reports.model import Phrase

__all__ = ["MAX_CHARS", "StopWords", "stop_words", "tokens", "top_phrases"]

MAX_CHARS = 2_000
MIN_BIGRAM_POSTS = 2

StopWords = frozenset[str]

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@[\w.]+")
# A word starts with a letter; ZWNJ (U+200C) joins Persian word parts.
_WORD = re.compile(r"[^\W\d_][\w\u200c]*")
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u0640": None, "’": "'"})


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().translate(_FOLD).strip("\u200c")


@functools.cache
def _bundled() -> frozenset[str]:
    data = tomllib.loads(resources.files("reports").joinpath("stopwords.toml").read_text("utf-8"))
    return frozenset(_fold(word) for words in data.values() for word in words)


def stop_words(*, brand: str = "", handles: Iterable[str] = ()) -> StopWords:
    """The bundled stop words plus the words of the brand's name and handles."""
    own = {_fold(word) for word in _WORD.findall(" ".join([brand, *handles]))}
    return _bundled() | own


def tokens(text: str, *, stop: StopWords) -> list[list[str]]:
    """Runs of content words: a stop word, link, handle or punctuation ends a run."""
    text = _HANDLE.sub(" . ", _URL.sub(" . ", text[:MAX_CHARS]))
    runs: list[list[str]] = [[]]
    for piece in re.split(r"[.,;:!?()\[\]{}\"«»“”،؛؟\n]+", text):
        for raw in re.split(r"[\s']+", piece):
            for word in _WORD.findall(raw):
                folded = _fold(word)
                if len(folded) < 2 or folded in stop:
                    runs.append([])
                else:
                    runs[-1].append(folded)
        runs.append([])
    return [run for run in runs if run]


def top_phrases(texts: Iterable[str], *, stop_words: StopWords, limit: int = 10) -> list[Phrase]:
    """The ``limit`` phrases in the most posts; a word inside an as-common phrase is left out."""
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for text in texts:
        runs = tokens(text or "", stop=stop_words)
        unigrams.update({word for run in runs for word in run})
        bigrams.update({f"{a} {b}" for run in runs for a, b in itertools.pairwise(run)})
    candidates = [(n, 2, p) for p, n in bigrams.items() if n >= MIN_BIGRAM_POSTS]
    candidates += [(n, 1, p) for p, n in unigrams.items()]
    candidates.sort(key=lambda item: (-item[0], -item[1], item[2]))
    chosen: list[Phrase] = []
    for count, size, phrase in candidates:
        covered = size == 1 and any(
            phrase in c.text.split(" ") and c.count >= count for c in chosen if " " in c.text
        )
        if not covered:
            chosen.append(Phrase(phrase, count))
        if len(chosen) == limit:
            break
    return chosen
