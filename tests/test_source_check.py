"""The spec checked against the warehouse: names that never occur are warnings with a
closest match (validate, run), `--strict` makes them errors, and a mapped column missing
from its relation is exit 2 before anything is created."""

from __future__ import annotations

from pathlib import Path

import duckdb
from click.testing import CliRunner
from conftest import ev, load_events, write_project

from compiler.cli import main

SPEC = """
milestones:
  - name: onboarded
    criteria:
      - {event: list_creatd}
      - {event: Search, at_least: 2}
      - {event: invite, where: {roel: admin}}
      - {event: invite, distinct: email}
  - name: activated
    level: contact
    criteria: [{event: search}]
funnels:
  - {name: f, level: contact, steps: [activated], segment_by: plann}
"""
EVENTS = [
    ev("list_created", "2024-01-01", props={"role": "admin", "email": "x@y"}),
    ev("search", "2024-01-02", props={"plan": "team"}),
    ev("invite", "2024-01-03", props={"role": "admin", "email": "x@y"}),
]


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--project-dir", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def setup(tmp_path: Path) -> Path:
    write_project(tmp_path, SPEC)
    load_events(tmp_path / "test.duckdb", EVENTS)
    return tmp_path


def test_names_that_never_occur_are_warnings_with_a_suggestion(tmp_path):
    root = setup(tmp_path)
    code, out = invoke(root, "validate")
    assert code == 0, out
    assert (
        "milestone 'onboarded': criterion 1: event 'list_creatd' never occurs in the source (did you mean 'list_created'?)"
        in out
    )
    assert "criterion 2: event 'Search' never occurs in the source (did you mean 'search'?)" in out  # case
    assert "property 'roel' never has a value in the events that read it (did you mean 'role'?)" in out
    assert "funnel 'f': segment_by: property 'plann' never has a value" in out and "(did you mean 'plan'?)" in out
    assert "email" not in out  # a property that occurs is fine
    assert "milestones/spec.yml:" in out
    code, out = invoke(root, "validate", "--strict")
    assert code == 2 and "error: milestones/spec.yml:" in out and "list_creatd" in out
    # run warns before it writes anything, and still runs
    code, out = invoke(root, "run", "--as-of", "2024-02-01")
    assert code == 0 and "warning: milestones/spec.yml:" in out and "list_creatd" in out


def test_a_clean_spec_has_no_warnings(tmp_path):
    spec = """
milestones:
  - name: onboarded
    criteria:
      - {event: list_created}
      - {event: invite, where: {role: admin}, distinct: email}
"""
    write_project(tmp_path, spec)
    load_events(tmp_path / "test.duckdb", EVENTS)
    code, out = invoke(tmp_path, "validate", "--strict")
    assert code == 0 and "warning" not in out, out


def tables(root: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(root / "test.duckdb"), read_only=True)
    try:
        return con.execute("SELECT table_schema, table_name FROM information_schema.tables ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_a_missing_mapped_column_is_exit_2_before_anything_is_created(tmp_path):
    spec = "milestones:\n  - name: onboarded\n    criteria: [{event: invite}]\n"
    source = "source:\n  events: raw.events\n  columns:\n    contact: usr_id\n  property_columns: [plann]\n"
    write_project(tmp_path, spec, source)
    load_events(tmp_path / "test.duckdb", EVENTS)
    before = tables(tmp_path)
    for command in (["validate"], ["run", "--as-of", "2024-02-01"]):
        code, out = invoke(tmp_path, *command)
        assert code == 2, out
        assert (
            "milestones/source.yml:4: source.columns.contact: column 'usr_id' is not in the events relation"
            " 'raw.events'" in out
        )
        assert "(did you mean 'user_id'?)" in out
        assert (
            "milestones/source.yml:5: source.property_columns: column 'plann'" in out
            and "(did you mean 'plan'?)" in out
        )
    assert tables(tmp_path) == before  # no milestone_runs, no output, nothing
    # a run after a good one: the previous tables stay exactly as they were
    write_project(tmp_path, spec)
    assert invoke(tmp_path, "run", "--as-of", "2024-02-01")[0] == 0
    built = tables(tmp_path)
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    runs = con.execute("SELECT count(*) FROM milestone_runs").fetchall()
    con.close()
    write_project(tmp_path, spec, source)
    assert invoke(tmp_path, "run", "--as-of", "2024-02-02")[0] == 2
    assert tables(tmp_path) == built
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    assert con.execute("SELECT count(*) FROM milestone_runs").fetchall() == runs
    con.close()
