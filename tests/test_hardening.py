"""Hardening (issue #13): sandboxed templates, secrets that never leak, runs that fail or
are interrupted or killed and change nothing, a locked database file."""

from __future__ import annotations

import gzip
import http.server
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import ev, load_events, write_project

from compiler.cli import main
from compiler.warehouse import redaction
from compiler.warehouse.adapters.snowflake import connect_kwargs
from compiler.warehouse.profiles import load_target

SPEC = "milestones:\n  - name: m\n    criteria: [{event: a, at_least: 2}]\n"
ESCAPE = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}"
# a model chain: raw.events -> base (table) -> stg (view) -> the milestones
MODELS = {
    "base": "{{ config(materialized='table') }}\nselect * from raw.events",
    "stg": "select * from {{ ref('base') }}",
}


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["run", "--project-dir", str(root), *args])


def rows(root: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(root / "test.duckdb"))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# -- the sandbox ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["model", "macro", "profile"])
def test_template_escapes_are_refused_and_run_nothing(tmp_path, where):
    marker = tmp_path / "pwned"
    write_project(tmp_path, SPEC, "source:\n  events: stg\n", models={"stg": "select * from raw.events"})
    if where == "model":
        (tmp_path / "models" / "stg.sql").write_text("select * from raw.events\n-- " + ESCAPE % marker + "\n")
    elif where == "macro":
        (tmp_path / "macros" / "evil.sql").write_text("{% macro x() %}{% endmacro %}\n" + ESCAPE % marker + "\n")
    else:
        (tmp_path / "profiles.yml").write_text(
            "target: dev\noutputs:\n  dev:\n    type: duckdb\n    schema: main\n"
            f'    path: "{ESCAPE % marker}x.duckdb"\n'
        )
    for command in ("validate", "compile"):
        result = cli(command, "--project-dir", str(tmp_path))
        assert result.exit_code == 2, result.output
        assert "unsafe template code refused by the sandbox" in result.output
        assert "Traceback" not in result.output
    assert not marker.exists()
    expected = {"model": "models/stg.sql:2", "macro": "macros/evil.sql:2", "profile": "profiles.yml:6"}[where]
    assert expected in result.output


def test_only_the_documented_functions_are_exposed(tmp_path):
    write_project(tmp_path, SPEC, "source:\n  events: stg\n", models={"stg": "select {{ range(3) | list }}"})
    result = cli("validate", "--project-dir", str(tmp_path))
    assert result.exit_code == 2 and "'range' is undefined" in result.output


def test_template_errors_name_file_and_line(tmp_path):
    write_project(tmp_path, SPEC, "source:\n  events: stg\n", models={"stg": "select 1\n\n{{ 1 // 0 }}"})
    result = cli("validate", "--project-dir", str(tmp_path))
    assert result.exit_code == 2 and "models/stg.sql:3" in result.output and "ZeroDivisionError" in result.output


# -- secrets --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["hunter2 #frag", "0123", "yes", "null", "a: b", "~", "[1, 2]", " padded "])
def test_profile_env_var_values_reach_the_adapter_verbatim(tmp_path, monkeypatch, value):
    monkeypatch.setenv("SF_PASSWORD", value)
    (tmp_path / "profiles.yml").write_text(
        "target: prod\noutputs:\n  prod:\n    type: snowflake\n    account: acme\n    user: u\n"
        "    password: \"{{ env_var('SF_PASSWORD') }}\"\n    schema: s\n"
    )
    target = load_target(tmp_path, None)
    assert target.settings["password"] == value
    assert connect_kwargs(target.settings)["password"] == value
    assert redaction.redact(f"login failed for {value!r}") == "login failed for '*****'"


