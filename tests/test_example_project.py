"""The repository's own example project runs end to end (a smaller sample via --vars):
models with macros, var() and config(), every criterion kind, `milestones test` green."""

from __future__ import annotations

from pathlib import Path

import duckdb
from click.testing import CliRunner
from conftest import copy_example

from compiler.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_example_project_runs_and_passes_its_checks(tmp_path):
    copy_example(tmp_path)
    args = ["--project-dir", str(tmp_path), "--as-of", "2026-06-30", "--vars", "{sample_accounts: 150}"]
    result = CliRunner().invoke(main, ["run", *args])
    assert result.exit_code == 0, result.output
    assert "raw_events" in result.output and "pql" in result.output
    tested = CliRunner().invoke(main, ["test", *args])
    assert tested.exit_code == 0, tested.output
    con = duckdb.connect(str(tmp_path / "milestones.duckdb"))
    assert con.execute("SELECT count(*) FROM account_milestones").fetchone() == (150,)
    assert con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'raw_events'"
    ).fetchone() == ("BASE TABLE",)
    assert con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'stg_events'"
    ).fetchone() == ("VIEW",)
    # the funnel of milestones is populated at every step, not trivially 0% or 100%
    shares = dict(con.execute("SELECT milestone, avg(is_complete::int) FROM milestone_state GROUP BY 1").fetchall())
    for name in ("onboarded", "activated_user", "pql", "transacted", "eql"):
        assert 0 < shares[name] < 1, (name, shares[name])
    # the funnel printed by `run` agrees with funnel_steps
    printed = result.output.split("funnel plg (account)")[1].split("\n\n")[0].strip().splitlines()[1:]
    table = con.execute(
        "SELECT step, milestone, entities, converted, conversion_rate FROM funnel_steps"
        " WHERE funnel = 'plg' AND segment IS NULL ORDER BY step"
    ).fetchall()
    assert len(printed) == len(table) == 4
    for line, (step, milestone, entities, converted, rate) in zip(printed, table, strict=True):
        cells = line.split()
        assert cells[:4] == [str(step), milestone, f"{entities:,}", f"{converted:,}"]
        assert cells[4] == (f"{rate:.1%}" if rate is not None else "-")
    segments = con.execute(
        "SELECT DISTINCT segment FROM funnel_steps WHERE funnel = 'plg' ORDER BY 1 NULLS FIRST"
    ).fetchall()
    assert segments == [(None,), ("business",), ("free",), ("team",)]
    con.close()
