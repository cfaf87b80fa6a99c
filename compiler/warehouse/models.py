"""User SQL models: models/*.sql rendered with sandboxed Jinja (StrictUndefined, see
`templating`) before sqlglot parses them, dbt style: ref(), source(),
config(materialized=...), var(), env_var(), and every macro defined in macros/*.sql.

env_var() values render as text (they are meant to land in the SQL); a variable whose
name marks it a secret (MILESTONES_SECRET_*, DBT_ENV_SECRET_*) is refused, so a secret
can never reach compiled SQL."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from compiler.errors import Problem
from compiler.warehouse import templating
from compiler.warehouse.redaction import SECRET_PREFIXES, is_secret_name


@dataclass(frozen=True)
class Model:
    name: str
    file: str
    query: exp.Query
    materialized: str
    refs: tuple[str, ...]


class _Collect:
    def __init__(self) -> None:
        self.refs: list[str] = []
        self.config: dict[str, Any] = {}


def discover(project_dir: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted((project_dir / "models").rglob("*.sql"))}


def render_models(
    project_dir: Path,
    dialect: str,
    relation: Callable[[str], exp.Table],
    variables: dict[str, Any],
    problems: list[Problem],
) -> dict[str, Model]:
    paths = discover(project_dir)
    env = templating.environment(jinja2.FileSystemLoader([str(project_dir / "models"), str(project_dir / "macros")]))
    macro_globals: dict[str, Any] = {}
    for macro_file in sorted((project_dir / "macros").rglob("*.sql")):
        rel = str(macro_file.relative_to(project_dir))
        try:
            macro_globals.update(
                templating.module_exports(env, str(macro_file.relative_to(project_dir / "macros")), str(macro_file))
            )
        except templating.TemplateProblem as e:
            problems.append(Problem(rel, e.line, f"macro file: {e.message}"))
    models: dict[str, Model] = {}
    for name, path in paths.items():
        rel = str(path.relative_to(project_dir))
        seen = _Collect()

        def ref(model: str, _seen: _Collect = seen, _rel: str = rel) -> str:
            if model not in paths:
                close = difflib.get_close_matches(str(model), list(paths), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(Problem(_rel, None, f"ref('{model}'): no such model{hint}"))
            _seen.refs.append(model)
            return relation(model).sql(dialect)

        def source(schema: str, table: str) -> str:
            return exp.table_(exp.to_identifier(table), db=exp.to_identifier(schema)).sql(dialect)

        def config(_seen: _Collect = seen, **kwargs: Any) -> str:
            _seen.config.update(kwargs)
            return ""

        def var(key: str, default: Any = None) -> Any:
            if key in variables:
                return variables[key]
            if default is None:
                raise jinja2.UndefinedError(f"var('{key}') is not defined; pass --vars")
            return default

        def env_var(key: str, default: str | None = None) -> str:
            if is_secret_name(str(key)):
                raise jinja2.UndefinedError(
                    f"env_var('{key}') is refused in models: names starting with {' or '.join(SECRET_PREFIXES)}"
                    " hold secrets, and a model's SQL is printed and written to target/compiled"
                )
            if key in os.environ:
                return os.environ[key]
            if default is None:
                raise jinja2.UndefinedError(f"environment variable '{key}' is not set")
            return str(default)

        context = dict(ref=ref, source=source, config=config, var=var, env_var=env_var, **macro_globals)
        try:
            sql = templating.render(env, path.read_text(encoding="utf-8"), context)
        except templating.TemplateProblem as e:
            problems.append(Problem(rel, e.line, f"model '{name}': {e.message}"))
            continue
        except (OSError, UnicodeDecodeError) as e:
            problems.append(Problem(rel, None, f"model '{name}': cannot read the file: {e}"))
            continue
        materialized = seen.config.get("materialized", "view")
        if materialized not in ("view", "table"):
            problems.append(
                Problem(rel, None, f"model '{name}': materialized must be view or table, not {materialized!r}")
            )
        try:
            parsed = sqlglot.parse(sql, read=dialect)
        except ParseError as e:
            line = e.errors[0].get("line") if e.errors else None
            problems.append(
                Problem(
                    rel,
                    line,
                    f"model '{name}': SQL does not parse: {e.errors[0].get('description') if e.errors else e}",
                )
            )
            continue
        statements = [p for p in parsed if p is not None]
        if len(statements) != 1 or not isinstance(statements[0], exp.Query):
            problems.append(Problem(rel, None, f"model '{name}': a model is exactly one SELECT statement"))
            continue
        models[name] = Model(name, rel, statements[0], materialized, tuple(dict.fromkeys(seen.refs)))
    return models
