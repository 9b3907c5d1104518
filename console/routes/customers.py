"""Customers: search, the 360° profile (every mention and case in time order), merging and
unmerging identities, CSV import and export.

Merging, unmerging and importing need the manager role; each is one audited
transaction (``console.customer_actions``), and a refusal is shown on the page it
came from with the message saying what to do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from console import customer_actions
from console.deps import Agent, Manager, Principal
from console.queries import customer_view, search_customers
from console.web import render, status_of
from crm.customers import CustomerError
from crm.db import session_scope
from crm.queries import export_rows

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@router.get("/customers")
def customers_page(request: Request, who: Agent, q: str = "") -> Response:
    """Search customers by name, e-mail, CRM id or handle."""
    return _customers(request, who, q=q)


def _customers(
    request: Request, who: Principal, *, q: str = "", status_code: int = 200, **extra: object
) -> Response:
    with session_scope(request.app.state.engine) as session:
        found = search_customers(session=session, text=q[:200])
    context = {"customers": found, "q": q[:200], "report": None, "error": None, **extra}
    return render(request, "customers.html", context, user=who.user, status_code=status_code)


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


@router.post("/customers/import")
def import_customers(
    request: Request, who: Manager, file: Annotated[UploadFile, File()]
) -> Response:
    """Import a CRM's CSV export; the page then shows what was created, merged or refused."""
    data = file.file.read(customer_actions.MAX_IMPORT_BYTES + 1)
    try:
        report = customer_actions.import_csv(request.app.state.engine, who, data=data)
    except ValueError as exc:
        return _customers(request, who, error=str(exc), status_code=422)
    request.app.state.facet_cache.clear()
    return _customers(request, who, report=report)


@router.get("/customers/{customer_id}")
def customer_page(request: Request, customer_id: int, who: Agent, done: str = "") -> Response:
    """The customer's 360° view."""
    return _profile(request, who, customer_id, done=done if done.isalpha() else "")


def _profile(
    request: Request,
    who: Principal,
    customer_id: int,
    *,
    done: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    with session_scope(request.app.state.engine) as session:
        view = customer_view(session=session, customer_id=customer_id, viewer=who.viewer)
    if view is None:
        raise LookupError(f"there is no customer {customer_id}")
    context = {"view": view, "done": done, "error": error}
    return render(request, "customer.html", context, user=who.user, status_code=status_code)


@router.post("/customers/{customer_id}/merge")
def merge_form(
    request: Request,
    customer_id: int,
    who: Manager,
    other: Annotated[str, Form(max_length=200)],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Merge another customer (``42`` or ``x:@handle``) and their identities into this one."""
    engine = request.app.state.engine
    return _merge_action(
        request,
        who,
        customer_id,
        lambda: customer_actions.merge_into(
            engine, who, target_id=customer_id, other=other, reason=reason
        ),
        done="merged",
    )


@router.post("/customers/{customer_id}/merges/{merge_id}/undo")
def unmerge_form(request: Request, customer_id: int, merge_id: int, who: Manager) -> Response:
    """Undo one merge: the merged-away customer and what was moved come back."""
    engine = request.app.state.engine
    return _merge_action(
        request,
        who,
        customer_id,
        lambda: customer_actions.undo_merge(engine, who, merge_id=merge_id),
        done="unmerged",
    )


def _merge_action(
    request: Request,
    who: Principal,
    customer_id: int,
    action: Callable[[], customer_actions.MergeDone],
    *,
    done: str,
) -> Response:
    """Run a merge or its undo: a refusal is shown on this customer's page, success on the
    page of the customer it leaves in view, with the counts recounted."""
    try:
        result = action()
    except CustomerError as exc:
        return _profile(request, who, customer_id, error=str(exc), status_code=status_of(exc))
    request.app.state.facet_cache.clear()
    return RedirectResponse(f"/customers/{result.show_customer_id}?done={done}", status_code=303)
