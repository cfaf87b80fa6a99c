"""Conformance: shared scenarios (tests/conformance/*.yml: events, milestone YAML, rows
computed by hand) compiled and run on every engine through its real driver, compared
with the hand-computed rows and, table by table, with the reference engine (DuckDB).
Every BigQuery statement of every scenario must pass BigQuery's analyzer (ZetaSQL)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from bq_analyzer import Catalog, percentile_cont_aggregates
from engines import ENGINES, normalize, write_project

from compiler.project import Project
from compiler.sql import plan
from compiler.warehouse.runner import compile_project

SCENARIOS = sorted((Path(__file__).parent / "conformance").glob("*.yml"))
KEYS = {
    "milestone_criteria": ("entity_id", "milestone", "criterion_id"),
    "milestone_state": ("entity_id", "milestone"),
    "account_milestones": ("entity_id",),
    "contact_milestones": ("entity_id",),
    "milestone_events": ("entity_id", "milestone", "event_type", "criterion_id"),
    "funnel_steps": ("funnel", "segment", "step"),
    "funnel_cohorts": ("funnel", "cohort_start", "step"),
    "milestone_durations": ("funnel", "entity_id", "step"),
    "milestone_distribution": ("milestone", "met_criteria"),
    "milestone_runs": ("status", "as_of"),
    "milestone_transitions": ("entity_id", "milestone", "transition", "as_of"),
    "milestone_history": ("milestone", "as_of"),
}
TIME_COLUMNS = (
    "met_at", "completed_at", "as_of", "occurred_at", "cohort_start", "entered_at", "exited_at", "due_at",
    "previous_as_of",
)  # fmt: skip
_results: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def expected_value(column: str, value: Any) -> Any:
    if isinstance(value, str) and (column in TIME_COLUMNS or column.endswith("_completed_at")):
        return datetime.fromisoformat(value)
    return normalize(float(value)) if isinstance(value, int) and not isinstance(value, bool) else normalize(value)


def results(engine: str, path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    key = (engine, path.stem)
    if key not in _results:
        root = tmp_path_factory.mktemp(f"{engine}-{path.stem}")
        _results[key] = ENGINES[engine](root, load(path))
    return _results[key]


def comparable(row: dict[str, Any]) -> dict[str, Any]:
    """Counts may come back as integers or decimals; compare them as numbers."""
    return {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in row.items()}


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_hand_computed_rows(engine, scenario, tmp_path_factory):
    tables = results(engine, scenario, tmp_path_factory)
    for table, rows in load(scenario)["expect"].items():
        keys = KEYS[table]
        for expected in rows:
            want = {c: expected_value(c, v) for c, v in expected.items()}
            matches = [
                comparable(r) for r in tables[table] if all(comparable(r).get(k) == want[k] for k in keys if k in want)
            ]
            assert len(matches) == 1, f"{engine} {table}: {len(matches)} rows match {expected}"
            got = {c: matches[0][c] for c in want}
            assert got == pytest.approx(want) if all(isinstance(v, float) for v in want.values()) else got == want, (
                f"{engine} {table}"
            )


@pytest.mark.parametrize("engine", sorted(set(ENGINES) - {"duckdb"}))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_output_table_matches_the_reference_engine(engine, scenario, tmp_path_factory):
    reference = results("duckdb", scenario, tmp_path_factory)
    other = results(engine, scenario, tmp_path_factory)
    # spec_hash covers the source relation, which each engine names in its own way
    # run ids are random; transition_id is not, so it must agree too
    skip = {
        "milestone_runs": ("run_id", "started_at", "finished_at", "target", "spec_hash"),
        "milestone_transitions": ("run_id", "previous_run_id"),
        "milestone_history": ("run_id",),
    }
    for table in plan.OUTPUT_TABLES + plan.APPEND_TABLES + ("milestone_runs",):
        drop = skip.get(table, ())

        def canon(rows: list[dict[str, Any]], drop: tuple[str, ...] = drop) -> list[tuple[Any, ...]]:
            cleaned = [tuple(sorted((k, v) for k, v in comparable(r).items() if k not in drop)) for r in rows]
            return sorted(cleaned, key=repr)

        assert canon(other[table]) == canon(reference[table]), f"{table} differs on {engine}"


BQ_PROFILE = "target: bq\noutputs:\n  bq: {type: bigquery, project: acme, dataset: ms}\n"
RAW_EVENTS = [
    ("event_name", "STRING"), ("occurred_at", "TIMESTAMP"), ("user_id", "STRING"), ("account_id", "STRING"),
    ("properties", "JSON"), ("event_id", "STRING"), ("plan", "STRING"),
]  # fmt: skip


def bigquery_statements(root: Path, scenario: dict[str, Any], catalog: Catalog) -> list[str]:
    """The scenario's statements as `run` would send them: the source kinds (text or native
    timestamps and JSON) come from the events relation's column types, as run probes them."""
    write_project(root, scenario, BQ_PROFILE)
    project = Project(root, as_of=datetime(2024, 3, 1))
    events = catalog.tables[project.spec.source.events]
    kinds = project.source_kinds({name.lower(): kind for name, kind in events})
    return [p.read_text() for p in compile_project(project, root / "out", kinds)]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_bigquery_analyzer_accepts_every_statement(scenario, tmp_path):
    data = load(scenario)
    catalog = Catalog(
        {
            "raw.events": RAW_EVENTS,
            **{f"raw.{n}": [(c, "STRING") for c in t["columns"]] for n, t in data.get("tables", {}).items()},
        }
    )
    for sql in bigquery_statements(tmp_path, data, catalog):
        catalog.analyze(sql)
        assert percentile_cont_aggregates(sql) == []
