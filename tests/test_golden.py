"""Golden SQL for the example project's milestones, per dialect.

On mismatch the test shows a unified diff; `pytest --update-goldens` rewrites the files
after a deliberate codegen change (review the diff in git before committing)."""

from __future__ import annotations

import difflib
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlglot

from compiler.project import Project
from compiler.sql.transitions import Base
from compiler.warehouse.runner import compile_project, create_statement, render
from compiler.warehouse.tracking import Record, Tracker

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
DIALECTS = ("duckdb", "snowflake", "bigquery")
PROFILES = """
target: duckdb
outputs:
  duckdb: {type: duckdb, path: golden.duckdb, schema: main}
  snowflake: {type: snowflake, account: acme, user: ci, database: analytics, schema: milestones}
  bigquery: {type: bigquery, project: acme, dataset: milestones}
"""


def compiled(tmp_path: Path, dialect: str) -> dict[str, str]:
    """The example project's milestones over a portable staging model."""
    shutil.copytree(ROOT / "milestones", tmp_path / "milestones")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "stg_events.sql").write_text("SELECT * FROM raw.events\n")
    (tmp_path / "models" / "accounts.sql").write_text("SELECT account_id, plan FROM raw.accounts\n")
    (tmp_path / "profiles.yml").write_text(PROFILES)
    project = Project(tmp_path, target=dialect, as_of=datetime(2026, 6, 30))
    header = f"-- golden: tests/test_golden.py::test_golden_sql[{dialect}]\n"
    out = {p.name: header + p.read_text() for p in compile_project(project, tmp_path / "out")}
    return out | {name: header + sql + ";\n" for name, sql in record_statements(project).items()}


def record_statements(project: Project) -> dict[str, str]:
    """What a run sends for the record (SPEC §9), planned once the bases are read: here every
    milestone compared with a previous run's base, eql new since the baseline."""
    tracker = Tracker(project, "run-2")
    names = [m.name for m in project.spec.milestones]
    compared = {n: Base("run-1", datetime(2026, 6, 23), has_rows=n != "eql") for n in names}
    record = Record(False, compared=compared, moved=names, history=names)
    out = {
        f"9{i}_{s.name}.sql": render(project, create_statement(project, s, staged=True))
        for i, s in enumerate(tracker.stages(record), 1)
    }
    for i, sql in enumerate([*tracker.writes(record), *tracker.after_success(record)], 1):
        out[f"99_record_{i}.sql"] = sqlglot.transpile(
            sql, read=project.dialect.name, write=project.dialect.name, pretty=True
        )[0]
    return out


@pytest.mark.parametrize("dialect", DIALECTS)
def test_golden_sql(tmp_path, request, dialect):
    actual = compiled(tmp_path, dialect)
    folder = GOLDEN / dialect
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, text in actual.items():
            (folder / name).write_text(text)
        return
    expected = {p.name: p.read_text() for p in sorted(folder.glob("*.sql"))}
    assert sorted(actual) == sorted(expected), "statement list changed: run pytest --update-goldens"
    diffs = []
    for name in sorted(actual):
        if actual[name] != expected[name]:
            diffs.extend(
                difflib.unified_diff(
                    expected[name].splitlines(),
                    actual[name].splitlines(),
                    f"golden/{dialect}/{name}",
                    "compiled",
                    lineterm="",
                )
            )
    assert not diffs, "compiled SQL differs from the golden files (pytest --update-goldens to accept):\n" + "\n".join(
        diffs[:200]
    )


@pytest.mark.parametrize("dialect", DIALECTS)
def test_golden_files_parse_back_in_their_dialect(dialect):
    files = sorted((GOLDEN / dialect).glob("*.sql"))
    assert files
    for path in files:
        statements = [s for s in sqlglot.parse(path.read_text(), read=dialect) if s is not None]
        assert len(statements) == 1, path.name
