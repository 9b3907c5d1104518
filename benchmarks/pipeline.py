"""Pipeline throughput: mentions per second through store, judge and route, and peak memory.

Builds N mentions from the bundled demo texts (new ids, many authors), then
runs each stage on its own and prints the figures::

    .venv/bin/python benchmarks/pipeline.py --mentions 5000
    .venv/bin/python benchmarks/pipeline.py --mentions 5000 \
        --database-url postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/pipeline.py --mentions 5000 --judge baseline
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from classifiers.registry import load_judge
from config.settings import load_settings
from crm.db import create_db_engine, migrate, reset_schema
from listener.replay import ReplayCollector
from listener.runner import run_collector
from socialcrm.demo import demo_data_path
from socialcrm.pipeline import PipelineReport, judge_pending, route_pending


def make_input(path: Path, count: int) -> None:
    """``count`` mentions reusing the demo texts, spread over 14 days and 2,000 authors."""
    demo = [json.loads(line) for line in demo_data_path().read_text("utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            record = dict(demo[i % len(demo)])
            author = i % 2000
            record.update(
                external_id=f"bench-{i}",
                repost_of=None,
                conversation_id=None,
                author={
                    "id": f"bench-author-{author}",
                    "handle": f"bench{author}",
                    "name": f"Bench {author}",
                    "followers": (author * 37) % 20_000,
                },
                posted_at=f"-{13 - (i * 14 // count)}d{i % 24:02d}h{i % 60:02d}m",
            )
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def timed(label: str, count: int, started: float) -> None:
    seconds = time.perf_counter() - started
    print(f"{label:<8} {count:>7,} mentions  {seconds:7.2f} s  {count / seconds:9,.0f} /s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=5000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--judge", default="e5", help="e5 (the default judge) or baseline")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="socialcrm-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    if url.startswith("postgresql"):
        url = reset_schema(url, "bench_pipeline")
    settings = load_settings(database_url=url)
    engine = create_db_engine(url)
    migrate(engine)
    make_input(workdir / "in.jsonl", args.mentions)
    judge = load_judge(args.judge)
    judge.predict(["warm-up"])
    print(f"database {engine.dialect.name}, judge {judge.version}, {args.mentions:,} mentions")

    started = time.perf_counter()
    stored = run_collector(ReplayCollector([str(workdir / "in.jsonl")]), engine=engine).new
    timed("store", stored, started)
    started = time.perf_counter()
    judged = judge_pending(engine=engine, judge=judge, batch_size=settings.classifier.batch_size)
    timed("judge", judged, started)
    started = time.perf_counter()
    report = PipelineReport()
    route_pending(engine=engine, settings=settings, report=report)
    timed("route", report.routed, started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS {peak_mb:,.0f} MB; {report.cases_opened:,} cases, "
        f"{report.escalations:,} escalations, {report.drafts:,} drafts"
    )


if __name__ == "__main__":
    main()
