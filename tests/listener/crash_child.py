"""The child process of ``test_crash``: collects from a fake X server, run after run, until killed.

Run as ``python -m tests.listener.crash_child API_URL DATABASE_URL TOKEN``. It
prints ``collecting`` once it is about to fetch, so the parent kills it while
it works rather than while Python starts.
"""

from __future__ import annotations

import sys

from pydantic import SecretStr

from config.settings import XSettings
from crm.db import create_db_engine
from listener.runner import run_collector
from listener.x import XCollector, create_client


def main(api_url: str, database_url: str, token: str) -> int:
    """Collect forever; a failed run exits 1 with the error on stderr."""
    engine = create_db_engine(database_url)
    settings = XSettings(bearer_token=SecretStr(token), api_base_url=api_url)
    collector = XCollector(create_client(settings, timeout=5.0), query="acme")
    print("collecting", flush=True)
    while True:
        report = run_collector(collector, engine=engine, limit=10)
        if report.error:
            print(report.error, file=sys.stderr, flush=True)
            return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
