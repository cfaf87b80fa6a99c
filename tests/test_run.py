"""Run behaviour: quoting (no injection), atomic replacement on failure, secrets,
time zones, --as-of parsing, compile output, the CLI's exit codes."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import T, ev, load_events, write_project

from compiler.cli import main, parse_as_of
from compiler.sql import outputs as sql_outputs

NASTY = "O'Brien; DROP TABLE raw.events; --"


def test_quotes_semicolons_and_comments_are_matched_literally(build):
    spec = f"""
    milestones:
      - name: m
        criteria:
          - event: "it's \\"quoted\\"; --"
          - event: x
            where:
              name: '{NASTY.replace("'", "''")}'
          - event: x
            where:
              "it's; -- key": {{contains: "'; --"}}
    """
    events = [
        ev('it\'s "quoted"; --', "2024-01-01"),
        ev("x", "2024-01-02", props={"name": NASTY}),
        ev("x", "2024-01-03", props={"name": "O'Brien"}),
        ev("x", "2024-01-04", props={"it's; -- key": "a'; --b"}),
    ]
    b = build(spec, events)
    c = b.criteria("a1", "m")
    assert c["1"][0] == 1 and c["1"][3] is True
    assert c["2"][0] == 1 and c["2"][4] == T("2024-01-02")
    assert c["3"][0] == 1 and c["3"][4] == T("2024-01-04")
    assert b.rows("SELECT count(*) FROM raw.events") == [(4,)]


def test_odd_source_column_names_are_quoted(build):
    source = """
    source:
      events: raw.odd
      columns: {event: "event name", timestamp: "select", contact: "User Id", account: "acct;--", properties: "props"}
    """
    odd = (
        '"event name" VARCHAR, "select" TIMESTAMPTZ, "User Id" VARCHAR, "acct;--" VARCHAR, props JSON',
        [("signup", datetime(2024, 1, 1, 8, 0), "u1", "a1", "{}")],
    )
    b = build("milestones:\n  - name: m\n    criteria: [{event: signup}]\n", [], source=source, tables={"odd": odd})
    assert b.crit("a1", "m")[3] is True


def test_timestamptz_sources_are_normalized_to_utc(build):
    source = "source:\n  events: raw.tz\n"
    tz = (
        "event_name VARCHAR, occurred_at TIMESTAMPTZ, user_id VARCHAR, account_id VARCHAR, properties JSON",
        [("signup", "2024-01-01 10:00:00+02:00", "u1", "a1", "{}")],
    )
    b = build("milestones:\n  - name: m\n    criteria: [{event: signup}]\n", [], source=source, tables={"tz": tz})
    assert b.crit("a1", "m")[4] == T("2024-01-01 08:00")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-01", datetime(2024, 3, 1)),
        ("2024-03-01T10:30:00", datetime(2024, 3, 1, 10, 30)),
        ("2024-03-01T10:30:00+02:00", datetime(2024, 3, 1, 8, 30)),
        ("2024-03-01T10:30:00Z", datetime(2024, 3, 1, 10, 30)),
    ],
)
def test_as_of_parsing(text, expected):
    assert parse_as_of(text) == expected


SPEC = "milestones:\n  - name: m\n    criteria: [{event: a, at_least: 2}]\n"


def _run(tmp_path: Path, *args: str):
    return CliRunner().invoke(main, ["run", "--project-dir", str(tmp_path), *args])


def test_failed_run_leaves_previous_tables_intact(tmp_path, monkeypatch):
    write_project(tmp_path, SPEC, "source:\n  events: raw.events\n")
    load_events(tmp_path / "test.duckdb", [ev("a", "2024-01-01"), ev("a", "2024-01-05")])
    first = _run(tmp_path, "--as-of", "2024-01-02")
    assert first.exit_code == 0, first.output

    def broken_state(ctx):  # fails half-way: milestone_criteria is already staged
        q = sql_outputs.__dict__["_original_state"](ctx)
        from sqlglot import exp

        return q.where(
            exp.EQ(
                this=exp.Anonymous(this="error", expressions=[exp.Literal.string("boom")]),
                expression=exp.Literal.string("x"),
            )
        )

    monkeypatch.setitem(sql_outputs.__dict__, "_original_state", sql_outputs.state_query)
    monkeypatch.setattr(sql_outputs, "state_query", broken_state)
    second = _run(tmp_path, "--as-of", "2024-01-10")
    assert second.exit_code == 1
    assert "boom" in second.output and "Previous tables were left as they were" in second.output
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    # still the first run's answer (one event by 01-02, not met)
    assert con.execute("SELECT value, is_met FROM milestone_criteria").fetchall() == [(1.0, False)]
    assert con.execute("SELECT as_of FROM milestone_state").fetchall() == [(datetime(2024, 1, 2),)]
    staged = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%__ms_new'").fetchall()
    assert staged == [(0,)]
    assert con.execute("SELECT status FROM milestone_runs ORDER BY started_at").fetchall() == [("success",), ("error",)]
    con.close()
    monkeypatch.undo()
    third = _run(tmp_path, "--as-of", "2024-01-10")
    assert third.exit_code == 0
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    assert con.execute("SELECT value, is_met FROM milestone_criteria").fetchall() == [(2.0, True)]
    con.close()


def test_failing_model_fails_the_run_with_exit_1(tmp_path):
    write_project(tmp_path, SPEC, "source:\n  events: stg\n", models={"stg": "select * from raw.events"})
    load_events(tmp_path / "test.duckdb", [ev("a", "2024-01-01"), ev("a", "2024-01-05")])
    assert _run(tmp_path, "--as-of", "2024-01-10").exit_code == 0
    (tmp_path / "models" / "stg.sql").write_text(
        "select * exclude (event_name), error('model broke') as event_name from raw.events"
    )
    result = _run(tmp_path, "--as-of", "2024-01-02")
    assert result.exit_code == 1 and "model broke" in result.output
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    assert con.execute("SELECT value FROM milestone_criteria").fetchall() == [(2.0,)]
    con.close()


def test_secrets_never_appear_in_output_or_compiled_sql(tmp_path, monkeypatch):
    secret = "s3cr3t-Pa55"  # noqa: S105 - a fake secret that must never be printed
    monkeypatch.setenv("MS_TEST_TOKEN", secret)
    write_project(
        tmp_path,
        SPEC,
        "source:\n  events: stg\n",
        models={"stg": "select * from raw.events where user_id <> '{{ env_var(\"MS_TEST_TOKEN\") }}'"},
    )
    (tmp_path / "profiles.yml").write_text(
        "target: dev\noutputs:\n  dev:\n    type: duckdb\n    path: test.duckdb\n    schema: main\n"
        "    token: \"{{ env_var('MS_TEST_TOKEN') }}\"\n"
    )
    load_events(tmp_path / "test.duckdb", [ev("a", "2024-01-01"), ev("a", "2024-01-05", user=secret)])
    result = _run(tmp_path, "--as-of", "2024-01-10")
    assert result.exit_code == 0, result.output
    assert secret not in result.output
    compiled = CliRunner().invoke(main, ["compile", "--project-dir", str(tmp_path), "--as-of", "2024-01-10"])
    assert compiled.exit_code == 0
    text = "".join(p.read_text() for p in (tmp_path / "target" / "compiled" / "dev").glob("*.sql"))
    assert secret not in text and "*****" in text
    # the secret was used for real: the filtered event is gone
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    assert con.execute("SELECT value FROM milestone_criteria").fetchall() == [(1.0,)]
    con.close()


def test_compile_is_deterministic_and_readable(tmp_path):
    write_project(tmp_path, SPEC, "source:\n  events: raw.events\n")
    args = ["compile", "--project-dir", str(tmp_path), "--as-of", "2024-01-10"]
    assert CliRunner().invoke(main, args).exit_code == 0
    out = tmp_path / "target" / "compiled" / "dev"
    first = {p.name: p.read_text() for p in out.glob("*.sql")}
    assert CliRunner().invoke(main, args).exit_code == 0
    assert first == {p.name: p.read_text() for p in out.glob("*.sql")}
    assert sorted(first) == [
        "01__ms_entities.sql",  # scratch: dropped after a run, as are the stages below
        "02__ms_events.sql",
        "03__ms_accounts.sql",
        "04__ms_contacts.sql",
        "05__ms_counts_account.sql",
        "06__ms_m_m.sql",
        "07_milestone_criteria.sql",
        "08_milestone_state.sql",
        "09_account_milestones.sql",
        "10_contact_milestones.sql",
        "11_milestone_events.sql",
        "12__ms_funnel_steps.sql",
        "13_funnel_steps.sql",
        "14_funnel_cohorts.sql",
        "15_milestone_durations.sql",
        "16_milestone_distribution.sql",
        "17__ms_snapshot.sql",
    ]
    assert "\n  " in first["07_milestone_criteria.sql"]  # pretty-printed


def test_select_builds_only_the_named_milestones_and_their_dependencies(tmp_path):
    spec = textwrap.dedent("""
    milestones:
      - name: a
        criteria: [{event: x}]
      - name: b
        criteria: [{milestone: a}]
      - name: c
        criteria: [{event: y}]
    """)
    write_project(tmp_path, spec, "source:\n  events: raw.events\n")
    load_events(tmp_path / "test.duckdb", [ev("x", "2024-01-01")])
    assert _run(tmp_path, "--as-of", "2024-01-10", "--select", "b").exit_code == 0
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    assert con.execute("SELECT DISTINCT milestone FROM milestone_state ORDER BY 1").fetchall() == [("a",), ("b",)]
    con.close()


def test_init_creates_a_project_that_validates_runs_and_passes_its_tests(tmp_path):
    made = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    assert made.exit_code == 0 and "milestones run" in made.output, made.output
    for command in ("validate", "run", "test", "validate"):  # validate again, against the built source
        result = CliRunner().invoke(main, [command, "--project-dir", str(tmp_path / "new")])
        assert result.exit_code == 0, (command, result.output)
        assert "warning" not in result.output and "Traceback" not in result.output, result.output
    assert "1 passed, 0 failed" in result.output or command == "validate"
    again = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_run_summary_and_milestones_test_command(tmp_path):
    write_project(tmp_path, SPEC, "source:\n  events: raw.events\n")
    load_events(tmp_path / "test.duckdb", [ev("a", "2024-01-01"), ev("a", "2024-01-05"), ev(None, "2024-01-05")])
    result = _run(tmp_path, "--as-of", "2024-01-10")
    assert "milestone_criteria" in result.output and "rows" in result.output
    assert "3 events read, 1 ignored" in result.output
    assert "m " in result.output and "100.0%" in result.output
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert not {"_ms_entities", "_ms_counts_account", "_ms_m_m", "_ms_events", "_ms_funnel_steps"} & names  # scratch
    assert "milestone_criteria" in names
    tested = CliRunner().invoke(main, ["test", "--project-dir", str(tmp_path), "--as-of", "2024-01-10"])
    assert tested.exit_code == 0, tested.output
    assert "0 failed" in tested.output
    con = duckdb.connect(str(tmp_path / "test.duckdb"))
    con.execute("UPDATE milestone_state SET progress = 2")
    con.close()
    tested = CliRunner().invoke(main, ["test", "--project-dir", str(tmp_path), "--as-of", "2024-01-10"])
    assert tested.exit_code == 1 and "FAIL" in tested.output
