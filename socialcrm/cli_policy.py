"""``socialcrm policy``: check a routing policy file, and backtest it on stored mentions."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from crm.db import session_scope
from crm.types import utcnow
from responders.backtest import BacktestReport, backtest
from responders.errors import PolicyError
from responders.policy import Limits
from responders.policy_file import Policy, load_policy, policy_from_settings
from socialcrm.cli_common import ConfigOption, JsonOption, fail, open_store, read_settings

__all__ = ["parse_since", "policy_app"]

policy_app = typer.Typer(help="Check and backtest routing policy files.", no_args_is_help=True)

PolicyFile = Annotated[Path, typer.Argument(help="A policy file (.toml, .yaml or .yml).")]
_SPAN = re.compile(r"^(\d{1,5})([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, *, now: datetime | None = None) -> datetime:
    """``30d``, ``12h``, ``2w`` back from now, or an ISO date/time (UTC unless it says)."""
    match = _SPAN.match(value.strip())
    if match:
        return (now or utcnow()) - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"--since {value!r} is neither a span like 30d, 12h, 2w nor a date like 2026-11-01"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _load(path: Path, *, defaults: Limits | None = None) -> Policy:
    try:
        return load_policy(path, defaults=defaults)
    except PolicyError as exc:
        fail(str(exc), code=2)


@policy_app.command("check")
def check(file: PolicyFile, json_output: JsonOption = False) -> None:
    """Validate a policy file and list its rules in the order they are tried."""
    policy = _load(file)
    if json_output:
        typer.echo(json.dumps({"valid": True, "file": str(file), "rules": list(policy.rule_ids)}))
        return
    limits = policy.limits
    typer.echo(
        f"{file} is a valid policy: {len(policy.rules)} rules; influencer at "
        f"{limits.influencer_followers:,} followers, complaint {limits.repeat_complaints} "
        f"in {limits.repeat_window_days} days is a repeat"
    )
    for number, rule in enumerate(policy.rules, start=1):
        out = rule.outcome
        where = "no case" if out.queue is None else f"{out.queue}/{out.priority}"
        flags = " escalate" if out.escalate else ""
        typer.echo(f"  {number:>2}. {rule.id:<28} → {where}{flags}")


@policy_app.command("backtest")
def backtest_command(
    file: PolicyFile,
    since: Annotated[str, typer.Option(help="How far back: 30d, 12h, 2w, or a date.")] = "30d",
    config: ConfigOption = None,
    json_output: JsonOption = False,
) -> None:
    """Replay stored mentions through FILE and compare with what routing did (changes nothing)."""
    try:
        start = parse_since(since)
    except ValueError as exc:
        fail(str(exc), code=2)
    settings = read_settings(config)
    policy = _load(
        file,
        defaults=policy_from_settings(
            settings.routing.model_copy(update={"policy_file": None})
        ).limits,
    )
    engine = open_store(settings)
    with session_scope(engine) as session:
        report = backtest(session=session, policy=policy, since=start)
    if json_output:
        typer.echo(json.dumps(_as_json(report)))
    else:
        _print(report)


def _as_json(report: BacktestReport) -> dict[str, object]:
    return {
        "since": report.since.isoformat(),
        "policy": report.policy,
        "mentions": report.mentions,
        "changed": report.changed,
        "happened": dict(report.happened),
        "would": dict(report.would),
        "moves": [
            {"happened": old, "would": new, "mentions": count}
            for (old, new), count in sorted(report.moves.items())
            if old != new
        ],
        "rules": dict(report.rules),
        "examples": [
            {
                "mention_id": change.mention_id,
                "platform": change.platform,
                "external_id": change.external_id,
                "posted_at": change.posted_at.isoformat(),
                "happened": change.happened,
                "would": change.would,
                "rule": change.rule,
                "reason": change.reason,
            }
            for change in report.examples
        ],
    }


def _print(report: BacktestReport) -> None:
    typer.echo(
        f"{report.mentions:,} mentions since {report.since:%Y-%m-%d %H:%M} UTC through "
        f"{report.policy}; {report.changed:,} would be routed differently"
    )
    outcomes = sorted(set(report.happened) | set(report.would))
    typer.echo(f"\n  {'outcome':<12} {'happened':>9} {'would':>9} {'change':>8}")
    for outcome in outcomes:
        old, new = report.happened[outcome], report.would[outcome]
        typer.echo(f"  {outcome:<12} {old:>9,} {new:>9,} {new - old:>+8,}")
    moves = [(key, n) for key, n in report.moves.most_common() if key[0] != key[1]]
    if moves:
        typer.echo("\n  moves")
        for (before, after), count in moves:
            typer.echo(f"  {before:>12} → {after:<12} {count:>7,}")
    if report.examples:
        typer.echo("\n  examples")
        for change in report.examples:
            typer.echo(
                f"  {change.platform}:{change.external_id[:24]:<24} {change.happened} → "
                f"{change.would} by {change.rule}: {change.reason}"
            )
