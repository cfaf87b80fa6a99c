"""Warehouse adapters: connection parameters from profiles (env_var, key-pair auth, query
tags, emulator endpoints), compile without credentials, Snowflake runs through the real
connector against fakesnow (atomic swap on re-runs, secrets never printed)."""

from __future__ import annotations

import json
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
import sqlglot
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from engines import run_fakesnow
from sqlglot import exp

from compiler.cli import main
from compiler.warehouse.adapters.bigquery import client_kwargs
from compiler.warehouse.adapters.snowflake import connect_kwargs
from compiler.warehouse.profiles import load_target

ROOT = Path(__file__).resolve().parents[1]


def _pem(passphrase: bytes | None) -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def test_snowflake_parameters_from_a_dbt_style_profile(tmp_path, monkeypatch):
    monkeypatch.setenv("SF_PASSWORD", "pw-from-env")
    (tmp_path / "profiles.yml").write_text(
        textwrap.dedent("""
        analytics:
          target: prod
          outputs:
            prod:
              type: snowflake
              account: acme-xy12345
              user: loader
              password: "{{ env_var('SF_PASSWORD') }}"
              role: transformer
              warehouse: transforming
              database: analytics
              schema: milestones
              query_tag: milestones-hourly
        """)
    )
    target = load_target(tmp_path, None)
    assert target.secrets == ["pw-from-env"]
    assert connect_kwargs(target.settings) == {
        "account": "acme-xy12345", "user": "loader", "password": "pw-from-env", "role": "transformer",
        "warehouse": "transforming", "database": "analytics", "schema": "milestones",
        "session_parameters": {"TIMEZONE": "UTC", "QUERY_TAG": "milestones-hourly"}, "application": "milestone-compiler",
    }  # fmt: skip


def test_snowflake_key_pair_auth_with_an_encrypted_key_file(tmp_path):
    key, pem = _pem(b"s3cret")
    (tmp_path / "rsa_key.p8").write_bytes(pem)
    kwargs = connect_kwargs(
        {
            "account": "acme",
            "user": "svc",
            "password": "ignored",
            "private_key_path": str(tmp_path / "rsa_key.p8"),
            "private_key_passphrase": "s3cret",
        }
    )
    assert "password" not in kwargs
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert kwargs["private_key"] == der


def test_bigquery_parameters_keyfile_and_emulator(tmp_path):
    _, pem = _pem(None)
    keyfile = tmp_path / "sa.json"
    keyfile.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "acme",
                "private_key_id": "1",
                "private_key": pem.decode(),
                "client_email": "ms@acme.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )  # fmt: skip
    )
    kwargs = client_kwargs({"project": "acme", "location": "EU", "method": "service-account", "keyfile": str(keyfile)})
    assert kwargs["project"] == "acme" and kwargs["location"] == "EU"
    assert kwargs["credentials"].service_account_email == "ms@acme.iam.gserviceaccount.com"
    emulator = client_kwargs({"project": "acme", "api_endpoint": "http://127.0.0.1:9050"})
    assert type(emulator["credentials"]).__name__ == "AnonymousCredentials"
    from google.cloud import bigquery

    client = bigquery.Client(**emulator)  # constructing the real client makes no request
    assert client.project == "acme"


@pytest.mark.parametrize("target", ["dev", "snowflake", "bigquery"])
def test_compile_works_for_every_target_without_credentials(tmp_path, monkeypatch, target):
    for var in ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD", "BIGQUERY_PROJECT"):
        monkeypatch.delenv(var, raising=False)
    for folder in ("milestones", "models", "macros"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    (tmp_path / "profiles.yml").write_text((ROOT / "profiles.yml").read_text())
    result = CliRunner().invoke(
        main, ["compile", "--project-dir", str(tmp_path), "--target", target, "--as-of", "2026-06-30"]
    )
    assert result.exit_code == 0, result.output
    # 3 models, 2 staging tables, 27 stages of milestone_criteria, 10 output statements, the snapshot
    assert len(list((tmp_path / "target" / "compiled" / target).glob("*.sql"))) == 43


def test_snowflake_sql_uses_unquoted_case_insensitive_identifiers():
    for path in sorted((ROOT / "tests" / "golden" / "snowflake").glob("*.sql")):
        tree = sqlglot.parse_one(path.read_text(), read="snowflake")
        quoted = {i.name for i in tree.find_all(exp.Identifier) if i.quoted}
        assert not quoted, f"{path.name}: {quoted}"


SCENARIO = {
    "spec": "milestones:\n  - name: m\n    criteria: [{event: a, at_least: 2}]\n",
    "events": [
        {"event": "a", "ts": "2024-01-01", "user": "u1", "account": "a1"},
        {"event": "a", "ts": "2024-01-05", "user": "u1", "account": "a1"},
    ],
}


def test_snowflake_rerun_swaps_tables_atomically(tmp_path):
    first = run_fakesnow(tmp_path / "one", {**SCENARIO, "as_of": "2024-01-02"})
    assert [(r["value"], r["is_met"]) for r in first["milestone_criteria"]] == [(1.0, False)]
    # a second run against the same fakesnow database replaces the tables with SWAP WITH
    import fakesnow
    import snowflake.connector

    from compiler.project import Project
    from compiler.warehouse.runner import run_project

    root = tmp_path / "one"
    with fakesnow.patch(db_path=str(root / "fakesnow")):
        project = Project(root, as_of=datetime(2024, 1, 10))
        output: list[str] = []
        adapter = run_project(project, output.append)["adapter"]
        adapter.close()
        con = snowflake.connector.connect(database="db", schema="ms")
        cur = con.cursor()
        cur.execute("SELECT value, is_met FROM db.ms.milestone_criteria")
        assert cur.fetchall() == [(2.0, True)]
        cur.execute("SELECT COUNT(*) FROM db.information_schema.tables WHERE table_name ILIKE '%__ms_new'")
        assert cur.fetchall() == [(0,)]
        cur.execute("SELECT status FROM db.ms.milestone_runs ORDER BY started_at")
        assert cur.fetchall() == [("success",), ("success",)]
        con.close()
    assert "pw" not in "\n".join(output)
