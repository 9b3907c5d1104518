"""What an escalation says: the webhook payload (JSON or Slack), and the e-mail.

:func:`escalation_facts` reads everything a support lead needs from the store;
the renderers below are pure. The JSON payload (``version`` 1)::

    {
      "type": "socialcrm.escalation", "version": 1,
      "idempotency_key": "escalation-42",        # the same on every retry: drop repeats
      "escalation": {"id", "level", "channel", "rule", "reason", "created_at"},
      "case": {"id", "reference", "status", "priority", "queue", "sla_due_at",
               "opened_at", "escalation_level"},
      "mention": {"id", "platform", "url", "text", "text_truncated", "language", "posted_at"},
      "customer": {"id", "name", "tier", "lifecycle_stage", "previous_cases",
                   "handles": {"x": ["deniz_k"], "reddit": [...]}},
      "judgement": {"sentiment", "intent", "risk", "corrected",
                    "scores": {"sentiment": {...}, "intent": {...}, "risk": {...}},
                    "model_version"}
    }

Mention text is the customer's and may be hostile: JSON escapes it, the Slack
variant escapes ``& < >`` (so ``<!channel>`` pings nobody), the HTML e-mail is
rendered with autoescape, and a subject line never carries a line break.
Texts longer than :data:`MAX_TEXT_CHARS` are cut and marked.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from jinja2 import Environment
from sqlmodel import Session, col, func, select

from crm.models import Case, Customer, Escalation, Identity, Mention

__all__ = [
    "MAX_TEXT_CHARS",
    "Email",
    "escalation_facts",
    "headline",
    "render_email",
    "slack_payload",
]

MAX_TEXT_CHARS = 4000
SLACK_TEXT_CHARS = 2900  # a Slack section block takes at most 3000 characters

Email = tuple[str, str, str]  # subject, plain text, HTML


def escalation_facts(*, session: Session, escalation: Escalation) -> dict[str, Any]:
    """The JSON payload for ``escalation``, read in ``session`` (which it does not change)."""
    case = session.get_one(Case, escalation.case_id)
    mention = session.get_one(Mention, escalation.mention_id)
    customer = session.get_one(Customer, case.customer_id)
    text, truncated = _cut(mention.text, MAX_TEXT_CHARS)
    return {
        "type": "socialcrm.escalation",
        "version": 1,
        "idempotency_key": f"escalation-{escalation.id}",
        "escalation": {
            "id": escalation.id,
            "level": escalation.level,
            "channel": escalation.channel,
            "rule": escalation.rule,
            "reason": escalation.reason,
            "created_at": _iso(escalation.created_at),
        },
        "case": {
            "id": case.id,
            "reference": case.reference,
            "status": str(case.status),
            "priority": str(case.priority),
            "queue": str(case.queue),
            "sla_due_at": _iso(case.sla_due_at),
            "opened_at": _iso(case.opened_at),
            "escalation_level": case.escalation_level,
        },
        "mention": {
            "id": mention.id,
            "platform": str(mention.platform),
            "url": mention.url,
            "text": text,
            "text_truncated": truncated,
            "language": mention.language,
            "posted_at": _iso(mention.posted_at),
        },
        "customer": _customer(session=session, customer=customer, case_id=case.id or 0),
        "judgement": _judgement(mention),
    }


def _customer(*, session: Session, customer: Customer, case_id: int) -> dict[str, Any]:
    handles: dict[str, list[str]] = defaultdict(list)
    for platform, handle in session.exec(
        select(Identity.platform, Identity.handle)
        .where(Identity.customer_id == customer.id)
        .order_by(col(Identity.id))
    ):
        handles[str(platform)].append(handle)
    previous = session.exec(
        select(func.count())
        .select_from(Case)
        .where(Case.customer_id == customer.id, col(Case.id) != case_id)
    ).one()
    return {
        "id": customer.id,
        "name": customer.name,
        "tier": customer.tier,
        "lifecycle_stage": str(customer.lifecycle_stage),
        "previous_cases": previous,
        "handles": dict(handles),
    }


def _judgement(mention: Mention) -> dict[str, Any]:
    corrected = any(
        value is not None
        for value in (mention.corrected_sentiment, mention.corrected_intent, mention.corrected_risk)
    )
    sentiment = mention.corrected_sentiment or mention.sentiment
    intent = mention.corrected_intent or mention.intent
    risk = mention.corrected_risk if mention.corrected_risk is not None else mention.risk
    return {
        "sentiment": str(sentiment) if sentiment is not None else None,
        "intent": str(intent) if intent is not None else None,
        "risk": list(risk or []),
        "corrected": corrected,
        "scores": {
            "sentiment": mention.sentiment_scores or {},
            "intent": mention.intent_scores or {},
            "risk": mention.risk_scores or {},
        },
        "model_version": mention.model_version,
    }


def headline(facts: dict[str, Any]) -> str:
    """One line: level, case, intent and platform, who; no line breaks whatever the input."""
    case, customer = facts["case"], facts["customer"]
    who = customer["name"] or _first_handle(customer) or f"customer {customer['id']}"
    what = facts["judgement"]["intent"] or "mention"
    line = (
        f"Escalation level {facts['escalation']['level']}: {case['reference']} — "
        f"{what} on {facts['mention']['platform']} from {who} ({case['priority']} priority)"
    )
    return " ".join("".join(ch if ch.isprintable() else " " for ch in line).split())


def slack_payload(facts: dict[str, Any]) -> dict[str, Any]:
    """A Slack incoming-webhook body (``text`` fallback plus ``blocks``) for the same facts."""
    title = _slack_escape(headline(facts))
    mention, judgement = facts["mention"], facts["judgement"]
    quoted, _ = _cut(_slack_escape(mention["text"]), SLACK_TEXT_CHARS)
    risk = ", ".join(judgement["risk"]) or "none"
    fields = [
        f"*Rule:* {_slack_escape(facts['escalation']['rule'])}",
        f"*Reason:* {_slack_escape(facts['escalation']['reason'])}",
        f"*Judgement:* {judgement['sentiment']} · {judgement['intent']} · risk {risk}",
        f"*Customer:* {_slack_escape(_customer_line(facts['customer']))}",
    ]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": headline(facts)[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": quoted or "(no text)"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    if mention["url"]:
        link = f"<{_slack_escape(mention['url'])}|open on {mention['platform']}>"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
    return {"text": title, "blocks": blocks, "idempotency_key": facts["idempotency_key"]}


def render_email(facts: dict[str, Any]) -> Email:
    """Subject, plain-text body and HTML body (autoescaped) for the same facts."""
    context = {
        "facts": facts,
        "headline": headline(facts),
        "customer_line": _customer_line(facts["customer"]),
        "risk": ", ".join(facts["judgement"]["risk"]) or "none",
    }
    subject = f"[socialcrm] {headline(facts)}"[:200]
    return subject, _TEXT.render(context), _HTML.render(context)


def _customer_line(customer: dict[str, Any]) -> str:
    handles = "; ".join(
        f"{platform}: " + ", ".join(f"@{h}" for h in names)
        for platform, names in customer["handles"].items()
    )
    return (
        f"{customer['name'] or '(no name)'} — tier {customer['tier']}, "
        f"{customer['lifecycle_stage']}, {customer['previous_cases']} previous case(s)"
        + (f" — {handles}" if handles else "")
    )


def _first_handle(customer: dict[str, Any]) -> str | None:
    for names in customer["handles"].values():
        if names:
            return f"@{names[0]}"
    return None


def _slack_escape(text: str) -> str:
    """Slack's three control characters in mrkdwn; everything else is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    return text[: limit - 1] + "…", True


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_ENV = Environment(autoescape=True, keep_trailing_newline=True)
_TEXT = Environment(autoescape=False, keep_trailing_newline=True).from_string(  # noqa: S701 (plain text)
    """{{ headline }}

Case:      {{ facts.case.reference }} ({{ facts.case.status }}, \
{{ facts.case.priority }} priority, {{ facts.case.queue }} queue)
Rule:      {{ facts.escalation.rule }}
Reason:    {{ facts.escalation.reason }}
Customer:  {{ customer_line }}
Judgement: {{ facts.judgement.sentiment }}, {{ facts.judgement.intent }}, risk {{ risk }} \
(model {{ facts.judgement.model_version }})
Link:      {{ facts.mention.url or "(none)" }}
{% if facts.case.sla_due_at %}First response due: {{ facts.case.sla_due_at }}
{% endif %}
What they wrote ({{ facts.mention.platform }}, {{ facts.mention.posted_at }}):

{{ facts.mention.text }}{% if facts.mention.text_truncated %} [cut]{% endif %}

--
{{ facts.idempotency_key }}
"""
)
_HTML = _ENV.from_string(
    """<!doctype html>
<html><body style="font-family: sans-serif">
<h2>{{ headline }}</h2>
<table>
<tr><th align="left">Case</th><td>{{ facts.case.reference }} ({{ facts.case.status }},
 {{ facts.case.priority }} priority, {{ facts.case.queue }} queue)</td></tr>
<tr><th align="left">Rule</th><td>{{ facts.escalation.rule }}</td></tr>
<tr><th align="left">Reason</th><td>{{ facts.escalation.reason }}</td></tr>
<tr><th align="left">Customer</th><td>{{ customer_line }}</td></tr>
<tr><th align="left">Judgement</th><td>{{ facts.judgement.sentiment }},
 {{ facts.judgement.intent }}, risk {{ risk }} (model {{ facts.judgement.model_version }})</td></tr>
{% if facts.case.sla_due_at %}<tr><th align="left">First response due</th>
<td>{{ facts.case.sla_due_at }}</td></tr>{% endif %}
</table>
<blockquote dir="auto" style="white-space: pre-wrap">{{ facts.mention.text }}\
{% if facts.mention.text_truncated %} [cut]{% endif %}</blockquote>
{% if facts.mention.url and facts.mention.url.startswith(("https://", "http://")) %}\
<p><a href="{{ facts.mention.url }}">Open on {{ facts.mention.platform }}</a></p>{% endif %}
<p style="color: #888">{{ facts.idempotency_key }}</p>
</body></html>
"""
)
