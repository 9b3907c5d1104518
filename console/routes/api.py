"""The REST API, ``/api/v1``: cases, mentions, replies, customers, escalations, sources,
users and tokens. Same roles and visibility as the pages; OpenAPI at ``/docs``.

Authenticate with ``Authorization: Bearer <token>``; a browser session works too,
with the ``X-CSRF-Token`` header on every change.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from sqlmodel import col, select

from console import actions, customer_actions
from console.accounts import create_token, create_user, list_tokens, list_users, revoke_token
from console.deps import Admin, Agent, Manager
from console.errors import Forbidden
from console.queries import escalation_rows, search_customers, source_rows
from console.schemas import (
    AssignIn,
    CaseDetail,
    CaseOut,
    CasePage,
    CorrectionIn,
    CustomerOut,
    EscalateIn,
    EscalationOut,
    ImportOut,
    MentionOut,
    MergeIn,
    MergeOut,
    NoteIn,
    RejectIn,
    ReplyOut,
    SourceOut,
    TextIn,
    TokenIn,
    TokenOut,
    UserIn,
    UserOut,
)
from crm.console_queries import QueueFilters, case_visible, queue_page
from crm.db import session_scope
from crm.models import Case, Customer, Identity, Mention, Reply

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["api"])
Limit = Annotated[int, Query(ge=1, le=200)]
Short = Annotated[str | None, Query(max_length=64)]


def _engine(request: Request) -> Any:
    return request.app.state.engine


def _case_out(case: Case) -> CaseOut:
    return CaseOut.model_validate({**case.model_dump(), "reference": case.reference})


@router.get("/me", response_model=UserOut)
def me(who: Agent) -> Any:
    """The user the token or session belongs to."""
    return who.user


@router.get("/cases", response_model=CasePage)
def cases(
    request: Request,
    who: Agent,
    status: Short = None,
    queue: Short = None,
    priority: Short = None,
    intent: Short = None,
    sentiment: Short = None,
    risk: Short = None,
    platform: Short = None,
    language: Short = None,
    assignee: Short = None,
    tier: Short = None,
    tag: Short = None,
    stage: Short = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    after: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
) -> Any:
    """Active cases (or ``status``), most urgent first; follow ``next_cursor`` with ``after``."""
    raw = dict(locals())
    filters = QueueFilters.parse({k: v for k, v in raw.items() if isinstance(v, str)})
    with session_scope(_engine(request)) as session:
        page = queue_page(
            session=session, filters=filters, viewer=who.viewer, after=after, limit=limit
        )
    return CasePage(items=[_case_out(row.case) for row in page.rows], next_cursor=page.next_cursor)


@router.get("/cases/{case_id}", response_model=CaseDetail)
def case(request: Request, case_id: int, who: Agent) -> Any:
    """One case with its mentions and replies."""
    with session_scope(_engine(request)) as session:
        found = session.get(Case, case_id)
        if found is None or not case_visible(found, who.viewer):
            raise LookupError(f"there is no case {case_id} that you can see")
        mentions = session.exec(
            select(Mention).where(Mention.case_id == case_id).order_by(col(Mention.posted_at))
        ).all()
        replies = session.exec(select(Reply).where(Reply.case_id == case_id)).all()
        return CaseDetail.model_validate(
            {
                **_case_out(found).model_dump(),
                "mentions": [MentionOut.model_validate(m) for m in mentions],
                "replies": [ReplyOut.model_validate(r) for r in replies],
            }
        )


@router.post("/cases/{case_id}/assign", response_model=CaseOut)
def assign(request: Request, case_id: int, body: AssignIn, who: Agent) -> Any:
    """Give the case to someone (agents: only to themselves, or back)."""
    return _case_out(
        actions.case_action(
            _engine(request), who, case_id=case_id, action="assign", assignee_id=body.assignee_id
        )
    )


@router.post("/cases/{case_id}/escalate", response_model=CaseOut)
def escalate(request: Request, case_id: int, body: EscalateIn, who: Agent) -> Any:
    """Escalate the case one level."""
    return _case_out(
        actions.case_action(
            _engine(request), who, case_id=case_id, action="escalate", reason=body.reason
        )
    )


@router.post("/cases/{case_id}/resolve", response_model=CaseOut)
def resolve(request: Request, case_id: int, who: Agent) -> Any:
    """Resolve the case."""
    request.app.state.facet_cache.clear()
    return _case_out(actions.case_action(_engine(request), who, case_id=case_id, action="resolve"))


@router.post("/cases/{case_id}/notes", response_model=CaseOut)
def note(request: Request, case_id: int, body: NoteIn, who: Agent) -> Any:
    """Add a note about this case to its customer."""
    return _case_out(
        actions.case_action(_engine(request), who, case_id=case_id, action="note", text=body.text)
    )


@router.get("/mentions", response_model=list[MentionOut])
def mentions(
    request: Request,
    who: Agent,
    before_id: Annotated[int | None, Query(ge=1)] = None,
    limit: Limit = 50,
) -> Any:
    """Newest mentions first (on cases the user can see); page with ``before_id``."""
    with session_scope(_engine(request)) as session:
        query = select(Mention).order_by(col(Mention.id).desc()).limit(limit)
        if before_id is not None:
            query = query.where(col(Mention.id) < before_id)
        if not who.viewer.sees_all:
            query = query.outerjoin(Case, col(Case.id) == col(Mention.case_id)).where(
                (col(Case.assignee_id).is_(None)) | (col(Case.assignee_id) == who.user.id)
            )
        return [MentionOut.model_validate(m) for m in session.exec(query)]


@router.get("/mentions/{mention_id}", response_model=MentionOut)
def mention(request: Request, mention_id: int, who: Agent) -> Any:
    """One mention with its judgement."""
    with session_scope(_engine(request)) as session:
        found = session.get(Mention, mention_id)
        case_of = session.get(Case, found.case_id) if found and found.case_id else None
        if found is None or (case_of is not None and not case_visible(case_of, who.viewer)):
            raise LookupError(f"there is no mention {mention_id} that you can see")
        return MentionOut.model_validate(found)


@router.post("/mentions/{mention_id}/correction", response_model=MentionOut)
def correction(request: Request, mention_id: int, body: CorrectionIn, who: Agent) -> Any:
    """Store a person's sentiment, intent or risk label."""
    found = actions.correct(
        _engine(request),
        who,
        mention_id=mention_id,
        sentiment=body.sentiment,
        intent=body.intent,
        risk=body.risk,
    )
    return MentionOut.model_validate(found)


