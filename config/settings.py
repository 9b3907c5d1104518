"""The one typed settings schema, and how it is loaded.

Precedence, highest first:

1. keyword arguments (tests),
2. environment variables: ``SOCIALCRM_`` prefix, ``__`` between nested names
   (``SOCIALCRM_DATABASE_URL``, ``SOCIALCRM_X__BEARER_TOKEN``; lists as JSON,
   ``SOCIALCRM_REPLAY__PATHS='["exports/*.jsonl"]'``),
3. the TOML file (``--config FILE``, else ``socialcrm.toml`` in the working directory),
4. the defaults below.

Nothing is built at import time: call :func:`load_settings` (or the cached
:func:`get_settings`). Secrets are ``SecretStr`` and never printed.
"""

from __future__ import annotations

import functools
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

__all__ = [
    "DEFAULT_CONFIG_FILE",
    "ENV_PREFIX",
    "ConfigError",
    "Settings",
    "get_settings",
    "load_settings",
]

ENV_PREFIX = "SOCIALCRM_"
DEFAULT_CONFIG_FILE = Path("socialcrm.toml")

# The parsed TOML for the load in progress; read by Settings.settings_customise_sources.
_toml_data: ContextVar[dict[str, Any]] = ContextVar("socialcrm_toml_data", default={})  # noqa: B039


