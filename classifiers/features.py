"""What the heads read: a sentence embedding joined with the curated lexicon's cue evidence.

The transformer carries meaning and paraphrase in every language; the
lexicon carries explicit, high-precision words (lawyer, caught fire, hacked,
cancel) and the slang it knows are not risks. Measured on the team-written
set's held-back fifth, adding the cues lifted intent macro-F1 from 0.77 to
0.82 and risk macro-F1 from 0.64 to 0.68. Training and judging both build
features here, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from classifiers.baseline import gather_evidence
from classifiers.text import normalise
from config.labels import Intent, Risk

__all__ = ["CUE_NAMES", "CUE_REPEAT", "cue_features", "join_features"]

CUE_NAMES: tuple[str, ...] = (
    "positive",
    "negative",
    *(f"intent:{intent.value}" for intent in Intent),
    *(f"risk:{risk.value}" for risk in Risk),
)
# Each cue column is repeated so that, after standardisation, the 15 cues are not
# drowned out by the 384 embedding dimensions (x3 measured best of x1 and x3).
CUE_REPEAT = 3


def cue_features(texts: Sequence[str]) -> np.ndarray:
    """Per text, the lexicon's evidence for each sentiment, intent and risk (n × 15)."""
    rows = []
    for text in texts:
        evidence = gather_evidence(normalise(text))
        rows.append(
            [evidence.positive, evidence.negative]
            + [evidence.intents[intent] for intent in Intent]
            + [evidence.risks[risk] for risk in Risk]
        )
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), len(CUE_NAMES))


def join_features(
    texts: Sequence[str], *, embed: Callable[[Sequence[str]], np.ndarray]
) -> np.ndarray:
    """Embeddings followed by the repeated cue columns, one row per text."""
    embeddings = np.asarray(embed(texts), dtype=np.float32)
    cues = np.repeat(cue_features(texts), CUE_REPEAT, axis=1)
    return np.hstack([embeddings, cues])
