"""Collection throughput: mentions stored per second through the real runner, per fake source.

Two sources, each run into an empty database:

- ``x``: the fake X API of the tests on 127.0.0.1, read by the real tweepy
  client and ``XCollector`` (pages of 100, one transaction per page), so the
  figure includes HTTP, JSON and mapping;
- ``memory``: prepared batches handed to the runner without any I/O, so the
  figure is the store alone (dedup lookup, identities, insert, repeat links,
  cursor), and the difference is the cost of fetching.

Half the authors post more than once and one post in ten is a repeat of its
author's earlier text, as on a real brand. A second run over the same data
must store nothing (checked)::

    .venv/bin/python benchmarks/collect.py --mentions 5000
    .venv/bin/python benchmarks/collect.py --mentions 5000 \
        --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.settings import XSettings
from crm.db import create_db_engine, drop_schema, migrate, reset_schema
from crm.schemas import MentionIn
from listener.base import Batch
from listener.runner import run_collector
from listener.x import XCollector, create_client
from tests.listener.fake_x import FakeX

SCHEMA = "bench_collect"
PAGE = 100  # X's largest page; the memory source hands batches of the same size


def text(i: int) -> str:
    """A post; every tenth repeats an earlier one of the same author."""
    n = i - 2000 if i % 10 == 9 and i >= 2000 else i
    return f"@acme order {n} has not arrived, tracking says delivered #help"


class MemorySource:
    """Prepared mentions in pages, with a cursor that is the page number."""

    name = "memory"

    def __init__(self, mentions: list[MentionIn]) -> None:
        self.mentions = mentions

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        """The next page after ``cursor``."""
        start = int(cursor or 0)
        page = self.mentions[start : start + min(limit, PAGE)]
        end = start + len(page)
        return Batch(mentions=page, cursor=str(end), exhausted=end >= len(self.mentions))


def memory_mentions(count: int) -> list[MentionIn]:
    now = datetime.now(UTC)
    return [
        MentionIn.model_validate(
            {
                "platform": "x",
                "external_id": str(10**15 + i),
                "url": f"https://x.com/u/status/{10**15 + i}",
                "author": {"id": f"a{i % (count // 2 or 1)}", "handle": f"fan{i % (count // 2)}"},
                "text": text(i),
                "posted_at": now - timedelta(seconds=count - i),
            }
        )
        for i in range(count)
    ]


def fake_x(count: int) -> FakeX:
    fake = FakeX()
    for author in range(count // 2 or 1):
        fake.add_user(str(1000 + author), f"fan{author}", followers=author * 7)
    for i in range(count):
        fake.post(
            text(i), author_id=str(1000 + i % (count // 2 or 1)), ago=timedelta(seconds=count - i)
        )
    return fake


def fresh_engine(url: str | None, workdir: Path, name: str) -> Engine:
    """An empty, migrated database: a new SQLite file, or a reset PostgreSQL schema."""
    if url is None:
        engine = create_db_engine(f"sqlite:///{workdir / f'{name}.db'}")
    else:
        engine = create_db_engine(reset_schema(url, SCHEMA))
    migrate(engine)
    return engine


def measure(label: str, collector: object, engine: Engine, count: int) -> None:
    started = time.perf_counter()
    report = run_collector(collector, engine=engine, limit=500)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    again = run_collector(collector, engine=engine, limit=500)  # type: ignore[arg-type]
    if report.error or report.new != count or again.new:
        raise SystemExit(f"{label}: stored {report.new} of {count}, then {again.new}: {report}")
    print(
        f"{label:<28} {engine.dialect.name:<10} {count:>7,} stored  {seconds:7.2f} s  "
        f"{count / seconds:9,.0f} /s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=5000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--source", choices=["x", "memory", "both"], default="both")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="socialcrm-collect-bench-"))
    if args.source in ("memory", "both"):
        engine = fresh_engine(args.database_url, workdir, "memory")
        measure(
            "memory (store only)",
            MemorySource(memory_mentions(args.mentions)),
            engine,
            args.mentions,
        )
        engine.dispose()
    if args.source in ("x", "both"):
        fake = fake_x(args.mentions)
        engine = fresh_engine(args.database_url, workdir, "x")
        with fake.running():
            settings = XSettings(bearer_token=SecretStr(fake.token), api_base_url=fake.url)
            collector = XCollector(create_client(settings), query="acme")
            measure("x (fake server, tweepy)", collector, engine, args.mentions)
        engine.dispose()
    if args.database_url is not None:
        drop_schema(args.database_url, SCHEMA)  # leave the shared database as it was


if __name__ == "__main__":
    main()
