"""A brand's own routing policy, read from a TOML or YAML file and checked before it is used.

The file holds the same ordered table as ``responders.policy.DEFAULT_RULES``: each
rule has an id, a ``when`` (conditions that must all hold), an outcome and a reason
sentence, tried top to bottom, first match wins. ``config/policy.example.toml`` is
the default policy written out in this form; copy it to start your own. Every
problem is reported with the file, the rule and the field, all at once::

    [limits]
    influencer_followers = 10000   # "min_followers = 'influencer'" means this
    repeat_complaints = 3          # "repeat = true": this customer's Nth complaint...
    repeat_window_days = 7         # ...within this many days

    [[rules]]
    id = "complaint-with-risk"
    when = { intent = ["complaint"], risk = "any" }
    queue = "support"              # or "none": no case at all
    priority = "urgent"
    escalate = true
    reason = "complaint with {risk} risk"

Conditions: ``intent``, ``sentiment``, ``platform``, ``language`` (lists: any of),
``risk`` ("any", "none", or a list: any of), ``min_followers`` (a number or
"influencer"), ``vip`` (true/false), ``repeat`` (true/false). A rule with no
conditions matches everything. Reasons may use {intent}, {sentiment}, {risk},
{followers}, {influencer_followers}, {complaint_number}, {repeat_complaints},
{repeat_window_days}.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from config.labels import Intent, Platform, Risk, Sentiment
from config.settings import RoutingSettings
from crm.enums import LifecycleStage, Priority, Queue
from responders.errors import PolicyError
from responders.policy import DEFAULT_RULES, Limits, Outcome, RouteInput, Rule

__all__ = [
    "REASON_FIELDS",
    "Policy",
    "default_policy",
    "load_policy",
    "parse_policy",
    "policy_from_settings",
]

REASON_FIELDS = (
    "intent",
    "sentiment",
    "risk",
    "followers",
    "influencer_followers",
    "complaint_number",
    "repeat_complaints",
    "repeat_window_days",
)
MAX_POLICY_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Policy:
    """An ordered rule table with its thresholds, and where it came from."""

    rules: tuple[Rule, ...]
    limits: Limits = field(default_factory=Limits)
    source: str = "the default policy"

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The rules' ids, in the order they are tried."""
        return tuple(rule.id for rule in self.rules)


def default_policy(*, influencer_followers: int = 10_000, repeat_complaints: int = 3) -> Policy:
    """The built-in policy with the settings' thresholds."""
    return Policy(
        rules=DEFAULT_RULES,
        limits=Limits(
            influencer_followers=influencer_followers, repeat_complaints=repeat_complaints
        ),
    )


def policy_from_settings(routing: RoutingSettings) -> Policy:
    """The policy file ``routing.policy_file`` names, else the default with the thresholds."""
    defaults = Limits(
        influencer_followers=routing.influencer_followers,
        repeat_complaints=routing.repeat_complaints,
    )
    if routing.policy_file is None:
        return Policy(rules=DEFAULT_RULES, limits=defaults)
    return load_policy(Path(routing.policy_file), defaults=defaults)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _When(_Strict):
    intent: list[Intent] | None = None
    sentiment: list[Sentiment] | None = None
    platform: list[Platform] | None = None
    language: list[str] | None = None
    risk: Literal["any", "none"] | list[Risk] | None = None
    min_followers: int | Literal["influencer"] | None = None
    vip: bool | None = None
    repeat: bool | None = None


class _RuleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    when: _When = Field(default_factory=_When)
    queue: Queue | Literal["none"]
    priority: Priority = Priority.NORMAL
    escalate: bool = False
    draft: bool = True
    lifecycle: LifecycleStage | None = None
    advocacy: int = Field(default=0, ge=-100, le=100)
    reason: str = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _reason_fields_known(self) -> _RuleSpec:
        for _, name, _, _ in string.Formatter().parse(self.reason):
            if name is not None and name not in REASON_FIELDS:
                raise ValueError(
                    f"reason uses {{{name}}}, which is not one of: {', '.join(REASON_FIELDS)}"
                )
        return self


class _LimitsSpec(_Strict):
    influencer_followers: int | None = Field(default=None, ge=1)
    repeat_complaints: int | None = Field(default=None, ge=1)
    repeat_window_days: int | None = Field(default=None, ge=1, le=365)


class _PolicySpec(_Strict):
    limits: _LimitsSpec = Field(default_factory=_LimitsSpec)
    rules: list[_RuleSpec] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _ids_unique(self) -> _PolicySpec:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} is used twice; ids must be unique")
            seen.add(rule.id)
        return self


