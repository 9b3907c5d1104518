"""Customers: search, the 360° profile (every mention and case in time order), CSV export."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request, Response

from console.deps import Agent, Manager
from console.queries import customer_view, search_customers
from console.web import render
from crm.db import session_scope
from crm.queries import export_rows

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@router.get("/customers")
def customers_page(request: Request, who: Agent, q: str = "") -> Response:
    """Search customers by name, e-mail, CRM id or handle."""
    with session_scope(request.app.state.engine) as session:
        found = search_customers(session=session, text=q[:200])
    return render(request, "customers.html", {"customers": found, "q": q[:200]}, user=who.user)


@router.get("/customers/export.csv")
def export_customers(request: Request, who: Manager) -> Response:
    """Every customer as CSV; cells a spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    with session_scope(request.app.state.engine) as session:
        writer: csv.DictWriter[str] | None = None
        for row in export_rows(session=session, kind="customers"):
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({key: _cell(value) for key, value in row.items()})
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="customers.csv"'},
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@router.get("/customers/{customer_id}")
def customer_page(request: Request, customer_id: int, who: Agent) -> Response:
    """The customer's 360° view."""
    with session_scope(request.app.state.engine) as session:
        view = customer_view(session=session, customer_id=customer_id, viewer=who.viewer)
    if view is None:
        raise LookupError(f"there is no customer {customer_id}")
    return render(request, "customer.html", {"view": view}, user=who.user)
