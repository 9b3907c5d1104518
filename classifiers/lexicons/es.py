"""Spanish cues (basic coverage).

Bare interrogatives ("cómo", "cuándo", "dónde") are left out: without accents
they are everyday conjunctions. Spanish questions nearly always carry ¿ or ?,
which the judge counts on its own.
"""

from __future__ import annotations

from classifiers.lexicons.schema import Lexicon

# Hand-wrapped for reading as word lists; keep the formatter out.
# fmt: off
LEXICON = Lexicon(
    cues={
        "positive": (
            "genial", "excelente", "increíble", "gracias", "me encanta", "me encantó",
            "encantad*", "perfect*", "bueno", "buena", "buenísimo", "muy bien",
            "maravill*", "recomiendo", "feliz", "contento", "contenta", "satisfech*",
            "lo mejor", "el mejor", "fantástic*", "espectacular", "bravo",
        ),
        "negative": (
            "malo", "mala", "pésimo", "pésima", "horrible", "terrible", "peor", "odio",
            "fatal", "decepcion*", "vergüenza", "asco", "basura", "inútil", "molest*",
            "enojad*", "enfadad*", "harto", "harta", "desastre", "mierda", "indignad*",
        ),
        "situation": ("todavía", "otra vez", "de nuevo", "esperando", "semanas", "días"),
        "complaint": (
            "queja*", "reclamación", "reclamo", "no funciona", "no sirve", "roto", "rota",
            "reembolso", "estafa*", "no ha llegado", "no llega", "no llegó",
            "sigo esperando", "problema*", "nadie responde", "nadie contesta",
            "sin respuesta", "averiad*", "defectuos*",
        ),
        "question": (
            "cómo puedo", "cómo hago", "por qué", "alguien sabe", "hay alguna",
            "hay algún", "cuándo llega", "qué pasa",
        ),
        "suggestion": (
            "sería genial", "sería bueno", "sugerencia*", "sugiero", "deberían",
            "podrían añadir", "podrían agregar", "ojalá", "añadan", "agreguen",
            "estaría bien",
        ),
        "purchase": (
            "cuánto cuesta", "cuánto vale", "precio*", "comprar", "quiero comprar",
            "quisiera comprar", "dónde comprar", "descuento*", "cotización",
        ),
        "spam": (
            "sorteo", "seguidores", "gana dinero", "ganar dinero", "criptomoneda*",
            "link en bio", "enlace en la bio",
        ),
        "legal": (
            "abogad*", "demandar*", "poner una demanda", "denuncia*", "profeco", "facua",
            "defensa del consumidor", "oficina del consumidor", "acciones legales",
            "tribunal*",
        ),
        "safety": (
            "se incendió", "incendio", "explotó", "intoxicación", "intoxicad*",
            "quemadura*", "me quemé", "reacción alérgica", "sobrecalienta",
            "los frenos fallaron", "descarga eléctrica",
        ),
        "privacy": (
            "hackearon", "hackead*", "hackeo", "filtración de datos", "filtraron mis datos",
            "cargo no autorizado", "cargos no autorizados", "robo de identidad",
            "me robaron la cuenta", "suplantación",
        ),
        "churn": (
            "cancelar*", "cancelé", "me cambio a", "me paso a", "nunca más",
            "darme de baja", "dar de baja", "me doy de baja",
        ),
    },
    weak={
        "complaint": ("devolución",),
        "purchase": ("disponible", "oferta"),
        "spam": ("gratis", "inversión"),
        "safety": ("se quemó", "alergia", "hospital", "se calienta", "herid*"),
        "churn": ("última vez", "adiós"),
    },
    pre_negators=("no", "nunca", "ni", "sin", "tampoco", "nada", "jamás"),
    negation_breakers=("solo",),
)
# fmt: on