def load_policy(path: Path, *, defaults: Limits | None = None) -> Policy:
    """Read and check a policy file (``.toml``, ``.yaml`` or ``.yml``); PolicyError if unusable."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise PolicyError(f"{path}: a policy file must end in .toml, .yaml or .yml")
    try:
        if path.stat().st_size > MAX_POLICY_BYTES:
            raise PolicyError(f"{path} is larger than {MAX_POLICY_BYTES:,} bytes; is it a policy?")
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"cannot read the policy file {path}: {exc.strerror}") from None
    if suffix == ".toml":
        try:
            data: Any = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise PolicyError(f"{path} is not valid TOML: {exc}") from None
    else:
        try:
            data = yaml.safe_load(raw.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise PolicyError(f"{path} is not valid YAML: {exc}") from None
    return parse_policy(data, source=str(path), defaults=defaults)


def parse_policy(data: Any, *, source: str, defaults: Limits | None = None) -> Policy:
    """Check parsed policy data and compile it into rules; PolicyError lists every problem."""
    if not isinstance(data, dict):
        raise PolicyError(f"{source}: expected a table with [limits] and [[rules]]")
    try:
        spec = _PolicySpec.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_explain(exc, data, source)) from None
    base = defaults or Limits()
    limits = Limits(
        influencer_followers=spec.limits.influencer_followers or base.influencer_followers,
        repeat_complaints=spec.limits.repeat_complaints or base.repeat_complaints,
        repeat_window_days=spec.limits.repeat_window_days or base.repeat_window_days,
    )
    rules = tuple(_compile(rule) for rule in spec.rules)
    _check_coverage(spec.rules, source)
    return Policy(rules=rules, limits=limits, source=source)


def _compile(spec: _RuleSpec) -> Rule:
    when = spec.when

    def holds(route: RouteInput, limits: Limits) -> bool:
        return _holds(when, route, limits)

    def why(route: RouteInput, limits: Limits) -> str:
        facts = {
            "intent": str(route.intent),
            "sentiment": str(route.sentiment),
            "risk": ", ".join(sorted(str(flag) for flag in route.risk)) or "no",
            "followers": f"{route.followers:,}",
            "influencer_followers": f"{limits.influencer_followers:,}",
            "complaint_number": str(route.recent_complaints + 1),
            "repeat_complaints": str(limits.repeat_complaints),
            "repeat_window_days": str(limits.repeat_window_days),
        }
        return spec.reason.format_map(facts)

    outcome = Outcome(
        queue=None if spec.queue == "none" else Queue(spec.queue),
        priority=spec.priority,
        escalate=spec.escalate,
        draft=spec.draft,
        lifecycle=spec.lifecycle,
        advocacy_delta=spec.advocacy,
    )
    return Rule(spec.id, holds, outcome, why)


def _holds(when: _When, route: RouteInput, limits: Limits) -> bool:
    """Whether every condition ``when`` names holds for ``route``."""
    checks = (
        when.intent is None or route.intent in when.intent,
        when.sentiment is None or route.sentiment in when.sentiment,
        when.platform is None or route.platform in when.platform,
        when.language is None or (route.language or "") in when.language,
        _risk_holds(when.risk, route.risk),
        when.min_followers is None or route.followers >= _followers(when.min_followers, limits),
        when.vip is None or route.vip == when.vip,
        when.repeat is None
        or (route.recent_complaints + 1 >= limits.repeat_complaints) == when.repeat,
    )
    return all(checks)


def _risk_holds(wanted: Literal["any", "none"] | list[Risk] | None, risk: Sequence[Risk]) -> bool:
    if wanted is None:
        return True
    if wanted == "any":
        return bool(risk)
    if wanted == "none":
        return not risk
    return any(flag in wanted for flag in risk)


def _followers(threshold: int | Literal["influencer"], limits: Limits) -> int:
    return limits.influencer_followers if threshold == "influencer" else threshold


def _check_coverage(rules: Sequence[_RuleSpec], source: str) -> None:
    """Every intent must reach some rule, and nothing may sit behind a catch-all."""
    for index, rule in enumerate(rules):
        if rule.when == _When() and index < len(rules) - 1:
            later = ", ".join(r.id for r in rules[index + 1 :])
            raise PolicyError(
                f"{source}: rule {rule.id!r} matches everything, so the rules after it "
                f"({later}) can never fire; move it to the end"
            )
    covered: set[Intent] = set()
    for rule in rules:
        if rule.when.model_dump(exclude={"intent"}, exclude_none=True):
            continue  # conditional on more than intent: does not settle coverage
        covered.update(rule.when.intent or list(Intent))
    missing = [str(intent) for intent in Intent if intent not in covered]
    if missing:
        raise PolicyError(
            f"{source}: no unconditional rule handles intent {', '.join(missing)}; add a "
            'last rule such as { id = "other", queue = "none", reason = "..." } for them'
        )


def _explain(exc: ValidationError, data: dict[str, Any], source: str) -> str:
    """One line per problem naming the rule (by id when it has one) and the field."""
    lines = [f"{source} is not a usable policy:"]
    for error in exc.errors():
        where = list(error["loc"])
        if len(where) >= 2 and where[0] == "rules" and isinstance(where[1], int):
            rules = data.get("rules") or []
            rule = rules[where[1]] if where[1] < len(rules) else {}
            name = rule.get("id") if isinstance(rule, dict) else None
            label = f"rule {where[1] + 1}" + (f" ({name!r})" if name else "")
            where = [label, *where[2:]]
        dotted = ".".join(str(part) for part in where) or "the file"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "is not a known field (a typo?)"
        lines.append(f"  - {dotted}: {message}")
    return "\n".join(lines)
