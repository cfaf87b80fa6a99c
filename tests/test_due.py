"""SPEC §8 due dates on DuckDB, against hand-computed expectations."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ev

SPEC = """
milestones:
  - name: signed_up
    criteria: [{event: signup}]
  - name: onboarded
    due: {after: signed_up, within: 7d}
    criteria:
      - {event: project}
      - {event: invite}
  - name: activated
    level: contact
    due: {after: onboarded, within: 3d}
    criteria: [{event: task}]
"""


def events() -> list[tuple[object, ...]]:
    def on(account, *pairs, user=None):
        return [ev(e, ts, user=user or f"{account}_u", account=account) for e, ts in pairs]

    return [
        # a1: due 01-08; complete exactly at 01-08 00:00 -> on time, never overdue
        *on("a1", ("signup", "2024-01-01"), ("project", "2024-01-03"), ("invite", "2024-01-08")),
        # a2: due 01-08; one of two criteria by then, never complete
        *on("a2", ("signup", "2024-01-01"), ("project", "2024-01-03")),
        # a3: the anchor never completes: no due date
        *on("a3", ("project", "2024-01-03"), ("invite", "2024-01-04")),
        # a4: complete late (01-12)
        *on("a4", ("signup", "2024-01-01"), ("project", "2024-01-12"), ("invite", "2024-01-12")),
        # a5: complete before its anchor: on time
        *on("a5", ("project", "2023-12-20"), ("invite", "2023-12-20"), ("signup", "2024-01-01")),
        # a contact of a1 (onboarded 01-08: due 01-11) and a contact with no account (the
        # contacts a1_u..a5_u above are contacts too, due 3 days after their account onboarded)
        ev("login", "2024-01-02", user="c1", account="a1"),
        ev("task", "2024-01-20", user="c1", account="a1"),
        ev("task", "2024-01-02", user="c9", account=None),
    ]


def state(b, entity: str, milestone: str) -> tuple[object, ...]:
    s = b.state(entity, milestone)
    return s["due_at"], s["is_overdue"], s["completed_on_time"]


def test_due_columns_in_milestone_state(build):
    b = build(SPEC, events(), as_of="2024-01-10")
    assert state(b, "a1", "onboarded") == (datetime(2024, 1, 8), False, True)
    assert state(b, "a2", "onboarded") == (datetime(2024, 1, 8), True, None)
    assert state(b, "a3", "onboarded") == (None, False, None)
    assert state(b, "a4", "onboarded") == (datetime(2024, 1, 8), True, None)  # not complete yet on 01-10
    assert state(b, "a5", "onboarded") == (datetime(2024, 1, 8), False, True)
    # no `due`: the columns exist, NULL / false / NULL
    assert state(b, "a1", "signed_up") == (None, False, None)
    # a contact due after its account's milestone; no account: no due date
    assert state(b, "c1", "activated") == (datetime(2024, 1, 11), False, None)
    assert state(b, "c9", "activated") == (None, False, None)


def test_as_of_exactly_at_due_at_is_not_overdue(build):
    b = build(SPEC, events(), as_of="2024-01-08")
    assert state(b, "a2", "onboarded") == (datetime(2024, 1, 8), False, None)
    overdue = "SELECT count(*) FROM milestone_events WHERE event_type = 'milestone_overdue' AND milestone = 'onboarded'"
    assert b.rows(overdue) == [(0,)]


def test_late_completion_and_overdue_events(build):
    b = build(SPEC, events(), as_of="2024-01-31")
    assert state(b, "a4", "onboarded") == (datetime(2024, 1, 8), False, False)
    assert state(b, "c1", "activated") == (datetime(2024, 1, 11), False, False)
    rows = b.rows(
        "SELECT entity_id, milestone, criterion_id, occurred_at, progress FROM milestone_events"
        " WHERE event_type = 'milestone_overdue' AND entity_id IN ('a2', 'a4', 'c1') ORDER BY entity_id, milestone"
    )
    assert rows == [
        ("a2", "onboarded", None, datetime(2024, 1, 8), pytest.approx(0.5)),  # project met by 01-08
        ("a4", "onboarded", None, datetime(2024, 1, 8), 0.0),  # completed 01-12, after its due date
        ("c1", "activated", None, datetime(2024, 1, 11), 0.0),
    ]
    wide = dict(b.rows("SELECT entity_id, onboarded_is_overdue FROM account_milestones"))
    assert wide == {"a1": False, "a2": True, "a3": False, "a4": False, "a5": False}
    assert b.rows("SELECT activated_is_overdue FROM contact_milestones WHERE entity_id = 'c9'") == [(False,)]
    columns = [
        r[0]
        for r in b.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'account_milestones'")
    ]
    assert "signed_up_is_overdue" not in columns and "onboarded_is_overdue" in columns
