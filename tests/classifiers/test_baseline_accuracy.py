"""Intent accuracy of the baseline judge on a small hand-labelled set.

The sentences were written and labelled before the judge was run on them, and
the lexicons were not tuned to them afterwards: on its first run the judge got
39 of 43 (91%), and 40 of 43 after a generic addition ("still no") made for
another test. The misses are honest gaps: a complaint with no listed word
("cracked", "ignoring"), and purchase questions that also carry a plain
question ("what's the process", "taksit var mı?"), which the precedence rule
hands to ``question``. The test asks for 80%, so it catches real regressions
without pretending the baseline is better than it is; the transformer judge
should beat it on the same set.
"""

from __future__ import annotations

import pytest

from classifiers.baseline import LexiconJudge
from config.labels import Intent

MIN_ACCURACY = 0.80

LABELLED: list[tuple[str, Intent, str]] = [
    (
        "en",
        Intent.COMPLAINT,
        "I've been on hold for two hours and still no one can fix my internet.",
    ),
    (
        "en",
        Intent.COMPLAINT,
        "The replacement screen you sent is cracked and support keeps ignoring me.",
    ),
    ("en", Intent.COMPLAINT, "Is it normal that my brand new laptop won't turn on?"),
    ("en", Intent.QUESTION, "What time does the downtown store open on Sundays?"),
    ("en", Intent.QUESTION, "Does the watch work with Android phones?"),
    ("en", Intent.SUGGESTION, "Please add an option to export my playlists."),
    ("en", Intent.SUGGESTION, "It would be great if the app remembered my last search."),
    ("en", Intent.PURCHASE, "I want to upgrade to the family plan, what's the process"),
    ("en", Intent.PURCHASE, "Is the blue model back in stock yet? Ready to buy today."),
    ("en", Intent.PRAISE, "Huge thanks to Maria at your help desk, she was brilliant."),
    ("en", Intent.PRAISE, "Best headphones I've ever owned, absolutely love them."),
    ("en", Intent.SPAM, "Make money from home!! Click the link in bio #ad #money #crypto #cash"),
    ("en", Intent.OTHER, "Heading to the conference with the whole team tomorrow."),
    ("tr", Intent.COMPLAINT, "Kargom 10 gündür gelmedi, müşteri hizmetlerine ulaşamıyorum."),
    ("tr", Intent.COMPLAINT, "Ürün bozuk geldi, param iade edilsin."),
    ("tr", Intent.QUESTION, "Mağazanız pazar günü açık mı, saat kaçta kapanıyor?"),
    ("tr", Intent.SUGGESTION, "Uygulamaya karanlık mod eklerseniz çok iyi olur."),
    ("tr", Intent.PURCHASE, "Bu modelin fiyatı ne kadar, taksit var mı?"),
    ("tr", Intent.PRAISE, "Çok hızlı teslimat, teşekkürler harika bir hizmet."),
    ("tr", Intent.SPAM, "Çekiliş başladı! Takip et, beğen, kazan #çekiliş #hediye #kazan #bedava"),
    ("tr", Intent.OTHER, "Bugün İstanbul'da hava çok yağmurlu."),
    ("tr", Intent.COMPLAINT, "Faturama izinsiz ücret eklenmiş, bu ne rezalet."),
    ("fa", Intent.COMPLAINT, "سفارشم دو هفته است نرسیده و کسی جواب نمیده."),
    ("fa", Intent.COMPLAINT, "گوشی که خریدم بعد از یک روز خراب شد."),
    ("fa", Intent.QUESTION, "ساعت کاری فروشگاه تا کی هست؟"),
    ("fa", Intent.SUGGESTION, "کاش امکان پرداخت قسطی هم اضافه کنید."),
    ("fa", Intent.PURCHASE, "قیمت این مدل چنده؟ میخوام بخرم."),
    ("fa", Intent.PRAISE, "واقعا ممنونم، پشتیبانی\u200cتون عالیه."),
    ("fa", Intent.SPAM, "کسب درآمد دلاری از خانه! لینک در بیو #درآمد #ارز_دیجیتال #بیت_کوین #پول"),
    ("fa", Intent.OTHER, "امروز با دوستام رفتیم کوه."),
    ("ar", Intent.COMPLAINT, "الطلب لم يصل منذ أسبوعين ولا أحد يرد."),
    ("ar", Intent.QUESTION, "متى يفتح الفرع الجديد؟"),
    ("ar", Intent.PRAISE, "شكرا لكم، الخدمة ممتازة."),
    ("ar", Intent.PURCHASE, "بكم سعر الجهاز الجديد؟"),
    ("es", Intent.COMPLAINT, "Mi pedido llegó roto y nadie contesta."),
    ("es", Intent.QUESTION, "¿A qué hora abre la tienda el sábado?"),
    ("es", Intent.PRAISE, "¡Me encanta la nueva app, gracias!"),
    ("de", Intent.COMPLAINT, "Meine Bestellung ist immer noch nicht angekommen."),
    ("de", Intent.SUGGESTION, "Es wäre toll, wenn ihr einen Dunkelmodus hinzufügen könntet."),
    ("de", Intent.PRAISE, "Super Service, vielen Dank!"),
    ("fr", Intent.COMPLAINT, "Ma box internet ne fonctionne plus depuis trois jours."),
    ("fr", Intent.PURCHASE, "Combien coûte l'abonnement premium ?"),
    ("fr", Intent.PRAISE, "Merci beaucoup, service excellent !"),
]


def test_intent_accuracy_is_at_least_80_percent() -> None:
    results = LexiconJudge().predict([text for _, _, text in LABELLED])
    misses = [
        f"{lang} {gold} -> {result.intent}: {text}"
        for (lang, gold, text), result in zip(LABELLED, results, strict=True)
        if result.intent is not gold
    ]
    accuracy = 1 - len(misses) / len(LABELLED)
    assert accuracy >= MIN_ACCURACY, f"accuracy {accuracy:.0%}, misses:\n" + "\n".join(misses)


@pytest.mark.parametrize("intent", list(Intent))
def test_set_covers_every_intent(intent: Intent) -> None:
    assert any(gold is intent for _, gold, _ in LABELLED)


def test_set_spans_the_core_languages() -> None:
    assert {lang for lang, _, _ in LABELLED} >= {"en", "tr", "fa", "ar", "es", "de", "fr"}
