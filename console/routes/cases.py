"""The case page and its actions as form posts (each redirects back to the case)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from config.labels import Intent, Platform, Risk, Sentiment
from console import actions
from console.deps import Agent
from console.i18n import time_left
from console.queries import case_view, user_rows
from console.web import render
from crm.db import session_scope
from crm.types import utcnow
from responders.drafting import PLATFORM_LIMITS, lint_draft, measure

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _back(case_id: int, *, flash: str = "") -> Response:
    return RedirectResponse(f"/cases/{case_id}" + (f"?done={flash}" if flash else ""), 303)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, who: Agent, done: str = "") -> Response:
    """A case: thread, judgement, customer card, draft editor and actions."""
    with session_scope(request.app.state.engine) as session:
        view = case_view(session=session, case_id=case_id, viewer=who.viewer)
        if view is None:
            raise LookupError(f"there is no case {case_id} that you can see")
        users = user_rows(session=session)
    platform = Platform(view.case.platform)
    drafts = [reply for reply in view.replies if reply.status in ("draft", "failed", "approved")]
    return render(
        request,
        "case.html",
        {
            "view": view,
            "users": users,
            "limit": PLATFORM_LIMITS[platform],
            "lengths": {r.id: measure(r.text, platform=platform) for r in view.replies},
            "lint": {r.id: lint_draft(r.text) for r in view.replies},
            "editable": drafts,
            "sla": time_left(view.case.sla_due_at, utcnow()),
            "sentiments": list(Sentiment),
            "intents": list(Intent),
            "risks": list(Risk),
            "done": done if done.isalpha() else "",
        },
        user=who.user,
    )


@router.post("/cases/{case_id}/replies/{reply_id}")
def reply_form(
    request: Request,
    case_id: int,
    reply_id: int,
    who: Agent,
    action: Annotated[str, Form(max_length=16)],
    text: Annotated[str | None, Form(max_length=20_000)] = None,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Save, approve or reject the reply from the editor."""
    actions.reply_action(
        request.app.state.engine,
        who,
        reply_id=reply_id,
        action=action,
        text=text,
        reason=reason,
    )
    request.app.state.facet_cache.clear()
    return _back(case_id, flash=action)


@router.post("/cases/{case_id}/actions")
def case_form(
    request: Request,
    case_id: int,
    who: Agent,
    action: Annotated[str, Form(max_length=16)],
    assignee: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """Assign, escalate, resolve, reopen or add a note."""
    extra: dict[str, object] = {"reason": reason, "text": text}
    if action == "assign":
        extra["assignee_id"] = int(assignee) if assignee.isdigit() else None
    actions.case_action(request.app.state.engine, who, case_id=case_id, action=action, **extra)
    request.app.state.facet_cache.clear()
    return _back(case_id, flash=action)


@router.post("/cases/{case_id}/mentions/{mention_id}/correct")
def correct_form(
    request: Request,
    case_id: int,
    mention_id: int,
    who: Agent,
    sentiment: Annotated[str, Form(max_length=16)] = "",
    intent: Annotated[str, Form(max_length=16)] = "",
    risk: Annotated[list[str] | None, Form()] = None,
    risk_set: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """Store a person's sentiment, intent or risk label (training data for `socialcrm train`)."""
    actions.correct(
        request.app.state.engine,
        who,
        mention_id=mention_id,
        sentiment=Sentiment(sentiment) if sentiment else None,
        intent=Intent(intent) if intent else None,
        risk=[Risk(flag) for flag in risk or []] if risk_set == "1" else None,
    )
    request.app.state.facet_cache.clear()
    return _back(case_id, flash="corrected")
