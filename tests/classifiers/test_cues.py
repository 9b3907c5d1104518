"""Lexicon matching: the sentence-start group finds exactly what its entries found ungrouped."""

from __future__ import annotations

import re

import pytest

from classifiers.cues import _WORD_START, _compile, _entry_regex, find_cues, fold

ENTRIES = ["^can you", "^can i", "can", "^why*", "why not", "^¿por qué", "🔥", "!!", "help*"]
ENTRIES += ["^is it"]
TEXTS = [
    "can you help? why not. Is it on? can i go",
    "I can you see. ¿Por qué no? helping!! 🔥🔥",
    "why would it. whyyy. ok!Can you? is it",
    "  can you   ",
    "no.can i",
]


def _sentence_starts_ungrouped(entries: list[str]) -> re.Pattern[str]:
    """The pattern as built before: word entries grouped, each other entry on its own."""
    ordered = [_entry_regex(e) for e in sorted(set(entries), key=lambda e: (-len(e), e))]
    words = [regex.removeprefix(_WORD_START) for regex in ordered if regex.startswith(_WORD_START)]
    others = [regex for regex in ordered if not regex.startswith(_WORD_START)]
    return re.compile("|".join([_WORD_START + "(?:" + "|".join(words) + ")", *others]))


@pytest.mark.parametrize("text", TEXTS)
def test_grouping_sentence_start_entries_changes_no_match(text: str) -> None:
    folded = fold(text)
    grouped = [m.span() for m in _compile(ENTRIES).finditer(folded)]
    reference = [m.span() for m in _sentence_starts_ungrouped(ENTRIES).finditer(folded)]
    assert grouped == reference


def test_sentence_start_entries_match_only_at_a_sentence_start() -> None:
    pattern = _compile(["^can you"])
    assert [m.start() for m in pattern.finditer("can you? i can you. can you")] == [0, 20]


def test_a_sentence_start_question_is_a_question_cue() -> None:
    assert any(cue.category == "question" for cue in find_cues(fold("Can you fix my bill?")))
    assert not any(cue.category == "question" for cue in find_cues(fold("ok")))
