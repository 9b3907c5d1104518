"""Escalation decoding thresholds measured on out-of-fold predictions of the training rows.

The judge escalates a complaint with a risk flag; a risky text also counts as a
complaint when its complaint probability reaches ``complaint_floor`` or its
negative-sentiment probability reaches ``negative_floor``. This measures those
two and the flag threshold without the held-back fifth: the team-written
training rows are split into five folds (by a hash of the text), heads are
fitted with the shipped recipe on everything but one fold (one member, for
speed), and the fold is judged. Every combination in the grid is scored by F2
over the pooled out-of-fold verdicts (recall weighted twice: a CRM would
rather review a false alarm than miss a lawsuit), averaged over ``--repeats``
fold assignments, ties going to precision; the shipped combination is printed
beside the best. Run ``socialcrm train`` once first so the cache holds the
training texts::

    .venv/bin/python -P benchmarks/decoding_thresholds.py --repeats 4
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch

from classifiers.heads import TASK_LABELS
from classifiers.trainer import cached_encoder, feature_table
from classifiers.training import DEFAULT_TRAINING, Row, fit_heads, held_back, read_rows

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OWN = ROOT / "classifiers/data/mentions"
TRAINING = [
    *sorted(OWN.glob("*.jsonl")),
    SHARED / "tweeteval_sentiment/train.jsonl",
    SHARED / "umsab_xlmt_sentiment/train.jsonl",
    SHARED / "sentipers_fa/train.jsonl",
]
FOLDS = 5
Features = Callable[[Sequence[str]], np.ndarray]
RISK_THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
COMPLAINT_FLOORS = (0.1, 0.15, 0.2, 0.3, 0.4, 1.01)  # 1.01: never
NEGATIVE_FLOORS = (0.3, 0.4, 0.5, 0.6, 1.01)


def fold_of(text: str, repeat: int) -> int:
    """A fixed fold for each text in each repeat, from a hash, so file order never moves it."""
    digest = hashlib.blake2b(f"out-of-fold {repeat}:{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest[:4], "big") % FOLDS


@dataclass
class OutOfFold:
    """Gold escalation and the heads' probabilities for every team-written training row."""

    gold: np.ndarray
    intent: np.ndarray
    sentiment: np.ndarray
    risk: np.ndarray


def out_of_fold(rows: list[Row], features: Features, repeat: int) -> OutOfFold:
    """Judge each fold of the team-written training rows with heads fitted on the rest."""
    own = [row for row in rows if str(OWN) in row.source and not held_back(row.text)]
    fold = {row.text: fold_of(row.text, repeat) for row in own}
    config = replace(DEFAULT_TRAINING, members=1)
    parts: list[tuple[list[Row], dict[str, np.ndarray]]] = []
    for k in range(FOLDS):
        train = [row for row in rows if fold.get(row.text, -1) != k]
        test = [row for row in own if fold[row.text] == k]
        heads = fit_heads(train, embed=features, config=config)
        parts.append((test, heads.probabilities(features([row.text for row in test]))))
        print(f"repeat {repeat + 1}, fold {k + 1}/{FOLDS}: {len(test)} rows", flush=True)
    tested = [row for test, _ in parts for row in test]
    return OutOfFold(
        gold=np.array(
            [row.labels["intent"] == "complaint" and bool(row.labels["risk"]) for row in tested]
        ),
        intent=np.concatenate([p["intent"] for _, p in parts]),
        sentiment=np.concatenate([p["sentiment"] for _, p in parts]),
        risk=np.concatenate([p["risk"] for _, p in parts]),
    )


def escalations(
    oof: OutOfFold, risk_at: float, complaint_floor: float, negative_floor: float
) -> np.ndarray:
    """The judge's escalation rule (``TransformerJudge._judgement``) over the arrays."""
    complaint = TASK_LABELS["intent"].index("complaint")
    negative = TASK_LABELS["sentiment"].index("negative")
    risky = (oof.risk >= risk_at).any(axis=1)
    reads_as_complaint = (oof.intent[:, complaint] >= complaint_floor) | (
        oof.sentiment[:, negative] >= negative_floor
    )
    return risky & ((oof.intent.argmax(axis=1) == complaint) | reads_as_complaint)


def f2_precision_recall(
    oof: OutOfFold, risk_at: float, complaint_floor: float, negative_floor: float
) -> tuple[float, float, float]:
    """F2, precision and recall of the escalation rule with these thresholds."""
    predicted = escalations(oof, risk_at, complaint_floor, negative_floor)
    hits = int((predicted & oof.gold).sum())
    recall = hits / max(1, int(oof.gold.sum()))
    precision = hits / max(1, int(predicted.sum()))
    f2 = 5 * precision * recall / (4 * precision + recall) if hits else 0.0
    return f2, precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--repeats", type=int, default=3, help="fold assignments; F2 is averaged over them"
    )
    args = parser.parse_args()
    missing = [path for path in TRAINING if not path.is_file()]
    if missing:
        raise SystemExit(f"needs ../shared/data beside the repository; missing {missing[0]}")
    torch.set_num_threads(args.threads)
    encoder = cached_encoder("int8")
    rows = read_rows(TRAINING)
    features = feature_table(rows, encoder)
    repeats = [out_of_fold(rows, features, repeat) for repeat in range(args.repeats)]
    print(f"{int(repeats[0].gold.sum())} escalations among {len(repeats[0].gold)} rows, per repeat")
    scored: list[tuple[float, ...]] = []
    for grid_point in itertools.product(RISK_THRESHOLDS, COMPLAINT_FLOORS, NEGATIVE_FLOORS):
        mean = np.array([f2_precision_recall(oof, *grid_point) for oof in repeats]).mean(axis=0)
        scored.append((*(float(v) for v in mean), *grid_point))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    shipped = (
        DEFAULT_TRAINING.risk_threshold,
        DEFAULT_TRAINING.complaint_floor,
        DEFAULT_TRAINING.negative_floor,
    )
    print("    F2  precision  recall  risk_at  complaint_floor  negative_floor")
    for f2, precision, recall, *chosen in scored[:8] + [
        s for s in scored if tuple(s[3:]) == shipped
    ]:
        mark = "  (shipped)" if tuple(chosen) == shipped else ""
        thresholds = f"{chosen[0]:7.2f}  {chosen[1]:15.2f}  {chosen[2]:14.2f}"
        print(f"{f2:6.3f}  {precision:9.3f}  {recall:6.3f}  {thresholds}{mark}")


if __name__ == "__main__":
    main()
