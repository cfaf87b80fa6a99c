"""SPEC §8 recurring criteria on DuckDB, against hand-computed expectations.

Weeks start on Monday 00:00 UTC: 2024-01-01, 01-08, 01-15, ... are Mondays."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ev


def weekly(at_least: int = 2, periods: int = 3, ongoing: bool = False) -> str:
    return (
        "milestones:\n  - name: habit\n    criteria:\n"
        f"      - {{event: call, at_least: {at_least}, every: week, periods: {periods}, ongoing: {str(ongoing).lower()}}}\n"
    )


CALLS = [
    # week of 01-01: Monday 00:00 exactly belongs to it; so does 01-07 23:59:59.999999
    "2024-01-01 00:00:00", "2024-01-03 10:00:00", "2024-01-07 23:59:59.999999",
    # week of 01-08: 2 calls (the 2nd, 01-09 09:00, qualifies it)
    "2024-01-08 09:00:00", "2024-01-09 09:00:00",
    # week of 01-15: two calls at one instant count together
    "2024-01-16 12:00:00", "2024-01-16 12:00:00",
    # week of 01-22: one call, the streak breaks
    "2024-01-22 10:00:00",
    # weeks of 01-29, 02-05, 02-12, 02-19: Monday and Tuesday 10:00 (a 4-week streak)
    "2024-01-29 10:00:00", "2024-01-30 10:00:00", "2024-02-05 10:00:00", "2024-02-06 10:00:00",
    "2024-02-12 10:00:00", "2024-02-13 10:00:00", "2024-02-19 10:00:00", "2024-02-20 10:00:00",
    # week of 02-26: nothing; week of 03-04: qualifies again
    "2024-03-04 10:00:00", "2024-03-05 10:00:00",
]  # fmt: skip
EVENTS = [ev("call", ts) for ts in CALLS]


def test_achievement_uses_the_earliest_run_and_reports_the_longest_streak(build):
    b = build(weekly(), EVENTS, as_of="2024-03-06")
    value, threshold, progress, met, met_at = b.crit("a1", "habit")
    # streaks: 3 weeks (01-01..01-15), 4 weeks (01-29..02-19), 1 week (03-04)
    assert (value, threshold, progress, met) == (4, 3, 1, True)
    # the 3rd period of the earliest run of 3 qualified at its tied pair of calls
    assert met_at == datetime(2024, 1, 16, 12)
    assert b.state("a1", "habit")["completed_at"] == datetime(2024, 1, 16, 12)


def test_a_microsecond_before_monday_belongs_to_the_previous_week(build):
    # with at_least 3, only the week of 01-01 qualifies (3 calls, the 3rd at 01-07 23:59:59.999999)
    b = build(weekly(at_least=3, periods=1), EVENTS, as_of="2024-03-06")
    value, _, _, met, met_at = b.crit("a1", "habit")
    assert (value, met, met_at) == (1, True, datetime(2024, 1, 7, 23, 59, 59, 999999))


def test_one_empty_period_breaks_the_streak(build):
    b = build(weekly(periods=5), EVENTS, as_of="2024-03-06")
    value, threshold, progress, met, met_at = b.crit("a1", "habit")
    assert (value, threshold, met, met_at) == (4, 5, False, None)
    assert progress == pytest.approx(4 / 5)


@pytest.mark.parametrize(
    ("as_of", "value", "met", "met_at"),
    [
        # 02-21: the running week (02-19) has qualified: the live streak is 01-29..02-19
        ("2024-02-21", 4, True, datetime(2024, 2, 13, 10)),
        # 02-19 12:00: the running week has one call so far, not failed yet: 01-29..02-12
        ("2024-02-19 12:00", 3, True, datetime(2024, 2, 13, 10)),
        # 03-04 00:00: week 02-26 finished without a call: the streak is dead
        ("2024-03-04", 0, False, None),
        # 03-06: alive again, but only one week long
        ("2024-03-06", 1, False, None),
    ],
)
def test_ongoing_streaks_stay_alive_through_the_running_period(build, as_of, value, met, met_at):
    b = build(weekly(ongoing=True), EVENTS, as_of=as_of)
    got = b.crit("a1", "habit")
    assert (got[0], got[3], got[4]) == (value, met, met_at)
    assert got[2] == pytest.approx(1.0 if met else min(value / 3, 1))
    state = b.state("a1", "habit")
    assert state["is_complete"] is met and state["completed_at"] == met_at


def test_distinct_values_and_sums_are_counted_within_each_period(build):
    spec = """
milestones:
  - name: daily_features
    criteria:
      - {event: use, distinct: feature, at_least: 2, every: day, periods: 2}
  - name: monthly_revenue
    criteria:
      - {event: pay, sum: amount, at_least: 100, every: month, periods: 2}
"""
    events = [
        # day 1: a, a, b -> 2 distinct; day 2: a twice -> 1; days 3 and 4: 2 each
        ev("use", "2024-01-01 08:00", props={"feature": "a"}),
        ev("use", "2024-01-01 09:00", props={"feature": "a"}),
        ev("use", "2024-01-01 10:00", props={"feature": "b"}),
        ev("use", "2024-01-02 08:00", props={"feature": "a"}),
        ev("use", "2024-01-02 09:00", props={"feature": "a"}),
        ev("use", "2024-01-03 08:00", props={"feature": "a"}),
        ev("use", "2024-01-03 23:00", props={"feature": "b"}),
        ev("use", "2024-01-04 00:00", props={"feature": "c"}),
        ev("use", "2024-01-04 05:00", props={"feature": "c"}),
        ev("use", "2024-01-04 06:00", props={"feature": "d"}),
        # January: 60 + 40 (tied at one instant) -> 100 at 01-31 23:59:59.999999; February
        # from its first microsecond: 100 at 02-01 00:00
        ev("pay", "2024-01-10 00:00", props={"amount": 60}),
        ev("pay", "2024-01-31 23:59:59.999999", props={"amount": "25"}),
        ev("pay", "2024-01-31 23:59:59.999999", props={"amount": 15}),
        ev("pay", "2024-02-01 00:00", props={"amount": 100}),
        ev("pay", "2024-02-05 00:00", props={"amount": -500}),  # negative: ignored
    ]
    b = build(spec, events, as_of="2024-03-01")
    value, _, _, met, met_at = b.crit("a1", "daily_features")
    assert (value, met, met_at) == (2, True, datetime(2024, 1, 4, 6))
    value, _, _, met, met_at = b.crit("a1", "monthly_revenue")
    assert (value, met, met_at) == (2, True, datetime(2024, 2, 1))


def test_recurring_criteria_inside_groups_and_as_status(build):
    spec = """
milestones:
  - name: engaged
    criteria:
      - any:
          - {event: call, at_least: 2, every: week, periods: 3, ongoing: true}
          - {event: demo, at_least: 1}
"""
    b = build(spec, [*EVENTS, ev("demo", "2024-02-28")], as_of="2024-03-06")
    rows = b.criteria("a1", "engaged")
    assert rows["1.1"][3] is False and rows["1.1"][0] == 1  # ongoing streak too short
    assert rows["1.2"][3:] == (True, datetime(2024, 2, 28))
    assert rows["1"][3:] == (True, datetime(2024, 2, 28))
