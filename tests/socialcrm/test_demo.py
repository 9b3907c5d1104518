"""``socialcrm demo``: counts that match the bundled data, and a page that is really served."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import httpx
from typer.testing import CliRunner

from config.settings import Settings
from socialcrm.cli import app
from socialcrm.demo import DEMO_BRAND_HANDLES, demo_data_path


def _expected_counts() -> tuple[int, int]:
    """Mentions and authors in the demo file, computed independently of the pipeline."""
    own = {h.casefold() for h in DEMO_BRAND_HANDLES}
    keys, authors = set(), set()
    for line in demo_data_path().read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["author"]["handle"].casefold() in own:
            continue
        keys.add((record["platform"], record["external_id"]))
        authors.add((record["platform"], record["author"]["id"]))
    return len(keys), len(authors)


def test_demo_json_counts_match_the_demo_data(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--json"])
    counts = json.loads(result.stdout)
    mentions, authors = _expected_counts()
    assert result.exit_code == 0, result.stderr
    assert set(counts) == {"mentions", "judged", "customers", "cases", "escalations", "drafts"}
    assert counts["mentions"] == mentions >= 300
    assert counts["judged"] == mentions
    assert counts["customers"] == authors
    assert 0 < counts["escalations"] < counts["cases"] < mentions
    assert 0 < counts["drafts"] <= counts["cases"]


def test_demo_twice_gives_the_same_counts(settings: Settings) -> None:
    first = CliRunner().invoke(app, ["demo", "--no-serve", "--json"]).stdout
    second = CliRunner().invoke(app, ["demo", "--no-serve", "--json"]).stdout
    assert json.loads(first) == json.loads(second)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_the_queue_page_to_the_admin_it_prints(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALCRM_")}
    stderr = tmp_path / "stderr.log"
    with stderr.open("wb") as err:
        server = subprocess.Popen(
            [sys.executable, "-m", "socialcrm", "demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/healthz", server, stderr)
            email, password = _printed_credentials(stderr.read_text(encoding="utf-8"))
            with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as client:
                anonymous = client.get("/")
                csrf = _hidden_csrf(anonymous.text)
                signed_in = client.post(
                    "/signin", data={"email": email, "password": password, "csrf_token": csrf}
                )
        finally:
            server.terminate()
            server.wait(timeout=20)
    assert anonymous.url.path == "/signin"
    assert signed_in.status_code == 200 and signed_in.url.path == "/"
    assert len(re.findall(r'<tr class="priority-urgent" data-case="\d+"', signed_in.text)) >= 10


def _printed_credentials(stderr: str) -> tuple[str, str]:
    found = re.search(r"sign in to the console as (\S+) with password (\S+)", stderr)
    assert found, stderr
    return found[1], found[2]


def _hidden_csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found[1]


def _wait_until_up(url: str, server: subprocess.Popen[bytes], stderr: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(stderr.read_text(encoding="utf-8"))
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within 120 s")
