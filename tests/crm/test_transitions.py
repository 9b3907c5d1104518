"""The one table of legal status moves."""

from __future__ import annotations

import pytest

from crm.enums import (
    TRANSITIONS,
    CaseStatus,
    IllegalTransition,
    Priority,
    ReplyStatus,
    check_transition,
)


def test_every_status_has_a_row_in_the_table() -> None:
    for enum_cls, table in TRANSITIONS.items():
        assert set(table) == set(enum_cls), enum_cls.__name__


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (CaseStatus.NEW, CaseStatus.OPEN),
        (CaseStatus.OPEN, CaseStatus.WAITING),
        (CaseStatus.WAITING, CaseStatus.RESOLVED),
        (CaseStatus.RESOLVED, CaseStatus.OPEN),
        (ReplyStatus.DRAFT, ReplyStatus.APPROVED),
        (ReplyStatus.APPROVED, ReplyStatus.SENDING),
        (ReplyStatus.SENDING, ReplyStatus.SENT),
    ],
)
def test_legal_moves_pass(old: CaseStatus | ReplyStatus, new: CaseStatus | ReplyStatus) -> None:
    check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (ReplyStatus.SENT, ReplyStatus.SENDING),
        (ReplyStatus.DRAFT, ReplyStatus.SENT),
        (ReplyStatus.SENDING, ReplyStatus.DRAFT),
        (CaseStatus.RESOLVED, CaseStatus.WAITING),
    ],
)
def test_illegal_moves_are_refused_with_the_allowed_ones_named(
    old: CaseStatus | ReplyStatus, new: CaseStatus | ReplyStatus
) -> None:
    with pytest.raises(IllegalTransition, match=f"from {old}"):
        check_transition(old, new)


def test_statuses_of_different_kinds_cannot_be_compared() -> None:
    with pytest.raises(TypeError):
        check_transition(CaseStatus.NEW, ReplyStatus.DRAFT)


def test_priority_rank_orders_most_urgent_first() -> None:
    ranked = sorted(Priority, key=lambda p: p.rank)
    assert ranked == [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]
