"""Every command on Snowflake (fakesnow, through snowflake-connector-python): the SQL of
validate's source checks, run's record, test, events, explain, report and backfill is
accepted there too."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import write_project

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
    ("signup", "2024-01-01", "u1", "a1", '{"plan": "team"}'),
    ("setup", "2024-01-02", "u1", "a1", '{"plan": "team"}'),
    ("task", "2024-01-03", "u1", "a1", "{}"),
    ("task", "2024-01-04", "u2", "a1", "{}"),
    ("signup", "2024-01-05", "u3", "a2", "{}"),
]


def test_every_command_runs_on_snowflake(tmp_path):
    import fakesnow
    import snowflake.connector

    (tmp_path / "fs").mkdir()
    with fakesnow.patch(db_path=str(tmp_path / "fs")):
        con = snowflake.connector.connect(database="db", schema="raw")
        cur = con.cursor()
        cur.execute("CREATE DATABASE IF NOT EXISTS db")
        cur.execute("CREATE SCHEMA IF NOT EXISTS db.raw")
        cur.execute(
            "CREATE TABLE db.raw.events (event_name VARCHAR, occurred_at TIMESTAMP_NTZ, user_id VARCHAR,"
            " account_id VARCHAR, properties VARIANT)"
        )
        for row in EVENTS:
            cur.execute("INSERT INTO db.raw.events SELECT %s, %s::TIMESTAMP_NTZ, %s, %s, PARSE_JSON(%s)", row)
        write_project(tmp_path, SPEC, "source:\n  events: db.raw.events\n")
        (tmp_path / "profiles.yml").write_text(
            "target: t\noutputs:\n  t: {type: snowflake, account: fake, user: ci, password: x, database: db, schema: ms}\n"
        )
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
        lost = cur.execute(
            "SELECT entity_id, milestone, transition FROM db.ms.milestone_transitions WHERE as_of = '2024-02-20'"
        ).fetchall()
        con.close()
    # a1's two tasks fell out of the trailing 30 days
    assert lost == [("a1", "onboarded", "lost")]
    assert "onboarded                1 lost" in outputs["run"]
    assert "2 qualifying event(s) in the 30d before as_of" not in outputs["explain"]  # as_of 2024-03-20 now
    assert "Backfill done: 4 run(s)" in outputs["backfill"]
    assert (tmp_path / "target" / "report.html").stat().st_size > 10_000
