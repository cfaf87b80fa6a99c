"""Warehouse connections. DuckDB is built in; Snowflake and BigQuery drivers are optional
extras (`pip install 'milestone-compiler[snowflake]'` / `[bigquery]`). An adapter only
executes SQL text rendered from sqlglot trees and swaps staged tables into place."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp

from ..errors import Problem, ProjectError
from ..profiles import Target


class Adapter(Protocol):
    dialect: str

    def execute(self, sql: str) -> list[tuple[Any, ...]]: ...

    def columns(self, sql: str) -> list[str]: ...

    def swap(self, pairs: list[tuple[exp.Table, exp.Table]], after: list[str]) -> None: ...

    def close(self) -> None: ...


def connect(target: Target, project_dir: Path) -> Adapter:
    try:
        if target.type == "snowflake":
            from .snowflake import SnowflakeAdapter

            return SnowflakeAdapter(target)
        if target.type == "bigquery":
            from .bigquery import BigQueryAdapter

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
    from .duckdb import DuckDBAdapter

    return DuckDBAdapter(target, project_dir)
