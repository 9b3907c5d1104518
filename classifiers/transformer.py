"""The transformer judge: multilingual-e5-small embeddings plus lexicon cues, read by small heads.

Production path, in order: every text is normalised and cut to 2,000
characters before tokenising (a 100 KB post costs what a long tweet costs);
identical texts — retweets, cross-posts, copy-paste campaigns — are judged
once; the encoder batches texts of similar length together and runs in the
fastest precision this CPU has (bf16 on bfloat16 matrix units, else int8
scaled per token). The heads are an ensemble of seeds whose probabilities are
averaged. The language comes from the detector, never the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

import numpy as np

from classifiers.features import join_features
from classifiers.heads import TASK_LABELS, HeadSet, load_heads
from classifiers.judgement import Judgement, should_escalate
from classifiers.language import detect_language
from classifiers.text import normalise
from config.labels import Intent, Risk, Sentiment

__all__ = ["ADAPTER_FILE", "DEFAULT_MODEL_DIR", "Encoder", "TransformerJudge", "default_encoder"]

DEFAULT_MODEL_DIR = Path(__file__).with_name("models") / "e5-small-heads"
ADAPTER_FILE = "adapter.safetensors"


class Encoder(Protocol):
    """Anything that turns texts into fixed-size vectors and names its version."""

    @property
    def version(self) -> str:
        """The encoder's name and weights version."""
        ...

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """One row per text."""
        ...


def default_encoder(model_dir: Path, precision: str = "auto") -> Encoder:
    """The production encoder for a model directory, with its LoRA adapter if it has one.

    ``precision`` is ``auto`` (the fastest this CPU runs well), ``bf16``, ``int8`` or ``fp32``.
    """
    from classifiers.encoders.e5 import PRECISIONS, E5Encoder, Precision, fastest_precision

    chosen = fastest_precision() if precision == "auto" else precision
    if chosen not in PRECISIONS:
        raise ValueError(f"precision must be auto, {', '.join(PRECISIONS)}; got {precision!r}")
    adapter = model_dir / ADAPTER_FILE
    return E5Encoder(
        precision=cast(Precision, chosen), adapter=adapter if adapter.is_file() else None
    )


class TransformerJudge:
    """Judges batches of texts with an encoder and trained heads; loads both lazily, once."""

    def __init__(
        self,
        *,
        model_dir: Path = DEFAULT_MODEL_DIR,
        encoder: Encoder | None = None,
        batch_size: int = 64,
        precision: str = "auto",
        heads: HeadSet | None = None,
    ) -> None:
        self.model_dir = model_dir
        self._encoder = encoder
        self.batch_size = batch_size
        self.precision = precision
        self._heads = heads

    @property
    def heads(self) -> HeadSet:
        """The trained heads: those given, else ``model_dir``'s, read on first use."""
        if self._heads is None:
            if not (self.model_dir / "heads.json").is_file():
                raise FileNotFoundError(
                    f"no trained heads in {self.model_dir}; run `socialcrm train`, "
                    'or set classifier.judge = "baseline"'
                )
            self._heads = load_heads(self.model_dir)
        return self._heads

    @property
    def encoder(self) -> Encoder:
        """The encoder, built on first use."""
        if self._encoder is None:
            self._encoder = default_encoder(self.model_dir, self.precision)
        return self._encoder

    @property
    def version(self) -> str:
        """Heads and encoder versions together, recorded with every judgement."""
        name = self.heads.meta.get("name", self.model_dir.name)
        return f"{name}@{self.heads.digest}+{self.encoder.version}"

    def predict(self, texts: Sequence[str]) -> list[Judgement]:
        """Judge each text; identical texts are judged once; order is kept."""
        cleaned = [normalise(text) for text in texts]
        unique = list(dict.fromkeys(cleaned))
        if not unique:
            return []
        features = join_features(
            unique, embed=lambda batch: self.encoder.encode(batch, batch_size=self.batch_size)
        )
        probabilities = self.heads.probabilities(features)
        version = self.version
        verdicts = {
            text: self._judgement(text, probabilities, row, version)
            for row, text in enumerate(unique)
        }
        return [verdicts[text] for text in cleaned]

    def _judgement(
        self, text: str, probabilities: dict[str, np.ndarray], row: int, version: str
    ) -> Judgement:
        sentiment_scores = _scores("sentiment", probabilities, row)
        intent_scores = _scores("intent", probabilities, row)
        risk_scores = _scores("risk", probabilities, row)
        risk = tuple(
            Risk(flag)
            for flag, score in risk_scores.items()
            if score >= self.heads.thresholds.get(flag, 0.5)
        )
        intent = Intent(max(intent_scores, key=intent_scores.__getitem__))
        if risk and self._reads_as_complaint(intent_scores, sentiment_scores):
            intent = Intent.COMPLAINT  # complaint comes first in the policy when it applies
        return Judgement(
            sentiment=Sentiment(max(sentiment_scores, key=sentiment_scores.__getitem__)),
            sentiment_scores=sentiment_scores,
            intent=intent,
            intent_scores=intent_scores,
            risk=risk,
            risk_scores=risk_scores,
            language=detect_language(text),
            model_version=version,
            escalate=should_escalate(intent, risk),
        )

    def _reads_as_complaint(
        self, intent_scores: dict[str, float], sentiment_scores: dict[str, float]
    ) -> bool:
        """Whether a risky text is a complaint: likely enough one, or likely negative.

        Heads trained before ``negative_floor`` existed lack it and keep the old rule.
        """
        thresholds = self.heads.thresholds
        return intent_scores["complaint"] >= thresholds.get("complaint_floor", 1) or (
            sentiment_scores["negative"] >= thresholds.get("negative_floor", 2)
        )


def _scores(task: str, probabilities: dict[str, np.ndarray], row: int) -> dict[str, float]:
    return {
        label: round(float(value), 4)
        for label, value in zip(TASK_LABELS[task], probabilities[task][row], strict=True)
    }
