"""The queue page: active cases most urgent first, with filters, counts and keyset pages."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.engine import Engine

from console.deps import Agent
from console.i18n import time_left
from console.queries import user_rows
from console.web import render
from crm.console_queries import (
    FACETS,
    FacetBasis,
    QueueFilters,
    counts_from_basis,
    facet_basis,
    facet_basis_key,
    queue_page,
)
from crm.db import session_scope
from crm.types import utcnow

__all__ = ["PAGE_SIZE", "router"]

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _count(engine: Engine, filters: QueueFilters) -> FacetBasis:
    with session_scope(engine) as session:
        return facet_basis(session=session, filters=filters)


@router.get("/")
def queue(request: Request, who: Agent, after: str | None = None) -> Response:
    """The work queue for the signed-in user."""
    filters = QueueFilters.parse(dict(request.query_params))
    engine = request.app.state.engine
    with session_scope(engine) as session:
        page = queue_page(
            session=session, filters=filters, viewer=who.viewer, after=after, limit=PAGE_SIZE
        )
        users = {user.id: user.email for user in user_rows(session=session)}
    cache = request.app.state.facet_cache
    basis = cache.get(facet_basis_key(filters), lambda: _count(engine, filters))
    counts = cache.derived(
        basis,
        (filters, who.viewer),
        lambda: counts_from_basis(basis, filters=filters, viewer=who.viewer),
    )
    now = utcnow()
    return render(
        request,
        "queue.html",
        {
            "page": page,
            "filters": filters,
            "params": filters.as_params(),
            "facets": FACETS,
            "counts": counts,
            "users": users,
            "sla": {row.case.id: time_left(row.case.sla_due_at, now) for row in page.rows},
        },
        user=who.user,
    )
