"""The baseline judge on hostile input: it must return a sane Judgement for any string."""

from __future__ import annotations

import pytest

from classifiers.baseline import LexiconJudge
from classifiers.judgement import Judgement
from config.labels import Intent, Sentiment

HOSTILE = {
    "empty": "",
    "whitespace": " \n\t\r ",
    "emoji_only": "😍🔥👍🙏🎉",
    "emoji_flood": "😡" * 50_000,
    "100kb": "My order is late. " * 6_000,
    "nul_and_controls": "\x00\x01refund\x07\x1b[31m now\x7f\x9b\x00",
    "only_nul": "\x00" * 1_000,
    "rtl_with_overrides": "\u202eاین محصول افتضاحه\u202c \u2067خیلی بده\u2069",
    "mixed_scripts": "great خدمات عالی iyi değil مش كويس 非常好 очень плохо",
    "lone_surrogates": "\ud83d\ude00 ok \ud800 then \udfff",
    "combining_flood": "a" + "\u0301" * 10_000,
    "zero_width": "\u200b\u200c\u200d\u2060\ufeff",
    "question_marks": "?" * 100_000,
    "hashtag_wall": "#a " * 30_000,
    "url_only": "https://example.com/?q=cancel&refund=1#lawyer",
    "regex_metachars": r"(.*)+[^\w]\\1{9999}$^|?*+",
    "long_word": "a" * 100_000,
}


@pytest.fixture(scope="module")
def judge() -> LexiconJudge:
    return LexiconJudge()


def assert_sane(result: Judgement) -> None:
    assert isinstance(result.sentiment, Sentiment)
    assert isinstance(result.intent, Intent)
    assert sum(result.sentiment_scores.values()) == pytest.approx(1.0)
    assert sum(result.intent_scores.values()) == pytest.approx(1.0)
    scores = [*result.sentiment_scores.values(), *result.intent_scores.values(),
              *result.risk_scores.values()]  # fmt: skip
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert result.language is None or len(result.language) == 2
    assert result.model_version == "baseline-lexicon-1"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_any_string_gets_a_sane_judgement(judge: LexiconJudge, text: str) -> None:
    [result] = judge.predict([text])
    assert_sane(result)


def test_whole_hostile_batch_at_once(judge: LexiconJudge) -> None:
    results = judge.predict(list(HOSTILE.values()))
    assert len(results) == len(HOSTILE)
    for result in results:
        assert_sane(result)


@pytest.mark.parametrize("text", ["", " \n\t ", "😍🔥👍", "\x00" * 10, "\u200b"])
def test_texts_without_words_have_no_language(judge: LexiconJudge, text: str) -> None:
    [result] = judge.predict([text])
    assert result.language is None


def test_empty_text_is_neutral_other_without_risk(judge: LexiconJudge) -> None:
    [result] = judge.predict([""])
    assert (result.sentiment, result.intent, result.risk) == (
        Sentiment.NEUTRAL, Intent.OTHER, ()
    )  # fmt: skip


def test_a_100kb_post_is_judged_on_its_first_2000_characters(judge: LexiconJudge) -> None:
    head = "Thanks, love the new app! " * 80
    tail = "I will sue you, my account was hacked, cancel everything. " * 2_000
    long_result, head_result = judge.predict([head + tail, (head + tail)[:2000]])
    assert long_result == head_result
    assert long_result.risk == ()


def test_control_characters_inside_a_word_do_not_hide_it(judge: LexiconJudge) -> None:
    [result] = judge.predict(["This is ter\x00ri\x1bble"])
    assert result.sentiment is Sentiment.NEGATIVE


def test_bidi_overrides_do_not_hide_a_risk(judge: LexiconJudge) -> None:
    [result] = judge.predict(["\u202eMy phone caught fire\u202c"])
    assert result.risk and result.risk[0].value == "safety"


def test_links_do_not_count_as_words(judge: LexiconJudge) -> None:
    [result] = judge.predict(["look https://example.com/cancel-lawyer-hacked"])
    assert result.risk == ()


def test_mixed_script_post_finds_cues_in_each_language(judge: LexiconJudge) -> None:
    [result] = judge.predict(["Servis berbat, پشتیبانی افتضاح, worst ever"])
    assert (result.sentiment, result.intent) == (Sentiment.NEGATIVE, Intent.COMPLAINT)
