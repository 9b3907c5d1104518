"""The shipped judge with the real encoder: clear cases in several languages, hostile input.

Slow (the encoder loads in seconds, and builds its cache on a fresh machine); runs in CI.
"""

from __future__ import annotations

import pytest

from classifiers.registry import load_judge
from config.labels import Intent, Risk, Sentiment

pytestmark = pytest.mark.slow

CLEAR = [
    (
        "@Acme my phone caught fire while charging, my lawyer will hear about this",
        Intent.COMPLAINT,
        {Risk.SAFETY, Risk.LEGAL},
    ),
    (
        "@TurnaGSM 3 gündür internet yok, hattımı iptal edip başka operatöre geçiyorum",
        Intent.COMPLAINT,
        {Risk.CHURN},
    ),
    (
        "@DigiBazar حسابم هک شده و از کارتم پول برداشتن، چرا کسی جواب نمیده؟",
        Intent.COMPLAINT,
        {Risk.PRIVACY},
    ),
    ("@SkyloAir thank you so much, the crew was amazing on my flight today!", Intent.PRAISE, set()),
    ("@PayMint how do I change the email address on my account?", Intent.QUESTION, set()),
    ("🚀 FREE crypto airdrop!!! @PayMint @Grubly claim now at bit.ly/xyz 💰💰", Intent.SPAM, set()),
]


@pytest.fixture(scope="module")
def judge():  # type: ignore[no-untyped-def]
    return load_judge("e5")


@pytest.mark.parametrize(("text", "intent", "risks"), CLEAR)
def test_clear_cases_in_several_languages(
    judge, text: str, intent: Intent, risks: set[Risk]
) -> None:  # type: ignore[no-untyped-def]
    verdict = judge.predict([text])[0]
    assert verdict.intent is intent
    assert risks <= set(verdict.risk)
    assert verdict.escalate == (intent is Intent.COMPLAINT and bool(risks))


def test_praise_is_positive_and_complaints_negative(judge) -> None:  # type: ignore[no-untyped-def]
    praise, complaint = judge.predict([CLEAR[3][0], CLEAR[1][0]])
    assert praise.sentiment is Sentiment.POSITIVE
    assert complaint.sentiment is Sentiment.NEGATIVE


def test_hostile_input_is_judged_without_error(judge) -> None:  # type: ignore[no-untyped-def]
    texts = [
        "",
        "🙂🙂🙂",
        "a" * 100_000,
        "\x00\x1b[2J\x07",
        "\u202eمرحبا\u202c hello שלום",
        "ok\ud800",
        "<script>alert(1)</script>",
    ]
    verdicts = judge.predict(texts)
    assert len(verdicts) == len(texts)
    version = f"e5-small-heads@{judge.heads.digest}+multilingual-e5-small"
    assert all(v.model_version.startswith(version) for v in verdicts)
    assert len(verdicts[0].model_version) <= 160  # crm.models.Mention.model_version
