"""SPEC §8 rate and growth criteria on DuckDB, against hand-computed expectations."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ev

RATE = """
milestones:
  - name: closer
    criteria:
      - rate:
          numerator: {{event: accepted}}
          denominator: {{event: sent{where}}}
        at_least: {at_least}
        min_denominator: {min_den}{window}
"""


def rate(at_least: float, min_den: float, window: str = "", where: str = "") -> str:
    return RATE.format(
        at_least=at_least,
        min_den=min_den,
        window=f"\n        window: {{last: {window}}}" if window else "",
        where=where,
    )


def test_a_rate_exactly_at_at_least_with_the_minimum_denominator(build):
    sent = [ev("sent", f"2024-01-{d:02d}") for d in range(1, 26)]  # 25 sent, 01-01..01-25
    accepted = [ev("accepted", f"2024-02-{d:02d}") for d in range(1, 8)]  # 7 accepted, 02-01..02-07
    b = build(rate(0.28, 25), sent + accepted, as_of="2024-03-01")
    value, threshold, progress, met, met_at = b.crit("a1", "closer")
    # 7 / 25 is 0.28 as a quotient (7 >= 0.28 * 25 would miss it by one ulp)
    assert (value, threshold, progress, met, met_at) == (pytest.approx(0.28), 0.28, 1.0, True, datetime(2024, 2, 7))
    # one fewer sent: the denominator is below its minimum
    b = build(rate(0.28, 25), sent[:-1] + accepted, as_of="2024-03-01")
    value, _, progress, met, _ = b.crit("a1", "closer")
    assert met is False and value == pytest.approx(7 / 24)
    assert progress == pytest.approx(1.0 * 24 / 25)


def test_a_zero_denominator_gives_a_null_value(build):
    b = build(rate(0.5, 1), [ev("accepted", "2024-01-01"), ev("other", "2024-01-01", account="a2")], as_of="2024-03-01")
    for account in ("a1", "a2"):
        value, _, progress, met, met_at = b.crit(account, "closer")
        assert (value, progress, met, met_at) == (None, 0.0, False, None)


def test_a_rate_can_exceed_one_and_filters_its_parts(build):
    events = [
        ev("sent", "2024-01-01", props={"role": "admin"}),
        ev("sent", "2024-01-02", props={"role": "member"}),
        ev("accepted", "2024-01-03"),
        ev("accepted", "2024-01-04"),
    ]
    b = build(rate(1.5, 1, where=", where: {role: admin}"), events, as_of="2024-03-01")
    value, _, _, met, met_at = b.crit("a1", "closer")
    # 1 / 1 at 01-03 fails 1.5; 2 / 1 from 01-04
    assert (value, met, met_at) == (2.0, True, datetime(2024, 1, 4))


def test_a_trailing_rate_breaks_when_an_event_leaves_its_window(build):
    events = [
        ev("sent", "2024-01-01"),
        ev("sent", "2024-01-05"),
        ev("accepted", "2024-01-06"),
        ev("sent", "2024-01-12"),
    ]
    # 01-06: 1/2 holds; just after 01-11 the 01-01 send leaves (1/1, below min 2); 01-12: 1/2 again
    b = build(rate(0.5, 2, window="10d"), events, as_of="2024-01-14")
    value, _, _, met, met_at = b.crit("a1", "closer")
    assert (value, met, met_at) == (0.5, True, datetime(2024, 1, 12))
    # at 01-11 itself the 01-01 send still counts (closed window): the stretch began 01-06
    b = build(rate(0.5, 2, window="10d"), events, as_of="2024-01-11")
    assert b.crit("a1", "closer")[3:] == (True, datetime(2024, 1, 6))
    b = build(rate(0.5, 2, window="10d"), events, as_of="2024-01-11 00:00:01")
    assert b.crit("a1", "closer")[3:] == (False, None)


def test_a_stretch_that_begins_just_after_e_plus_d_starts_at_e_plus_d(build):
    # 01-06: 1 / 3 fails 0.5; just after 01-11 (01-01 + 10d) the first send leaves: 1 / 2
    events = [
        ev("sent", "2024-01-01"),
        ev("sent", "2024-01-05"),
        ev("sent", "2024-01-06"),
        ev("accepted", "2024-01-06"),
    ]
    b = build(rate(0.5, 2, window="10d"), events, as_of="2024-01-13")
    assert b.crit("a1", "closer")[3:] == (True, datetime(2024, 1, 11))


GROWTH = """
milestones:
  - name: growing
    criteria:
      - {event: task, growth: 10d, at_least: 2, min_previous: 2}
