"""Escalation latency: from the routing commit that escalates a case to the webhook receiver.

Runs the path ``socialcrm run`` runs for each source (``run_pipeline``: collect →
judge → route → deliver) over risky complaints, against a local webhook
receiver on 127.0.0.1 that checks every HMAC signature. The clock starts when
routing commits the batch that escalated the case (the pipeline's "route"
progress call) and stops when the receiver has read the request. Prints
p50/p95/max latency and deliveries per second; the issue asks for at most 2 s::

    .venv/bin/python benchmarks/escalation.py                       # 200, in passes of 10
    .venv/bin/python benchmarks/escalation.py --per-pass 200        # one burst of 200
    .venv/bin/python benchmarks/escalation.py --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.fakes

from config.settings import EscalationSettings, load_settings
from crm.db import create_db_engine, migrate, reset_schema
from listener.replay import ReplayCollector
from socialcrm.pipeline import run_pipeline
from tests.fakes import TagJudge

SECRET = "bench-secret"
SCHEMA = "bench_escalation"


class Receiver:
    """Records when each idempotency key arrived; refuses bad signatures."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.bad = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.perf_counter()
                stamp = self.headers.get("X-Socialcrm-Timestamp", "")
                digest = hmac.new(
                    SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256
                ).hexdigest()
                good = hmac.compare_digest(
                    f"sha256={digest}", self.headers.get("X-Socialcrm-Signature", "")
                )
                if good:
                    receiver.arrived.setdefault(json.loads(body)["idempotency_key"], now)
                else:
                    receiver.bad += 1
                self.send_response(200 if good else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/escalations"


def open_database(url: str | None, workdir: Path) -> str:
    if url is None:
        return f"sqlite:///{workdir / 'bench.db'}"
    return reset_schema(url, SCHEMA)


def write_pass(path: Path, start: int, count: int) -> None:
    """``count`` risky complaints from distinct authors, appended to the replay file."""
    with path.open("a", encoding="utf-8") as out:
        for i in range(start, start + count):
            record = {
                "platform": "x",
                "external_id": f"bench-{i}",
                "url": f"https://x.com/bench{i}/status/{i}",
                "author": {"id": f"bench-{i}", "handle": f"bench{i}", "name": f"Bench {i}"},
                "text": f"my phone {i} caught fire #complaint #safety",
                "posted_at": "-1m",
            }
            out.write(json.dumps(record) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--escalations", type=int, default=200)
    parser.add_argument("--per-pass", type=int, default=10, help="escalations per pipeline pass")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="socialcrm-bench-"))
    receiver = Receiver()
    url = open_database(args.database_url, workdir)
    settings = load_settings(database_url=url).model_copy(
        update={"escalation": EscalationSettings(webhook_url=receiver.url, webhook_secret=SECRET)}
    )
    engine = create_db_engine(url)
    migrate(engine)
    judge, source = TagJudge(), workdir / "in.jsonl"
    collector = ReplayCollector([str(source)])
    committed: dict[str, float] = {}
    windows: list[float] = []  # per pass: routing commit to the pass's last arrival
    made = 0
    started = time.perf_counter()
    while made < args.escalations:
        count = min(args.per_pass, args.escalations - made)
        write_pass(source, made, count)
        commit_at: list[float] = []

        def progress(stage: str, done: int, commit_at: list[float] = commit_at) -> None:
            if stage == "route":
                commit_at.append(time.perf_counter())

        before = set(receiver.arrived)
        report = run_pipeline(
            engine=engine, settings=settings, collectors=[collector], judge=judge, progress=progress
        )
        new = _new_keys(engine, exclude=committed)
        for key in new:
            committed[key] = commit_at[-1]
        windows.append(max(receiver.arrived.get(key, commit_at[-1]) for key in new) - commit_at[-1])
        made += report.escalations
        if report.escalations == 0 or set(receiver.arrived) == before:
            raise SystemExit(f"pass escalated {report.escalations} and delivered nothing; stopping")
    elapsed = time.perf_counter() - started
    latencies = sorted(
        receiver.arrived[key] - committed[key] for key in committed if key in receiver.arrived
    )
    missing = len(committed) - len(latencies)
    ms = [1000 * value for value in latencies]
    print(
        f"database {engine.dialect.name}, {len(committed)} escalations in passes of "
        f"{args.per_pass}, signature failures {receiver.bad}, undelivered {missing}"
    )
    print(
        f"latency routing commit -> receiver: p50 {statistics.median(ms):.1f} ms, "
        f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(
        f"throughput while delivering: {len(latencies) / sum(windows):.0f} deliveries/s "
        f"(whole run incl. collect/judge/route: {elapsed:.2f} s)"
    )
    receiver.server.shutdown()


def _new_keys(engine: sa.Engine, *, exclude: dict[str, float]) -> list[str]:
    with engine.connect() as connection:
        ids = connection.execute(sa.text("SELECT id FROM escalation")).scalars()
        return [f"escalation-{i}" for i in ids if f"escalation-{i}" not in exclude]


if __name__ == "__main__":
    main()
