"""Customer merges (audited, reversible, chain-aware) and the CRM CSV import, on both databases."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.labels import Platform
from crm.customers import (
    CustomerNotFound,
    MergeRefused,
    final_customer_id,
    import_customers_csv,
    list_customers,
    merge_customers,
    unmerge,
)
from crm.db import session_scope
from crm.enums import CaseStatus, Queue
from crm.mentions import store_mentions
from crm.models import AuditEvent, Case, Customer, CustomerMerge, Identity, Note
from tests.conftest import make_mention


def _author(session: Session, platform: str, handle: str) -> int:
    """Store one mention by a new author; the id of the customer made for them."""
    mention = make_mention(
        platform=platform,
        author={"id": f"{platform}-{handle}", "handle": handle, "name": handle.title()},
    )
    store_mentions(session=session, mentions=[mention], source=platform)
    identity = session.exec(select(Identity).where(Identity.handle == handle)).one()
    return identity.customer_id


def _case(session: Session, customer_id: int, status: CaseStatus = CaseStatus.NEW) -> int:
    case = Case(customer_id=customer_id, queue=Queue.SUPPORT, platform=Platform.X, status=status)
    session.add(case)
    session.flush()
    assert case.id is not None
    return case.id


def _owners(session: Session, model: Any, ids: list[int]) -> list[int]:
    rows = session.exec(select(model).where(col(model.id).in_(ids)).order_by(col(model.id)))
    return [row.customer_id for row in rows]


def test_merge_moves_identities_open_cases_and_notes_and_unmerge_puts_them_back(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        ana_x, ana_reddit = _author(session, "x", "ana"), _author(session, "reddit", "ana_r")
        open_case = _case(session, ana_reddit)
        closed_case = _case(session, ana_reddit, CaseStatus.RESOLVED)
        note = Note(customer_id=ana_reddit, text="called us")
        session.add(note)
        session.flush()
        merge = merge_customers(
            session=session, source_id=ana_reddit, target_id=ana_x, actor="lead@x", reason="same"
        )
        merge_id = merge.id
    with session_scope(engine) as session:
        identities = session.exec(select(Identity).order_by(col(Identity.id))).all()
        assert [i.customer_id for i in identities] == [ana_x, ana_x]
        assert _owners(session, Case, [open_case, closed_case]) == [ana_x, ana_reddit]
        assert _owners(session, Note, [note.id or 0]) == [ana_x]
        assert session.get(Customer, ana_reddit).merged_into_id == ana_x  # type: ignore[union-attr]
        stored = session.get(CustomerMerge, merge_id)
        assert stored is not None and stored.case_ids == [open_case] and stored.actor == "lead@x"
        assert [c.id for c in list_customers(session=session)] == [ana_x]
    with session_scope(engine) as session:
        unmerge(session=session, merge_id=merge_id or 0, actor="lead@x")
    with session_scope(engine) as session:
        identities = session.exec(select(Identity).order_by(col(Identity.id))).all()
        assert [i.customer_id for i in identities] == [ana_x, ana_reddit]
        assert _owners(session, Case, [open_case, closed_case]) == [ana_reddit, ana_reddit]
        assert _owners(session, Note, [note.id or 0]) == [ana_reddit]
        assert session.get(Customer, ana_reddit).merged_into_id is None  # type: ignore[union-attr]
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.entity_type == "customermerge")
        ).all()
        assert sorted(actions) == ["customer.merged", "customer.unmerged"]
        with pytest.raises(MergeRefused, match="already undone"):
            unmerge(session=session, merge_id=merge_id or 0, actor="lead@x")


def test_merge_into_a_merged_customer_goes_to_the_end_of_the_chain(engine: Engine) -> None:
    with session_scope(engine) as session:
        a, b, c = (_author(session, "x", name) for name in ("aa", "bb", "cc"))
        merge_customers(session=session, source_id=b, target_id=a, actor="t")
        chained = merge_customers(session=session, source_id=c, target_id=b, actor="t")
        assert chained.target_customer_id == a
        assert final_customer_id(session=session, customer_id=b) == a
        assert {i.customer_id for i in session.exec(select(Identity))} == {a}


def test_merge_refuses_itself_cycles_merged_sources_and_unknown_ids(engine: Engine) -> None:
    with session_scope(engine) as session:
        a, b = _author(session, "x", "one"), _author(session, "x", "two")
        with pytest.raises(MergeRefused, match="into itself"):
            merge_customers(session=session, source_id=a, target_id=a, actor="t")
        merge_customers(session=session, source_id=b, target_id=a, actor="t")
        with pytest.raises(MergeRefused, match="into itself"):
            merge_customers(session=session, source_id=a, target_id=b, actor="t")
        with pytest.raises(MergeRefused, match="already merged into"):
            merge_customers(session=session, source_id=b, target_id=a, actor="t")
        with pytest.raises(CustomerNotFound, match="no customer #999999"):
            merge_customers(session=session, source_id=999_999, target_id=a, actor="t")
        with pytest.raises(CustomerNotFound, match="no merge #999999"):
            unmerge(session=session, merge_id=999_999, actor="t")


def test_unmerge_refuses_while_a_later_merge_depends_on_it(engine: Engine) -> None:
    with session_scope(engine) as session:
        a, b, c = (_author(session, "x", name) for name in ("p1", "p2", "p3"))
        first = merge_customers(session=session, source_id=b, target_id=c, actor="t")
        later = merge_customers(session=session, source_id=c, target_id=a, actor="t")
        with pytest.raises(MergeRefused, match=f"unmerge #{later.id} first"):
            unmerge(session=session, merge_id=first.id or 0, actor="t")
        unmerge(session=session, merge_id=later.id or 0, actor="t")
        unmerge(session=session, merge_id=first.id or 0, actor="t")
        owners = {i.handle: i.customer_id for i in session.exec(select(Identity))}
        assert owners == {"p1": a, "p2": b, "p3": c}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


CRM_FILE = """external_crm_id,name,email,tier,tags,x,reddit,mastodon,bluesky
CRM-1,Ana Lima,Ana@Example.com,gold,vip;beta,@ana,u/ana_r,,
CRM-2,Bo,bo@example.com,,,,,bo@mastodon.social,bo.bsky.social
"""


def test_import_creates_customers_merges_known_handles_and_notes_pending_ones(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        ana_x, ana_reddit = _author(session, "x", "ana"), _author(session, "reddit", "ana_r")
        report = import_customers_csv(session=session, rows=_rows(CRM_FILE), actor="import")
    assert (report.created, report.updated, len(report.merges), report.errors) == (2, 0, 2, [])
    assert report.pending == [
        "line 3: mastodon bo@mastodon.social",
        "line 3: bluesky bo.bsky.social",
    ]
    with session_scope(engine) as session:
        crm = session.exec(select(Customer).where(Customer.external_crm_id == "CRM-1")).one()
        assert (crm.name, crm.email, crm.tier, crm.tags) == (
            "Ana Lima",
            "ana@example.com",
            "gold",
            ["vip", "beta"],
        )
        assert {i.customer_id for i in session.exec(select(Identity))} == {crm.id}
        assert {ana_x, ana_reddit} <= {
            m.source_customer_id for m in session.exec(select(CustomerMerge))
        }
        merges_before = len(session.exec(select(CustomerMerge)).all())
        customers_before = [
            c.model_dump() for c in session.exec(select(Customer).order_by(col(Customer.id)))
        ]
    with session_scope(engine) as session:
        again = import_customers_csv(session=session, rows=_rows(CRM_FILE), actor="import")
    assert (again.created, again.updated, again.unchanged, again.merges) == (0, 0, 2, [])
    with session_scope(engine) as session:
        assert len(session.exec(select(CustomerMerge)).all()) == merges_before
        after = [c.model_dump() for c in session.exec(select(Customer).order_by(col(Customer.id)))]
        assert after == customers_before


def test_import_updates_by_email_and_reports_bad_rows_with_lines(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(Customer(name="Old", email="cy@example.com"))
        session.flush()
        text = (
            "external_crm_id,name,email,x,colour\n"
            "CRM-9,Cy,CY@example.com,,red\n"
            ",,,,\n"
            "CRM-10,Bad,not-an-email,,\n"
            f"CRM-11,{'N' * 100_000},,,\n"
            "CRM-12,Evil,,<script>alert(1)</script>,\n"
            "CRM-9,Twice,,,\n"
            "CRM-13,'; DROP TABLE customer; --,ok@example.com,,\n"
            "CRM-14,\u202eRTL\x00name,,,\n"
        )
        report = import_customers_csv(session=session, rows=_rows(text), actor="import")
        lines = {error.line: error.reason for error in report.errors}
        assert sorted(lines) == [3, 4, 5, 6, 7]
        assert "no external_crm_id, email or handle" in lines[3]
        assert "not an e-mail address" in lines[4]
        assert "longer than 200" in lines[5]
        assert "not a handle" in lines[6]
        assert "already on line 2" in lines[7]
        assert report.warnings == ["unknown columns ignored: colour"]
        assert (report.created, report.updated) == (2, 1)
        cy = session.exec(select(Customer).where(Customer.email == "cy@example.com")).one()
        assert (cy.name, cy.external_crm_id) == ("Cy", "CRM-9")
        names = set(session.exec(select(Customer.name)).all())
        assert {"'; DROP TABLE customer; --", "\u202eRTLname"} <= names


def test_import_refuses_a_handle_that_belongs_to_another_crm_record(engine: Engine) -> None:
    with session_scope(engine) as session:
        _author(session, "x", "shared")
        first = import_customers_csv(
            session=session, rows=_rows("external_crm_id,x\nA,@shared\n"), actor="i"
        )
        second = import_customers_csv(
            session=session, rows=_rows("external_crm_id,x\nB,@Shared\n"), actor="i"
        )
        assert len(first.merges) == 1 and first.errors == []
        assert [str(e) for e in second.errors] == [
            "line 2: x handle 'shared' belongs to customer "
            f"#{_crm(session, 'A')} "
            "with CRM id 'A'; a handle can be on one CRM record only"
        ]
        assert session.exec(select(Customer).where(Customer.external_crm_id == "B")).first() is None


def _crm(session: Session, external_id: str) -> int:
    customer = session.exec(select(Customer).where(Customer.external_crm_id == external_id)).one()
    return customer.id or 0


def test_list_customers_searches_names_emails_and_handles_safely(engine: Engine) -> None:
    with session_scope(engine) as session:
        ana = _author(session, "x", "ana_100%")
        _author(session, "x", "bob")
        assert [c.id for c in list_customers(session=session, search="ANA_100%")] == [ana]
        assert list_customers(session=session, search="n%1") == []  # % is literal, not a wildcard
        found = list_customers(session=session, search="bob")
        assert found[0].identities == ["x:bob"]
