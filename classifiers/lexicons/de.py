"""German cues (basic coverage).

"Brand" (fire) is left out on purpose: in English it is the word this whole
product is about. German negates both before ("nicht gut") and after
("gefällt mir nicht") the word.
"""

from __future__ import annotations

from classifiers.lexicons.schema import Lexicon

# Hand-wrapped for reading as word lists; keep the formatter out.
# fmt: off
LEXICON = Lexicon(
    cues={
        "positive": (
            "super", "danke", "vielen dank", "genial", "perfekt", "liebe",
            "gut", "sehr gut", "großartig", "zufrieden", "empfehle*", "klasse",
            "spitze", "wunderbar", "hervorragend", "begeistert", "prima", "gefällt mir",
        ),
        "negative": (
            "schlecht", "schrecklich", "furchtbar", "mies", "enttäuscht", "enttäuschend",
            "katastrophe", "katastrophal", "ärgerlich", "schlimmste", "miserabel",
            "unverschämt", "frechheit", "nervig", "nervt", "lächerlich", "scheiße",
            "müll",
        ),
        "situation": ("immer noch", "schon wieder", "warte", "wochen", "tage", "stunden"),
        "complaint": (
            "beschwerde", "kaputt", "funktioniert nicht", "geht nicht",
            "nicht angekommen", "erstattung", "rückerstattung", "geld zurück", "betrug",
            "abzocke", "problem*", "reklamation", "defekt", "keine antwort",
            "niemand antwortet", "warte seit", "immer noch nicht",
        ),
        "question": (
            "wie kann", "wie lange", "warum", "wann", "wo ist", "wo kann", "gibt es",
            "^kann ich", "^könnt ihr", "^können sie", "weiß jemand", "^habt ihr",
        ),
        "suggestion": (
            "wäre schön", "wäre toll", "wäre super", "wäre cool", "vorschlag",
            "bitte fügt", "hinzufügen", "wünsche mir", "ich wünsche", "ihr solltet",
            "ihr könntet",
        ),
        "purchase": (
            "wie viel kostet", "wieviel kostet", "was kostet", "preis*", "kaufen",
            "bestellen", "rabatt*", "vorbestellen",
        ),
        "spam": ("gewinnspiel", "geld verdienen", "krypto*"),
        "legal": (
            "anwalt", "anwältin", "rechtsanwalt", "klage", "verklagen", "verklage",
            "rechtliche schritte", "verbraucherzentrale", "abmahnung",
        ),
        "safety": (
            "in brand geraten", "feuer gefangen", "explodiert", "lebensmittelvergiftung",
            "verbrannt", "verbrennung*", "allergische reaktion", "überhitzt",
            "überhitzung", "bremsen versagt", "stromschlag",
        ),
        "privacy": (
            "gehackt", "datenleck", "datenpanne", "daten geklaut", "unbefugte abbuchung",
            "nicht autorisiert", "identitätsdiebstahl",
        ),
        "churn": (
            "kündig*", "kündige", "nie wieder", "ich wechsle", "wechsle zu", "wechsel zu",
            "konto löschen", "abo beenden",
        ),
    },
    weak={
        "positive": ("toll",),
        "negative": ("langsam", "sauer", "mist"),
        "purchase": ("verfügbar", "gutschein", "angebot"),
        "spam": ("kostenlos",),
        "legal": ("gericht",),
        "safety": ("krankenhaus", "verletzt", "verletzung"),
        "privacy": ("dsgvo",),
        "churn": ("tschüss",),
    },
    pre_negators=(
        "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals", "ohne",
        "nichts",
    ),
    post_negators=("nicht", "nie"),
    negation_breakers=("nur",),
)
# fmt: on