"""


def test_growth_with_events_exactly_at_e_plus_d_and_e_plus_2d(build):
    # 2 tasks on 01-01, 4 on 01-11 (= 01-01 + 10d)
    events = [ev("task", "2024-01-01")] * 2 + [ev("task", "2024-01-11")] * 4
    # at 01-11 both sets are in the current span [01-01, 01-11] (6 / 0); just after, the
    # 01-01 pair moves to the previous span: 4 / 2 holds, from 01-11 (the infimum)
    b = build(GROWTH, events, as_of="2024-01-15")
    value, threshold, progress, met, met_at = b.crit("a1", "growing")
    assert (value, threshold, progress, met, met_at) == (2.0, 2.0, 1.0, True, datetime(2024, 1, 11))
    # at 01-21 (= 01-01 + 2D) the pair is still in the previous span [01-01, 01-11)
    assert build(GROWTH, events, as_of="2024-01-21").crit("a1", "growing")[3:] == (True, datetime(2024, 1, 11))
    # just after, it leaves; the 01-11 tasks are now the previous span and nothing is current
    value, _, progress, met, met_at = build(GROWTH, events, as_of="2024-01-21 00:00:01").crit("a1", "growing")
    assert (value, progress, met, met_at) == (0.0, 0.0, False, None)


def test_growth_with_an_empty_previous_span(build):
    b = build(GROWTH, [ev("task", "2024-01-10")] * 3, as_of="2024-01-15")
    value, _, progress, met, met_at = b.crit("a1", "growing")
    assert (value, progress, met, met_at) == (None, 0.0, False, None)


def test_growth_below_min_previous_shows_partial_progress(build):
    events = [ev("task", "2024-01-02"), ev("task", "2024-01-14"), ev("task", "2024-01-14"), ev("task", "2024-01-14")]
    b = build(GROWTH, events, as_of="2024-01-15")
    value, _, progress, met, _ = b.crit("a1", "growing")
    # current [01-05, 01-15]: 3; previous [12-26, 01-05): 1 -> 3.0, but previous < 2
    assert (value, met) == (3.0, False)
    assert progress == pytest.approx(1.0 * 1 / 2)


def test_distinct_growth_counts_values_per_span(build):
    spec = (
        "milestones:\n  - name: g\n    criteria:\n      - {event: use, distinct: feature, growth: 7d, at_least: 1.5}\n"
    )
    events = [
        ev("use", "2024-01-02", props={"feature": "a"}),
        ev("use", "2024-01-03", props={"feature": "a"}),
        ev("use", "2024-01-09", props={"feature": "b"}),
        ev("use", "2024-01-10", props={"feature": "c"}),
        ev("use", "2024-01-11", props={"feature": "a"}),
    ]
    # at 01-12: current [01-05, 01-12] = {a, b, c}; previous [12-29, 01-05) = {a}: 3.0
    # a's occurrences 01-03 and 01-11 are 8 days apart (more than 7): two islands
    b = build(spec, events, as_of="2024-01-12")
    value, _, _, met, met_at = b.crit("a1", "g")
    assert (value, met) == (3.0, True)
    # at 01-09 00:00: current {a (01-03), b} but previous [12-26, 01-02) is empty; just after
    # 01-09 (01-02 + 7d) a's 01-02 enters the previous span: {a, b} / {a} = 2 >= 1.5, and it
    # holds from then on (01-10: 3 / 1; just after 01-10 a leaves current: 2 / 1; 01-11: 3 / 1)
    assert met_at == datetime(2024, 1, 9)


def test_rates_and_growth_inside_groups(build):
    spec = """
milestones:
  - name: either
    criteria:
      - all:
          - rate: {numerator: {event: accepted}, denominator: {event: sent}}
            at_least: 0.5
          - {event: task, growth: 10d, at_least: 2, min_previous: 2}
"""
    events = [ev("sent", "2024-01-01"), ev("accepted", "2024-01-02")]
    events += [ev("task", "2024-01-01")] * 2 + [ev("task", "2024-01-11")] * 4
    b = build(spec, events, as_of="2024-01-15")
    rows = b.criteria("a1", "either")
    assert rows["1.1"][3:] == (True, datetime(2024, 1, 2))
    assert rows["1.2"][3:] == (True, datetime(2024, 1, 11))
    assert rows["1"][3:] == (True, datetime(2024, 1, 11))
