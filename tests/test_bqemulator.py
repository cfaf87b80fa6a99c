"""BigQuery through the real google-cloud-bigquery client against bqemulator (a local
emulator that translates BigQuery SQL to DuckDB). It proves the driver path — dataset
creation, query jobs, result reading, copy-job swaps, re-runs — not BigQuery semantics;
those are checked by ZetaSQL (test_bigquery_analyzer.py) and the conformance suite.

The emulator's own SQL parser rejects two constructs BigQuery accepts (ZetaSQL agrees with
BigQuery): ARRAY_AGG(... IGNORE NULLS ORDER BY ... LIMIT n), used for the Nth event time
whenever N > 1 without a sliding or trailing window, and TIMESTAMP_TRUNC(..., ISOWEEK). This
scenario keeps to N = 1 there and uses the other criterion kinds. `.ci/run` starts the emulator from its own venv and sets
MILESTONES_BQEMULATOR; without it these tests are skipped."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

from compiler.project import Project
from compiler.warehouse.runner import run_project

EXECUTABLE = os.environ.get("MILESTONES_BQEMULATOR")
pytestmark = pytest.mark.skipif(not EXECUTABLE, reason="MILESTONES_BQEMULATOR (bqemulator executable) not set")

SPEC = """
source:
  events: acme.raw.events
milestones:
  - name: onboarded
    criteria:
      - {event: msg, sum: amount, at_least: 5, window: {any: 1h}}
  - name: pql
    criteria:
      - {milestone: onboarded}
      - {event: search, distinct: q, window: {after: onboarded}}
      - {event: task, at_least: 2, window: {last: 2d}}
funnels:
  - {name: f, steps: [onboarded, pql], cohort: month}
