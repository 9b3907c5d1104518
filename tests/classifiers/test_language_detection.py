"""Unit tests for classifiers.language.detect_language."""

from __future__ import annotations

import pytest

from classifiers import language
from classifiers.language import detect_language

SENTENCES = [
    ("en", "My order still hasn't arrived and nobody answers my emails."),
    ("tr", "Siparişim hâlâ gelmedi, kimse cevap vermiyor."),
    ("fa", "سفارشم هنوز نرسیده و کسی جواب نمیده."),
    ("ar", "طلبي لم يصل حتى الآن ولا أحد يرد على رسائلي."),
    ("es", "Mi pedido todavía no ha llegado y nadie responde."),
    ("de", "Meine Bestellung ist immer noch nicht angekommen."),
    ("fr", "Ma commande n'est toujours pas arrivée et personne ne répond."),
    ("en", "Love the new update, great job!"),
    ("tr", "Yeni güncelleme harika olmuş, teşekkürler!"),
    ("fa", "آپدیت جدید عالیه، دمتون گرم!"),
    ("ar", "التحديث الجديد رائع، شكرا لكم!"),
]


@pytest.mark.parametrize(("expected", "text"), SENTENCES)
def test_detects_core_languages(expected: str, text: str) -> None:
    assert detect_language(text) == expected


def test_languages_outside_the_lexicons_are_still_named() -> None:
    # Not constrained to the seven core languages: Italian is not forced into Spanish.
    assert detect_language("Il mio ordine non è ancora arrivato, che delusione.") == "it"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😍🔥👍🙏", "https://example.com/some/long/path", "@acme_support", "#fail", "ok",
     "12345 !!! ???", "@acme https://t.co/x 👍"],
)  # fmt: skip
def test_returns_none_when_there_are_too_few_letters(text: str) -> None:
    assert detect_language(text) is None


def test_links_handles_and_hash_marks_are_ignored() -> None:
    text = "@acme_destek https://t.co/abc Siparişim hâlâ gelmedi, kimse cevap vermiyor #rezalet"
    assert detect_language(text) == "tr"


def test_short_persian_the_detector_calls_urdu_is_settled_by_script() -> None:
    assert detect_language("کی میرسه") == "fa"


@pytest.mark.parametrize(
    ("text", "detected", "expected"),
    [
        ("گوشی من خرابه", "ar", "fa"),  # گ and ی exist in Persian, not Arabic
        ("کی میرسه", "ur", "fa"),  # Persian letters and no Urdu-only ones
        ("کیا حال ہے", "ur", "ur"),  # ہ and ے are Urdu: left alone
        ("الخدمة سيئة جدا", "fa", "ar"),  # ة and ي are Arabic spellings
        ("this is english", "en", "en"),  # other scripts are never touched
    ],
)
def test_script_tie_break(text: str, detected: str, expected: str) -> None:
    assert language._script_tie_break(text, detected) == expected


def test_arabic_dialect_labels_are_folded_into_ar() -> None:
    # py3langid labels this Egyptian greeting "arz"; ISO 639-1 has only "ar".
    assert detect_language("ازيك يا باشا عامل ايه النهارده") == "ar"


def test_identifier_is_loaded_once() -> None:
    assert language._identifier() is language._identifier()