@router.put("/replies/{reply_id}", response_model=ReplyOut)
def edit_reply(request: Request, reply_id: int, body: TextIn, who: Agent) -> Any:
    """Replace the reply's text (the old text is kept as a revision)."""
    return actions.reply_action(
        _engine(request), who, reply_id=reply_id, action="edit", text=body.text
    )


@router.post("/replies/{reply_id}/approve", response_model=ReplyOut)
def approve(request: Request, reply_id: int, who: Agent, body: TextIn | None = None) -> Any:
    """Approve the reply (optionally with final text); the sender posts it."""
    request.app.state.facet_cache.clear()
    text = body.text if body else None
    return actions.reply_action(
        _engine(request), who, reply_id=reply_id, action="approve", text=text
    )


@router.post("/replies/{reply_id}/reject", response_model=ReplyOut)
def reject(request: Request, reply_id: int, who: Agent, body: RejectIn | None = None) -> Any:
    """Reject the reply: it is never sent."""
    return actions.reply_action(
        _engine(request),
        who,
        reply_id=reply_id,
        action="reject",
        reason=body.reason if body else "",
    )


@router.get("/customers", response_model=list[CustomerOut])
def customers(
    request: Request, who: Agent, q: Annotated[str, Query(max_length=200)] = "", limit: Limit = 50
) -> Any:
    """Customers matching ``q`` (name, e-mail, CRM id, handle)."""
    with session_scope(_engine(request)) as session:
        return [
            _customer_out(session, c)
            for c in search_customers(session=session, text=q, limit=limit)
        ]


@router.get("/customers/{customer_id}", response_model=CustomerOut)
def customer(request: Request, customer_id: int, who: Agent) -> Any:
    """One customer with their identities."""
    with session_scope(_engine(request)) as session:
        found = session.get(Customer, customer_id)
        if found is None:
            raise LookupError(f"there is no customer {customer_id}")
        return _customer_out(session, found)


