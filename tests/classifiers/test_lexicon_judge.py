"""Unit tests for the baseline LexiconJudge on clear cases in English, Turkish and Persian."""

from __future__ import annotations

import pytest

from classifiers.baseline import VERSION, LexiconJudge
from classifiers.judgement import Judgement
from config.labels import Intent, Risk, Sentiment


@pytest.fixture(scope="module")
def judge() -> LexiconJudge:
    return LexiconJudge()


def judge_one(judge: LexiconJudge, text: str) -> Judgement:
    [result] = judge.predict([text])
    return result


CLEAR_CASES = [
    # (text, intent, risks)
    ("Third outage this month. I'm cancelling and switching to another provider.",
     Intent.COMPLAINT, {Risk.CHURN}),
    ("My laptop charger overheated and caught fire on the desk.", Intent.COMPLAINT, {Risk.SAFETY}),
    ("You charged me twice and refuse to refund. My lawyer will be in touch.",
     Intent.COMPLAINT, {Risk.LEGAL}),
    ("Someone hacked my account and made an unauthorized charge.",
     Intent.COMPLAINT, {Risk.PRIVACY}),
    ("How do I change the email address on my account?", Intent.QUESTION, set()),
    ("Please add a way to schedule posts, would be nice.", Intent.SUGGESTION, set()),
    ("I want to buy two of the 65 inch TVs, do you have a discount?", Intent.PURCHASE, set()),
    ("Amazing customer service, thank you so much!", Intent.PRAISE, set()),
    ("Free followers giveaway!!! Follow back and DM for promo #follow #free #giveaway #likes",
     Intent.SPAM, set()),
    ("Heading to the beach this weekend with my cousins.", Intent.OTHER, set()),
    ("Üç gündür internet yok, aboneliğimi iptal ediyorum, başka firmaya geçiyorum.",
     Intent.COMPLAINT, {Risk.CHURN}),
    ("Aldığım ısıtıcı alev aldı, az kalsın ev yanıyordu.", Intent.COMPLAINT, {Risk.SAFETY}),
    ("Paramı iade etmezseniz avukatıma gidiyorum, tüketici hakem heyetine şikayet edeceğim.",
     Intent.COMPLAINT, {Risk.LEGAL}),
    ("Hesabım çalındı ve kartımdan izinsiz çekim yapıldı.", Intent.COMPLAINT, {Risk.PRIVACY}),
    ("Şifremi nasıl değiştirebilirim?", Intent.QUESTION, set()),
    ("Keşke uygulamada karanlık mod olsa.", Intent.SUGGESTION, set()),
    ("Bu telefonu satın almak istiyorum, fiyatı nedir", Intent.PURCHASE, set()),
    ("Harika bir deneyimdi, ekibinize teşekkürler!", Intent.PRAISE, set()),
    ("Dev çekiliş! Takip et kazan, bedava kripto #çekiliş #kripto #bedava #kazan",
     Intent.SPAM, set()),
    ("Bugün arkadaşlarla pikniğe gittik.", Intent.OTHER, set()),
    ("اینترنت سه روزه قطعه، اشتراکم رو لغو میکنم و دیگه هیچوقت تمدید نمیکنم.",
     Intent.COMPLAINT, {Risk.CHURN}),
    ("شارژر گوشی آتش گرفت و دستم سوخت.", Intent.COMPLAINT, {Risk.SAFETY}),
    ("اگه پولمو پس ندید از طریق وکیل شکایت به دادگاه میکنم.", Intent.COMPLAINT, {Risk.LEGAL}),
    ("حسابم هک شد و برداشت غیرمجاز داشتم.", Intent.COMPLAINT, {Risk.PRIVACY}),
    ("چطور میتونم رمز عبورم رو عوض کنم؟", Intent.QUESTION, set()),
    ("لطفا اضافه کنید که بشه فاکتور رو دانلود کرد.", Intent.SUGGESTION, set()),
    ("قیمت اشتراک سالانه چقدره؟", Intent.PURCHASE, set()),
    ("خیلی ممنون، پشتیبانی فوق‌العاده بود!", Intent.PRAISE, set()),
    ("کسب درآمد دلاری بدون سرمایه! لینک در بیو #درآمد #پول #ارز_دیجیتال #رایگان",
     Intent.SPAM, set()),
    ("امروز هوا خیلی سرده.", Intent.OTHER, set()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "risks"), CLEAR_CASES)
def test_clear_cases(judge: LexiconJudge, text: str, intent: Intent, risks: set[Risk]) -> None:
    result = judge_one(judge, text)
    assert (result.intent, set(result.risk)) == (intent, risks)


@pytest.mark.parametrize(
    "text",
    [
        "Great, my order is late again 🙄 thanks a lot",
        "Love waiting 3 weeks for a refund 🙄 amazing service",
        "Yeah right, best support ever. Still waiting for a reply.",
    ],
)
def test_sarcasm_reads_as_a_negative_complaint(judge: LexiconJudge, text: str) -> None:
    result = judge_one(judge, text)
    assert (result.sentiment, result.intent) == (Sentiment.NEGATIVE, Intent.COMPLAINT)


