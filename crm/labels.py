"""People's corrections to the judge, read back as labelled training rows.

A correction made in the console (``responders.casework.correct_judgement``)
keeps the model's label beside the person's. Each corrected mention becomes one
row in the format of ``classifiers/data/mentions/*.jsonl``, carrying only the
labels the person set (training treats a missing label as unknown, not as a
negative). Purged (deleted) mentions are never exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from crm.models import Mention

__all__ = ["corrected_rows"]


def corrected_rows(*, session: Session, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """One training row per corrected mention, oldest correction first."""
    query = (
        select(Mention)
        .where(col(Mention.corrected_at).is_not(None), col(Mention.deleted_at).is_(None))
        .order_by(col(Mention.corrected_at), col(Mention.id))
        .execution_options(yield_per=500)
    )
    if since is not None:
        query = query.where(col(Mention.corrected_at) >= since)
    for mention in session.exec(query):
        row: dict[str, Any] = {"text": mention.text, "lang": mention.language}
        if mention.corrected_sentiment is not None:
            row["sentiment"] = str(mention.corrected_sentiment)
        if mention.corrected_intent is not None:
            row["intent"] = str(mention.corrected_intent)
        if mention.corrected_risk is not None:
            row["risk"] = sorted(mention.corrected_risk)
        row["source"] = f"console:{mention.platform}:{mention.external_id}"
        row["model_version"] = mention.model_version
        yield row
