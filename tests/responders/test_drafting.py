"""Unit tests for reply drafting: languages, fallback, platform limits, first names, errors."""

from __future__ import annotations

import dataclasses

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined

from config.labels import Intent, Platform, Sentiment
from responders.drafting import (
    DRAFTABLE,
    PLATFORM_LIMITS,
    Draft,
    clean_first_name,
    draft_reply,
    environment,
    measure,
    trim_to_limit,
)
from responders.errors import NoTemplate, ResponderError
from responders.policy import RouteInput, decide

REF = "C-000123"
LANGUAGES = ("en", "tr", "fa")
VARIANTS = [(intent, False) for intent in sorted(DRAFTABLE)] + [(Intent.COMPLAINT, True)]


def draft(**overrides: object) -> Draft:
    """A draft with sensible defaults, ``overrides`` applied."""
    fields: dict[str, object] = {
        "intent": Intent.COMPLAINT,
        "language": "en",
        "platform": Platform.REDDIT,
        "first_name": "Ayşe",
        "case_ref": REF,
    }
    fields.update(overrides)
    return draft_reply(**fields)  # type: ignore[arg-type]


def env_with(source: str) -> Environment:
    """An environment whose complaint template is ``source``, in English only."""
    return Environment(
        loader=DictLoader({"replies/complaint.en.j2": source}), undefined=StrictUndefined
    )


@pytest.mark.parametrize(
    ("language", "greeting", "ref_label"),
    [
        ("en", "Hi Ayşe,", "Ref: "),
        ("tr", "Merhaba Ayşe,", "Referans: "),
        ("fa", "سلام Ayşe عزیز،", "شماره پیگیری: "),
    ],
)
def test_drafts_in_each_language(language: str, greeting: str, ref_label: str) -> None:
    reply = draft(language=language)
    assert reply.language == language
    assert reply.template == f"replies/complaint.{language}.j2"
    assert reply.text.startswith(greeting)
    assert f"{ref_label}{REF}" in reply.text
    assert reply.warnings == ()


@pytest.mark.parametrize("language", ["tr-TR", "TR", " tr_TR "])
def test_language_tags_are_reduced_to_their_primary_subtag(language: str) -> None:
    assert draft(language=language).language == "tr"


@pytest.mark.parametrize("language", ["de", "pt-BR", "../../etc/passwd", "x"])
def test_other_languages_fall_back_to_english_with_a_note(language: str) -> None:
    reply = draft(language=language)
    assert (reply.language, reply.template) == ("en", "replies/complaint.en.j2")
    assert reply.text == draft(language="en").text
    assert [w for w in reply.warnings if w.startswith("language-fallback:")]


def test_unknown_language_is_english_without_a_note() -> None:
    reply = draft(language=None)
    assert reply.language == "en"
    assert reply.warnings == ()


def test_escalated_complaint_gets_the_holding_reply() -> None:
    reply = draft(escalated=True)
    assert reply.template == "replies/complaint_escalated.en.j2"
    assert "we're on it" in reply.text
    assert reply.text != draft().text


def test_escalation_changes_nothing_for_other_intents() -> None:
    reply = draft(intent=Intent.QUESTION, escalated=True)
    assert reply.template == "replies/question.en.j2"


@pytest.mark.parametrize("intent", [Intent.SPAM, Intent.OTHER])
def test_spam_and_other_have_no_template(intent: Intent) -> None:
    with pytest.raises(NoTemplate, match=str(intent)) as caught:
        draft(intent=intent)
    assert caught.value.intent == str(intent)
    assert isinstance(caught.value, ResponderError)
    assert isinstance(caught.value, LookupError)


def test_missing_english_template_is_no_template() -> None:
    env = Environment(loader=DictLoader({}))
    with pytest.raises(NoTemplate, match="fall back"):
        draft(intent=Intent.PRAISE, env=env)


