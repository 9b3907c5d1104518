"""Judge throughput: the naive path against the production path, in one run.

2,000 realistic mentions (the demo's and the team-written set's texts, with
one in ten repeated as retweets and cross-posts do) are judged two ways:

* naive: the same encoder in fp32, one text at a time;
* production: the fastest precision this CPU has (``--precision``: bf16 on
  bfloat16 matrix units, else int8 scaled per token), batches of similar length,
  identical texts once.

The naive rate comes from the first ``--naive-sample`` texts (it is slow by
design); both rates are mentions per second of wall time, each path timed
``--repeats`` times, with the median, the range and the ratio of the medians
printed (a shared machine's rate moves by a fifth between runs)::

    .venv/bin/python benchmarks/judge.py
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from pathlib import Path

import torch

from classifiers.encoders.e5 import PRECISIONS, fastest_precision
from classifiers.transformer import DEFAULT_MODEL_DIR, TransformerJudge, default_encoder

ROOT = Path(__file__).resolve().parents[1]


def realistic_mentions(count: int, *, seed: int = 7) -> list[str]:
    """Demo and team-written texts, shuffled, with a tenth repeated."""
    files = [
        ROOT / "socialcrm/data/demo_mentions.jsonl",
        *sorted((ROOT / "classifiers/data/mentions").glob("*.jsonl")),
    ]
    texts = [json.loads(line)["text"] for path in files for line in path.open(encoding="utf-8")]
    rng = random.Random(seed)
    rng.shuffle(texts)
    unique = texts[: count - count // 10]
    return unique + rng.choices(unique, k=count - len(unique))


def rate(judge: TransformerJudge, texts: list[str], *, one_at_a_time: bool) -> float:
    started = time.perf_counter()
    if one_at_a_time:
        for text in texts:
            judge.predict([text])
    else:
        judge.predict(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=2000)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--precision", choices=PRECISIONS, default=fastest_precision())
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    torch.set_num_threads(args.threads)
    texts = realistic_mentions(args.mentions)
    # Both paths run the encoder the judge builds (with the model directory's adapter, if any).
    production = TransformerJudge(
        encoder=default_encoder(DEFAULT_MODEL_DIR, args.precision), batch_size=64
    )
    production.predict(["warm-up so loading is not timed"])
    production_rates = [rate(production, texts, one_at_a_time=False) for _ in range(args.repeats)]
    production_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del production
    naive = TransformerJudge(encoder=default_encoder(DEFAULT_MODEL_DIR, "fp32"))
    naive.predict(["warm-up so loading is not timed"])
    sample = texts[: args.naive_sample]
    naive_rates = [rate(naive, sample, one_at_a_time=True) for _ in range(args.repeats)]
    print(f"{len(texts):,} mentions ({len(set(texts)):,} distinct), {args.threads} threads,")
    print(f"{args.repeats} timed runs of each path: median (range)")
    print(f"naive       {'(fp32, one at a time)':<28}{_spread(naive_rates)}")
    label = f"({args.precision}, bucketed, deduped)"
    print(f"production  {label:<28}{_spread(production_rates)}")
    ratio = statistics.median(production_rates) / statistics.median(naive_rates)
    print(f"speed-up    {ratio:.1f}x (of the medians)")
    print(f"peak RSS of the production path: {production_mb:,.0f} MB")


def _spread(rates: list[float]) -> str:
    return f"{statistics.median(rates):8.1f} mentions/s  ({min(rates):.1f}-{max(rates):.1f})"


if __name__ == "__main__":
    main()
