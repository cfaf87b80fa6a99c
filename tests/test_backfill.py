"""`milestones backfill` (SPEC §9) on DuckDB: the same tables as the equivalent sequence of
`run --as-of` calls, refusal when later runs exist, --full-refresh, a failing step."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from test_transitions import PHASE1, PHASE2, PHASE3, Target

from compiler.cli import main
from compiler.errors import ProjectError
from compiler.warehouse.backfill import boundaries

EVENTS = [PHASE1, PHASE2, PHASE3]


def D(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_boundaries_per_period_and_a_last_run_at_the_end():
    assert boundaries(D("2024-01-08"), D("2024-01-30"), "week") == [
        D("2024-01-08"), D("2024-01-15"), D("2024-01-22"), D("2024-01-29"), D("2024-01-30"),
    ]  # fmt: skip
    # from a Wednesday: the first Monday after it; an end on a boundary is not repeated
    assert boundaries(D("2024-01-10 12:00"), D("2024-01-22"), "week") == [D("2024-01-15"), D("2024-01-22")]
    assert boundaries(D("2024-01-30 06:00"), D("2024-02-02"), "day") == [
        D("2024-01-31"), D("2024-02-01"), D("2024-02-02"),
    ]  # fmt: skip
    assert boundaries(D("2023-11-15"), D("2024-02-10"), "month") == [
        D("2023-12-01"), D("2024-01-01"), D("2024-02-01"), D("2024-02-10"),
    ]  # fmt: skip
    # no boundary inside: one run at the end
    assert boundaries(D("2024-01-02 01:00"), D("2024-01-02 05:00"), "day") == [D("2024-01-02 05:00")]
    with pytest.raises(ProjectError, match="later than --to"):
        boundaries(D("2024-02-01"), D("2024-01-01"), "day")


def backfill(root: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["backfill", "--project-dir", str(root), *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


TABLES = {
    # table -> columns that differ between two targets by construction (random run ids, clocks)
    "milestone_state": (),
    "milestone_criteria": (),
    "milestone_events": (),
    "funnel_steps": (),
    "milestone_durations": (),
    "milestone_transitions": ("run_id", "previous_run_id"),
    "milestone_history": ("run_id",),
    "milestone_runs": ("run_id", "started_at", "finished_at"),
}


def contents(root: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(root / "test.duckdb"), read_only=True)
    try:
        out = {}
        for table, drop in TABLES.items():
            cols = [
                c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall() if c not in drop
            ]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def test_backfill_equals_the_sequence_of_single_runs(tmp_path):
    one, many = Target(tmp_path / "backfill"), Target(tmp_path / "runs")
    for t in (one, many):
        t.load(*EVENTS)
    out = backfill(one.root, "--from", "2024-01-08", "--to", "2024-01-30", "--every", "week")
    assert "step 1/5 as_of 2024-01-08 00:00:00 ... baseline" in out
    assert "step 5/5 as_of 2024-01-30 00:00:00 ..." in out and "Backfill done: 5 run(s)" in out
    for as_of in ("2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29", "2024-01-30"):
        many.run(as_of)
    got, want = contents(one.root), contents(many.root)
    assert got == want
    assert len(got["milestone_transitions"]) > 5  # something happened between the steps
    assert len(got["milestone_history"]) == 5 * 3
    # no scratch left behind, models were published by the first step
    con = duckdb.connect(str(one.root / "test.duckdb"), read_only=True)
    names = {n for (n,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert not {n for n in names if n.startswith("_ms_")} - {"_ms_run_journal", "_ms_comparison_base"}


def test_backfill_refuses_when_later_runs_exist_unless_full_refresh(tmp_path):
    target = Target(tmp_path)
    target.load(*EVENTS)
    target.run("2024-01-20")
    target.run("2024-01-25")
    out = backfill(target.root, "--from", "2024-01-15", "--to", "2024-01-30", "--every", "week", code=2)
    assert "already has 2 successful run(s) with as_of at or after 2024-01-15" in out and "--full-refresh" in out
    assert target.rows("SELECT count(*) FROM milestone_runs") == [(2,)]  # nothing was run
    # a backfill after the last run is fine: it compares with that run's bases
    out = backfill(target.root, "--from", "2024-01-26", "--to", "2024-01-30", "--every", "day")
    assert "step 1/5 as_of 2024-01-26 00:00:00 ... " in out and "baseline" not in out
    out = backfill(target.root, "--from", "2024-01-08", "--to", "2024-01-30", "--every", "week", "--full-refresh")
    assert "milestone_transitions and milestone_history are emptied" in out
    assert "step 1/5 as_of 2024-01-08 00:00:00 ... baseline" in out
    # the record restarted at the first step: nothing from the runs before it is left
    history = target.rows("SELECT DISTINCT as_of FROM milestone_history ORDER BY 1")
    assert history == [(D(d),) for d in ("2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29", "2024-01-30")]
    assert target.rows("SELECT min(previous_as_of) FROM milestone_transitions") == [(D("2024-01-08"),)]


def test_a_failing_step_stops_the_backfill_and_keeps_the_steps_before(tmp_path, monkeypatch):
    target = Target(tmp_path)
    target.load(*EVENTS)
    from compiler.warehouse import runner

    real = runner.run_project
    calls = []

    def failing(p, echo, forget=False, session=None):
        calls.append(p.as_of)
        if len(calls) == 3:
            from compiler.errors import RunError

            raise RunError("the warehouse went away")
        return real(p, echo, forget=forget, session=session)

    monkeypatch.setattr("compiler.warehouse.backfill.run_project", failing)
    out = backfill(target.root, "--from", "2024-01-08", "--to", "2024-01-30", "--every", "week", code=1)
    assert "step 3/5 (as_of 2024-01-22 00:00:00) failed: the warehouse went away" in out
    assert target.rows("SELECT as_of FROM milestone_runs WHERE status = 'success' ORDER BY 1") == [
        (D("2024-01-08"),),
        (D("2024-01-15"),),
    ]
    # their record stays; the state tables are written by the last step only, so they are still
    # those of before the backfill (here: none yet)
    assert target.rows("SELECT DISTINCT as_of FROM milestone_history ORDER BY 1") == [
        (D("2024-01-08"),),
        (D("2024-01-15"),),
    ]
    assert target.rows("SELECT count(*) FROM information_schema.tables WHERE table_name = 'milestone_state'") == [(0,)]


def test_backfill_rejects_bad_instants(tmp_path):
    target = Target(tmp_path)
    target.load(*EVENTS)
    out = backfill(target.root, "--from", "2024-02-01", "--to", "2024-01-01", "--every", "day", code=2)
    assert "later than --to" in out
    out = backfill(target.root, "--from", "yesterday", "--to", "2024-01-01", "--every", "day", code=2)
    assert "--from" in out and "ISO 8601" in out