def test_eye_roll_without_a_bad_situation_does_not_flip_praise(judge: LexiconJudge) -> None:
    result = judge_one(judge, "Love the new colours 🙃")
    assert result.sentiment is Sentiment.POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "this phone is fire 🔥",
        "I'd kill for a coffee right now",
        "sick ride, just picked it up",
        "killer deal on the earbuds today",
        "the new camera is so fire",
        "that concert was insane, my ears are still ringing",
    ],
)
def test_near_miss_slang_raises_no_risk(judge: LexiconJudge, text: str) -> None:
    result = judge_one(judge, text)
    assert result.risk == ()
    assert all(score < 0.5 for score in result.risk_scores.values())


def test_fire_slang_reads_as_praise(judge: LexiconJudge) -> None:
    result = judge_one(judge, "this phone is fire 🔥")
    assert (result.sentiment, result.intent) == (Sentiment.POSITIVE, Intent.PRAISE)


@pytest.mark.parametrize(
    "text",
    [
        "Why is my package still not delivered after two weeks?",
        "Why does the app keep crashing every time I open it??",
        "Neden hâlâ param iade edilmedi?",
        "چرا گوشی که خریدم کار نمیکنه؟",
    ],
)
def test_complaint_phrased_as_a_question_is_a_complaint(judge: LexiconJudge, text: str) -> None:
    result = judge_one(judge, text)
    assert result.intent is Intent.COMPLAINT
    assert result.intent_scores["complaint"] > result.intent_scores["question"]


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("The new update is good", Sentiment.POSITIVE),
        ("The new update is not good", Sentiment.NEGATIVE),
        ("Yeni güncelleme iyi", Sentiment.POSITIVE),
        ("Yeni güncelleme hiç iyi değil", Sentiment.NEGATIVE),
        ("آپدیت جدید خوبه", Sentiment.POSITIVE),
        ("آپدیت جدید اصلا خوب نیست", Sentiment.NEGATIVE),
    ],
)
def test_negation_flips_sentiment(judge: LexiconJudge, text: str, sentiment: Sentiment) -> None:
    assert judge_one(judge, text).sentiment is sentiment


def test_not_bad_is_not_negative(judge: LexiconJudge) -> None:
    # "not bad" counts as half a positive cue: faint praise, never a complaint.
    result = judge_one(judge, "Honestly not bad at all")
    assert result.sentiment is not Sentiment.NEGATIVE
    assert result.sentiment_scores["positive"] > result.sentiment_scores["negative"]


def test_negated_risk_word_is_not_a_risk(judge: LexiconJudge) -> None:
    result = judge_one(judge, "Relax, I'm not going to cancel, just asking about the invoice.")
    assert Risk.CHURN not in result.risk


def test_request_phrased_as_a_question_is_a_suggestion(judge: LexiconJudge) -> None:
    assert judge_one(judge, "Can you add dark mode?").intent is Intent.SUGGESTION


def test_price_question_is_a_purchase(judge: LexiconJudge) -> None:
    assert judge_one(judge, "How much is the pro plan?").intent is Intent.PURCHASE


def test_plain_question_is_not_absorbed_by_a_weak_purchase_word(judge: LexiconJudge) -> None:
    assert judge_one(judge, "Should I buy the pro or the basic one?").intent is Intent.QUESTION


def test_complaint_with_risk_escalates_praise_does_not(judge: LexiconJudge) -> None:
    risky, happy = judge.predict(
        ["The battery exploded and burned my hand", "Thanks, the battery life is great"]
    )
    assert (risky.intent, risky.escalate) == (Intent.COMPLAINT, True)
    assert (happy.intent, happy.escalate) == (Intent.PRAISE, False)


def test_complaint_without_risk_does_not_escalate(judge: LexiconJudge) -> None:
    result = judge_one(judge, "The app is terrible and slow")
    assert (result.intent, result.risk, result.escalate) == (Intent.COMPLAINT, (), False)


def test_judgement_records_version_and_language(judge: LexiconJudge) -> None:
    result = judge_one(judge, "Siparişim hâlâ gelmedi, kimse cevap vermiyor.")
    assert judge.version == VERSION == "baseline-lexicon-1"
    assert (result.model_version, result.language) == (VERSION, "tr")


def test_scores_cover_every_label_and_sum_to_one(judge: LexiconJudge) -> None:
    result = judge_one(judge, "Love it, but how much is shipping to Canada?")
    assert set(result.sentiment_scores) == {s.value for s in Sentiment}
    assert set(result.intent_scores) == {i.value for i in Intent}
    assert set(result.risk_scores) == {r.value for r in Risk}
    assert sum(result.sentiment_scores.values()) == pytest.approx(1.0)
    assert sum(result.intent_scores.values()) == pytest.approx(1.0)


def test_label_is_the_top_score(judge: LexiconJudge) -> None:
    for result in judge.predict([text for text, _, _ in CLEAR_CASES]):
        assert result.intent_scores[result.intent] == max(result.intent_scores.values())
        assert result.sentiment_scores[result.sentiment] == max(result.sentiment_scores.values())


def test_more_cues_mean_more_confidence(judge: LexiconJudge) -> None:
    one, three = judge.predict(["bad", "bad, terrible, awful"])
    assert three.sentiment_scores["negative"] > one.sentiment_scores["negative"]


def test_predict_keeps_order_and_length(judge: LexiconJudge) -> None:
    texts = ["Thanks, great job!", "How do I reset my password?", "", "Worst service ever"]
    intents = [r.intent for r in judge.predict(texts)]
    assert intents == [Intent.PRAISE, Intent.QUESTION, Intent.OTHER, Intent.COMPLAINT]


def test_empty_batch_gives_empty_list(judge: LexiconJudge) -> None:
    assert judge.predict([]) == []