@pytest.mark.parametrize("intent", list(Intent))
def test_policy_asks_for_a_draft_exactly_when_a_template_exists(intent: Intent) -> None:
    route = RouteInput(
        intent, Sentiment.NEUTRAL, risk=(), followers=0, vip=False, recent_complaints=0
    )
    assert decide(route).draft is (intent in DRAFTABLE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_first_name_the_reply_reads_naturally(language: str) -> None:
    for intent, escalated in VARIANTS:
        for platform in (Platform.X, Platform.REDDIT):
            text = draft(
                intent=intent,
                escalated=escalated,
                language=language,
                platform=platform,
                first_name=None,
            ).text
            assert "None" not in text
            assert "  " not in text
            assert " ," not in text
            assert " ،" not in text
            assert not text[0].islower()


LONG_NAMES = ["Maximilian" * 4, "太" * 40, "ش" * 40]


@pytest.mark.parametrize("platform", list(Platform))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", LONG_NAMES)
def test_every_draft_fits_its_platform_without_trimming(
    platform: Platform, language: str, name: str
) -> None:
    assert clean_first_name(name) == name  # 40 letters: the longest name we keep
    for intent, escalated in VARIANTS:
        reply = draft(
            intent=intent,
            escalated=escalated,
            language=language,
            platform=platform,
            first_name=name,
        )
        assert measure(reply.text, platform=platform) <= PLATFORM_LIMITS[platform]
        assert reply.warnings == ()
        assert REF in reply.text


def test_platform_limits() -> None:
    assert PLATFORM_LIMITS == {
        Platform.X: 280,
        Platform.BLUESKY: 300,
        Platform.MASTODON: 500,
        Platform.REDDIT: 10_000,
    }


def test_long_reply_falls_back_to_the_short_variant_on_x() -> None:
    name = LONG_NAMES[0]
    long_reply = draft(platform=Platform.REDDIT, first_name=name).text
    x_reply = draft(platform=Platform.X, first_name=name).text
    assert measure(long_reply, platform=Platform.X) > 280
    assert len(x_reply) < len(long_reply)
    assert x_reply.startswith(name)


def test_a_reply_too_long_for_both_variants_is_trimmed_at_a_word_and_flagged() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    reply = draft(platform=Platform.X, env=env_with(words))
    assert measure(reply.text, platform=Platform.X) <= 280
    assert reply.text.endswith("…")
    kept = reply.text.removesuffix("…")
    assert words.startswith(kept)
    assert words[len(kept)] == " "
    assert any(w.startswith("trimmed:") for w in reply.warnings)


def test_trimming_leaves_a_fitting_text_alone() -> None:
    assert trim_to_limit("short enough", platform=Platform.X) == "short enough"


def test_trimming_without_spaces_still_fits() -> None:
    text = "a" * 400
    trimmed = trim_to_limit(text, platform=Platform.BLUESKY)
    assert len(trimmed) == 300
    assert trimmed.endswith("…")


def test_x_counts_wide_characters_double() -> None:
    assert measure("abc", platform=Platform.X) == 3
    assert measure("سلام", platform=Platform.X) == 4  # Arabic script counts once on X
    assert measure("太郎", platform=Platform.X) == 4
    assert measure("🙂", platform=Platform.X) == 2
    assert measure("太郎", platform=Platform.MASTODON) == 2


def test_draft_warnings_include_lint_output() -> None:
    reply = draft(env=env_with("Hi {{ first_name }}, we will refund you. Ref: {{ case_ref }}"))
    assert any(w.startswith("refund-promise:") for w in reply.warnings)


def test_templates_see_no_undefined_values() -> None:
    assert environment().undefined is StrictUndefined
    with pytest.raises(Exception, match="mention_text"):
        draft(env=env_with("You said: {{ mention_text }}"))


def test_environment_is_built_once_for_plain_text() -> None:
    env = environment()
    assert env is environment()
    assert env.autoescape is False
    assert env.trim_blocks
    assert env.lstrip_blocks


@pytest.mark.parametrize("case_ref", ["", "C-1 <b>", "C" * 40, "C-1\nspam"])
def test_malformed_case_references_are_refused(case_ref: str) -> None:
    with pytest.raises(ValueError, match="case reference"):
        draft(case_ref=case_ref)


@pytest.mark.parametrize(
    "name",
    [
        "Ayşe",
        "مریم",
        "José",
        "Mary-Jane",
        "O'Brien",
        "D’Arcy",
        "Anne Marie",
        "Ramin",
        "प्रिया",
        "x" * 40,
    ],
)
def test_plain_names_are_kept(name: str) -> None:
    assert clean_first_name(name) == name


def test_names_are_trimmed_normalised_and_spaces_collapsed() -> None:
    assert clean_first_name("  Anne \n Marie ") == "Anne Marie"
    assert clean_first_name("Zoe\u0308") == "Zoë"


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "<script>",
    "@evil",
    "evil@example.com",
    "Robert'); DROP TABLE customers;--",
    "http://evil.example",
    "www.evil.example",
    "evil.example",
    "Bob123",
    "R2D2",
    "۱۲۳",
    "Jay🔥",
    "evil\u202egnp",
    "zero\u200bwidth",
    "x" * 41,
    "A" * 500,
    "O'",
    "-Jane",
    "Mary--Jane",
    "",
    "   ",
    "{{ case_ref }}",
    "Jane_Doe",
    "#hashtag",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_or_odd_names_are_dropped(name: str) -> None:
    assert clean_first_name(name) is None


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_dropped_name_leaves_the_anonymous_reply(name: str) -> None:
    assert draft(first_name=name).text == draft(first_name=None).text


def test_none_name_is_none() -> None:
    assert clean_first_name(None) is None


def test_drafts_are_immutable() -> None:
    reply = draft()
    with pytest.raises(dataclasses.FrozenInstanceError):
        reply.text = "changed"  # type: ignore[misc]
