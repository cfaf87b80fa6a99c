"""Harness: write a project (milestone YAML + raw events) to a temp dir, run the real
pipeline (validate -> plan -> sqlglot -> DuckDB) and read the output tables back."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from compiler.cli import parse_as_of
from compiler.project import Project
from compiler.warehouse import redaction
from compiler.warehouse.runner import run_project

DEFAULT_SOURCE = """
source:
  events: raw.events
  columns:
    event_id: event_id
  property_columns: [plan]
"""


@pytest.fixture(autouse=True)
def _forget_secrets():
    """Secrets are registered process-wide (compiler.warehouse.redaction): one test's must not mask
    another test's output."""
    yield
    redaction.clear()


SCREENSHOTS: list[str] = []  # written by tests/test_report.py, listed at the end of the run


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for path in SCREENSHOTS:
        terminalreporter.write_line(f"report screenshot: {path}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/ from the current compiler")


def T(text: str) -> datetime:
    """'2024-01-01 10:00' -> datetime (UTC, naive)."""
    return datetime.fromisoformat(text)


def ev(
    event: str | None,
    ts: str | None,
    user: str | None = "u1",
    account: str | None = "a1",
    props: dict[str, Any] | None = None,
    event_id: str | None = None,
    plan: str | None = None,
) -> tuple[Any, ...]:
    return (
        event,
        T(ts) if ts else None,
        user,
        account,
        json.dumps(props) if props is not None else None,
        event_id,
        plan,
    )


@dataclass
class Built:
    con: duckdb.DuckDBPyConnection
    output: list[str]

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def criteria(self, entity: str, milestone: str) -> dict[str, tuple[Any, ...]]:
        rows = self.rows(
            "SELECT criterion_id, value, threshold, progress, is_met, met_at FROM milestone_criteria"
            " WHERE entity_id = ? AND milestone = ? ORDER BY criterion_id",
            entity,
            milestone,
        )
        return {r[0]: r[1:] for r in rows}

    def crit(self, entity: str, milestone: str, cid: str = "1") -> tuple[Any, ...]:
        return self.criteria(entity, milestone)[cid]

    def state(self, entity: str, milestone: str) -> dict[str, Any]:
        cur = self.con.execute(
            "SELECT * FROM milestone_state WHERE entity_id = ? AND milestone = ?", [entity, milestone]
        )
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
        assert row is not None, f"no state row for {entity}/{milestone}"
        return dict(zip(names, row, strict=True))


REPO = Path(__file__).resolve().parents[1]


def copy_example(root: Path) -> Path:
    """The repository's example project (milestones, models, macros, profiles.yml) in root."""
    for folder in ("milestones", "models", "macros"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "profiles.yml", root / "profiles.yml")
    return root


SNOWFLAKE_PROFILE = (
    "target: t\noutputs:\n  t: {type: snowflake, account: fake, user: ci, password: x, database: db, schema: ms}\n"
)


@contextmanager
def fakesnow_events(root: Path, events: list[tuple[Any, ...]]) -> Iterator[Callable[[list[tuple[Any, ...]]], None]]:
    """A Snowflake emulated by fakesnow (state under root/fakesnow) holding db.raw.events with
    the columns of `ev` rows; yields a function that appends more rows. Point a project at
    it with `source: {events: db.raw.events}` and SNOWFLAKE_PROFILE."""
    import fakesnow
    import snowflake.connector

    (root / "fakesnow").mkdir(parents=True, exist_ok=True)
    with fakesnow.patch(db_path=str(root / "fakesnow")):
        con = snowflake.connector.connect(database="db", schema="raw")
        cur = con.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS db")
        cur.execute("CREATE SCHEMA IF NOT EXISTS db.raw")
        cur.execute(
            "CREATE TABLE db.raw.events (event_name VARCHAR, occurred_at TIMESTAMP_NTZ, user_id VARCHAR,"
            " account_id VARCHAR, properties VARIANT, event_id VARCHAR, plan VARCHAR)"
        )

        def append(rows: list[tuple[Any, ...]]) -> None:
            for row in rows:
                cur.execute("INSERT INTO db.raw.events SELECT %s, %s, %s, %s, PARSE_JSON(%s), %s, %s", row)

        append(events)
        try:
            yield append
        finally:
            con.close()


def write_project(
    root: Path, milestones_yaml: str, source_yaml: str = DEFAULT_SOURCE, models: dict[str, str] | None = None
) -> None:
    (root / "milestones").mkdir(parents=True, exist_ok=True)
    (root / "models").mkdir(exist_ok=True)
    (root / "macros").mkdir(exist_ok=True)
    (root / "milestones" / "source.yml").write_text(textwrap.dedent(source_yaml))
    (root / "milestones" / "spec.yml").write_text(textwrap.dedent(milestones_yaml))
    for name, sql in (models or {}).items():
        (root / "models" / f"{name}.sql").write_text(textwrap.dedent(sql))
    (root / "profiles.yml").write_text(
        "target: dev\noutputs:\n  dev:\n    type: duckdb\n    path: test.duckdb\n    schema: main\n"
    )


def load_events(
    db: Path, events: list[tuple[Any, ...]], tables: dict[str, tuple[str, list[tuple[Any, ...]]]] | None = None
) -> None:
    con = duckdb.connect(str(db))
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(
        "CREATE OR REPLACE TABLE raw.events (event_name VARCHAR, occurred_at TIMESTAMP, user_id VARCHAR,"
        " account_id VARCHAR, properties JSON, event_id VARCHAR, plan VARCHAR)"
    )
    if events:
        con.executemany("INSERT INTO raw.events VALUES (?, ?, ?, ?, ?, ?, ?)", events)
    for name, (ddl, rows) in (tables or {}).items():
        con.execute(f"CREATE OR REPLACE TABLE raw.{name} ({ddl})")
        if rows:
            con.executemany(f"INSERT INTO raw.{name} VALUES ({', '.join('?' for _ in rows[0])})", rows)
    con.close()


@pytest.fixture
def build(tmp_path: Path):
    """build(milestones_yaml, events, as_of=...) -> Built, using the real run path."""
    opened: list[duckdb.DuckDBPyConnection] = []

    def _build(
        milestones_yaml: str,
        events: list[tuple[Any, ...]],
        as_of: str = "2024-03-01",
        source: str = DEFAULT_SOURCE,
        tables: dict[str, tuple[str, list[tuple[Any, ...]]]] | None = None,
    ) -> Built:
        for con in opened:  # DuckDB allows one configuration per open database file
            con.close()
        opened.clear()
        write_project(tmp_path, milestones_yaml, source)
        load_events(tmp_path / "test.duckdb", events, tables)
        project = Project(tmp_path, as_of=parse_as_of(as_of))
        output: list[str] = []
        result = run_project(project, output.append)
        result["adapter"].close()
        con = duckdb.connect(str(tmp_path / "test.duckdb"))
        con.execute("SET TimeZone = 'UTC'")
        opened.append(con)
        return Built(con, output)

    yield _build
    for con in opened:
        con.close()
