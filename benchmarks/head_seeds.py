"""How much the judge's figures move with the training seed, and what averaging seeds buys.

One-member heads are fitted with the shipped recipe (``TrainingConfig``
defaults) for each ``--seeds`` value on the embeddings in the training cache,
then scored, as are the shipped heads and the seeds' heads together as one
ensemble (what ``members`` trains; seeds 13-17 are the shipped five), on the same embeddings:
held-back intent macro-F1 and escalation, TweetEval and UMSAB validation, and
the demo's 340 independently written gold mentions. Run ``socialcrm train``
once first so the cache holds the training texts::

    .venv/bin/python -P benchmarks/head_seeds.py --seeds 13 14 15 16 17
"""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from classifiers.evaluation import evaluate_file, score_single
from classifiers.heads import TASK_LABELS, HeadSet, load_heads
from classifiers.trainer import CachedEncoder, cached_encoder, feature_table
from classifiers.training import DEFAULT_TRAINING, Row, fit_heads, read_rows, score_held_back
from classifiers.transformer import DEFAULT_MODEL_DIR, TransformerJudge

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
TRAINING = [
    *sorted((ROOT / "classifiers/data/mentions").glob("*.jsonl")),
    SHARED / "tweeteval_sentiment/train.jsonl",
    SHARED / "umsab_xlmt_sentiment/train.jsonl",
    SHARED / "sentipers_fa/train.jsonl",
]
TWEETEVAL_VAL = SHARED / "tweeteval_sentiment/val.jsonl"
UMSAB_VAL = SHARED / "umsab_xlmt_sentiment/val.jsonl"
DEMO = ROOT / "socialcrm/data/demo_mentions.jsonl"


def together(members: list[HeadSet]) -> HeadSet:
    """One-member heads of several seeds as one ensemble, as ``members = n`` trains it."""
    first = members[0]
    heads = {task: [m.heads[task][0] for m in members] for task in first.heads}
    return HeadSet(first.dim, heads, first.center, first.scale, first.thresholds, first.meta)


def figures(
    heads: Any, rows: list[Row], demo: list[dict[str, Any]], encoder: CachedEncoder
) -> dict[str, float]:
    judge = TransformerJudge(encoder=encoder, heads=heads)
    held = score_held_back(rows, predict=judge.predict)
    umsab = evaluate_file(UMSAB_VAL, task="sentiment", judge=judge)[0]
    verdicts = judge.predict([item["text"] for item in demo])
    demo_intent = score_single(
        "intent",
        [item["gold"]["intent"] for item in demo],
        [verdict.intent.value for verdict in verdicts],
        labels=TASK_LABELS["intent"],
    )
    demo_escalate = score_single(
        "escalate",
        [str(d["gold"]["intent"] == "complaint" and bool(d["gold"]["risk"])).lower() for d in demo],
        [str(verdict.escalate).lower() for verdict in verdicts],
        labels=["true", "false"],
    )
    return {
        "intent F1": held["intent"].macro_f1,
        "escalation R": held["escalate"].classes["true"].recall,
        "escalation P": held["escalate"].classes["true"].precision,
        "TweetEval R": evaluate_file(TWEETEVAL_VAL, task="sentiment", judge=judge)[0].macro_recall,
        "UMSAB F1": statistics.mean(part["macro_f1"] for part in umsab.by_language.values()),
        "demo intent": demo_intent.accuracy,
        "demo escalation P": demo_escalate.classes["true"].precision,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 14, 15, 16, 17])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--precision",
        choices=["int8", "bf16", "fp32"],
        default="int8",
        help="encoder precision; int8 is what training.precision embeds the training cache in",
    )
    parser.add_argument(
        "--shipped",
        type=Path,
        default=DEFAULT_MODEL_DIR,
        help="heads to score beside the seeds (default: the shipped ones)",
    )
    args = parser.parse_args()
    missing = [path for path in [*TRAINING, TWEETEVAL_VAL, UMSAB_VAL] if not path.is_file()]
    if missing:
        raise SystemExit(f"needs ../shared/data beside the repository; missing {missing[0]}")
    torch.set_num_threads(args.threads)
    encoder = cached_encoder(args.precision)
    rows = read_rows(TRAINING)
    demo = [json.loads(line) for line in DEMO.open(encoding="utf-8")]
    features = feature_table(rows, encoder)

    def show(name: str, heads: Any) -> None:
        scores = figures(heads, rows, demo, encoder)
        print(f"{name:<10}" + "  ".join(f"{k} {v:.3f}" for k, v in scores.items()), flush=True)

    show("shipped", load_heads(args.shipped))
    members = []
    for seed in args.seeds:
        single = replace(DEFAULT_TRAINING, seed=seed, members=1)
        members.append(fit_heads(rows, embed=features, config=single))
        show(f"seed {seed}", members[-1])
    show("averaged", together(members))


if __name__ == "__main__":
    main()
