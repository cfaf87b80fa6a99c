"""SPEC §5/§7 funnels on DuckDB with hand-computed expectations: conversion (strict,
non-strict, windows), cohorts, segments, percentiles, durations, stalls, distribution."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import T, ev

from compiler.cli import main

DAY = 86400.0
STEPS3 = """
milestones:
  - name: s1
    criteria: [{event: e1}]
  - name: s2
    criteria: [{event: e2}]
  - name: s3
    criteria: [{event: e3}]
"""


def steps(b, funnel, segment=None):
    seg = "segment IS NULL" if segment is None else "segment = ?"
    params = [funnel] + ([] if segment is None else [segment])
    return b.rows(
        "SELECT step, milestone, entities, converted, conversion_rate, overall_rate, avg_seconds_from_previous,"
        f" median_seconds_from_previous, p90_seconds_from_previous FROM funnel_steps WHERE funnel = ? AND {seg} ORDER BY step",
        *params,
    )


CONVERSION_EVENTS = [
    ev("e1", "2024-01-01", account="a1"),
    ev("e2", "2024-01-02", account="a1"),
    ev("e3", "2024-01-04", account="a1"),
    ev("e1", "2024-01-01", account="a2"),
    ev("e2", "2024-01-03 12:00", account="a2"),
    ev("e1", "2024-01-05", account="a3"),
    ev("e2", "2024-01-04", account="a3"),  # step 2 before step 1
    ev("e2", "2024-01-02", account="a4"),
    ev("e3", "2024-01-03", account="a4"),  # never did step 1
    ev("x", "2024-01-01", account="a5"),
]


def test_strict_conversion_with_a_window_and_its_inclusive_edge(build):
    spec = STEPS3 + "funnels:\n  - {name: f, steps: [s1, s2, s3], conversion_window: 2d}\n"
    b = build(spec, CONVERSION_EVENTS)
    assert steps(b, "f") == [
        (1, "s1", 3, 3, None, 1.0, None, None, None),
        # a1 converts (1d); a2 took 2.5d > 2d; a3 went backwards; a4 never did s1
        (2, "s2", 4, 1, 1 / 3, 4 / 3, DAY, DAY, DAY),
        # a1: exactly 2d (inclusive) and a4: 1d -> [1d, 2d]: median 1.5d, p90 1d + 0.9 * 1d
        (3, "s3", 2, 2, 0.5, 2 / 3, 1.5 * DAY, 1.5 * DAY, pytest.approx(1.9 * DAY)),
    ]


def test_non_strict_conversion_counts_steps_done_out_of_order(build):
    spec = STEPS3 + (
        "funnels:\n"
        "  - {name: fn, steps: [s1, s2, s3], strict: false}\n"
        "  - {name: fn1, steps: [s1, s2], strict: false, conversion_window: 1d}\n"
    )
    b = build(spec, CONVERSION_EVENTS)
    # step 2 seconds: a1 +1d, a2 +2.5d, a3 -1d -> odd count: median 1d; p90 at pos 2.8
    assert steps(b, "fn")[1] == (
        2,
        "s2",
        4,
        3,
        1.0,
        4 / 3,
        pytest.approx(DAY * 2.5 / 3),
        DAY,
        pytest.approx(DAY + 0.8 * 1.5 * DAY),
    )
    # |d| <= 1d: a1 (exactly 1d) and a3 (-1d)
    assert steps(b, "fn1")[1][:5] == (2, "s2", 4, 2, 2 / 3)


def test_cohorts_split_at_month_and_iso_week_boundaries(build):
    spec = STEPS3 + (
        "funnels:\n"
        "  - {name: fm, steps: [s1, s2], cohort: month}\n"
        "  - {name: fw, steps: [s1, s2], cohort: week}\n"
        "  - {name: fd, steps: [s1, s2], cohort: day}\n"
    )
    events = [
        ev("e1", "2024-01-07 23:00", account="a1"),
        ev("e2", "2024-02-02", account="a1"),  # Sunday
        ev("e1", "2024-01-08 00:00", account="a2"),  # Monday: a new ISO week
        ev("e1", "2024-01-31 23:59:59", account="a3"),
        ev("e1", "2024-02-01 00:00", account="a4"),
        ev("e2", "2024-01-15", account="a4"),  # s2 first: not converted
        ev("e2", "2024-01-09", account="a5"),  # no step 1: in no cohort
    ]
    b = build(spec, events)
    rows = b.rows(
        "SELECT cohort_start, step, entities, converted, conversion_rate, overall_rate FROM funnel_cohorts WHERE funnel = 'fm' ORDER BY 1, 2"
    )
    assert rows == [
        (T("2024-01-01"), 1, 3, 3, None, 1.0),
        (T("2024-01-01"), 2, 1, 1, 1 / 3, 1 / 3),
        (T("2024-02-01"), 1, 1, 1, None, 1.0),
        (T("2024-02-01"), 2, 1, 0, 0.0, 1.0),
    ]
    weeks = b.rows("SELECT cohort_start, entities FROM funnel_cohorts WHERE funnel = 'fw' AND step = 1 ORDER BY 1")
    assert weeks == [(T("2024-01-01"), 1), (T("2024-01-08"), 1), (T("2024-01-29"), 2)]
    days = b.rows("SELECT cohort_start, entities FROM funnel_cohorts WHERE funnel = 'fd' AND step = 1 ORDER BY 1")
    assert days == [(T("2024-01-07"), 1), (T("2024-01-08"), 1), (T("2024-01-31"), 1), (T("2024-02-01"), 1)]
    # every cohort has a row for every step, zeros included
    assert b.rows("SELECT count(*) FROM funnel_cohorts WHERE funnel = 'fw'") == [(6,)]


def test_segments_from_the_accounts_relation_with_a_null_segment(build):
    source = """
    source:
      events: raw.events
      accounts: {relation: raw.accts, account: account_id}
    """
    spec = (
        STEPS3
        + "funnels:\n  - {name: f, steps: [s1, s2], segment_by: plan}\n  - {name: c, level: contact, steps: [p1], segment_by: plan}\n"
    )
    spec = spec.replace("milestones:\n", "milestones:\n  - name: p1\n    level: contact\n    criteria: [{event: e1}]\n")
    events = [
        ev("e1", "2024-01-01", user="u1", account="a1"),
        ev("e2", "2024-01-02", user="u1", account="a1"),
        ev("e1", "2024-01-01", user="u2", account="a2"),
        ev("e1", "2024-01-01", user="u3", account="a3"),
        ev("x", "2024-01-01", user="u4", account="a4"),
    ]
    accts = ("account_id VARCHAR, plan VARCHAR", [("a1", "pro"), ("a2", "free"), ("a3", None), ("a9", "pro")])
    b = build(spec, events, source=source, tables={"accts": accts})
    assert b.rows("SELECT DISTINCT segment FROM funnel_steps WHERE funnel = 'f' ORDER BY 1 NULLS FIRST") == [
        (None,),
        ("free",),
        ("pro",),
    ]
    assert [r[:4] for r in steps(b, "f")] == [(1, "s1", 3, 3), (2, "s2", 1, 1)]
    assert [r[:5] for r in steps(b, "f", "pro")] == [(1, "s1", 1, 1, None), (2, "s2", 1, 1, 1.0)]
    assert [r[:5] for r in steps(b, "f", "free")] == [(1, "s1", 1, 1, None), (2, "s2", 0, 0, 0.0)]
    # a contact funnel uses its account's attribute
    assert [r[:3] for r in steps(b, "c", "pro")] == [(1, "p1", 1)]
    assert [r[:3] for r in steps(b, "c")] == [(1, "p1", 3)]


def test_segments_from_the_first_event_property(build):
    spec = """
    milestones:
      - name: p1
        level: contact
        criteria: [{event: e1}]
    funnels:
      - {name: c, steps: [p1], segment_by: role}
    """
    events = [
        ev("x", "2024-01-01", user="u1", props={"role": "admin"}),
        ev("e1", "2024-01-02", user="u1", props={"role": "member"}),
        ev("x", "2024-01-01", user="u2", props={"role": "b"}),
        ev("e1", "2024-01-01", user="u2", props={"role": "a"}),  # tie: smallest
        ev("x", "2024-01-01", user="u3", props={}),
        ev("e1", "2024-01-02", user="u3", props={"role": "admin"}),  # first has none
        ev("e1", "2024-01-01", user="u4", props={"role": "member"}),
    ]
    b = build(spec, events)
    segs = b.rows("SELECT segment, entities FROM funnel_steps WHERE funnel = 'c' ORDER BY segment NULLS FIRST")
    assert segs == [(None, 4), ("a", 1), ("admin", 1), ("member", 1)]


def test_accounts_relation_without_the_column_falls_back_to_the_first_event(build):
    source = """
    source:
      events: raw.events
      accounts: {relation: raw.accts, account: account_id}
    """
    spec = STEPS3 + "funnels:\n  - {name: f, steps: [s1], segment_by: tier}\n"
    events = [ev("e1", "2024-01-01", account="a1", props={"tier": "gold"})]
    accts = ("account_id VARCHAR, plan VARCHAR", [("a1", "pro")])
    b = build(spec, events, source=source, tables={"accts": accts})
    assert b.rows("SELECT segment FROM funnel_steps WHERE segment IS NOT NULL") == [("gold",)]


def test_durations_percentiles_and_stalls(build):
    spec = STEPS3 + "funnels:\n  - {name: f, steps: [s1, s2, s3], expected: {s3: 25d}}\n"
    events = [
        ev("e1", "2024-01-01", account="a1"),
        ev("e2", "2024-01-02", account="a1"),
        ev("e3", "2024-01-03", account="a1"),
        ev("e1", "2024-01-01", account="a2"),
        ev("e2", "2024-01-05", account="a2"),
        ev("e1", "2024-01-01", account="a3"),
        ev("e2", "2023-12-31", account="a3"),  # exited "before" entering
        ev("e1", "2024-01-20", account="a4"),
        ev("e1", "2024-01-29 12:00", account="a5"),  # exactly the p75 limit: not stalled
        ev("e2", "2024-01-10", account="a6"),  # step 2 without step 1
    ]
    b = build(spec, events, as_of="2024-02-01")
    rows = b.rows(
        "SELECT entity_id, step, entered_at, exited_at, seconds_in_step, is_current, percentile, is_stalled"
        " FROM milestone_durations WHERE funnel = 'f' ORDER BY step, entity_id"
    )
    # step 1: exited [0, 1d, 4d] -> p75 at pos 2.5 = 1d + 0.5 * 3d = 2.5d
    assert rows == [
        ("a1", 1, T("2024-01-01"), T("2024-01-02"), DAY, False, 2 / 3, False),
        ("a2", 1, T("2024-01-01"), T("2024-01-05"), 4 * DAY, False, 1.0, False),
        ("a3", 1, T("2024-01-01"), T("2023-12-31"), 0.0, False, 1 / 3, False),
        ("a4", 1, T("2024-01-20"), None, 12 * DAY, True, 1.0, True),
        ("a5", 1, T("2024-01-29 12:00"), None, 2.5 * DAY, True, 2 / 3, False),
        # step 2: expected {s3: 25d} is the limit, not the p75 (1d)
        ("a1", 2, T("2024-01-02"), T("2024-01-03"), DAY, False, 1.0, False),
        ("a2", 2, T("2024-01-05"), None, 27 * DAY, True, 1.0, True),
        ("a3", 2, T("2023-12-31"), None, 32 * DAY, True, 1.0, True),
        ("a6", 2, T("2024-01-10"), None, 22 * DAY, True, 1.0, False),
        # last step: current, never stalled; nobody exited -> percentile null
        ("a1", 3, T("2024-01-03"), None, 29 * DAY, True, None, False),
    ]


def test_stall_is_false_when_nobody_exited_and_nothing_is_expected(build):
    spec = STEPS3 + "funnels:\n  - {name: f, steps: [s1, s2]}\n"
    b = build(spec, [ev("e1", "2024-01-01")], as_of="2024-02-01")
    assert b.rows("SELECT is_current, percentile, is_stalled FROM milestone_durations") == [(True, None, False)]


def test_distribution_patterns_sorted_numerically_including_none_met(build):
    many = "\n".join(f"      - {{event: k{i}}}" for i in range(1, 12))
    spec = STEPS3.replace(
        "milestones:\n",
        "milestones:\n  - name: m\n    criteria: [{event: e1}, {event: e2}, {event: e3}]\n  - name: big\n    criteria:\n"
        + many.replace("      -", "      -")
        + "\n",
    )
    events = [
        ev("e1", "2024-01-01", account="a1"),
        ev("e3", "2024-01-01", account="a1"),
        ev("x", "2024-01-01", account="a2"),
        ev("e1", "2024-01-01", account="a3"),
        ev("e3", "2024-01-01", account="a3"),
        ev("e1", "2024-01-01", account="a4"),
        ev("e2", "2024-01-01", account="a4"),
        ev("e3", "2024-01-01", account="a4"),
        ev("e2", "2024-01-01", account="a5"),
        ev("k2", "2024-01-01", account="a1"),
        ev("k10", "2024-01-01", account="a1"),
    ]
    b = build(spec, events)
    rows = b.rows(
        "SELECT criteria_met, met_criteria, entities FROM milestone_distribution WHERE milestone = 'm' ORDER BY 1, 2"
    )
    assert rows == [(0, "", 1), (1, "2", 1), (2, "1,3", 2)]  # a4 completed m: not counted
    assert b.rows("SELECT met_criteria FROM milestone_distribution WHERE milestone = 'big' AND criteria_met = 2") == [
        ("2,10",)
    ]


def test_default_funnels_per_level_in_order(build):
    spec = """
    order: [b, a]
    milestones:
      - {name: a, criteria: [{event: e1}]}
      - {name: b, criteria: [{event: e2}]}
      - {name: p, level: contact, criteria: [{event: e1}]}
    """
    b = build(spec, [ev("e1", "2024-01-01"), ev("e2", "2024-01-02")])
    assert b.rows("SELECT funnel, step, milestone FROM funnel_steps ORDER BY 1, 2") == [
        ("account", 1, "b"),
        ("account", 2, "a"),
        ("contact", 1, "p"),
    ]


@pytest.mark.parametrize(
    "funnel, message",
    [
        ("{name: f, steps: [s1, sx2]}", "funnel 'f': unknown step 'sx2' (did you mean 's2'?)"),
        ("{name: f, steps: [s1, p1]}", "funnel 'f': all steps must be milestones of one level"),
        ("{name: f, steps: [s1], expected: {s2: 3d}}", "funnel 'f': expected names 's2', which is not a step"),
        ("{name: f, steps: [s1], cohort: quarter}", "funnel 'f': cohort must be day, week or month"),
        ("{name: f, steps: [s1], segment_by: tier}", "funnel 'f': unknown segment attribute 'tier'"),
    ],
)
def test_funnel_validation_errors(tmp_path, funnel, message):
    (tmp_path / "milestones").mkdir()
    (tmp_path / "milestones" / "m.yml").write_text(
        "source: {events: raw.events, columns: {properties: null}}\n"
        + STEPS3.replace("milestones:\n", "milestones:\n  - {name: p1, level: contact, criteria: [{event: e1}]}\n")
        + f"funnels:\n  - {funnel}\n"
    )
    result = CliRunner().invoke(main, ["validate", "--project-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output
    assert "milestones/m.yml:" in result.output


def test_select_never_invents_default_funnels_when_the_spec_defines_some(tmp_path):
    """SPEC §7: default funnels exist only when the spec defines no funnels. A --select that
    keeps none of the defined funnels' steps builds no funnel at all."""
    import duckdb
    from conftest import load_events, write_project

    spec = """
    milestones:
      - {name: a, criteria: [{event: x}]}
      - {name: b, criteria: [{event: y}]}
    funnels:
      - {name: only_b, steps: [b]}
    """
    write_project(tmp_path, spec, "source:\n  events: raw.events\n")
    load_events(tmp_path / "test.duckdb", [ev("x", "2024-01-01"), ev("y", "2024-01-02")])
    result = CliRunner().invoke(main, ["run", "--project-dir", str(tmp_path), "--as-of", "2024-02-01", "--select", "a"])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    try:
        assert con.execute("SELECT DISTINCT funnel FROM funnel_steps").fetchall() == []
        assert con.execute("SELECT DISTINCT milestone FROM milestone_state").fetchall() == [("a",)]
    finally:
        con.close()