def test_secret_prefixed_env_var_is_refused_in_models(tmp_path, monkeypatch):
    monkeypatch.setenv("MILESTONES_SECRET_TOKEN", "tok-123")
    monkeypatch.setenv("DBT_ENV_SECRET_KEY", "key-456")
    monkeypatch.setenv("PLAIN_SETTING", "raw")
    for name in ("MILESTONES_SECRET_TOKEN", "DBT_ENV_SECRET_KEY"):
        model = f"select * from raw.events where user_id <> '{{{{ env_var(\"{name}\") }}}}'"
        write_project(tmp_path, SPEC, "source:\n  events: stg\n", models={"stg": model})
        for command in ("validate", "compile", "run"):
            result = cli(command, "--project-dir", str(tmp_path))
            assert result.exit_code == 2, result.output
            assert f"env_var('{name}') is refused in models" in result.output
            assert "tok-123" not in result.output and "key-456" not in result.output
        assert not list((tmp_path / "target").rglob("*.sql")) if (tmp_path / "target").exists() else True
    # a plain variable renders as text, into the SQL
    write_project(
        tmp_path,
        SPEC,
        "source:\n  events: stg\n",
        models={"stg": "select * from {{ env_var('PLAIN_SETTING') }}.events"},
    )
    assert cli("compile", "--project-dir", str(tmp_path), "--as-of", "2024-01-10").exit_code == 0
    assert "raw.events" in (tmp_path / "target" / "compiled" / "dev" / "01_stg.sql").read_text()


class _Echo(http.server.BaseHTTPRequestHandler):
    """A login endpoint that rejects every request, echoing what it was sent."""

    def _reply(self, status: int, payload: dict[str, object]) -> None:
        out = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            body = gzip.decompress(body)
        except OSError:
            pass
        if self.path.startswith("/session"):  # Snowflake's login request
            password = json.loads(body)["data"].get("PASSWORD")
            message = f"Incorrect username or password was specified (got {password!r})."
            self._reply(200, {"success": False, "code": "390100", "message": message, "data": None})
        else:  # BigQuery: the project id is part of the path
            self._reply(403, {"error": {"code": 403, "message": f"Access denied to {self.path}", "status": "DENIED"}})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()


def _assert_hidden(result, secret: str, root: Path) -> None:
    assert result.exit_code == 1, result.output
    assert "could not connect" in result.output and "*****" in result.output
    assert secret not in result.output and "Traceback" not in result.output
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in (".sql", ".json", ".log", ".txt"):
            assert secret not in path.read_text(errors="replace"), path


def test_snowflake_login_error_echoing_the_password_is_redacted(tmp_path, monkeypatch, endpoint):
    secret = "hunter2 #frag"  # noqa: S105 - a fake secret the fake endpoint echoes back
    monkeypatch.setenv("SF_PASSWORD", secret)
    write_project(tmp_path, SPEC, "source:\n  events: raw.events\n")
    (tmp_path / "profiles.yml").write_text(
        "target: sf\noutputs:\n  sf:\n    type: snowflake\n    account: acme\n    user: u\n"
        f"    password: \"{{{{ env_var('SF_PASSWORD') }}}}\"\n    host: 127.0.0.1\n    port: {endpoint}\n"
        "    protocol: http\n    database: db\n    schema: s\n"
    )
    _assert_hidden(run(tmp_path, "--as-of", "2024-01-10"), secret, tmp_path)


def test_bigquery_connect_error_with_the_project_in_its_url_is_redacted(tmp_path, monkeypatch, endpoint):
    secret = "acme-prod-4711"  # noqa: S105 - a project id read through env_var
    monkeypatch.setenv("BQ_PROJECT", secret)
    write_project(tmp_path, SPEC, "source:\n  events: raw.events\n")
    (tmp_path / "profiles.yml").write_text(
        "target: bq\noutputs:\n  bq:\n    type: bigquery\n    project: \"{{ env_var('BQ_PROJECT') }}\"\n"
        f"    dataset: ms\n    api_endpoint: http://127.0.0.1:{endpoint}\n    timeout_seconds: 3\n"
    )
    _assert_hidden(run(tmp_path, "--as-of", "2024-01-10"), secret, tmp_path)


def test_driver_error_text_is_redacted(tmp_path, monkeypatch):
    secret = "tenant-9f2c"  # noqa: S105 - part of a path read through env_var
    monkeypatch.setenv("DB_DIR", secret)
    write_project(tmp_path, SPEC, "source:\n  events: raw.events\n")
    (tmp_path / "profiles.yml").write_text(
        "target: dev\noutputs:\n  dev:\n    type: duckdb\n    schema: main\n"
        "    path: \"/nonexistent/{{ env_var('DB_DIR') }}/x.duckdb\"\n"
    )
    result = run(tmp_path, "--as-of", "2024-01-10")
    assert result.exit_code == 1 and "cannot open the DuckDB database" in result.output
    assert secret not in result.output and "/nonexistent/*****/x.duckdb" in result.output


