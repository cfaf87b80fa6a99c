"""`milestones test` with YAML unit tests (SPEC §10): the project's real plan on an
in-memory DuckDB over given rows; readable diffs; bad test files are exit 2."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_example, write_project

from compiler.cli import main

ROOT = Path(__file__).resolve().parents[1]
SPEC = """
milestones:
  - name: signed_up
    level: contact
    criteria: [{event: signup}]
  - name: pql
    criteria:
      - {milestone: signed_up}
      - {event: invite, where: {role: admin}, at_least: 2}
"""
SOURCE = """
source:
  events: stg_events
  columns: {event_id: event_id}
  property_columns: [plan]
  accounts: {relation: accounts, account: account_id}
"""
MODELS = {
    # never built by a unit test: every source relation is replaced
    "stg_events": "{{ config(materialized='table') }} select cast('not a number' as integer) as boom",
    "accounts": "select 'a' as account_id, 'free' as plan",
}
PASSING = """
unit_tests:
  - name: two_admin_invites_make_a_pql
    as_of: 2026-03-01T00:00:00
    given:
      - input: events
        rows:
          - {event_name: signup, user_id: u1, account_id: a1, occurred_at: 2026-02-01T10:00:00}
          - {event_name: invite, user_id: u1, account_id: a1, occurred_at: "2026-02-02T10:00:00Z", properties: {role: admin}}
          - {event_name: invite, user_id: u1, account_id: a1, occurred_at: 2026-02-03, properties: {role: admin}}
          - {event_name: invite, user_id: u2, account_id: a2, occurred_at: 2026-02-03, properties: {role: member}}
      - input: accounts
        rows:
          - {account_id: a1, plan: team}
    expect:
      - table: milestone_state
        rows:
          - {entity_id: a1, milestone: pql, is_complete: true, completed_at: 2026-02-03, progress: 1}
          - {entity_id: a2, milestone: pql, is_complete: false, criteria_met: 0, progress: 0.0}
      - table: milestone_criteria
        rows:
          - {entity_id: a1, milestone: pql, criterion_id: 2, value: 2.0, threshold: 2, is_met: "true"}
