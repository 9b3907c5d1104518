"""French cues (basic coverage).

"Avocat" alone is also the fruit, so only lawyer phrasings count; "ne" is not a
negator here because, with accents folded away, it collides with Turkish "ne"
(what); French negation is caught by "pas", "jamais" and "n'est".
"""

from __future__ import annotations

from classifiers.lexicons.schema import Lexicon

# Hand-wrapped for reading as word lists; keep the formatter out.
# fmt: off
LEXICON = Lexicon(
    cues={
        "positive": (
            "génial", "excellent", "merci", "parfait", "j'adore", "adore", "super",
            "bravo", "très bien", "contente", "satisfait", "satisfaite",
            "incroyable", "magnifique", "formidable", "recommande", "au top", "nickel",
            "merveilleux",
        ),
        "negative": (
            "nul", "nulle", "mauvais", "mauvaise", "horrible", "déçu", "déçue", "décevant",
            "pire", "honteux", "honte", "catastrophe", "catastrophique", "inadmissible",
            "scandaleux", "scandale", "inacceptable", "énervé", "j'en ai marre", "marre",
            "pourri", "lamentable",
        ),
        "situation": ("toujours", "encore", "j'attends", "semaines", "jours", "heures"),
        "complaint": (
            "réclamation", "ne marche pas", "ne marche plus", "ne fonctionne pas",
            "ne fonctionne plus", "marche pas", "cassé", "cassée", "remboursement",
            "remboursez", "arnaque*", "toujours pas", "problème*", "pas reçu",
            "jamais reçu", "aucune réponse", "en panne", "défectueu*",
        ),
        "question": (
            "pourquoi", "est-ce que", "est ce que", "comment faire", "comment puis",
            "comment je", "combien de temps", "quelqu'un sait", "^y a-t-il", "^avez-vous",
            "^pouvez-vous",
        ),
        "suggestion": (
            "ce serait bien", "ce serait génial", "ce serait top", "je suggère",
            "vous devriez", "pourriez-vous ajouter", "pourriez vous ajouter", "ajoutez",
            "j'aimerais", "il faudrait",
        ),
        "purchase": (
            "combien coûte", "combien ça coûte", "c'est combien", "prix", "acheter",
            "je veux commander", "commander un", "réduction", "tarif*",
        ),
        "spam": ("concours", "abonnés", "gagner de l'argent", "lien en bio"),
        "legal": (
            "mon avocat", "un avocat", "avocats", "porter plainte", "action en justice",
            "tribunal", "poursuivre en justice", "dgccrf", "ufc que choisir",
            "mise en demeure",
        ),
        "safety": (
            "pris feu", "prend feu", "a explosé", "intoxication alimentaire", "intoxiqué",
            "brûlure*", "réaction allergique", "surchauffe", "les freins ont lâché",
            "électrocuté",
        ),
        "privacy": (
            "piraté", "piratée", "piratage", "fuite de données", "prélèvement non autorisé",
            "prélèvements non autorisés", "usurpation d'identité",
        ),
        "churn": (
            "résilier", "résiliation", "résilie", "plus jamais", "je passe chez",
            "je pars chez", "désabonn*", "désinscri*", "supprimer mon compte",
        ),
    },
    weak={
        "positive": ("bien",),
        "negative": ("lent",),
        "complaint": ("plainte", "service client"),
        "question": ("quand",),
        "purchase": ("disponible", "code promo", "promo"),
        "spam": ("gratuit",),
        "legal": ("plainte",),
        "safety": ("explosé", "brûlé", "allergique", "hôpital", "blessé"),
        "privacy": ("rgpd", "données personnelles"),
        "churn": ("adieu",),
    },
    pre_negators=(
        "pas", "n'est", "n'ai", "n'a", "n'était", "jamais", "sans", "aucun", "aucune",
        "rien", "non",
    ),
    post_negators=("pas", "jamais"),
    negation_breakers=("seulement",),
)
# fmt: on