def test_driver_log_records_are_redacted(capsys):
    redaction.register("pw-in-a-log-line")
    redaction.install_log_redaction()
    logging.getLogger("urllib3.connectionpool").warning("retrying %s after 403", "pw-in-a-log-line")
    err = capsys.readouterr().err
    assert "pw-in-a-log-line" not in err and "retrying ***** after 403" in err


# -- runs that fail, are interrupted, or are killed -----------------------------------


def _project_with_models(root: Path) -> None:
    write_project(root, SPEC, "source:\n  events: stg\n", models=MODELS)
    load_events(root / "test.duckdb", [ev("a", "2024-01-01"), ev("a", "2024-01-05")])
    first = run(root, "--as-of", "2024-01-10")
    assert first.exit_code == 0, first.output
    # new data arrives; the next run would replace base with 3 rows
    con = duckdb.connect(str(root / "test.duckdb"))
    con.execute(
        "INSERT INTO raw.events (event_name, occurred_at, user_id, account_id) VALUES ('a', '2024-01-06', 'u1', 'a1')"
    )
    con.close()


def _state(root: Path) -> dict[str, object]:
    return {
        "base": rows(root, "SELECT count(*) FROM main.base"),
        "stg": rows(root, "SELECT count(*) FROM main.stg"),
        "criteria": rows(root, "SELECT value FROM milestone_criteria"),
        "staged": rows(
            root, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%\\_\\_ms\\_new' ESCAPE '\\'"
        ),
    }


BEFORE = {"base": [(2,)], "stg": [(2,)], "criteria": [(2.0,)], "staged": []}
AFTER = {"base": [(3,)], "stg": [(3,)], "criteria": [(3.0,)], "staged": []}


def test_a_model_failing_half_way_changes_no_model_and_no_output(tmp_path):
    _project_with_models(tmp_path)
    # stg now fails at run time, after base was rebuilt (staged) with the new row
    (tmp_path / "models" / "stg.sql").write_text(
        "select * exclude (event_name), error('stg broke') as event_name from {{ ref('base') }}"
    )
    result = run(tmp_path, "--as-of", "2024-01-10")
    assert result.exit_code == 1 and "stg broke" in result.output
    assert _state(tmp_path) == BEFORE
    assert rows(tmp_path, "SELECT status FROM milestone_runs ORDER BY started_at") == [("success",), ("error",)]


_KILLER = """
import os, signal, sys
from compiler.warehouse.adapters import duckdb as adapter
original = adapter.DuckDBAdapter.execute
def execute(self, sql):
    if {trigger!r} in sql:
        os.kill(os.getpid(), signal.{signal})
    return original(self, sql)
adapter.DuckDBAdapter.execute = execute
from compiler.cli import main
sys.argv = ["milestones", "run", "--project-dir", {root!r}, "--as-of", "2024-01-10"]
main()
"""


def _run_and_signal(root: Path, sig: str, trigger: str = "milestone_state__ms_new") -> subprocess.CompletedProcess[str]:
    script = _KILLER.format(trigger=trigger, signal=sig, root=str(root))
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)  # noqa: S603


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_an_interrupted_run_cleans_up_and_records_aborted(tmp_path, sig):
    _project_with_models(tmp_path)
    done = _run_and_signal(tmp_path, sig)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr
    assert _state(tmp_path) == BEFORE
    assert rows(tmp_path, "SELECT status FROM milestone_runs ORDER BY started_at") == [("success",), ("aborted",)]
    assert rows(tmp_path, "SELECT count(*) FROM _ms_run_journal") == [(0,)]


