"""The command line as a user meets it: exit codes, messages, JSON, files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from config.settings import Settings
from socialcrm.cli import app

runner = CliRunner()


def _post(external_id: str, text: str, handle: str = "deniz") -> str:
    return json.dumps(
        {
            "platform": "x",
            "external_id": external_id,
            "url": f"https://x.com/{handle}/status/{external_id}",
            "author": {"id": f"id-{handle}", "handle": handle, "name": "Deniz Kaya"},
            "text": text,
            "posted_at": "-1h",
        },
        ensure_ascii=False,
    )


@pytest.fixture
def inbox(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A replay file with two good lines and one bad, wired in through the environment."""
    path = tmp_path / "inbox.jsonl"
    lines = [
        _post("1", "@Brand my bill is wrong and nobody answers, I want a refund"),
        "{oops",
        _post("2", "@Brand thank you, the new app is great!", handle="ali"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("SOCIALCRM_REPLAY__PATHS", json.dumps([str(path)]))
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return path


def test_init_writes_a_commented_file_and_will_not_overwrite_it(settings: Settings) -> None:
    first = runner.invoke(app, ["init"])
    again = runner.invoke(app, ["init"])
    assert first.exit_code == 0
    assert "# socialcrm settings" in Path("socialcrm.toml").read_text(encoding="utf-8")
    assert again.exit_code == 1
    assert "already exists; use --force" in again.stderr
    assert runner.invoke(app, ["init", "--force"]).exit_code == 0


def test_collect_once_reports_counts_and_the_bad_line(inbox: Path) -> None:
    result = runner.invoke(app, ["collect", "--once", "--json"])
    payload = json.loads(result.stdout)
    assert result.exit_code == 1  # a line was skipped; the rest was still collected
    assert payload["sources"]["replay"] == {
        "fetched": 2,
        "new": 2,
        "duplicates": 0,
        "skipped": 1,
        "errors": 0,
    }
    assert (payload["judged"], payload["routed"]) == (2, 2)
    assert f"skipped {inbox}:2: not valid JSON" in result.stderr


def test_collect_twice_stores_nothing_new(inbox: Path) -> None:
    runner.invoke(app, ["collect", "--once"])
    second = runner.invoke(app, ["collect", "--once", "--json"])
    assert json.loads(second.stdout)["sources"]["replay"]["new"] == 0


def test_collect_needs_once_and_a_known_source(inbox: Path) -> None:
    assert "use `socialcrm collect --once`" in runner.invoke(app, ["collect"]).stderr
    unknown = runner.invoke(app, ["collect", "--once", "--source", "myspace"])
    assert unknown.exit_code == 1
    assert "unknown source 'myspace'; choose one of replay" in unknown.stderr


def test_collect_says_why_a_source_is_off(settings: Settings) -> None:
    result = runner.invoke(app, ["collect", "--once", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["off"]["replay"].startswith("no files to replay")


def test_broken_settings_file_exits_2_naming_the_problem(settings: Settings) -> None:
    Path("socialcrm.toml").write_text("[console]\nport = 99999\n", encoding="utf-8")
    result = runner.invoke(app, ["collect", "--once"])
    assert result.exit_code == 2
    assert "console.port" in result.stderr
    assert "SOCIALCRM_CONSOLE__PORT" in result.stderr


def test_unreachable_database_is_a_clear_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", "postgresql://nobody:pw@127.0.0.1:1/none")
    result = runner.invoke(app, ["export", "mentions"])
    assert result.exit_code == 1
    assert "cannot open the database" in result.stderr
    assert "pw" not in result.stderr.replace("postgresql+psycopg://nobody:***", "")


def test_export_mentions_as_jsonl_and_csv(inbox: Path, tmp_path: Path) -> None:
    runner.invoke(app, ["collect", "--once"])
    jsonl = runner.invoke(app, ["export", "mentions"])
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    required = {
        "platform",
        "external_id",
        "url",
        "author_handle",
        "text",
        "posted_at",
        "language",
        "sentiment",
        "intent",
        "risk",
        "case_id",
    }
    assert len(rows) == 2
    assert required <= set(rows[0])
    assert rows[0]["author_handle"] == "deniz" and rows[0]["intent"] == "complaint"
    out = tmp_path / "m.csv"
    assert (
        runner.invoke(app, ["export", "mentions", "--format", "csv", "--out", str(out)]).exit_code
        == 0
    )
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["external_id"] for r in table] == ["1", "2"]


@pytest.mark.parametrize("kind", ["customers", "cases", "replies"])
def test_every_kind_exports(inbox: Path, kind: str) -> None:
    runner.invoke(app, ["collect", "--once"])
    result = runner.invoke(app, ["export", kind, "--format", "csv"])
    assert result.exit_code == 0
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) >= 1


def test_csv_export_neutralises_formulas(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(_post("1", '=HYPERLINK("http://evil")') + "\n", encoding="utf-8")
    monkeypatch.setenv("SOCIALCRM_REPLAY__PATHS", json.dumps([str(path)]))
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", f"sqlite:///{tmp_path / 'f.db'}")
    runner.invoke(app, ["collect", "--once"])
    row = next(
        csv.DictReader(
            io.StringIO(runner.invoke(app, ["export", "mentions", "--format", "csv"]).stdout)
        )
    )
    assert row["text"].startswith("'=HYPERLINK")


def test_train_on_a_cpu_without_int8_kernels_says_which_precision_to_set(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    import socialcrm.training_run
    from classifiers.encoders import int8

    def no_int8(*_: object, **__: object) -> None:  # what an ARM build meets in the encoder
        monkeypatch.setattr(int8, "row_int8_supported", lambda: False)
        int8.quantize_rows_int8(torch.nn.Sequential(torch.nn.Linear(4, 4)))

    monkeypatch.setattr(socialcrm.training_run, "run_training", no_int8)
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: int8 judging needs PyTorch's x86 (fbgemm) int8")
    assert 'training.precision) to "fp32"' in result.stderr
    assert "Traceback" not in result.stderr
