"""SLAs: due times by priority with business hours and time zones, and the re-escalating check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.settings import Settings, SlaSettings
from crm.db import session_scope
from crm.enums import CaseStatus, EscalationStatus, Priority
from crm.models import AuditEvent, Case, Escalation, Mention
from responders.errors import SlaConfigError
from responders.routing import FIRST_RESPONSE_TARGETS
from responders.sla import check_slas, first_response_due, run_sla_check
from tests.responders.test_escalation import escalate, with_channels

IST = ZoneInfo("Europe/Istanbul")  # UTC+3 all year
OFFICE = SlaSettings(business_hours="09:00-17:00", timezone="Europe/Istanbul")


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=IST)


@pytest.mark.parametrize(
    ("priority", "expected"),
    [
        (Priority.URGENT, timedelta(minutes=30)),
        (Priority.HIGH, timedelta(hours=2)),
        (Priority.NORMAL, timedelta(hours=24)),
        (Priority.LOW, timedelta(hours=72)),
    ],
)
def test_default_targets_by_priority(priority: Priority, expected: timedelta) -> None:
    start = datetime(2026, 11, 21, 23, 50, tzinfo=UTC)  # a Saturday night: no hours by default
    assert first_response_due(start, priority, SlaSettings()) == start + expected
    assert FIRST_RESPONSE_TARGETS[priority] == expected


def test_targets_come_from_the_settings() -> None:
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    sla = SlaSettings(urgent_minutes=5, high_minutes=45)
    assert first_response_due(start, "urgent", sla) == start + timedelta(minutes=5)
    assert first_response_due(start, Priority.HIGH, sla) == start + timedelta(minutes=45)


def test_friday_evening_is_due_on_monday_morning() -> None:
    friday = local(2026, 11, 20, 16, 30)  # 30 minutes of Friday left, 90 on Monday
    assert first_response_due(friday, Priority.HIGH, OFFICE) == local(2026, 11, 23, 10, 30)
    saturday = local(2026, 11, 21, 11, 0)
    assert first_response_due(saturday, Priority.URGENT, OFFICE) == local(2026, 11, 23, 9, 30)


def test_before_opening_the_clock_starts_at_opening_and_long_targets_span_days() -> None:
    early = local(2026, 11, 18, 6, 0)  # a Wednesday
    assert first_response_due(early, Priority.HIGH, OFFICE) == local(2026, 11, 18, 11, 0)
    # 24 business hours of 8-hour days: Wednesday, Thursday, Friday.
    assert first_response_due(early, Priority.NORMAL, OFFICE) == local(2026, 11, 20, 17, 0)
    # 72 hours = 9 days of 8 hours, weekends skipped.
    assert first_response_due(early, Priority.LOW, OFFICE) == local(2026, 11, 30, 17, 0)


def test_an_overnight_window_runs_across_midnight() -> None:
    night = SlaSettings(
        business_hours="22:00-06:00", timezone="Europe/Istanbul", business_days=list(range(7))
    )
    assert first_response_due(local(2026, 11, 18, 5, 45), "urgent", night) == local(
        2026, 11, 18, 22, 15
    )
    assert first_response_due(local(2026, 11, 18, 23, 0), "high", night) == local(
        2026, 11, 19, 1, 0
    )
    assert first_response_due(local(2026, 11, 19, 1, 0), "urgent", night) == local(
        2026, 11, 19, 1, 30
    )


def test_weekend_days_and_time_zones_are_honoured() -> None:
    weekend_shop = SlaSettings(
        business_hours="10:00-18:00", business_days=[5, 6], timezone="America/New_York"
    )
    friday = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # 15:00 in New York, a Friday
    due = first_response_due(friday, "high", weekend_shop)
    assert due.astimezone(ZoneInfo("America/New_York")) == datetime(
        2026, 11, 21, 12, 0, tzinfo=ZoneInfo("America/New_York")
    )


@pytest.mark.parametrize(
    ("fields", "setting"),
    [
        ({"business_hours": "9 to 5"}, "sla.business_hours"),
        ({"business_hours": "09:00-09:00"}, "sla.business_hours"),
        ({"business_hours": "25:00-26:00"}, "sla.business_hours"),
        ({"business_hours": "09:00-17:00", "timezone": "Mars/Olympus"}, "sla.timezone"),
        ({"business_hours": "09:00-17:00", "business_days": [9]}, "sla.business_days"),
        ({"business_hours": "09:00-17:00", "business_days": []}, "sla.business_days"),
    ],
)
def test_unusable_settings_name_the_setting(fields: dict[str, object], setting: str) -> None:
    with pytest.raises(SlaConfigError, match=setting.replace(".", r"\.")):
        first_response_due(
            datetime(2026, 11, 20, tzinfo=UTC), "high", SlaSettings.model_validate(fields)
        )


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="UTC-aware"):
        first_response_due(datetime(2026, 11, 20), "high", SlaSettings())


def _case(engine: Engine) -> Case:
    with Session(engine) as session:
        return session.exec(select(Case)).one()


def _levels(engine: Engine) -> list[tuple[int, str, str]]:
    with Session(engine) as session:
        return [
            (e.level, e.rule, e.channel)
            for e in session.exec(
                select(Escalation).order_by(col(Escalation.level), col(Escalation.id))
            )
        ]


def test_routing_counts_due_times_with_the_configured_business_hours(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    office = settings.model_copy(update={"sla": OFFICE})
    escalate(sqlite_engine, office, tmp_path, "my bill is wrong #complaint")
    case = _case(sqlite_engine)
    with Session(sqlite_engine) as session:
        posted = session.exec(select(Mention.posted_at)).one()
    assert case.priority == Priority.HIGH
    assert case.sla_due_at == first_response_due(posted, Priority.HIGH, OFFICE)


def test_a_case_about_to_miss_its_target_is_escalated_one_level_up_once(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    escalate(engine, settings, tmp_path, "my bill is wrong #complaint")  # high, not escalated
    case = _case(engine)
    due = case.sla_due_at
    assert due is not None and case.escalation_level == 0
    with session_scope(engine) as session:
        assert check_slas(session=session, settings=settings, now=due - timedelta(minutes=11)) == []
    with session_scope(engine) as session:
        [done] = check_slas(session=session, settings=settings, now=due - timedelta(minutes=9))
    assert (done.level, done.priority, done.due_at) == (1, "urgent", due)  # it waited: it rose
    assert done.reason == f"first response due at {due:%Y-%m-%d %H:%M} UTC (priority high)"
    for later in (due - timedelta(minutes=5), due + timedelta(hours=3)):
        with session_scope(engine) as session:
            assert check_slas(session=session, settings=settings, now=later) == []
    case = _case(engine)
    assert (case.status, case.escalation_level) == (CaseStatus.ESCALATED, 1)
    assert (case.priority, case.sla_due_at) == (Priority.URGENT, due)
    assert _levels(engine) == [(1, "sla", "unconfigured")]
    with Session(engine) as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "sla.escalated")).one()
    assert audit.entity_id == case.id and audit.detail["reason"] == done.reason
    assert (audit.detail["priority_was"], audit.detail["priority"]) == ("high", "urgent")


def test_priority_rises_one_step_per_missed_warning_and_stops_at_urgent() -> None:
    assert [p.raised() for p in Priority] == [
        Priority.URGENT,
        Priority.URGENT,
        Priority.HIGH,
        Priority.NORMAL,
    ]


def test_an_escalated_case_goes_to_the_next_level_on_the_configured_channels(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    configured = with_channels(
        settings, webhook_url="https://hooks.example/x", email_to=["a@b.example"]
    )
    escalate(
        engine, configured, tmp_path, "phone caught fire #complaint #safety"
    )  # urgent, level 1
    case = _case(engine)
    assert case.priority == Priority.URGENT and case.escalation_level == 1
    assert case.sla_due_at is not None
    [done] = run_sla_check(
        engine=engine, settings=configured, now=case.sla_due_at + timedelta(minutes=1)
    )
    assert done.level == 2 and _case(engine).escalation_level == 2
    levels = _levels(engine)
    assert [(level, channel) for level, _, channel in levels] == [
        (1, "unconfigured"),  # routing's: fanned out when delivered
        (2, "webhook"),
        (2, "email"),
    ]
    assert {rule for level, rule, _ in levels if level == 2} == {"sla"}
    with Session(engine) as session:
        pending = session.exec(select(Escalation).where(Escalation.level == 2)).all()
    assert all(e.status == EscalationStatus.PENDING and e.next_attempt_at is None for e in pending)


@pytest.mark.parametrize("how", ["answered", "resolved", "ignored"])
def test_answered_resolved_and_ignored_cases_are_left_alone(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path, how: str
) -> None:
    text = "free crypto #spam" if how == "ignored" else "my bill is wrong #complaint"
    escalate(sqlite_engine, settings, tmp_path, text)
    with session_scope(sqlite_engine) as session:
        case = session.exec(select(Case)).one()
        if how == "ignored":
            assert case.status == CaseStatus.IGNORED
            case.sla_due_at = case.opened_at + timedelta(hours=2)  # even with a due time
        elif how == "answered":
            case.first_response_at = case.opened_at + timedelta(minutes=5)
        else:
            case.status = CaseStatus.RESOLVED
        session.add(case)
    soon_after = _case(sqlite_engine).opened_at + timedelta(hours=3)
    assert run_sla_check(engine=sqlite_engine, settings=settings, now=soon_after) == []
    assert _levels(sqlite_engine) == [] and _case(sqlite_engine).escalation_level == 0


def test_long_overdue_history_does_not_wake_anyone(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    escalate(sqlite_engine, settings, tmp_path, "my bill is wrong #complaint")
    due = _case(sqlite_engine).sla_due_at
    assert due is not None
    assert run_sla_check(engine=sqlite_engine, settings=settings, now=due + timedelta(days=2)) == []
    [done] = run_sla_check(engine=sqlite_engine, settings=settings, now=due + timedelta(hours=23))
    assert done.level == 1
