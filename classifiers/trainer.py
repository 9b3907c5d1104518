"""A whole training run: read, embed (cached), fit, save, and measure against the bars.

The result is a model directory — ``heads.safetensors``, ``heads.json``,
``metrics.json`` and ``MODEL_CARD.md`` — small enough for git and rebuilt
with ``socialcrm train``. The figures it writes:

* the team-written set's held-back fifth: every task, per language;
* each ``evaluate`` file (public validation splits), for each task it labels;
* complaint F1 by 5-fold cross-validation on any complaint/not_complaint file.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.embedding_cache import EmbeddingCache, default_cache_root
from classifiers.evaluation import Report, evaluate_file, score_single
from classifiers.features import join_features
from classifiers.heads import TASK_LABELS, save_heads
from classifiers.labelled import NOT_COMPLAINT, TASKS, gold_label
from classifiers.training import (
    DEFAULT_TRAINING,
    Row,
    TrainingConfig,
    fit_heads,
    read_rows,
    score_held_back,
)
from classifiers.transformer import DEFAULT_MODEL_DIR, Encoder, TransformerJudge, default_encoder

__all__ = ["CachedEncoder", "TrainResult", "cached_encoder", "feature_table", "train_model"]

Progress = Callable[[str, int, int], None]


@dataclass
class TrainResult:
    """What a run produced and measured."""

    output: Path
    rows: int
    sources: dict[str, int]
    held_back: dict[str, Report]
    evaluations: dict[str, dict[str, Report]] = field(default_factory=dict)
    complaint_cv: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)


class CachedEncoder:
    """An encoder whose vectors go through the on-disk cache."""

    def __init__(self, encoder: Encoder, cache: EmbeddingCache, progress: Progress | None) -> None:
        self.inner, self.cache, self.progress = encoder, cache, progress

    @property
    def version(self) -> str:
        """The wrapped encoder's version."""
        return self.inner.version

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Cached vectors, encoding only what the cache lacks."""
        report = None if self.progress is None else self._report
        return self.cache.embed(
            texts, encode=lambda t: self.inner.encode(t, batch_size=batch_size), progress=report
        )

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress("embed", done, total)


def train_model(
    *,
    paths: Sequence[Path],
    output: Path,
    encoder: Encoder,
    cache: EmbeddingCache,
    config: TrainingConfig = DEFAULT_TRAINING,
    evaluate: Sequence[Path] = (),
    cross_validate: Sequence[Path] = (),
    name: str = "e5-small-heads",
    progress: Progress | None = None,
) -> TrainResult:
    """Train heads on ``paths``, save them to ``output`` and measure them.

    ``cross_validate`` files (complaint/not_complaint) are not trained on: they
    are folded into 5 parts, and each part is scored by heads trained on
    ``paths`` plus the other four.
    """
    started = time.monotonic()
    rows = read_rows(paths)
    cv_rows = read_rows(cross_validate)
    cached = CachedEncoder(encoder, cache, progress)
    features = feature_table([*rows, *cv_rows], cached)
    heads = fit_heads(rows, embed=features, config=config, progress=progress)
    heads.meta.update(_provenance(name, encoder, paths, rows))
    save_heads(heads, output)
    judge = TransformerJudge(model_dir=output, encoder=cached)
    result = TrainResult(
        output=output,
        rows=len(rows),
        sources=dict(Counter(row.source for row in rows)),
        held_back=score_held_back(rows, predict=judge.predict),
        meta=heads.meta,
        thresholds=heads.thresholds,
        evaluations={str(path): _evaluate_all(path, judge) for path in evaluate},
        complaint_cv=_complaint_cv(rows, cv_rows, features, config),
    )
    result.seconds = time.monotonic() - started
    _write_metrics(result)
    return result


def cached_encoder(precision: str = "int8") -> CachedEncoder:
    """The shipped model directory's encoder behind the user's embedding cache, as
    ``socialcrm train`` fills it (int8 by default), for measurements over training texts."""
    inner = default_encoder(DEFAULT_MODEL_DIR, precision)
    return CachedEncoder(
        inner, EmbeddingCache(default_cache_root(), encoder_version=inner.version), None
    )


def feature_table(
    rows: Sequence[Row], encoder: CachedEncoder
) -> Callable[[Sequence[str]], np.ndarray]:
    """Features of every training text computed once; the returned function looks rows up."""
    texts = list(dict.fromkeys(row.text for row in rows))
    table = join_features(texts, embed=lambda batch: encoder.encode(batch, batch_size=64))
    position = {text: i for i, text in enumerate(texts)}
    return lambda batch: table[[position[text] for text in batch]]


def _provenance(
    name: str, encoder: Encoder, paths: Sequence[Path], rows: Sequence[Row]
) -> dict[str, Any]:
    counts = Counter(row.source for row in rows)
    return {
        "name": name,
        "encoder": encoder.version,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": [
            {"path": str(path), "rows": counts.get(str(path), 0), "sha256": _sha256(path)}
            for path in paths
        ],
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _evaluate_all(path: Path, judge: TransformerJudge) -> dict[str, Report]:
    """Every task the file has labels for."""
    first = json.loads(path.open(encoding="utf-8").readline())
    reports: dict[str, Report] = {}
    for task in TASKS:
        if gold_label(first, task) is not None:
            reports[task] = evaluate_file(path, task=task, judge=judge)[0]
    return reports


def _complaint_cv(
    rows: Sequence[Row],
    binary: Sequence[Row],
    features: Callable[[Sequence[str]], np.ndarray],
    config: TrainingConfig,
) -> dict[str, float]:
    """Complaint F1 by 5-fold CV over ``binary`` rows; the training rows join every fold."""
    binary = [row for row in binary if row.labels["intent"] in ("complaint", NOT_COMPLAINT)]
    if len(binary) < 50:
        return {}
    others = [row for row in rows if row.labels["intent"]]
    folds = np.arange(len(binary)) % 5
    np.random.default_rng(config.seed).shuffle(folds)
    gold: list[str] = []
    predicted: list[str] = []
    for fold in range(5):
        train = others + [row for row, f in zip(binary, folds, strict=True) if f != fold]
        test = [row for row, f in zip(binary, folds, strict=True) if f == fold]
        heads = fit_heads(
            [_intent_only(row) for row in train], embed=features, config=_cv_config(config, binary)
        )
        probabilities = heads.probabilities(features([row.text for row in test]))["intent"]
        complaint = TASK_LABELS["intent"].index("complaint")
        predicted += [
            "complaint" if p.argmax() == complaint else NOT_COMPLAINT for p in probabilities
        ]
        gold += [str(row.labels["intent"]) for row in test]
    report = score_single("complaint", gold, predicted, labels=["complaint", NOT_COMPLAINT])
    figures = report.classes["complaint"]
    return {
        "f1": figures.f1,
        "precision": figures.precision,
        "recall": figures.recall,
        "items": float(len(gold)),
    }


def _intent_only(row: Row) -> Row:
    return replace(
        row, labels={task: (row.labels[task] if task == "intent" else None) for task in row.labels}
    )


def _cv_config(config: TrainingConfig, binary: Sequence[Row]) -> TrainingConfig:
    """Train on everything given; the complaint files count as much as our own mentions,
    as they would for a brand that labelled its own complaints."""
    own = max((weight for _, weight in config.source_weights), default=1.0)
    sources = tuple((source, own) for source in sorted({row.source for row in binary}))
    return replace(config, hold_back=False, source_weights=sources + config.source_weights)


def _write_metrics(result: TrainResult) -> None:
    metrics = {
        "meta": result.meta,
        "rows": result.rows,
        "sources": result.sources,
        "held_back": {task: report.as_dict() for task, report in result.held_back.items()},
        "evaluations": {
            path: {task: report.as_dict() for task, report in reports.items()}
            for path, reports in result.evaluations.items()
        },
        "complaint_cv": result.complaint_cv,
        "seconds": round(result.seconds, 1),
    }
    (result.output / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", "utf-8")