class ConfigError(Exception):
    """Settings that cannot be used: the message names the setting and what to do."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BrandSettings(_Section):
    """Who we listen for."""

    name: str = "Demo Brand"
    handles: list[str] = Field(
        default_factory=list,
        description="The brand's own accounts (any platform); their posts are never collected.",
    )


class ReplaySettings(_Section):
    """JSONL files of mentions to import (the demo data, a user's own exports)."""

    paths: list[str] = Field(default_factory=list, description="Files or glob patterns.")
    max_text_chars: int = Field(default=40_000, ge=1, description="Longer posts are rejected.")
    poll_seconds: int = Field(default=60, ge=1, description="Seconds between runs.")


class XSettings(_Section):
    """X (Twitter) through tweepy."""

    bearer_token: SecretStr | None = None
    query: str = ""
    user_id: str | None = None
    api_base_url: str = "https://api.x.com"
    timeout_seconds: float = Field(default=30.0, gt=0, description="Per request.")
    poll_seconds: int = Field(
        default=120,
        ge=30,
        description="Seconds between runs; at least 30: recent search allows 450 requests "
        "per 15 minutes per app, shared by every page and the mentions timeline.",
    )
    # Posting replies needs user context (the bearer token above only reads): OAuth 1.0a
    # with an app whose permission is Read and Write, or an OAuth 2.0 user token.
    consumer_key: SecretStr | None = None
    consumer_secret: SecretStr | None = None
    access_token: SecretStr | None = None
    access_token_secret: SecretStr | None = None
    user_access_token: SecretStr | None = Field(
        default=None, description="OAuth 2.0 user access token with tweet.write."
    )


class RedditSettings(_Section):
    """Reddit through praw."""

    client_id: str | None = None
    client_secret: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    subreddits: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    api_base_url: str = "https://oauth.reddit.com"
    poll_seconds: int = Field(
        default=60,
        ge=20,
        description="Seconds between runs; at least 20: Reddit allows 100 queries a minute "
        "and one run reads every subreddit's feeds, the search and the inbox.",
    )
    user_agent: str | None = Field(
        default=None,
        description="Unset: python:socialcrm:<version> (by /u/<username>), as Reddit requires.",
    )
    timeout_seconds: float = Field(default=15.0, gt=0, description="Per request.")


class MastodonSettings(_Section):
    """Mastodon through Mastodon.py, on any instance."""

    api_base_url: str | None = None
    access_token: SecretStr | None = None
    hashtags: list[str] = Field(default_factory=list)
    timeout_seconds: float = Field(default=30.0, gt=0, description="Per request.")
    poll_seconds: int = Field(
        default=60,
        ge=10,
        description="Seconds between runs; at least 10: 300 requests per 5 minutes per account.",
    )


class BlueskySettings(_Section):
    """Bluesky through atproto and Jetstream."""

    handle: str | None = None
    app_password: SecretStr | None = None
    keywords: list[str] = Field(default_factory=list)
    api_base_url: str = "https://bsky.social"
    jetstream_url: str = "wss://jetstream2.us-east.bsky.network/subscribe"
    timeout_seconds: float = Field(default=10.0, gt=0, description="Per request or connection.")
    poll_seconds: int = Field(
        default=30,
        ge=5,
        description="Seconds between reads of the Jetstream firehose (which keeps its own cursor).",
    )


class ClassifierSettings(_Section):
    """Which judge reads the mentions."""

    judge: str = Field(
        default="e5", description="A name from classifiers.registry.JUDGES: e5 or baseline."
    )
    # Mentions per judge call: the encoder sorts each call by length, so bigger calls pad
    # less (measured in the pipeline: 32 -> 48/s, 512 -> 120/s).
    batch_size: int = Field(default=512, ge=1, le=4096)
    precision: Literal["auto", "bf16", "int8", "fp32"] = Field(
        default="auto",
        description=(
            "How the encoder computes: auto picks bf16 on CPUs with bfloat16 matrix units "
            "(Intel AMX), else int8."
        ),
    )


class TrainingSettings(_Section):
    """What ``socialcrm train`` learns from, what it measures on, and where it writes."""

    paths: list[str] = Field(
        default_factory=lambda: ["classifiers/data/mentions/*.jsonl"],
        description="Labelled JSONL files or globs to train on.",
    )
    evaluate: list[str] = Field(
        default_factory=list,
        description="Labelled files to score after training (never trained on).",
    )
    cross_validate: list[str] = Field(
        default_factory=list,
        description="complaint/not_complaint files for a 5-fold complaint F1 (never shipped).",
    )
    output: str = "classifiers/models/e5-small-heads"
    seed: int = 13
    members: int = Field(
        default=5,
        ge=1,
        le=20,
        description="Heads per task, from seeds seed, seed+1, ...; probabilities averaged.",
    )
    precision: Literal["auto", "bf16", "int8", "fp32"] = Field(
        default="int8",
        description=(
            "Encoder precision the heads are trained on, whatever judging uses. int8 runs on"
            " any x86 CPU and is what the shipped heads learnt from, so a rebuild matches"
            " them; auto follows classifier.precision."
        ),
    )


class RoutingSettings(_Section):
    """Thresholds of the default routing policy."""

    influencer_followers: int = Field(default=10_000, ge=1)
    repeat_complaints: int = Field(default=3, ge=1)
    case_window_hours: int = Field(
        default=72, ge=0, description="A customer's mentions within this window join one case."
    )
    policy_file: str | None = Field(
        default=None, description="A TOML or YAML routing policy; unset: the default policy."
    )


class SlaSettings(_Section):
    """First-response targets and when a case about to miss one is escalated a level up."""

    urgent_minutes: int = Field(default=30, ge=1)
    high_minutes: int = Field(default=120, ge=1)
    normal_minutes: int = Field(default=1440, ge=1)
    low_minutes: int = Field(default=4320, ge=1)
    warn_before_minutes: int = Field(
        default=10, ge=0, description="Re-escalate this long before a target is missed."
    )
    business_hours: str | None = Field(
        default=None, description='Clock runs only in these hours, e.g. "09:00-17:00".'
    )
    business_days: list[int] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], description="0 is Monday."
    )
    timezone: str = "UTC"


class EscalationSettings(_Section):
    """Where escalations go: a webhook, e-mail, or both."""

    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_format: Literal["json", "slack"] = "json"
    email_to: list[str] = Field(default_factory=list)
    timeout_seconds: float = Field(default=5.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)


