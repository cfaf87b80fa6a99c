"""Run artifacts (target/run_results.json, target/manifest.json), --log-format json, column
descriptions in the warehouse, OpenLineage events."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
from click.testing import CliRunner
from conftest import SNOWFLAKE_PROFILE, ev, fakesnow_events, load_events, write_project

from compiler.cli import main
from compiler.sql import columns, plan

SPEC = """
milestones:
  - name: signed_up
    level: contact
    criteria: [{event: signup}]
  - name: onboarded
    due: {after: trial, within: 7d}
    criteria: [{milestone: signed_up}, {event: setup}]
  - name: trial
    criteria: [{event: signup}]
"""
SOURCE = "source:\n  events: stg\n"
EVENTS = [ev("signup", "2024-01-01"), ev("setup", "2024-01-03"), ev("signup", "2024-01-02", user="u2", account="a2")]


def project(root: Path, models: dict[str, str] | None = None, extra_profile: str = "") -> Path:
    write_project(root, SPEC, SOURCE, {"stg": "select * from raw.events", **(models or {})})
    (root / "profiles.yml").write_text(
        "target: dev\noutputs:\n  dev:\n    type: duckdb\n    path: test.duckdb\n    schema: main\n" + extra_profile
    )
    load_events(root / "test.duckdb", EVENTS)
    return root


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--project-dir", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def artifact(root: Path, name: str) -> dict:
    return json.loads((root / "target" / name).read_text())


def test_run_results_hold_one_result_per_statement_executed(tmp_path):
    root = project(tmp_path)
    code, out = invoke(root, "run", "--as-of", "2024-02-01")
    assert code == 0, out
    executed = int(re.search(r"Done: (\d+) statements", out).group(1))
    rr = artifact(root, "run_results.json")
    assert rr["metadata"]["schema_version"] == 1 and rr["metadata"]["command"] == "run"
    assert rr["metadata"]["as_of"] == "2024-02-01T00:00:00" and rr["metadata"]["target"] == "dev"
    assert len(rr["results"]) == executed
    printed = re.findall(r"^\s*\d+/\d+\s+\S+(?: \S+)?\s+(\S+)\s+[\d,]+ rows", out, re.M)
    assert [r["unique_id"].split(".")[-1] for r in rr["results"]] == printed
    assert {r["status"] for r in rr["results"]} == {"success"}
    state = next(r for r in rr["results"] if r["unique_id"].endswith(".milestone_state"))
    assert state["rows"] == 6 and state["relation_name"] == "main.milestone_state" and state["execution_time"] >= 0
    manifest = artifact(root, "manifest.json")
    nodes = manifest["nodes"]
    assert {r["unique_id"] for r in rr["results"]} <= set(nodes)
    assert nodes[f"output.{root.name}.milestone_state"]["columns"]["is_overdue"]["description"]
    stg = nodes[f"model.{root.name}.stg"]
    assert stg["resource_type"] == "model" and stg["depends_on"]["nodes"] == [f"source.{root.name}.raw.events"]
    for table in plan.OUTPUT_TABLES:
        node = nodes[f"output.{root.name}.{table}"]
        assert node["depends_on"]["nodes"], table
        assert set(node["columns"]) == set(columns.table_columns(root_spec(root), table)), table
    assert f"record.{root.name}.milestone_transitions" in nodes


def root_spec(root: Path):
    from compiler.project import Project

    return Project(root).spec


def test_a_failing_statement_is_recorded_with_its_status_and_message(tmp_path):
    root = project(tmp_path, {"broken": "{{ config(materialized='table') }} select cast('x' as integer) as n"})
    code, out = invoke(root, "run", "--as-of", "2024-02-01")
    assert code == 1
    rr = artifact(root, "run_results.json")
    failed = [r for r in rr["results"] if r["status"] == "error"]
    assert len(failed) == 1 and failed[0]["unique_id"].endswith(".broken")
    assert "Conversion Error" in failed[0]["message"] or "convert" in failed[0]["message"].lower()
    assert all(r["status"] == "success" for r in rr["results"] if r is not failed[0])


def test_compile_and_test_write_artifacts_too(tmp_path):
    root = project(tmp_path)
    assert invoke(root, "compile", "--as-of", "2024-02-01")[0] == 0
    rr = artifact(root, "run_results.json")
    assert rr["metadata"]["command"] == "compile"
    assert len(rr["results"]) == len(list((root / "target" / "compiled" / "dev").glob("*.sql")))
    assert invoke(root, "run", "--as-of", "2024-02-01")[0] == 0
    assert invoke(root, "test")[0] == 0
    rr = artifact(root, "run_results.json")
    assert rr["metadata"]["command"] == "test" and rr["results"]
    assert {r["status"] for r in rr["results"]} == {"pass"}


def test_json_log_lines_parse_and_carry_node_rows_seconds_and_no_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("MS_TEST_SCHEMA", "hush_schema_42")
    root = project(tmp_path)
    (root / "profiles.yml").write_text(
        "target: dev\noutputs:\n  dev:\n    type: duckdb\n    path: test.duckdb\n"
        "    schema: \"{{ env_var('MS_TEST_SCHEMA') }}\"\n"
    )
    for command in (["validate"], ["compile"], ["run", "--as-of", "2024-02-01"], ["test"], ["events"], ["schema"]):
        result = CliRunner().invoke(
            main,
            ["--log-format", "json", *command]
            if command == ["schema"]
            else [*command, "--log-format", "json", "--project-dir", str(root)],
        )
        assert result.exit_code == 0, (command, result.output)
        lines = (
            [json.loads(line) for line in result.stdout.splitlines() if line.strip()] if command != ["schema"] else []
        )
        for record in lines:
            assert {"ts", "level", "event", "message"} <= set(record), record
        assert "hush_schema_42" not in result.output
        if command[0] == "run":
            statements = [r for r in lines if r["event"] == "statement"]
            assert statements and all({"node", "rows", "seconds"} <= set(r) for r in statements)
    assert "hush_schema_42" not in (root / "target" / "run_results.json").read_text()
    assert "hush_schema_42" not in (root / "target" / "manifest.json").read_text()


def test_column_descriptions_are_in_duckdb(tmp_path):
    root = project(tmp_path)
    assert invoke(root, "run", "--as-of", "2024-02-01")[0] == 0
    con = duckdb.connect(str(root / "test.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main'"
        " AND table_name IN (" + ", ".join(f"'{t}'" for t in (*plan.OUTPUT_TABLES, *plan.APPEND_TABLES)) + ")"
    ).fetchall()
    assert rows and all(comment for _, _, comment in rows), [r for r in rows if not r[2]]
    tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'").fetchall())
    con.close()
    assert tables["milestone_state"] == columns.TABLES["milestone_state"][0]
    assert dict((c, d) for t, c, d in rows if t == "account_milestones")["onboarded_is_overdue"].startswith("onboarded")


def test_column_descriptions_are_in_fakesnow(tmp_path):
    import snowflake.connector

    with fakesnow_events(tmp_path, [ev("signup", "2024-01-01")]):
        write_project(tmp_path, SPEC, "source:\n  events: db.raw.events\n")
        (tmp_path / "profiles.yml").write_text(SNOWFLAKE_PROFILE)
        code, out = invoke(tmp_path, "run", "--as-of", "2024-02-01")
        assert code == 0, out
        con = snowflake.connector.connect(database="db", schema="ms")
        described = (
            con.cursor()
            .execute(
                "SELECT table_name, column_name, comment FROM db.information_schema.columns WHERE table_schema = 'MS'"
                " AND table_name = 'MILESTONE_STATE'"
            )
            .fetchall()
        )
        con.close()
    assert described and all(comment for _, _, comment in described), described


def test_openlineage_events_through_a_file_transport(tmp_path):
    lineage = "    openlineage:\n      namespace: acme\n      transport: {type: file, log_file_path: target/ol.jsonl}\n"
    root = project(tmp_path, extra_profile=lineage)
    assert invoke(root, "run", "--as-of", "2024-02-01")[0] == 0
    events = [json.loads(line) for line in (root / "target" / "ol.jsonl").read_text().splitlines()]
    assert [e["eventType"] for e in events] == ["START", "COMPLETE"]
    assert events[0]["run"]["runId"] == events[1]["run"]["runId"] and events[0]["job"]["namespace"] == "acme"
    assert [i["name"] for i in events[1]["inputs"]] == ["main.stg"]
    outputs = {o["name"] for o in events[1]["outputs"]}
    assert {"main.milestone_state", "main.milestone_transitions", "main.stg"} <= outputs
    (root / "models" / "broken.sql").write_text("{{ config(materialized='table') }} select cast('x' as integer) as n")
    assert invoke(root, "run", "--as-of", "2024-02-01")[0] == 1
    events = [json.loads(line) for line in (root / "target" / "ol.jsonl").read_text().splitlines()]
    assert [e["eventType"] for e in events] == ["START", "COMPLETE", "START", "FAIL"]
    assert "errorMessage" in events[-1]["run"]["facets"]
