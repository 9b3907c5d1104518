"""The platform-neutral shapes that enter and leave the store.

Collectors hand the runner :class:`MentionIn` objects; validation here is
where hostile input is made safe to keep: control characters (NUL breaks
PostgreSQL text) are removed, URLs must be http(s), timestamps become UTC.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.labels import Platform

__all__ = ["AuthorIn", "MentionIn", "clean_text", "text_fingerprint"]

# C0 and C1 control characters except tab, newline and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Text safe to store: NFC, without control characters (tab and newlines kept)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def text_fingerprint(text: str) -> str:
    """A hash of the text with case and spacing folded, to spot the same post made twice."""
    folded = _SPACE.sub(" ", text.casefold()).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


class AuthorIn(BaseModel):
    """The author of a mention as the platform reports them."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    platform_user_id: str = Field(alias="id", min_length=1, max_length=200)
    handle: str = Field(default="", max_length=200)
    display_name: str = Field(default="", alias="name", max_length=200)
    followers: int | None = Field(default=None, ge=0)

    @field_validator("platform_user_id", "handle", "display_name", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean_text(str(value)).strip() if value is not None else value


class MentionIn(BaseModel):
    """One collected post, ready to be stored once."""

    model_config = ConfigDict(extra="forbid")

    platform: Platform
    external_id: str = Field(min_length=1, max_length=300, pattern=r"^\S+$")
    url: str | None = Field(default=None, max_length=2000)
    author: AuthorIn
    text: str
    posted_at: datetime
    conversation_id: str | None = Field(default=None, max_length=300)
    in_reply_to_id: str | None = Field(default=None, max_length=300)
    repost_of: str | None = Field(default=None, max_length=300)
    language: str | None = Field(default=None, max_length=16)
    raw: dict[str, Any] = Field(default_factory=dict)

    @field_validator("text", mode="after")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("url", mode="after")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(("https://", "http://")):
            raise ValueError("must be an http(s) address")
        return value

    @field_validator("posted_at", mode="after")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
