"""Snowflake through snowflake-connector-python (password or key-pair auth, query tag).

Snowflake DDL commits implicitly, so there is no multi-table transaction: every model and
output is first built under a staged name (a failed run stops before any final relation
changes), then each table is replaced by one atomic CREATE OR REPLACE TABLE ... AS SELECT *
FROM <staged> and each view by CREATE OR REPLACE VIEW. (ALTER TABLE ... SWAP WITH and CLONE
would avoid copying rows, but the emulator the tests run against supports neither.) A run
killed in the middle of that sequence leaves some relations new and some old; the next run
finds its journal row, records it as aborted and drops what it left behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import snowflake.connector
from sqlglot import exp

from compiler.errors import RunError
from compiler.warehouse.adapters import Publish, comment_statements, publish_in_turn, relation_kinds_query
from compiler.warehouse.profiles import Target

PASSTHROUGH = (
    "account",
    "user",
    "password",
    "role",
    "warehouse",
    "database",
    "schema",
    "authenticator",
    "host",
    "port",
    "protocol",
)


def connect_kwargs(settings: dict[str, Any]) -> dict[str, Any]:
    """profiles.yml output -> snowflake.connector.connect() arguments (dbt-snowflake names)."""
    kwargs = {k: settings[k] for k in PASSTHROUGH if settings.get(k) is not None}
    if isinstance(kwargs.get("port"), str) and kwargs["port"].isdigit():
        kwargs["port"] = int(kwargs["port"])  # a port from env_var() arrives as text
    key = settings.get("private_key_path") or settings.get("private_key")
    if key:
        kwargs["private_key"] = _private_key_der(key, settings.get("private_key_passphrase"))
        kwargs.pop("password", None)
    # UTC sessions: text timestamps without an offset, and TIMESTAMP_LTZ values, are read
    # in the session's TIMEZONE (Snowflake's default is America/Los_Angeles).
    kwargs["session_parameters"] = {"TIMEZONE": "UTC"}
    if settings.get("query_tag"):
        kwargs["session_parameters"]["QUERY_TAG"] = settings["query_tag"]
    kwargs.setdefault("application", "milestone-compiler")
    return kwargs


def _private_key_der(key: str, passphrase: str | None) -> bytes:
    """Key-pair auth: a PEM file path or PEM text, optionally encrypted, as DER bytes."""
    from cryptography.hazmat.primitives import serialization

    pem = Path(key).read_bytes() if not key.lstrip().startswith("-----BEGIN") else key.encode()
    private = serialization.load_pem_private_key(pem, password=passphrase.encode() if passphrase else None)
    return private.private_bytes(
        encoding=serialization.Encoding.DER,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


class SnowflakeAdapter:
    dialect = "snowflake"

    def __init__(self, target: Target):
        try:
            self.con = snowflake.connector.connect(**connect_kwargs(target.settings))
        except Exception as e:  # the connector, its HTTP stack and key loading raise many kinds
            raise RunError(f"could not connect to Snowflake: {e}") from None
        self.schema, self.db = target.schema, _db(target)
        schema = exp.Table(this=exp.to_identifier(target.schema), db=self.db)
        self.execute(exp.Create(this=schema, kind="SCHEMA", exists=True).sql("snowflake"))

    def _cursor(self, sql: str) -> Any:
        try:
            cur = self.con.cursor()
            cur.execute(sql)
            return cur
        except Exception as e:  # the connector's errors, and its dependencies' (an emulator's engine)
            raise RunError(str(e)) from None

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        cur = self._cursor(sql)
        try:
            # (the emulator computes a result's description lazily, with a DESCRIBE of the
            # statement that fails for DDL such as COMMENT: no description, no rows)
            return list(cur.fetchall()) if cur.description else []
        except Exception as e:
            if sql.lstrip().upper().startswith(("COMMENT", "CREATE", "DROP", "ALTER")):
                return []
            raise RunError(str(e)) from None

    def columns(self, sql: str) -> list[str]:
        # Unquoted identifiers come back upper-case; the spec names them in lower case.
        return [d[0].lower() for d in self._cursor(sql).description]

    def column_types(self, sql: str) -> dict[str, str]:
        from snowflake.connector.constants import FIELD_ID_TO_NAME

        return {d[0].lower(): FIELD_ID_TO_NAME[d[1]] for d in self._cursor(sql).description}

    def relations(self) -> dict[str, str]:
        tables = relation_kinds_query(self.schema, database=self.db)
        return {str(n).lower(): "view" if k == "VIEW" else "table" for n, k in self.execute(tables.sql("snowflake"))}

    def drop(self, table: exp.Table, kind: str) -> None:
        self.execute(exp.Drop(tables=[table], kind=kind.upper(), exists=True).sql("snowflake"))

    def publish(self, items: list[Publish], after: list[str]) -> None:
        publish_in_turn(self, items, after, self._replace_table)

    def _replace_table(self, item: Publish) -> None:
        select = exp.select(exp.Star()).from_(item.staged)
        self.execute(exp.Create(this=item.final, kind="TABLE", replace=True, expression=select).sql("snowflake"))

    def together(self, statements: list[str]) -> None:
        """DML in one transaction (Snowflake commits DDL implicitly, so none is sent here)."""
        self.execute("BEGIN TRANSACTION")
        try:
            for sql in statements:
                self.execute(sql)
            self.execute("COMMIT")
        except BaseException:
            try:
                self.execute("ROLLBACK")
            except RunError:
                pass
            raise

    def describe(self, table: exp.Table, description: str, columns: dict[str, str]) -> None:
        for sql in comment_statements(self.dialect, table, description, columns):
            self.execute(sql)

    def close(self) -> None:
        self.con.close()


def _db(target: Target) -> exp.Identifier | None:
    database = target.settings.get("database")
    return exp.to_identifier(database) if database else None