def test_a_killed_run_changes_nothing_and_the_next_run_records_and_cleans_it(tmp_path):
    _project_with_models(tmp_path)
    done = _run_and_signal(tmp_path, "SIGKILL")
    assert done.returncode == -signal.SIGKILL
    state = _state(tmp_path)
    assert {k: v for k, v in state.items() if k != "staged"} == {k: v for k, v in BEFORE.items() if k != "staged"}
    assert ("base__ms_new",) in state["staged"] and ("stg__ms_new",) in state["staged"]
    assert rows(tmp_path, "SELECT status FROM milestone_runs") == [("success",)]
    nxt = run(tmp_path, "--as-of", "2024-01-10")
    assert nxt.exit_code == 0, nxt.output
    assert "unfinished: recording it as aborted" in nxt.output and "Dropping" in nxt.output
    assert _state(tmp_path) == AFTER
    statuses = rows(tmp_path, "SELECT status FROM milestone_runs ORDER BY started_at")
    assert statuses == [("success",), ("aborted",), ("success",)]
    assert rows(tmp_path, "SELECT count(*) FROM _ms_run_journal") == [(0,)]


def test_a_model_that_changes_materialization_is_published(tmp_path):
    _project_with_models(tmp_path)
    (tmp_path / "models" / "stg.sql").write_text("{{ config(materialized='table') }}\nselect * from {{ ref('base') }}")
    (tmp_path / "models" / "base.sql").write_text("select * from raw.events")  # now a view
    assert run(tmp_path, "--as-of", "2024-01-10").exit_code == 0
    kinds = rows(
        tmp_path,
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN ('base', 'stg') ORDER BY 1",
    )
    assert kinds == [("base", "VIEW"), ("stg", "BASE TABLE")]
    assert _state(tmp_path) == AFTER


def test_a_second_writer_gets_a_clear_error(tmp_path):
    _project_with_models(tmp_path)
    holder = duckdb.connect(str(tmp_path / "test.duckdb"))
    try:
        exe = Path(sys.executable).parent / "milestones"
        for command in ("run", "test"):
            done = subprocess.run(  # noqa: S603
                [str(exe), command, "--project-dir", str(tmp_path), "--as-of", "2024-01-10"],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 1, done.stderr
            assert "is in use by another process" in done.stderr and f"(process {os.getpid()})" in done.stderr
            assert "Traceback" not in done.stderr + done.stdout
    finally:
        holder.close()
    assert _state(tmp_path) == BEFORE


def test_a_run_in_progress_on_this_machine_is_not_taken_for_aborted(tmp_path):
    _project_with_models(tmp_path)
    sleeper = subprocess.Popen(["sleep", "60"])  # noqa: S603, S607 - a live process id
    try:
        con = duckdb.connect(str(tmp_path / "test.duckdb"))
        con.execute(
            "INSERT INTO _ms_run_journal VALUES ('r-live', 'dev', '2024-01-10', '2024-01-10 01:00', ?, ?, 'h')",
            [socket.gethostname(), sleeper.pid],
        )
        con.close()
        result = run(tmp_path, "--as-of", "2024-01-10")
        assert result.exit_code == 1 and "another run (r-live" in result.output
        assert _state(tmp_path) == BEFORE
    finally:
        sleeper.kill()
        sleeper.wait()
    # once that process is gone, its row is an aborted run
    result = run(tmp_path, "--as-of", "2024-01-10")
    assert result.exit_code == 0 and "r-live" in result.output
    assert ("r-live", "aborted") in rows(tmp_path, "SELECT run_id, status FROM milestone_runs")


def test_bad_option_values_exit_2_without_a_traceback(tmp_path):
    write_project(tmp_path, SPEC, "source:\n  events: raw.events\n")
    for args in (["--vars", "x: ["], ["--vars", "[1, 2]"], ["--as-of", "yesterday"], ["--as-of", "2024-13-01"]):
        result = cli("validate", "--project-dir", str(tmp_path), *args)
        assert result.exit_code == 2 and "Traceback" not in result.output, (args, result.output)
    (tmp_path / "profiles.yml").write_text("target: dev\noutputs: [1, 2\n")
    result = cli("validate", "--project-dir", str(tmp_path))
    assert result.exit_code == 2 and "profiles.yml:" in result.output and "invalid YAML" in result.output
    (tmp_path / "profiles.yml").write_text(
        textwrap.dedent("""\
        target: dev
        outputs:
          dev: {type: duckdb, path: "{{ env_var('NOT_SET_ANYWHERE_42') }}"}
    """)
    )
    result = cli("validate", "--project-dir", str(tmp_path))
    assert result.exit_code == 2 and "profiles.yml:3" in result.output and "NOT_SET_ANYWHERE_42" in result.output