@router.post("/customers/import", response_model=ImportOut)
def import_customers(
    request: Request,
    who: Manager,
    file: Annotated[UploadFile, File(description="A CRM's CSV export, UTF-8, header row.")],
) -> Any:
    """Create or update customers from a CSV and merge in their handles (managers and admins).

    Columns as for ``socialcrm customers import``; bad lines are listed, not fatal.
    """
    data = file.file.read(customer_actions.MAX_IMPORT_BYTES + 1)
    report = customer_actions.import_csv(_engine(request), who, data=data)
    request.app.state.facet_cache.clear()
    return report.as_dict()


@router.post("/customers/{customer_id}/merge", response_model=MergeOut, status_code=201)
def merge(request: Request, customer_id: int, body: MergeIn, who: Manager) -> Any:
    """Merge another customer (``42`` or ``x:@handle``) into this one (managers and admins)."""
    done = customer_actions.merge_into(
        _engine(request), who, target_id=customer_id, other=body.other, reason=body.reason
    )
    request.app.state.facet_cache.clear()
    return done.merge


@router.post("/merges/{merge_id}/undo", response_model=MergeOut)
def unmerge(request: Request, merge_id: int, who: Manager) -> Any:
    """Undo one merge (managers and admins): what it moved goes back."""
    done = customer_actions.undo_merge(_engine(request), who, merge_id=merge_id)
    request.app.state.facet_cache.clear()
    return done.merge


def _customer_out(session: Any, found: Customer) -> CustomerOut:
    identities = session.exec(select(Identity).where(Identity.customer_id == found.id)).all()
    return CustomerOut.model_validate(
        {
            **found.model_dump(),
            "identities": [
                {"platform": i.platform, "handle": i.handle, "followers": i.followers}
                for i in identities
            ],
        }
    )


@router.get("/escalations", response_model=list[EscalationOut])
def escalations(request: Request, who: Agent, failed: bool = False) -> Any:
    """Escalations newest first (``failed=true``: only failed deliveries)."""
    with session_scope(_engine(request)) as session:
        rows = escalation_rows(session=session, viewer=who.viewer, failed_only=failed)
        return [EscalationOut.model_validate(esc) for esc, _case, _attempts in rows]


@router.get("/sources", response_model=list[SourceOut])
def sources(request: Request, who: Manager) -> Any:
    """Every collector's health and counts, with its open gaps."""
    with session_scope(_engine(request)) as session:
        return [
            SourceOut.model_validate(
                {**state.model_dump(), "open_gaps": sum(g.filled_at is None for g in gaps)}
            )
            for state, gaps in source_rows(session=session)
        ]


@router.get("/users", response_model=list[UserOut])
def users(request: Request, who: Admin) -> Any:
    """Every user (admins only)."""
    with session_scope(_engine(request)) as session:
        return list_users(session=session)


@router.post("/users", response_model=UserOut, status_code=201)
def add_user(request: Request, body: UserIn, who: Admin) -> Any:
    """Create a user (admins only)."""
    with session_scope(_engine(request)) as session:
        return create_user(
            session=session,
            email=body.email,
            password=body.password,
            role=body.role,
            name=body.name,
            actor=who.user.email,
        )


@router.get("/tokens", response_model=list[TokenOut])
def tokens(request: Request, who: Agent) -> Any:
    """Your API tokens (admins: everyone's)."""
    with session_scope(_engine(request)) as session:
        owner = None if who.at_least_admin else who.user.id
        return list_tokens(session=session, user_id=owner)


@router.post("/tokens", response_model=TokenOut, status_code=201)
def new_token(request: Request, body: TokenIn, who: Agent) -> Any:
    """Make a token for yourself (admins: for anyone); the secret is in ``token``, once."""
    owner = body.user_id or who.user.id
    if owner != who.user.id and not who.at_least_admin:
        raise Forbidden("only an admin can make tokens for other users")
    with session_scope(_engine(request)) as session:
        made = create_token(
            session=session, user_id=owner or 0, name=body.name, actor=who.user.email
        )
        return TokenOut.model_validate({**made.record.model_dump(), "token": made.secret})


@router.delete("/tokens/{token_id}", response_model=TokenOut)
def delete_token(request: Request, token_id: int, who: Agent) -> Any:
    """Revoke one of your tokens (admins: anyone's)."""
    with session_scope(_engine(request)) as session:
        owned = {t.id for t in list_tokens(session=session, user_id=who.user.id)}
        if token_id not in owned and not who.at_least_admin:
            raise LookupError(f"you have no API token {token_id}")
        return revoke_token(session=session, token_id=token_id, actor=who.user.email)
