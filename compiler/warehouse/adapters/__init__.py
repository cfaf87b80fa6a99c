"""Warehouse connections. DuckDB is built in; Snowflake and BigQuery drivers are optional
extras (`pip install 'milestone-compiler[snowflake]'` / `[bigquery]`). An adapter only
executes SQL text rendered from sqlglot trees and publishes staged relations (models and
outputs, built under `<name>__ms_new`) under their final names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp

from compiler.errors import Problem, ProjectError
from compiler.warehouse.profiles import Target


@dataclass(frozen=True)
class Publish:
    """One staged relation to put in place: a table is renamed (or copied) to `final`; a
    view is created again under `final` by `create_view`, whose query reads the final
    names (a view over staged names would break once they are renamed)."""

    staged: exp.Table
    final: exp.Table
    create_view: str | None = None


def relation_kinds_query(
    schema: str, catalog: exp.Expr | None = None, database: exp.Identifier | None = None
) -> exp.Select:
    """(table_name, table_type) of every table and view in a schema, from the standard
    information_schema (DuckDB and Snowflake; Snowflake keeps unquoted names upper-case).
    catalog: a filter on table_catalog; database: whose information_schema to read."""
    where: exp.Expr = exp.EQ(
        this=exp.Upper(this=exp.column("table_schema")), expression=exp.Upper(this=exp.Literal.string(schema))
    )
    if catalog is not None:
        where = exp.and_(where, exp.EQ(this=exp.column("table_catalog"), expression=catalog))
    return (
        exp.select(exp.column("table_name"), exp.column("table_type"))
        .from_(exp.table_("tables", db="information_schema", catalog=database))
        .where(where)
    )


class Adapter(Protocol):
    dialect: str

    def execute(self, sql: str) -> list[tuple[Any, ...]]: ...

    def columns(self, sql: str) -> list[str]: ...

    def column_types(self, sql: str) -> dict[str, str]: ...

    def relations(self) -> dict[str, str]: ...

    def drop(self, table: exp.Table, kind: str) -> None: ...

    def publish(self, items: list[Publish], after: list[str]) -> None: ...

    def together(self, statements: list[str]) -> None: ...

    def describe(self, table: exp.Table, description: str, columns: dict[str, str]) -> None: ...

    def close(self) -> None: ...


def publish_in_turn(
    adapter: Adapter, items: list[Publish], after: list[str], replace: Callable[[Publish], None]
) -> None:
    """Publishing where DDL cannot share a transaction (Snowflake, BigQuery): each relation is
    replaced atomically (`replace` for tables, CREATE OR REPLACE VIEW for views), one after
    the other, then `after` (the run's record: DML only) runs in one transaction. A
    relation whose kind changed (a model's materialization) is dropped first."""
    kinds = adapter.relations()
    for item in items:
        wanted = "table" if item.create_view is None else "view"
        existing = kinds.get(item.final.name.lower())
        if existing and existing != wanted:
            adapter.drop(item.final, existing)
        if item.create_view is None:
            replace(item)
        else:
            adapter.execute(item.create_view)
        adapter.drop(item.staged, wanted)
    adapter.together(after)


def comment_statements(dialect: str, table: exp.Table, description: str, columns: dict[str, str]) -> list[str]:
    """COMMENT ON TABLE / COLUMN (DuckDB, Snowflake)."""
    out = [exp.Comment(this=table.copy(), kind="TABLE", expression=exp.Literal.string(description)).sql(dialect)]
    for name, text in columns.items():
        column = exp.Column(
            this=exp.to_identifier(name),
            table=table.this.copy(),
            db=table.args["db"].copy() if table.args.get("db") else None,
            catalog=table.args["catalog"].copy() if table.args.get("catalog") else None,
        )
        out.append(exp.Comment(this=column, kind="COLUMN", expression=exp.Literal.string(text)).sql(dialect))
    return out


def connect(target: Target, project_dir: Path, read_only: bool = False) -> Adapter:
    """read_only: for commands that only read (a DuckDB file then admits other readers)."""
    try:
        if target.type == "snowflake":
            from compiler.warehouse.adapters.snowflake import SnowflakeAdapter

            return SnowflakeAdapter(target)
        if target.type == "bigquery":
            from compiler.warehouse.adapters.bigquery import BigQueryAdapter

            return BigQueryAdapter(target)
    except ImportError as e:
        extra = target.type
        raise ProjectError(
            [
                Problem(
                    "profiles.yml",
                    None,
                    f"target '{target.name}' needs the {extra} driver: pip install 'milestone-compiler[{extra}]' ({e.name} is missing)",
                )
            ]
        ) from None
    from compiler.warehouse.adapters.duckdb import DuckDBAdapter

    return DuckDBAdapter(target, project_dir, read_only=read_only)
