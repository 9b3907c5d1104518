"""Sending throughput: approved replies per second through the two-phase protocol.

Builds N approved replies on a fresh database, then times four runs and
prints one JSON object of figures::

    .venv/bin/python benchmarks/send.py --replies 500
    .venv/bin/python benchmarks/send.py --replies 500 \
        --database-url postgresql://postgres@127.0.0.1:5432/test

- ``protocol``: the in-memory sender, so only our side is timed (claim commit,
  post, record commit with the case update and audit events);
- ``http``: the real Mastodon.py sender posting to the fake Mastodon server
  on 127.0.0.1 (tests/responders/fake_write_mastodon.py);
- ``two_workers``: two threads sending the same queue over HTTP; ``duplicates``
  must be 0;
- ``reconcile``: every reply left uncertain, then found again by reconciliation.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test fakes

from config.settings import MastodonSettings, Settings, load_settings
from crm.db import create_db_engine, migrate, scratch_schema
from crm.types import utcnow
from responders.errors import SendUncertain
from responders.senders.mastodon import MastodonSender, create_client
from responders.sending import send_approved
from tests.responders.fake_write_mastodon import TOKEN, FakeWriteMastodon
from tests.responders.fake_write_memory import MemorySender
from tests.responders.test_sending import approved_reply


@contextmanager
def fresh_database(url: str | None) -> Iterator[Engine]:
    """A migrated, empty database: a temporary SQLite file, or a new PostgreSQL schema."""
    if url is None:
        with tempfile.TemporaryDirectory() as tmp:
            engine = create_db_engine(f"sqlite:///{Path(tmp) / 'send.db'}")
            migrate(engine)
            yield engine
            engine.dispose()
        return
    with scratch_schema(url, prefix="bench_send") as address:
        engine = create_db_engine(address)
        try:
            migrate(engine)
            yield engine
        finally:
            engine.dispose()


def run(url: str | None, count: int, label: str, work: Any) -> dict[str, Any]:
    with fresh_database(url) as engine:
        for _ in range(count):
            approved_reply(engine)
        start = time.perf_counter()
        extra = work(engine)
        seconds = time.perf_counter() - start
    return {
        "replies": count,
        "seconds": round(seconds, 2),
        "per_second": round(count / seconds, 1),
    } | (extra or {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # uncertain posts are expected in the last run
    settings: Settings = load_settings(database_url="sqlite:///unused.db")
    settings = settings.model_copy(
        update={
            "send": settings.send.model_copy(update={"enabled": True, "mastodon_per_hour": 10**9})
        }
    )
    count = args.replies
    figures: dict[str, Any] = {"database": "postgresql" if args.database_url else "sqlite"}

    def protocol(engine: Engine) -> None:
        send_approved(
            engine=engine, settings=settings, senders={"mastodon": MemorySender()}, limit=count
        )

    fake = FakeWriteMastodon()
    with fake.running():

        def sender() -> MastodonSender:
            return MastodonSender(
                create_client(MastodonSettings(api_base_url=fake.url, access_token=TOKEN))
            )

        def http(engine: Engine) -> None:
            send_approved(
                engine=engine, settings=settings, senders={"mastodon": sender()}, limit=count
            )

        def two_workers(engine: Engine) -> dict[str, int]:
            before = len(fake.creates())
            threads = [
                threading.Thread(
                    target=send_approved,
                    kwargs={
                        "engine": engine,
                        "settings": settings,
                        "senders": {"mastodon": sender()},
                        "limit": count,
                    },
                )
                for _ in range(2)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            posts = len(fake.creates()) - before
            return {"posts": posts, "duplicates": posts - count}

        figures["protocol"] = run(args.database_url, count, "protocol", protocol)
        figures["http"] = run(args.database_url, count, "http", http)
        figures["two_workers"] = run(args.database_url, count, "two_workers", two_workers)

    def reconcile(engine: Engine) -> dict[str, float]:
        memory = MemorySender(script=[("after", SendUncertain("timeout"))] * count)
        now = utcnow()
        send_approved(
            engine=engine, settings=settings, senders={"mastodon": memory}, now=now, limit=count
        )
        start = time.perf_counter()
        report = send_approved(
            engine=engine,
            settings=settings,
            senders={"mastodon": memory},
            now=now + timedelta(minutes=2),
        )
        assert report.platforms["mastodon"].reconciled == count
        return {"reconcile_per_second": round(count / (time.perf_counter() - start), 1)}

    figures["reconcile"] = run(args.database_url, count, "reconcile", reconcile)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
