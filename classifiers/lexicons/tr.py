"""Turkish cues.

Turkish negates after the word ("hiç iyi değil", "sorun yok") and glues
suffixes on, so many entries are stems (``iptal*`` covers "iptal ettim",
"iptali"). Matching folds ç ğ ı ö ş ü, so "cok kotu" typed without Turkish
letters matches "çok kötü".
"""

from __future__ import annotations

from classifiers.lexicons.schema import Lexicon

# Hand-wrapped for reading as word lists; keep the formatter out.
# fmt: off
LEXICON = Lexicon(
    cues={
        "positive": (
            "harika", "mükemmel", "süper", "güzel*", "iyi", "teşekkür*", "sağol*",
            "sağ olun", "bayıldım", "seviyorum", "memnun*", "tavsiye ederim", "efsane",
            "başarılı", "helal olsun", "eline sağlık", "ellerinize sağlık", "kusursuz",
            "muhteşem", "şahane", "beğendim", "bravo",
        ),
        "negative": (
            "kötü", "berbat", "rezalet", "rezil", "nefret*", "sinir*", "saçma", "felaket",
            "hayal kırıklığı", "beğenmedim", "sevmedim", "pişman*", "bıktım", "bıktır*",
            "skandal", "utanç", "ayıp", "rezillik", "kepazelik", "çöp", "yazıklar olsun",
        ),
        "situation": (
            "hala", "yine", "saattir", "gündür", "haftadır", "aydır", "bekliyorum",
            "kimse",
        ),
        "complaint": (
            "şikayet*", "bozuk", "bozul*", "çalışmıyor", "açılmıyor", "gelmedi",
            "ulaşmadı", "hala bekliyorum", "iade*", "para iadesi", "dolandırıcı*",
            "mağdur*", "cevap vermiyor", "cevap yok", "dönüş yapılmadı", "dönüş yok",
            "ulaşamıyorum", "düzeltin", "sorun*", "problem*", "kusurlu", "geç kaldı",
            "gecikme", "kırık", "hasarlı", "yanlış ürün", "kesildi", "donuyor",
            "çöküyor",
        ),
        "question": (
            "nasıl", "neden", "niye", "niçin", "nerede", "nereden", "ne zaman", "hangi",
            "var mı", "yok mu", "mısınız", "musunuz", "mıyım", "acaba", "nedir",
            "ne oldu",
        ),
        "suggestion": (
            "keşke", "öneri*", "eklerseniz", "eklemeniz*", "ekleyin", "ekleyebilir*",
            "eklenebilir", "eklense", "olsa iyi olur", "olsa güzel olur", "olsa süper olur",
            "getirin", "getirseniz", "lütfen ekleyin", "tavsiyem",
        ),
        "purchase": (
            "fiyat*", "kaç para", "kaç tl", "kaç lira", "satın al*", "almak istiyorum",
            "sipariş vermek", "stokta", "stoklara", "indirim*", "taksit*", "abone olmak",
            "nereden alabilirim", "fiyatı ne kadar", "fiyatı nedir",
        ),
        "spam": (
            "çekiliş*", "takip et", "takipçi*", "takip edene", "bahis", "kripto",
            "yatırım fırsatı", "linke tıkla", "bio'daki", "dm'den",
        ),
        "legal": (
            "avukat*", "dava*", "tüketici hakem heyeti", "hakem heyeti*",
            "tüketici mahkemesi", "savcılı*", "suç duyurusu", "yasal yollara",
            "yasal işlem", "hukuki süreç", "mahkeme*",
        ),
        "safety": (
            "alev aldı", "alev almış", "yandı", "yanık", "zehirlen*", "yaralan*",
            "alerjik reaksiyon", "hastanelik", "hastaneye kaldırıldı", "frenler tutmadı",
            "fren tutmadı", "frenler boşaldı", "aşırı ısın*", "duman çıktı",
            "elektrik çarptı",
        ),
        "privacy": (
            "hesabım çalındı", "hesabımı çaldılar", "hacklen*", "verilerim sızdı",
            "veri sızıntısı", "izinsiz çekim", "izinsiz işlem", "bilgim dışında",
            "kvkk", "hesabıma girilmiş",
        ),
        "churn": (
            "iptal*", "geçiyorum", "geçeceğim", "bir daha asla", "bir daha almam",
            "bir daha almayacağım", "hesabımı kapat*", "hesabımı silin", "son kez",
            "vazgeçtim", "numaramı taşı*", "abonelikten çık*",
        ),
    },
    weak={
        "positive": ("hızlı", "sağlam"),
        "negative": ("yavaş", "vasat", "yazık"),
        "situation": ("tekrar",),
        "complaint": ("hata", "eksik", "müşteri hizmetleri"),
        "question": ("kim", "kaç"),
        "purchase": ("ne kadar", "kampanya*", "yükselt*", "almak"),
        "spam": ("bedava", "kazan", "bonus", "takip"),
        "legal": ("btk", "cimer"),
        "safety": ("patladı", "alerji*", "ısınıyor", "hastane*"),
        "privacy": ("kişisel verilerim", "dolandırıldım"),
        "churn": ("geçtim",),
    },
    post_negators=(
        "değil", "değildi", "değilim", "değiliz", "değilsiniz", "değiller", "yok",
        "olmadı", "olmamış", "olmaz",
    ),
    negation_breakers=("sadece",),
)
# fmt: on
