"""Unit tests for classifiers.text: normalise and strip_markup."""

from __future__ import annotations

import pytest

from classifiers.text import DEFAULT_MAX_CHARS, normalise, strip_markup


def test_nul_and_other_control_characters_are_removed() -> None:
    assert normalise("re\x00fu\x07nd\x1b\x7f\x9b") == "refund"


def test_newlines_and_tabs_become_single_spaces() -> None:
    assert normalise("line one\n\nline\ttwo\r\n  three") == "line one line two three"


def test_next_line_character_is_whitespace_not_deleted() -> None:
    assert normalise("one\x85two") == "one two"


def test_surrounding_whitespace_is_stripped() -> None:
    assert normalise(" \t hello \n ") == "hello"


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                     "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"])  # fmt: skip
def test_bidi_controls_are_stripped(control: str) -> None:
    assert normalise(f"{control}terrible{control}") == "terrible"


def test_zero_width_non_joiner_is_kept_for_persian() -> None:
    assert normalise("می\u200cخواهم") == "می\u200cخواهم"


def test_zero_width_space_and_bom_are_removed() -> None:
    assert normalise("\ufeffref\u200bund") == "refund"


def test_output_is_nfc() -> None:
    decomposed = "cafe\u0301 gu\u0308zel"
    assert normalise(decomposed) == "café güzel"


def test_lone_surrogates_are_removed_so_the_text_encodes() -> None:
    result = normalise("ok\ud83d then")
    assert result == "ok then"
    result.encode("utf-8")


def test_truncates_to_max_chars() -> None:
    assert normalise("a" * 50, max_chars=10) == "a" * 10


def test_truncation_happens_before_cleaning() -> None:
    # The tail beyond max_chars is never looked at, even if cleaning would shorten the head.
    assert normalise("ab\x00\x00cdef", max_chars=4) == "ab"


def test_default_cap_bounds_a_100kb_post() -> None:
    assert len(normalise("x" * 100_000)) == DEFAULT_MAX_CHARS


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        normalise("text", max_chars=0)


def test_normalise_is_idempotent() -> None:
    once = normalise("  Hi\x00 there\u202e \n\t you ")
    assert normalise(once) == once


def test_strip_markup_drops_links_and_handles_keeps_hashtag_words() -> None:
    text = "@acme_support my order https://t.co/abc123 is late #fail www.acme.com/x"
    assert strip_markup(text) == "my order is late fail"


def test_strip_markup_keeps_email_like_at_signs_inside_words() -> None:
    assert strip_markup("mail me at jo@example.com") == "mail me at jo@example.com"