"""


def project(tmp_path: Path, tests: str, name: str = "pql.yml") -> Path:
    write_project(tmp_path, SPEC, SOURCE, MODELS)
    (tmp_path / "milestones" / "tests").mkdir(exist_ok=True)
    (tmp_path / "milestones" / "tests" / name).write_text(textwrap.dedent(tests))
    return tmp_path


def invoke_test(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["test", "--project-dir", str(root), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_passing_unit_test_exits_0_and_never_touches_the_target(tmp_path):
    root = project(tmp_path, PASSING)
    code, out = invoke_test(root)
    assert code == 0, out
    assert "PASS       two_admin_invites_make_a_pql" in out and "1 passed, 0 failed" in out
    assert "Invariant checks of the built tables" in out and "skipped" in out
    assert not (root / "test.duckdb").exists()  # the target was never opened, the broken model never built


def test_a_failing_unit_test_prints_the_unmatched_rows_and_the_closest_ones(tmp_path):
    root = project(
        tmp_path,
        PASSING.replace("is_complete: true, completed_at: 2026-02-03", "is_complete: true, completed_at: 2026-02-04"),
    )
    code, out = invoke_test(root)
    assert code == 1, out
    assert "FAIL       two_admin_invites_make_a_pql  (milestones/tests/pql.yml:3)" in out
    assert "milestone_state: 1 expected row(s) matched no row (of 4)" in out
    assert (
        'expected  {entity_id: "a1", milestone: "pql", is_complete: true, completed_at: 2026-02-04 00:00:00, progress: 1}'
        in out
    )
    assert (
        'closest   {entity_id: "a1", milestone: "pql", is_complete: true, completed_at: 2026-02-03 00:00:00, progress: 1}   differs in completed_at'
        in out
    )
    assert "0 passed, 1 failed" in out and "Traceback" not in out


def test_exact_reports_actual_rows_nobody_expected(tmp_path):
    exact = PASSING.replace(
        "      - table: milestone_criteria", "        exact: true\n      - table: milestone_criteria"
    )
    code, out = invoke_test(project(tmp_path, exact))
    assert code == 1, out
    # u1's signed_up rows are in milestone_state too: 2 accounts x pql + 2 contacts x signed_up
    assert "milestone_state: 2 actual row(s) matched no expected row (exact: true)" in out


def test_select_picks_tests_by_name(tmp_path):
    two = PASSING + PASSING.split("unit_tests:")[1].replace("two_admin_invites_make_a_pql", "second").replace(
        "completed_at: 2026-02-03", "completed_at: 2020-01-01"
    )
    root = project(tmp_path, two)
    code, out = invoke_test(root, "--select", "two_admin_invites_make_a_pql")
    assert code == 0 and "second" not in out, out
    code, out = invoke_test(root, "--select", "secnd")
    assert code == 2 and "no unit test named 'secnd' (did you mean 'second'?)" in out
    code, out = invoke_test(root)
    assert code == 1 and "FAIL       second" in out


@pytest.mark.parametrize(
    ("original", "replacement", "message"),
    [
        (
            "input: events",
            "input: evnts",
            "input 'evnts' is not one of events, contacts, accounts (did you mean 'events'?)",
        ),
        (
            "user_id: u1, account_id: a1, occurred_at: 2026-02-01T10:00:00}",
            "usr_id: u1, account_id: a1, occurred_at: 2026-02-01T10:00:00}",
            "events has no column 'usr_id'",
        ),
        (
            "table: milestone_state",
            "table: milestone_states",
            "unknown output table 'milestone_states' (did you mean 'milestone_state'?)",
        ),
        ("as_of: 2026-03-01T00:00:00", "as_of: soon", "as_of 'soon' is not an ISO 8601 instant"),
        (
            "criteria_met: 0,",
            "criteria_mett: 0,",
            "milestone_state has no column 'criteria_mett' (did you mean 'criteria_met'?)",
        ),
        ("progress: 0.0}", "progress: lots}", "progress: 'lots' is not a DOUBLE"),
        ("input: accounts", "input: contacts", "the project has no source.contacts relation to replace"),
    ],
    ids=["input", "given-column", "table", "as_of", "expect-column", "value", "relation"],
)
def test_broken_unit_tests_are_exit_2_with_file_and_line(tmp_path, original, replacement, message):
    assert original in PASSING
    root = project(tmp_path, PASSING.replace(original, replacement, 1))
    code, out = invoke_test(root)
    assert code == 2, out
    assert "milestones/tests/pql.yml:" in out and message in out, out


def test_the_example_project_ships_passing_unit_tests(tmp_path):
    copy_example(tmp_path)
    code, out = invoke_test(tmp_path)
    assert code == 0, out
    assert "7 passed, 0 failed" in out


def test_unit_tests_need_no_warehouse_even_for_a_snowflake_project(tmp_path):
    """A three-part source name and a Snowflake target that cannot be reached (a pull
    request's CI): the unit tests still run, in memory; the invariant checks are skipped."""
    root = project(tmp_path, PASSING)
    (root / "milestones" / "source.yml").write_text(
        "source:\n  events: analytics.raw.events\n  accounts: {relation: analytics.raw.accounts, account: account_id}\n"
    )
    (root / "profiles.yml").write_text(
        "target: prod\noutputs:\n  prod: {type: snowflake, account: nowhere-0000, user: ci, password: x,"
        " database: analytics, schema: ms, host: 127.0.0.1, port: '9', protocol: http, login_timeout: 2}\n"
    )
    code, out = invoke_test(root)
    assert code == 0, out
    assert "PASS       two_admin_invites_make_a_pql" in out
    assert "skipped: target 'prod' is not reachable" in out
