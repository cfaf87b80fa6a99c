"""DuckDB, the embedded default: a file (or :memory:) in the project directory.

DuckDB allows one process to write a database file, and while it holds the file no
other process can open it, not even to read. A run holds the file from its first
statement to its summary; a second run, or a reader such as a BI tool, gets a clear
error naming the process that holds the lock instead of a traceback."""

from __future__ import annotations

import re
from typing import Any

from sqlglot import exp

from compiler.errors import RunError
from compiler.warehouse.adapters import Publish, comment_statements, relation_kinds_query
from compiler.warehouse.profiles import Target

_LOCKED = re.compile(r"Could not set lock on file.*?\(PID (\d+)\)|Could not set lock on file", re.DOTALL)


def database_path(target: Target, project_dir: Any) -> str:
    """The database file of a DuckDB target (or ':memory:'), relative paths from the project."""
    path = str(target.settings.get("path", "milestones.duckdb"))
    if path != ":memory:" and not path.startswith("/"):
        path = str(project_dir / path)
    return path


class DuckDBAdapter:
    dialect = "duckdb"

    def __init__(self, target: Target, project_dir: Any, read_only: bool = False):
        import duckdb

        s = target.settings
        path = database_path(target, project_dir)
        self.schema = target.schema
        # Output tables are sets: not keeping insertion order lets large builds stream and
        # spill within memory_limit. A profile can still set it.
        config: dict[str, Any] = {"preserve_insertion_order": False}
        for key in ("threads", "memory_limit", "temp_directory", "preserve_insertion_order"):
            if s.get(key) is not None:
                value = s[key]
                # values rendered from env_var() arrive as text
                config[key] = int(value) if key == "threads" and str(value).isdigit() else value
        try:
            self.con = duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.IOException as e:
            locked = _LOCKED.search(str(e))
            if locked:
                holder = f" (process {locked.group(1)})" if locked.group(1) else ""
                raise RunError(
                    f"the DuckDB database {path} is in use by another process{holder}. DuckDB lets one"
                    " process write a database file, and no other process open it meanwhile: wait for"
                    " the other run to finish, or close the client that holds it."
                ) from None
            raise RunError(f"cannot open the DuckDB database {path}: {e}") from None
        except duckdb.Error as e:
            raise RunError(f"cannot open the DuckDB database {path}: {e}") from None
        # Timestamps are UTC everywhere: TIMESTAMPTZ sources cast to TIMESTAMP in UTC.
        self.con.execute("SET TimeZone = 'UTC'")
        if not read_only:
            schema = exp.Create(this=exp.Table(this=exp.to_identifier(self.schema)), kind="SCHEMA", exists=True)
            self.con.execute(schema.sql("duckdb"))

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        import duckdb

        try:
            return self.con.execute(sql).fetchall()
        except duckdb.InterruptException:
            raise KeyboardInterrupt() from None
        except Exception as e:  # duckdb raises many error classes; all mean "the run failed"
            raise RunError(str(e)) from e

    def columns(self, sql: str) -> list[str]:
        try:
            return [d[0] for d in self.con.execute(sql).description]
        except Exception as e:
            raise RunError(str(e)) from e

    def column_types(self, sql: str) -> dict[str, str]:
        """Lower-case column name -> DuckDB type name of a query's result."""
        try:
            return {d[0].lower(): str(d[1]).upper() for d in self.con.execute(sql).description}
        except Exception as e:
            raise RunError(str(e)) from e

    def relations(self) -> dict[str, str]:
        """Tables and views of the target schema: lower-case name -> 'table' | 'view'."""
        rows = self.execute(relation_kinds_query(self.schema, exp.Anonymous(this="current_database")).sql("duckdb"))
        return {str(name).lower(): "view" if kind == "VIEW" else "table" for name, kind in rows}

    def drop(self, table: exp.Table, kind: str) -> None:
        self.execute(exp.Drop(tables=[table], kind=kind.upper(), exists=True).sql("duckdb"))

    def publish(self, items: list[Publish], after: list[str]) -> None:
        """Every staged relation takes its final name in one transaction, together with the
        statements in `after` (the run's record): readers see either all old relations or
        all new ones, and a failure or a kill at any point changes nothing."""
        kinds = self.relations()
        statements: list[str] = []
        for item in items:
            existing = kinds.get(item.final.name.lower())
            if existing:
                statements.append(exp.Drop(tables=[item.final], kind=existing.upper(), exists=True).sql("duckdb"))
            if item.create_view is None:
                rename = exp.Alter(
                    this=item.staged, kind="TABLE", actions=[exp.AlterRename(this=exp.to_table(item.final.name))]
                )
                statements.append(rename.sql("duckdb"))
            else:
                statements.append(item.create_view)
                statements.append(exp.Drop(tables=[item.staged], kind="VIEW", exists=True).sql("duckdb"))
        self._in_transaction(statements + after)

    def together(self, statements: list[str]) -> None:
        self._in_transaction(statements)

    def _in_transaction(self, statements: list[str]) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            for sql in statements:
                self.execute(sql)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def describe(self, table: exp.Table, description: str, columns: dict[str, str]) -> None:
        for sql in comment_statements(self.dialect, table, description, columns):
            self.execute(sql)

    def close(self) -> None:
        self.con.close()
