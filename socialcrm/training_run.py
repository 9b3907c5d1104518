"""``socialcrm train``: settings in, a trained model directory and its figures against the bars."""

from __future__ import annotations

import glob
from collections.abc import Callable
from pathlib import Path
from typing import Any

from classifiers.embedding_cache import EmbeddingCache, default_cache_root
from classifiers.model_card import BARS, bar_figures, write_model_card
from classifiers.trainer import TrainResult, train_model
from classifiers.training import TrainingConfig
from config.settings import Settings

__all__ = ["format_summary", "run_adaptation", "run_training", "training_precision"]

# Rows drawn from each public file for adaptation; our own rows are all used, twice.
ADAPT_SAMPLE = 2000
OWN_DATA = "classifiers/data/mentions"


def _expand(patterns: list[str], *, setting: str) -> list[Path]:
    """The files the patterns name; a pattern that matches nothing is an error."""
    files: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(str(Path(pattern).expanduser())))
        if not matches:
            raise FileNotFoundError(f"{setting}: no file matches {pattern!r}; fix the path")
        files += [Path(match) for match in matches]
    return files


def training_precision(settings: Settings) -> str:
    """The encoder precision ``train`` embeds in: ``training.precision``, not the fastest
    this CPU has, so a rebuild on any machine embeds the texts as the shipped heads saw them."""
    chosen = settings.training.precision
    return settings.classifier.precision if chosen == "auto" else chosen


def run_training(
    settings: Settings,
    *,
    output: Path | None = None,
    seed: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """Train on ``training.paths``, write the model directory and card, return the summary."""
    from classifiers.transformer import default_encoder

    paths = _expand(settings.training.paths, setting="training.paths")
    evaluate = _expand(settings.training.evaluate, setting="training.evaluate")
    target = output or Path(settings.training.output)
    # With the model directory's adapter, if it has one.
    encoder = default_encoder(target, training_precision(settings))
    result = train_model(
        paths=paths,
        output=target,
        encoder=encoder,
        cache=EmbeddingCache(default_cache_root(), encoder_version=encoder.version),
        config=TrainingConfig(
            seed=settings.training.seed if seed is None else seed,
            members=settings.training.members,
        ),
        evaluate=evaluate,
        cross_validate=_expand(settings.training.cross_validate, setting="training.cross_validate"),
        progress=progress,
    )
    write_model_card(result)
    return _summary(result)


def run_adaptation(
    settings: Settings,
    *,
    output: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Path:
    """Train the LoRA adapter into the model directory; run ``train`` afterwards for its heads."""
    import random

    from classifiers.adaptation import AdaptConfig, train_adapter
    from classifiers.encoders.e5_build import build_e5
    from classifiers.training import held_back, read_rows
    from classifiers.transformer import ADAPTER_FILE

    rng = random.Random(settings.training.seed)  # noqa: S311 (sampling, not secrets)
    rows = []
    for path in _expand(settings.training.paths, setting="training.paths"):
        usable = [row for row in read_rows([path]) if not held_back(row.text)]
        if OWN_DATA in str(path):
            rows += usable * 2
        else:
            rows += rng.sample(usable, min(ADAPT_SAMPLE, len(usable)))
    model, tokenizer = build_e5(None)
    target = (output or Path(settings.training.output)) / ADAPTER_FILE
    config = AdaptConfig(seed=settings.training.seed)
    return train_adapter(model, tokenizer, rows, output=target, config=config, progress=progress)


def _summary(result: TrainResult) -> dict[str, Any]:
    return {
        "output": str(result.output),
        "rows": result.rows,
        "seconds": round(result.seconds, 1),
        "bars": bar_figures(result),
    }


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as lines for a terminal: each bar with its figure and whether it is met."""
    lines = [
        f"trained on {summary['rows']:,} rows in {summary['seconds']:.0f} s → {summary['output']}"
    ]
    for key, (label, target) in BARS.items():
        figure = summary["bars"].get(key)
        if figure is None:
            lines.append(f"  {label:<52} not measured (its data was not given)")
        else:
            verdict = "met" if figure >= target else "NOT met"
            lines.append(f"  {label:<52} {figure:.3f}  (bar {target:.2f}: {verdict})")
    return "\n".join(lines)
