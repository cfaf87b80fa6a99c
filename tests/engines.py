"""Engines the conformance suite runs on. Each loads a scenario's source tables, runs the
real pipeline through its adapter, and returns every output table as normalized rows."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import fakesnow_events, load_events

from compiler.cli import parse_as_of
from compiler.project import Project
from compiler.sql import plan
from compiler.warehouse.runner import run_project

EVENT_COLUMNS = ("event_name", "occurred_at", "user_id", "account_id", "properties", "event_id", "plan")
DEFAULT_SOURCE = "source:\n  events: raw.events\n  columns:\n    event_id: event_id\n  property_columns: [plan]\n"


def normalize(value: Any) -> Any:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return round(value, 6) + 0.0
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def event_rows(scenario: dict[str, Any], events: list[dict[str, Any]] | None = None) -> list[tuple[Any, ...]]:
    rows = []
    for e in scenario["events"] if events is None else events:
        props = e.get("props")
        rows.append(
            (
                e.get("event"), datetime.fromisoformat(e["ts"]) if e.get("ts") else None, e.get("user"), e.get("account"),
                json.dumps(props) if props is not None else None, e.get("id"), e.get("plan"),
            )
        )  # fmt: skip
    return rows


def write_project(root: Path, scenario: dict[str, Any], profile: str) -> None:
    (root / "milestones").mkdir(parents=True, exist_ok=True)
    (root / "milestones" / "source.yml").write_text(textwrap.dedent(scenario.get("source", DEFAULT_SOURCE)))
    (root / "milestones" / "spec.yml").write_text(textwrap.dedent(scenario["spec"]))
    (root / "profiles.yml").write_text(profile)


def _run(root: Path, scenario: dict[str, Any], append: Callable[[list[tuple[Any, ...]]], None]) -> Any:
    """One run at the scenario's as_of, then one per entry of `later` (SPEC §9: events
    appended, possibly back-dated, before a run at a later as_of), on one target."""
    project = Project(root, as_of=parse_as_of(scenario["as_of"]))
    adapter = run_project(project, lambda _: None)["adapter"]
    for step in scenario.get("later", []):
        adapter.close()
        append(event_rows(scenario, step.get("events", [])))
        project = Project(root, as_of=parse_as_of(step["as_of"]))
        adapter = run_project(project, lambda _: None)["adapter"]
    return project, adapter


def _read_all(project: Project, adapter: Any) -> dict[str, list[dict[str, Any]]]:
    tables = {}
    for name in plan.OUTPUT_TABLES + plan.APPEND_TABLES + ("milestone_runs",):
        sql = f"SELECT * FROM {project.relation(name).sql(project.target.type)}"
        cols = [c.lower() for c in adapter.columns(sql)]
        tables[name] = [dict(zip(cols, map(normalize, row), strict=True)) for row in adapter.execute(sql)]
    return tables


def run_duckdb(root: Path, scenario: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    tables = {
        name: (", ".join(f"{c} VARCHAR" for c in table["columns"]), [tuple(r) for r in table["rows"]])
        for name, table in scenario.get("tables", {}).items()
    }
    rows = event_rows(scenario)
    load_events(root / "engine.duckdb", rows, tables)

    def append(more: list[tuple[Any, ...]]) -> None:
        rows.extend(more)
        load_events(root / "engine.duckdb", rows, tables)

    write_project(root, scenario, "target: t\noutputs:\n  t: {type: duckdb, path: engine.duckdb, schema: ms}\n")
    project, adapter = _run(root, scenario, append)
    try:
        return _read_all(project, adapter)
    finally:
        adapter.close()


def run_fakesnow(root: Path, scenario: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Snowflake through the real snowflake-connector-python, patched by fakesnow."""
    import snowflake.connector

    with fakesnow_events(root, event_rows(scenario)) as append:
        con = snowflake.connector.connect(database="db", schema="raw")
        cur = con.cursor()
        for name, table in scenario.get("tables", {}).items():
            cur.execute(f"CREATE TABLE db.raw.{name} ({', '.join(f'{c} VARCHAR' for c in table['columns'])})")
            for row in table["rows"]:
                cur.execute(f"INSERT INTO db.raw.{name} VALUES ({', '.join('%s' for _ in row)})", row)
        con.close()
        source = scenario.get("source", DEFAULT_SOURCE).replace("raw.", "db.raw.")
        scenario = {**scenario, "source": source}
        profile = "target: t\noutputs:\n  t: {type: snowflake, account: fake, user: ci, password: x, database: db, schema: ms, query_tag: conformance}\n"
        write_project(root, scenario, profile)
        project, adapter = _run(root, scenario, append)
        try:
            return _read_all(project, adapter)
        finally:
            adapter.close()


ENGINES = {"duckdb": run_duckdb, "snowflake": run_fakesnow}