class SmtpSettings(_Section):
    """The mail server that escalations and reports are sent through."""

    host: str | None = None
    port: int = Field(default=587, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "socialcrm@localhost"
    tls: Literal["none", "starttls", "ssl"] = "starttls"
    timeout_seconds: float = Field(default=10.0, gt=0)


class SendSettings(_Section):
    """Posting replies to the platforms: off unless enabled, within hourly budgets."""

    enabled: bool = False
    x_per_hour: int = Field(default=50, ge=0)
    reddit_per_hour: int = Field(default=30, ge=0)
    mastodon_per_hour: int = Field(default=60, ge=0)
    bluesky_per_hour: int = Field(default=60, ge=0)


ReportFormat = Literal["html", "pdf", "csv", "json"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("html", "pdf", "csv", "json")


class ReportSettings(_Section):
    """The weekly advocacy report: when, in which language, where it goes."""

    weekday: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
    time: str = Field(default="08:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    timezone: str = "UTC"
    language: Literal["en", "tr", "fa"] = "en"
    out_dir: str = "reports"
    formats: list[ReportFormat] = Field(default_factory=lambda: list(REPORT_FORMATS))
    email_to: list[str] = Field(default_factory=list)
    webhook_url: str | None = None


class ConsoleSettings(_Section):
    """Where the console listens and how it keeps people signed in."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    secret_key: SecretStr | None = Field(
        default=None, description="Signs session cookies; unset: a key kept in the database dir."
    )
    session_hours: int = Field(default=12, ge=1)
    sign_in_attempts_per_15_minutes: int = Field(default=10, ge=1)


class Settings(BaseSettings):
    """Everything socialcrm can be told."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    database_url: str = Field(
        default="sqlite:///socialcrm.db",
        description="sqlite:///FILE or postgresql://USER@HOST:PORT/DB",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    brand: BrandSettings = Field(default_factory=BrandSettings)
    replay: ReplaySettings = Field(default_factory=ReplaySettings)
    x: XSettings = Field(default_factory=XSettings)
    reddit: RedditSettings = Field(default_factory=RedditSettings)
    mastodon: MastodonSettings = Field(default_factory=MastodonSettings)
    bluesky: BlueskySettings = Field(default_factory=BlueskySettings)
    classifier: ClassifierSettings = Field(default_factory=ClassifierSettings)
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    routing: RoutingSettings = Field(default_factory=RoutingSettings)
    sla: SlaSettings = Field(default_factory=SlaSettings)
    escalation: EscalationSettings = Field(default_factory=EscalationSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    send: SendSettings = Field(default_factory=SendSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments over the environment over the TOML file over defaults."""
        toml_source = InitSettingsSource(settings_cls, init_kwargs=_toml_data.get())
        return (init_settings, env_settings, toml_source)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read settings from the environment and a TOML file; raise ConfigError when unusable."""
    path = config_file if config_file is not None else DEFAULT_CONFIG_FILE
    data = _read_toml(path, required=config_file is not None)
    token = _toml_data.set(data)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, path if data else None)) from None
    finally:
        _toml_data.reset(token)


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings from the default places; tests call ``cache_clear()``."""
    return load_settings()


def _read_toml(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise ConfigError(
                f"config file {path} does not exist; create one with `socialcrm init` "
                "or leave out --config to use defaults and the environment."
            )
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}. Fix that line.") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}.") from None


def _explain(exc: ValidationError, path: Path | None) -> str:
    """One line per problem: the setting, what is wrong, and where to change it."""
    lines = ["invalid settings:"]
    for error in exc.errors():
        dotted = ".".join(str(part) for part in error["loc"])
        env = ENV_PREFIX + "__".join(str(p) for p in error["loc"]).upper()
        where = f"in {path} or " if path is not None else ""
        if error["type"] == "extra_forbidden":
            problem = "is not a known setting (a typo?); see `socialcrm init` for the full list"
        else:
            problem = f"{error['msg'].lower()} (got {_shown_input(dotted, error.get('input'))})"
        lines.append(f"  - {dotted}: {problem}. Set it {where}with {env}.")
    return "\n".join(lines)


def _shown_input(dotted: str, value: object) -> str:
    secretish = ("token", "secret", "password")
    if any(word in dotted for word in secretish):
        return "a hidden value"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
