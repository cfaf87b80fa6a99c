"""DuckDB, the embedded default: a file (or :memory:) in the project directory."""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from ..errors import RunError
from ..profiles import Target


class DuckDBAdapter:
    dialect = "duckdb"

    def __init__(self, target: Target, project_dir: Any):
        import duckdb

        s = target.settings
        path = str(s.get("path", "milestones.duckdb"))
        if path != ":memory:" and not path.startswith("/"):
            path = str(project_dir / path)
        # Output tables are sets: not keeping insertion order lets large builds stream and
        # spill within memory_limit. A profile can still set it.
        config: dict[str, Any] = {"preserve_insertion_order": False}
        for key in ("threads", "memory_limit", "temp_directory", "preserve_insertion_order"):
            if s.get(key) is not None:
                config[key] = s[key]
        self.con = duckdb.connect(path, config=config)
        # Timestamps are UTC everywhere: TIMESTAMPTZ sources cast to TIMESTAMP in UTC.
        self.con.execute("SET TimeZone = 'UTC'")
        schema = exp.Create(this=exp.Table(this=exp.to_identifier(target.schema)), kind="SCHEMA", exists=True)
        self.con.execute(schema.sql("duckdb"))

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return self.con.execute(sql).fetchall()
        except Exception as e:  # duckdb raises many error classes; all mean "the run failed"
            raise RunError(str(e)) from e

    def columns(self, sql: str) -> list[str]:
        try:
            return [d[0] for d in self.con.execute(sql).description]
        except Exception as e:
            raise RunError(str(e)) from e

    def swap(self, pairs: list[tuple[exp.Table, exp.Table]], after: list[str]) -> None:
        """Replace every final table by its staged copy in one transaction: readers see
        either all old tables or all new ones, and a failure changes nothing."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            for staged, final in pairs:
                self.con.execute(exp.Drop(tables=[final], kind="TABLE", exists=True).sql("duckdb"))
                rename = exp.Alter(this=staged, kind="TABLE", actions=[exp.AlterRename(this=exp.to_table(final.name))])
                self.con.execute(rename.sql("duckdb"))
            for sql in after:
                self.con.execute(sql)
            self.con.execute("COMMIT")
        except Exception as e:
            self.con.execute("ROLLBACK")
            raise RunError(str(e)) from e

    def close(self) -> None:
        self.con.close()
