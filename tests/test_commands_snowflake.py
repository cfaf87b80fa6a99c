"""Every command on Snowflake (fakesnow, through snowflake-connector-python): the SQL of
validate's source checks, run's record, test, events, explain, report and backfill is
accepted there too."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import SNOWFLAKE_PROFILE, ev, fakesnow_events, write_project

from compiler.cli import main

SPEC = """
milestones:
  - name: signed_up
    level: contact
    criteria: [{event: signup}]
  - name: onboarded
    criteria:
      - {milestone: signed_up}
      - {event: setup, where: {plan: team}}
      - {event: task, at_least: 2, window: {last: 30d}}
"""
EVENTS = [
    ev("signup", "2024-01-01", "u1", "a1", {"plan": "team"}),
    ev("setup", "2024-01-02", "u1", "a1", {"plan": "team"}),
    ev("task", "2024-01-03", "u1", "a1", {}),
    ev("task", "2024-01-04", "u2", "a1", {}),
    ev("signup", "2024-01-05", "u3", "a2", {}),
]


def test_every_command_runs_on_snowflake(tmp_path):
    import snowflake.connector

    with fakesnow_events(tmp_path, EVENTS):
        write_project(tmp_path, SPEC, "source:\n  events: db.raw.events\n")
        (tmp_path / "profiles.yml").write_text(SNOWFLAKE_PROFILE)
        outputs = {}
        for args in (
            ["validate", "--strict"],
            ["run", "--as-of", "2024-01-20"],
            ["run", "--as-of", "2024-02-20"],
            ["test"],
            ["events"],
            ["explain", "--account", "a1"],
            ["report"],
            ["backfill", "--from", "2024-03-01", "--to", "2024-03-20", "--every", "week"],
        ):
            result = CliRunner().invoke(main, [*args, "--project-dir", str(tmp_path)])
            assert result.exit_code == 0, (args, result.output)
            assert "Traceback" not in result.output
            outputs[args[0]] = result.output
        con = snowflake.connector.connect(database="db", schema="ms")
        lost = (
            con.cursor()
            .execute(
                "SELECT entity_id, milestone, transition FROM db.ms.milestone_transitions WHERE as_of = '2024-02-20'"
            )
            .fetchall()
        )
        con.close()
    # a1's two tasks fell out of the trailing 30 days
    assert lost == [("a1", "onboarded", "lost")]
    assert "onboarded                1 lost" in outputs["run"]
    assert "2 qualifying event(s) in the 30d before as_of" not in outputs["explain"]  # as_of 2024-03-20 now
    assert "Backfill done: 4 run(s)" in outputs["backfill"]
    assert (tmp_path / "target" / "report.html").stat().st_size > 10_000
