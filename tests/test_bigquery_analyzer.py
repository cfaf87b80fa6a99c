"""Every BigQuery statement the example project compiles to is accepted by BigQuery's
own SQL front end (ZetaSQL), in execution order, each CREATE feeding the catalog; and the
analyzer does reject the constructs BigQuery rejects."""

from __future__ import annotations

from datetime import datetime

import pytest
from bq_analyzer import Catalog, percentile_cont_aggregates
from sqlglot import exp
from test_golden import compiled

from compiler.project import Project
from compiler.sql.transitions import Base
from compiler.warehouse.runner import create_statement, ledgers, render
from compiler.warehouse.tracking import Record, Tracker

RAW = {
    "raw.events": [
        ("event_id", "STRING"), ("event_name", "STRING"), ("occurred_at", "TIMESTAMP"), ("user_id", "STRING"),
        ("account_id", "STRING"), ("plan", "STRING"), ("properties", "JSON"),
    ],
    "raw.accounts": [("account_id", "STRING"), ("plan", "STRING")],
}  # fmt: skip


def test_example_project_bigquery_sql_passes_the_analyzer(tmp_path):
    catalog = Catalog(RAW)
    # the record's statements (9*) read tables created below: analyzed by _analyze_record
    statements = {k: v for k, v in compiled(tmp_path, "bigquery").items() if not k.startswith("9")}
    for name, sql in sorted(statements.items()):
        try:
            catalog.analyze(sql)
        except Exception as e:  # show which statement BigQuery would reject
            pytest.fail(f"{name}: {e}")
        assert percentile_cont_aggregates(sql) == [], name
    assert "acme.milestones.funnel_steps" in catalog.tables
    # milestone_runs and the run journal: their DDL and every statement a run sends them
    project = Project(tmp_path, target="bigquery", as_of=datetime(2026, 6, 30))
    runs, journal = ledgers(project)
    now = datetime(2026, 6, 30, 1)
    row = dict(run_id="r", target="bigquery", as_of=now, started_at=now, spec_hash="h")
    for sql in (
        runs.create,
        journal.create,
        runs.insert(**row, finished_at=now, status="success", events_read=1, events_ignored=0),
        runs.insert(**row, status="aborted"),  # a killed run, recorded by the next one
        journal.insert(**row, host="h", pid=1),
        journal.select("run_id", "pid", "started_at"),
        journal.delete("r"),
    ):
        catalog.analyze(sql)
    _analyze_record(catalog, project, runs.table)


def _analyze_record(catalog: Catalog, project: Project, runs: exp.Table) -> None:
    """SPEC §9: the record's tables and every statement a run sends them, for a run that
    compares every milestone (one of them new since the baseline) and for a baseline that
    restarts the record."""
    tracker = Tracker(project, "r2")
    names = [m.name for m in project.spec.milestones]
    compared = {n: Base("r1", datetime(2026, 6, 1), has_rows=n != names[0]) for n in names}
    record = Record(False, compared=compared, moved=names, history=names, superseded=[(names[1], "r0")])
    baseline = Record(True, moved=names, history=names, forget=True)
    statements = [*tracker.creates()]
    statements += [render(project, create_statement(project, s, staged=True)) for s in tracker.stages(record)]
    for r in (record, baseline):
        statements += [*tracker.writes(r), *tracker.after_success(r)]
    # the plain SELECTs last: Catalog.analyze registers a result's columns as a table
    statements += [*tracker.cleanup(runs), tracker.changes_query(), tracker.bases_query(runs)]
    for sql in statements:
        try:
            catalog.analyze(sql)
        except Exception as e:
            pytest.fail(f"{sql[:300]}: {e}")


def test_the_analyzer_rejects_what_bigquery_rejects():
    catalog = Catalog(RAW)
    with pytest.raises(Exception, match="RANGE-based window"):
        catalog.analyze(
            "SELECT COUNT(*) OVER (PARTITION BY account_id ORDER BY occurred_at"
            " RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW) FROM raw.events"
        )
    with pytest.raises(Exception, match="COUNT_IF"):
        catalog.analyze("SELECT COUNT_IF(event_name = 'x') FROM raw.events")
    with pytest.raises(Exception, match="Unrecognized name"):
        catalog.analyze("SELECT evnt_name FROM raw.events")


def test_percentile_cont_as_an_aggregate_is_flagged():
    # ZetaSQL accepts this; BigQuery does not, hence the extra check
    sql = "SELECT PERCENTILE_CONT(x, 0.5) AS m FROM t"
    assert percentile_cont_aggregates(sql) != []
    assert percentile_cont_aggregates("SELECT PERCENTILE_CONT(x, 0.5) OVER () AS m FROM t") == []
