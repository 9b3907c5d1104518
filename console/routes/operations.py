"""Operations pages: collector health (Sources), Escalations with their deliveries, Reports."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from console.deps import Agent
from console.queries import escalation_rows, report_rows, source_rows
from console.web import render
from crm.db import session_scope

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/sources")
def sources_page(request: Request, who: Agent) -> Response:
    """Every collector from the completeness ledger: last run, cursor, errors, gaps."""
    with session_scope(request.app.state.engine) as session:
        rows = source_rows(session=session)
    return render(request, "sources.html", {"rows": rows}, user=who.user)


@router.get("/escalations")
def escalations_page(request: Request, who: Agent, failed: bool = False) -> Response:
    """Escalations newest first, each with its delivery attempts; failed ones stand out."""
    with session_scope(request.app.state.engine) as session:
        rows = escalation_rows(session=session, viewer=who.viewer, failed_only=failed)
    return render(request, "escalations.html", {"rows": rows, "failed": failed}, user=who.user)


@router.get("/reports")
def reports_page(request: Request, who: Agent) -> Response:
    """The weekly reports generated so far."""
    with session_scope(request.app.state.engine) as session:
        rows = report_rows(session=session)
    return render(request, "reports.html", {"rows": rows}, user=who.user)
