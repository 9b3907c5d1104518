"""kill -9 at random moments: a collector restarted each time ends with exactly what was served.

A real subprocess collects from the fake X server (pages of 10, one
transaction per page) and is killed with SIGKILL at a random moment of its
run, four times, with new posts arriving while it is down. A last restart
runs to the end. The store must then hold every post the server served, once
each, and the counters that move in the same transaction must agree with it.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, func
from sqlmodel import select as query

from crm.models import Mention, SourceState
from listener.runner import run_collector
from tests.listener.fake_x import FakeX
from tests.listener.test_x import collector_for

ROOT = Path(__file__).resolve().parents[2]
KILLS = 4


def _post(fake: FakeX, count: int, *, start: int, spread: bool = False) -> list[str]:
    """New posts, oldest first; ``spread`` backdates them a minute apart (the history)."""
    return [
        fake.post(f"@acme order {n} is late", ago=timedelta(minutes=count - i if spread else 0))
        for i, n in enumerate(range(start, start + count))
    ]


def _start(fake: FakeX, database_url: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.listener.crash_child", fake.url, database_url, fake.token],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], 30)
    assert ready and child.stdout.readline().strip() == "collecting", child.stderr
    return child


def test_sigkill_at_random_points_loses_nothing_and_repeats_nothing(
    sqlite_engine: Engine,
) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    chance = random.Random(seed)
    fake = FakeX()
    fake.add_user("100", "deniz_k", name="Deniz", followers=312)
    served = _post(fake, 300, start=0, spread=True)
    url = sqlite_engine.url.render_as_string(hide_password=False)
    with fake.running():
        for kill in range(KILLS):
            child = _start(fake, url)
            try:
                select.select([], [], [], chance.uniform(0.0, 0.5))  # a random moment of the run
                assert child.poll() is None, f"child died on its own: {child.communicate()[1]}"
            finally:
                child.send_signal(signal.SIGKILL)
                child.wait(timeout=10)
            served += _post(fake, 45, start=1000 * (kill + 1))
        # The last restart polls as the scheduler would: a run that resumed an interrupted
        # page walk ends at that walk's newest post, and the next run reads what came after.
        collector = collector_for(fake)
        runs = [run_collector(collector, engine=sqlite_engine, limit=10) for _ in range(2)]
    assert [run.error for run in runs] == [None, None]
    with Session(sqlite_engine) as session:
        stored = session.exec(query(Mention.external_id)).all()
        state = session.exec(query(SourceState)).one()
        rows = session.exec(query(func.count()).select_from(Mention)).one()
    assert sorted(stored) == sorted(served), f"seed {seed}"
    assert rows == len(served) == state.stored_total, f"seed {seed}"