"""
EVENTS = [
    ("msg", "2024-01-04 02:00:00", "u1", "a1", '{"amount": 3}'),
    ("msg", "2024-01-04 02:30:00", "u1", "a1", '{"amount": "2.5"}'),
    ("search", "2024-01-04 01:00:00", "u1", "a1", '{"q": "early"}'),
    ("search", "2024-01-04 03:00:00", "u1", "a1", '{"q": "x"}'),
    ("seen", "2024-01-01 00:00:00", "u2", "a1", "{}"),
    ("search", "2024-01-04 04:00:00", "u2", None, '{"q": "y"}'),  # no account: u2's (a1)
    ("task", "2024-01-03 00:00:00", "u1", "a1", "{}"),
    ("task", "2024-01-04 00:00:00", "u1", "a1", "{}"),
    ("msg", "2024-01-04 02:00:00", "u3", "a2", '{"amount": 4}'),
]


@pytest.fixture(scope="module")
def endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(  # noqa: S603 - the emulator executable CI installed
        [
            EXECUTABLE,
            "start",
            "--rest-host",
            "127.0.0.1",
            "--rest-port",
            str(port),
            "--grpc-port",
            "0",
            "--ephemeral",
            "--project",
            "acme",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/bigquery/v2/projects/acme/datasets", timeout=1)  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("bqemulator did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _load(url: str) -> None:
    from google.cloud import bigquery

    from compiler.warehouse.adapters.bigquery import client_kwargs

    client = bigquery.Client(**client_kwargs({"project": "acme", "api_endpoint": url}))
    client.create_dataset("acme.raw", exists_ok=True)
    client.query(
        "CREATE OR REPLACE TABLE acme.raw.events (event_name STRING, occurred_at TIMESTAMP, user_id STRING, account_id STRING, properties JSON)"
    ).result()
    for row in EVENTS:
        params = [
            bigquery.ScalarQueryParameter(name, kind, value)
            for name, kind, value in zip(
                "etuap", ("STRING", "TIMESTAMP", "STRING", "STRING", "STRING"), row, strict=True
            )
        ]
        client.query(
            "INSERT INTO acme.raw.events VALUES (@e, @t, @u, @a, PARSE_JSON(@p))",
            job_config=bigquery.QueryJobConfig(query_parameters=params),
        ).result()
    client.close()


def _project(root: Path, url: str, as_of: datetime) -> Project:
    (root / "milestones").mkdir(parents=True, exist_ok=True)
    (root / "milestones" / "spec.yml").write_text(SPEC)
    (root / "profiles.yml").write_text(
        f"target: bq\noutputs:\n  bq: {{type: bigquery, project: acme, dataset: ms, api_endpoint: '{url}'}}\n"
    )
    return Project(root, as_of=as_of)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_bigquery_driver_path_end_to_end(tmp_path, endpoint):
    _load(endpoint)
    result = run_project(_project(tmp_path, endpoint, datetime(2024, 1, 5)), lambda _: None)
    adapter = result["adapter"]
    try:
        rows = adapter.execute(
            "SELECT entity_id, milestone, criterion_id, value, is_met, met_at FROM acme.ms.milestone_criteria ORDER BY 1, 2, 3"
        )
        assert rows == [
            ("a1", "onboarded", "1", 5.5, True, utc("2024-01-04 02:30:00")),  # 3 + 2.5 within 1h
            ("a1", "pql", "1", 1.0, True, utc("2024-01-04 02:30:00")),
            ("a1", "pql", "2", 2.0, True, utc("2024-01-04 03:00:00")),  # 'early' precedes the anchor
            ("a1", "pql", "3", 2.0, True, utc("2024-01-04 00:00:00")),  # [01-03, 01-05] holds both
            ("a2", "onboarded", "1", 4.0, False, None),
            ("a2", "pql", "1", 0.0, False, None),
            ("a2", "pql", "2", 0.0, False, None),
            ("a2", "pql", "3", 0.0, False, None),
        ]
        steps = adapter.execute(
            "SELECT step, entities, converted FROM acme.ms.funnel_steps WHERE segment IS NULL ORDER BY step"
        )
        assert steps == [(1, 1, 1), (2, 1, 1)]
        # table and column descriptions (compiler/columns.py) through the API
        table = adapter.client.get_table("acme.ms.milestone_state")
        assert table.description and all(f.description for f in table.schema)
    finally:
        adapter.close()
    # a re-run replaces every table through copy jobs
    adapter = run_project(_project(tmp_path, endpoint, datetime(2024, 1, 4, 2, 15)), lambda _: None)["adapter"]
    try:
        assert adapter.execute(
            "SELECT value, is_met FROM acme.ms.milestone_criteria WHERE entity_id = 'a1' AND milestone = 'onboarded'"
        ) == [(3.0, False)]
        assert adapter.execute("SELECT status FROM acme.ms.milestone_runs ORDER BY started_at") == [
            ("success",),
            ("success",),
        ]
        staged = adapter.execute(
            "SELECT table_name FROM acme.ms.INFORMATION_SCHEMA.TABLES WHERE table_name LIKE '%__ms_new'"
        )
        assert staged == []
        # SPEC §9: that run's as_of is earlier than the bases (01-05): nothing compared
        assert adapter.execute("SELECT COUNT(*) FROM acme.ms.milestone_transitions") == [(0,)]
    finally:
        adapter.close()
    # a day later a1's two tasks no longer both lie in the trailing 2 days: pql is lost,
    # compared with the first run (the base); the record goes in one transaction script
    adapter = run_project(_project(tmp_path, endpoint, datetime(2024, 1, 6)), lambda _: None)["adapter"]
    try:
        rows = adapter.execute(
            "SELECT transition_id, entity_id, milestone, transition, previous_as_of, new_criteria"
            " FROM acme.ms.milestone_transitions"
        )
        text = "account|pql|lost|2024-01-06 00:00:00.000000|2024-01-05 00:00:00.000000|a1"
        assert rows == [(hashlib.md5(text.encode()).hexdigest(), "a1", "pql", "lost", utc("2024-01-05"), "")]  # noqa: S324
        assert adapter.execute("SELECT COUNT(*) FROM acme.ms.milestone_history") == [(6,)]  # 2 milestones x 3 runs
    finally:
        adapter.close()


def test_value_rules_over_text_columns(tmp_path, endpoint):
    """SPEC §7's value rules (tests/conformance/values.yml) through the driver, over STRING
    timestamps and JSON text, as run reads them after probing the column types. Criterion 7
    (a count with at_least 5, the emulator's ARRAY_AGG ... LIMIT gap) becomes at_least 1."""
    import yaml
    from google.cloud import bigquery

    from compiler.warehouse.adapters.bigquery import client_kwargs

    scenario = yaml.safe_load((Path(__file__).parent / "conformance" / "values.yml").read_text())
    client = bigquery.Client(**client_kwargs({"project": "acme", "api_endpoint": endpoint}))
    client.create_dataset("acme.raw", exists_ok=True)
    columns = scenario["tables"]["ev"]["columns"]
    client.query(f"CREATE OR REPLACE TABLE acme.raw.ev ({', '.join(f'{c} STRING' for c in columns)})").result()
    for row in scenario["tables"]["ev"]["rows"]:
        params = [bigquery.ScalarQueryParameter(f"p{i}", "STRING", v) for i, v in enumerate(row)]
        client.query(
            f"INSERT INTO acme.raw.ev VALUES ({', '.join(f'@p{i}' for i in range(len(row)))})",
            job_config=bigquery.QueryJobConfig(query_parameters=params),
        ).result()
    client.close()
    (tmp_path / "milestones").mkdir()
    spec = scenario["spec"].replace("- {event: t, at_least: 5}", "- {event: t}")
    (tmp_path / "milestones" / "spec.yml").write_text(spec + "\nsource:\n  events: acme.raw.ev\n")
    (tmp_path / "profiles.yml").write_text(
        f"target: bq\noutputs:\n  bq: {{type: bigquery, project: acme, dataset: vals, api_endpoint: '{endpoint}'}}\n"
    )
    result = run_project(Project(tmp_path, as_of=datetime(2026, 6, 30)), lambda _: None)
    adapter = result["adapter"]
    try:
        got = {
            (e, c): (v, m, t)
            for e, c, v, m, t in adapter.execute(
                "SELECT entity_id, criterion_id, value, is_met, met_at FROM acme.vals.milestone_criteria"
            )
        }
        assert (result["events_read"], result["events_ignored"]) == (74, 5)
    finally:
        adapter.close()
    checked = 0
    for want in scenario["expect"]["milestone_criteria"]:
        if want["criterion_id"] == "7":
            continue
        value, met, at = got[(want["entity_id"], want["criterion_id"])]
        assert value == pytest.approx(want["value"]), want
        assert met == want.get("is_met", met), want
        if "met_at" in want and want["met_at"] is not None:
            assert at == utc(want["met_at"]), want
        checked += 1
    assert checked == 14
