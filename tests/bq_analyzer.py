"""BigQuery's SQL front end (ZetaSQL, compiled to WebAssembly, in-process) as a test
oracle: statements are analyzed in order against a catalog of source tables, and each
CREATE ... AS SELECT adds its output schema to the catalog for the statements after it.

The WASM module takes ~20-60 s to compile on 2 cores; the compiled module is serialized
to a cache directory and reused (MILESTONES_ZETASQL_CACHE, default ~/.cache)."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

# BigQuery column types the catalogs use, by name
TYPES = ("STRING", "TIMESTAMP", "JSON", "INT64", "FLOAT64", "BOOL", "NUMERIC", "BIGNUMERIC")


def _cache_dir() -> Path:
    return Path(os.environ.get("MILESTONES_ZETASQL_CACHE", Path.home() / ".cache" / "milestone-compiler" / "zetasql"))


@cache
def _zetasql() -> Any:
    import wasmtime
    from zetasql.core import wasm_client

    compile_module = wasmtime.Module.from_file

    def cached_module(engine: Any, path: str) -> Any:
        key = hashlib.sha256(Path(path).read_bytes() + version("wasmtime").encode()).hexdigest()[:20]
        target = _cache_dir() / f"{key}.cwasm"
        if target.exists():
            return wasmtime.Module.deserialize_file(engine, str(target))
        module = compile_module(engine, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(module.serialize())
        tmp.replace(target)
        return module

    wasm_client.Module.from_file = staticmethod(cached_module)  # type: ignore[method-assign]
    import zetasql.api
    import zetasql.types
    from zetasql.types.proto_model import ProductMode, ResolvedNodeKind

    lang = zetasql.types.LanguageOptions.maximum_features()
    lang.product_mode = ProductMode.PRODUCT_EXTERNAL  # BigQuery: FLOAT64/INT64 only, no DOUBLE/INT32
    lang.supported_statement_kinds = [
        ResolvedNodeKind.RESOLVED_QUERY_STMT,
        ResolvedNodeKind.RESOLVED_CREATE_TABLE_AS_SELECT_STMT,
        ResolvedNodeKind.RESOLVED_CREATE_VIEW_STMT,
        ResolvedNodeKind.RESOLVED_CREATE_TABLE_STMT,
        ResolvedNodeKind.RESOLVED_INSERT_STMT,
        ResolvedNodeKind.RESOLVED_DELETE_STMT,
    ]
    return zetasql, lang


class Catalog:
    def __init__(self, tables: dict[str, list[tuple[str, str]]]):
        self.tables = dict(tables)

    def analyze(self, sql: str) -> Any:
        """Analyze one statement exactly as compiled; raises with ZetaSQL's message when
        BigQuery would reject it. CREATE statements register their table's schema."""
        zetasql, lang = _zetasql()
        root = zetasql.types.SimpleCatalog(name="bigquery")
        root.builtin_function_options = zetasql.types.ZetaSQLBuiltinFunctionOptions(language_options=lang)
        for name, columns in self.tables.items():
            *path, table_name = name.split(".")
            _subcatalog(zetasql, root, path).table.append(_table(zetasql, table_name, columns))
        analyzer = zetasql.api.Analyzer(zetasql.types.AnalyzerOptions(language_options=lang), root)
        resolved = analyzer.analyze_statement(sql)
        outputs = getattr(resolved, "output_column_list", None) or getattr(resolved, "column_definition_list", None)
        if outputs:
            # only to learn the created table's name: the analyzed text is never rewritten
            target = sqlglot.parse_one(sql, read="bigquery").find(exp.Table)
            assert target is not None
            name = ".".join(p.name for p in target.parts)
            self.tables[name] = [(c.name, _kind(c)) for c in outputs]
        return resolved


def _kind(column: Any) -> str:
    typed = column.column.type if hasattr(column, "column") and column.column is not None else column.type
    return str(typed.type_kind.name).removeprefix("TYPE_")


def _subcatalog(zetasql: Any, root: Any, path: list[str]) -> Any:
    """project.dataset.table resolves through nested catalogs, as BigQuery paths do."""
    node = root
    for part in path:
        found = next((c for c in node.catalog if c.name == part), None)
        if found is None:
            found = zetasql.types.SimpleCatalog(name=part)
            node.catalog.append(found)
        node = found
    return node


def _table(zetasql: Any, name: str, columns: list[tuple[str, str]]) -> Any:
    from zetasql.types import TypeKind

    table = zetasql.api.TableBuilder(name)
    for column, kind in columns:
        table = table.add_column(column, getattr(TypeKind, f"TYPE_{kind}"))
    return table.build()


def percentile_cont_aggregates(sql: str) -> list[str]:
    """ZetaSQL accepts PERCENTILE_CONT as an aggregate; BigQuery only as a window function."""
    tree = sqlglot.parse_one(sql, read="bigquery")
    return [p.sql("bigquery") for p in tree.find_all(exp.PercentileCont) if not isinstance(p.parent, exp.Window)]
