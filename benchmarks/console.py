"""Console latency: the queue page and the case page with a large store.

Bulk-inserts customers, identities, cases (a third of them active), mentions and
drafts straight through SQLAlchemy Core, then times pages through the ASGI app
(FastAPI's TestClient, signed in as a manager): the first queue page, a filtered
page, a deep keyset page and case pages. Prints p50/p95 per page kind.

    .venv/bin/python benchmarks/console.py                    # SQLite, 1,000,000 / 200,000
    .venv/bin/python benchmarks/console.py --database-url postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/console.py --keep /tmp/bench.db --explain   # filled once, reused
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from console.accounts import create_user
from console.app import create_app
from crm.console_queries import QueueFilters, Viewer, queue_statement
from crm.db import create_db_engine, migrate, session_scope
from crm.enums import Role
from crm.models import Case, Customer, Identity, Mention, Reply, User

CHUNK = 20_000
PLATFORMS = ["x", "reddit", "mastodon", "bluesky"]
PRIORITIES = ["urgent", "high", "normal", "low"]
ACTIVE = ["new", "open", "escalated", "waiting"]
INTENTS = ["complaint", "question", "praise", "suggestion"]
SENTIMENTS = ["negative", "neutral", "positive"]
LANGUAGES = ["en", "en", "en", "tr", "fa", "de"]


def _insert(engine: sa.Engine, table: sa.Table, rows: list[dict]) -> None:
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(table.insert(), rows[start : start + CHUNK])


def fill(engine: sa.Engine, *, mentions: int, cases: int) -> None:
    """Customers (one per two cases), cases, mentions spread over the cases, drafts."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    customers = max(1, cases // 2)
    _insert(
        engine,
        Customer.__table__,
        [
            {
                "id": i,
                "name": f"Customer {i}",
                "tier": "vip" if i % 50 == 0 else "standard",
                "tags": [],
                "notes": "",
                "lifecycle_stage": "customer",
                "advocacy_score": 0,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1, customers + 1)
        ],
    )
    _insert(
        engine,
        Identity.__table__,
        [
            {
                "id": i,
                "platform": PLATFORMS[i % 4],
                "platform_user_id": str(i),
                "handle": f"user{i}",
                "display_name": f"User {i}",
                "followers": i % 5000,
                "customer_id": i,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1, customers + 1)
        ],
    )
    case_rows = []
    for i in range(1, cases + 1):
        opened = now - timedelta(minutes=rng.randint(1, 60 * 24 * 90))
        active = rng.random() < 0.3
        rank = rng.choices(range(4), weights=[1, 3, 8, 4])[0]
        case_rows.append(
            {
                "id": i,
                "customer_id": (i % customers) + 1,
                "status": rng.choice(ACTIVE) if active else "resolved",
                "queue": rng.choice(["support", "support", "sales", "feedback"]),
                "priority": PRIORITIES[rank],
                "priority_rank": rank,
                # What routing copies from the newest mention (crm.cases.summarise_case);
                # every mention of a case below carries the same judgement.
                "intent": rng.choice(INTENTS),
                "sentiment": rng.choice(SENTIMENTS),
                "language": rng.choice(LANGUAGES),
                "risk_flags": "legal" if i % 41 == 0 else ("churn" if i % 23 == 0 else ""),
                "platform": PLATFORMS[((i % customers) + 1) % 4],
                "rule": "complaint",
                "reason": "complaint",
                "escalation_level": 0,
                "sla_due_at": opened + timedelta(hours=2),
                "opened_at": opened,
                "updated_at": opened,
                "last_mention_at": opened,
            }
        )
    _insert(engine, Case.__table__, case_rows)
    rows = []
    for i in range(1, mentions + 1):
        case_id = (i % cases) + 1
        case = case_rows[case_id - 1]
        posted = now - timedelta(seconds=rng.randint(1, 90 * 86400))
        rows.append(
            {
                "id": i,
                "platform": case_rows[case_id - 1]["platform"],
                "external_id": str(i),
                "url": f"https://x.com/u/status/{i}",
                "source": "bench",
                "identity_id": case_rows[case_id - 1]["customer_id"],
                "text": f"mention {i}: my order is late again #{i % 97}",
                "text_hash": uuid.uuid4().hex,
                "language": case["language"],
                "posted_at": posted,
                "collected_at": posted,
                "raw": {},
                "sentiment": case["sentiment"],
                "intent": case["intent"],
                "risk": case["risk_flags"].split(",") if case["risk_flags"] else [],
                "model_version": "bench",
                "judged_at": posted,
                "case_id": case_id,
                "routed_at": posted,
                "route_rule": "complaint",
            }
        )
        if len(rows) == 100_000:
            _insert(engine, Mention.__table__, rows)
            rows = []
    _insert(engine, Mention.__table__, rows)
    _insert(
        engine,
        Reply.__table__,
        [
            {
                "case_id": c["id"],
                "mention_id": c["id"],
                "text": "Sorry to hear that, we are on it.",
                "warnings": [],
                "status": "draft",
                "idempotency_key": uuid.uuid4().hex,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
            for c in case_rows
            if c["status"] != "resolved" and c["id"] <= mentions
        ],
    )
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("customer", "identity", "case", "mention", "reply"):
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT max(id) FROM "{table}"))'
                    )
                )
            connection.execute(sa.text("ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def _time(client: TestClient, url: str, runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        found.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.text[:300]}")
    return found


def _report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(
        f"{name:<34} p50 {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms"
        f"   n={len(samples)}"
    )


def _engine(args: argparse.Namespace) -> tuple[sa.Engine, sa.Engine | None, str | None]:
    """The benchmark's database: a fresh (or ``--keep``-named) schema, or an SQLite file."""
    if args.database_url:
        schema = args.keep or f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_db_engine(args.database_url)
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        url = f"{args.database_url}?options=-csearch_path%3D{schema}"
        return create_db_engine(url), admin, None if args.keep else schema
    path = args.keep or f"{tempfile.mkdtemp()}/bench.db"
    return create_db_engine(f"sqlite:///{path}"), None, None


def _filled(engine: sa.Engine, cases: int) -> bool:
    with engine.connect() as connection:
        return connection.execute(sa.text('SELECT count(*) FROM "case"')).scalar_one() == cases


def _explain(engine: sa.Engine) -> None:
    """The plans of the queue page's statements (first page, next page, filtered, counts)."""
    viewer = Viewer(user_id=None, sees_all=True)
    cursor = "MnwyMDI2LTExLTIyVDEwOjAwOjAwKzAwOjAwfDUwMDAw"  # rank 2, a due time, id 50000
    statements = {
        "first page": queue_statement(filters=QueueFilters(), viewer=viewer),
        "keyset page": queue_statement(filters=QueueFilters(), viewer=viewer, after=cursor),
        "priority=high&platform=x": queue_statement(
            filters=QueueFilters(priority="high", platform="x"), viewer=viewer
        ),
        "agent's view": queue_statement(
            filters=QueueFilters(), viewer=Viewer(user_id=1, sees_all=False)
        ),
    }
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    with engine.connect() as connection:
        for name, statement in statements.items():
            compiled = statement.compile(
                dialect=engine.dialect, compile_kwargs={"literal_binds": True}
            )
            print(f"-- {name}")
            for row in connection.execute(sa.text(prefix + str(compiled))):
                print("  ", " | ".join(str(part) for part in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="SQLite file / PostgreSQL schema to keep and reuse (filled once)",
    )
    parser.add_argument("--explain", action="store_true", help="print the queries' plans")
    args = parser.parse_args()
    engine, admin, schema = _engine(args)
    try:
        migrate(engine)
        if not _filled(engine, args.cases):
            start = time.perf_counter()
            fill(engine, mentions=args.mentions, cases=args.cases)
            print(
                f"{engine.dialect.name}: {args.mentions:,} mentions, {args.cases:,} cases "
                f"inserted in {time.perf_counter() - start:.0f} s"
            )
        if args.explain:
            _explain(engine)
        _measure(engine, args)
    finally:
        engine.dispose()
        if schema and admin is not None:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def _measure(engine: sa.Engine, args: argparse.Namespace) -> None:
    """Time the pages through the app, signed in as a manager and as an agent.

    Each client is entered, so the app's start-up runs as it does under
    ``socialcrm serve`` (uvicorn runs the lifespan too).
    """
    with contextlib.ExitStack() as stack:
        clients = {
            role: stack.enter_context(_client(engine, role)) for role in (Role.MANAGER, Role.AGENT)
        }
        _measure_with(clients, engine, args)


def _measure_with(
    clients: dict[Role, TestClient], engine: sa.Engine, args: argparse.Namespace
) -> None:
    client = clients[Role.MANAGER]
    print(f"{engine.dialect.name}: {args.mentions:,} mentions, {args.cases:,} cases")
    cache = client.app.state.facet_cache
    first = client.get("/").text
    cursor = re.search(r"after=([A-Za-z0-9_-]+)", first).group(1)
    cache.ttl_seconds = 3600  # steady state: counts fresh, as for 20 s after each recount
    _report("queue page (counts cached)", _time(client, "/", args.runs))
    _report("queue page 2 (keyset)", _time(client, f"/?after={cursor}", args.runs))
    _time(client, "/?priority=high&platform=x", 1)
    _report(
        "queue filtered (cached counts)", _time(client, "/?priority=high&platform=x", args.runs)
    )
    cache.ttl_seconds = 0
    _report("queue page (counts recomputed)", _time(client, "/", max(5, args.runs // 4)))
    cache.ttl_seconds = 3600
    samples = []
    for _ in range(max(5, args.runs // 4)):
        cache.clear()  # stale: served as is while a thread recounts behind
        samples += _time(client, "/", 1)
        while cache.refreshing:  # wait for the recount, then go again
            time.sleep(0.01)
    _report("queue page (recount running behind)", samples)
    agent = clients[Role.AGENT]
    agent.app.state.facet_cache.ttl_seconds = 3600
    _time(agent, "/", 1)
    _report("queue as an agent (cached counts)", _time(agent, "/", args.runs))
    _report("API /api/v1/cases", _time(client, "/api/v1/cases?limit=50", args.runs))
    # A search nobody made before: its counts are made while the page waits.
    searches = random.Random(5)
    samples = []
    for _ in range(max(5, args.runs // 4)):
        name = f"Customer {searches.randint(1, max(1, args.cases // 2))}"
        samples += _time(client, "/?" + urlencode({"q": name}), 1)
    _report("queue search (a new name each time)", samples)
    rng = random.Random(3)
    samples = []
    for _ in range(args.runs):
        samples += _time(client, f"/cases/{rng.randint(1, args.cases)}", 1)
    _report("case page", samples)


def _client(engine: sa.Engine, role: Role) -> TestClient:
    email = f"{role}@example.com"
    with session_scope(engine) as session:
        if session.exec(select(User).where(User.email == email)).first() is None:
            create_user(
                session=session, email=email, password="benchmark pw", role=role, actor="bench"
            )
    client = TestClient(create_app(engine=engine))
    page = client.get("/signin").text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/signin", data={"email": email, "password": "benchmark pw", "csrf_token": csrf})
    return client


if __name__ == "__main__":
    main()
