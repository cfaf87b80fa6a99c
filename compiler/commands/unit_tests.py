"""`milestones test`, part one: YAML unit tests (SPEC §10), kept in milestones/tests/*.yml.

Each test gives rows for the source relations (events, contacts, accounts), runs the
project's real plan through the runner (`run_project`, the same code path as `run`) on
an in-memory DuckDB, and compares the rows it expects with the output tables. The target
is never touched and no model is built: every source relation is replaced by a table of
given rows (or an empty one), so nothing upstream is needed.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from sqlglot import exp

from compiler.commands.logs import StatementResult, now_utc
from compiler.errors import Problem, ProjectError, RunError
from compiler.project import Project
from compiler.spec.yamlio import LDict, LList, load_yaml
from compiler.sql import plan
from compiler.sql.base import lit
from compiler.sql.dialects import get_dialect
from compiler.warehouse.adapters.duckdb import DuckDBAdapter
from compiler.warehouse.profiles import Target
from compiler.warehouse.runner import run_project

TESTS_DIR = Path("milestones") / "tests"
INPUTS = ("events", "contacts", "accounts")
TABLES = (*plan.OUTPUT_TABLES, *plan.APPEND_TABLES, "milestone_runs")


@dataclass(frozen=True)
class Given:
    input: str
    rows: tuple[LDict, ...]
    line: int


@dataclass(frozen=True)
class Expect:
    table: str
    rows: tuple[LDict, ...]
    exact: bool
    line: int


@dataclass(frozen=True)
class UnitTest:
    name: str
    file: str
    line: int
    as_of: datetime | None
    given: tuple[Given, ...]
    expect: tuple[Expect, ...]


# -- reading ---------------------------------------------------------------------------


def load_tests(p: Project) -> list[UnitTest]:
    """Every unit test of the project; ProjectError listing every problem."""
    problems: list[Problem] = []
    tests: list[UnitTest] = []
    for path in sorted((p.dir / TESTS_DIR).glob("*.y*ml")):
        file = str(path.relative_to(p.dir))
        try:
            doc = load_yaml(path)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            problems.append(Problem(file, mark.line + 1 if mark else None, f"invalid YAML: {getattr(e, 'problem', e)}"))
            continue
        if doc is None:
            continue
        if not isinstance(doc, LDict) or not isinstance(doc.get("unit_tests"), LList) or set(doc) - {"unit_tests"}:
            problems.append(
                Problem(file, 1, "a unit test file is a mapping with one key, 'unit_tests': a list of tests")
            )
            continue
        for i, node in enumerate(doc["unit_tests"]):
            test = _test(p, file, node, doc["unit_tests"].line_of(i), problems)
            if test is not None:
                tests.append(test)
    seen: dict[str, UnitTest] = {}
    for t in tests:
        if t.name in seen:
            first = seen[t.name]
            problems.append(
                Problem(t.file, t.line, f"unit test '{t.name}' is also defined at {first.file}:{first.line}")
            )
        seen.setdefault(t.name, t)
    if problems:
        raise ProjectError(problems)
    return tests


def _keys(node: LDict, allowed: tuple[str, ...], what: str, file: str, problems: list[Problem]) -> None:
    for key in node:
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1)
            problems.append(
                Problem(
                    file,
                    node.line_of(key),
                    f"unknown key '{key}' in {what}" + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                )
            )


def _test(p: Project, file: str, node: Any, line: int, problems: list[Problem]) -> UnitTest | None:
    if not isinstance(node, LDict):
        problems.append(Problem(file, line, "a unit test must be a mapping with name, given and expect"))
        return None
    _keys(node, ("name", "description", "as_of", "given", "expect"), "a unit test", file, problems)
    name = node.get("name")
    if not isinstance(name, str) or not name:
        problems.append(Problem(file, node.line, "a unit test needs a 'name'"))
        return None
    where = f"unit test '{name}': "
    as_of = None
    if "as_of" in node:
        as_of = instant(node["as_of"])
        if as_of is None:
            problems.append(
                Problem(file, node.line_of("as_of"), where + f"as_of {node['as_of']!r} is not an ISO 8601 instant")
            )
    given = tuple(g for g in _given(p, file, node, where, problems))
    expect = tuple(e for e in _expect(file, node, where, problems))
    if not expect:
        problems.append(Problem(file, node.line, where + "needs 'expect': a list of {table, rows}"))
    return UnitTest(name, file, node.line, as_of, given, expect)


def _given(p: Project, file: str, node: LDict, where: str, problems: list[Problem]) -> list[Given]:
    items = node.get("given", LList())
    if not isinstance(items, LList):
        problems.append(Problem(file, node.line_of("given"), where + "'given' must be a list of {input, rows}"))
        return []
    out = []
    for i, g in enumerate(items):
        if not isinstance(g, LDict):
            problems.append(Problem(file, items.line_of(i), where + "each given is a mapping {input, rows}"))
            continue
        _keys(g, ("input", "rows"), "a given", file, problems)
        what = g.get("input")
        if what not in INPUTS:
            hint = difflib.get_close_matches(str(what), INPUTS, n=1)
            problems.append(
                Problem(
                    file,
                    g.line_of("input"),
                    where + f"input {what!r} is not one of {', '.join(INPUTS)}" + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                )
            )  # fmt: skip
            continue
        if what != "events" and getattr(p.spec.source, what) is None:
            problems.append(
                Problem(file, g.line_of("input"), where + f"the project has no source.{what} relation to replace")
            )
            continue
        rows = g.get("rows", LList())
        if not isinstance(rows, LList) or not all(isinstance(r, LDict) for r in rows):
            problems.append(Problem(file, g.line_of("rows"), where + "'rows' must be a list of mappings"))
            continue
        columns = dict(input_columns(p, what, rows))
        for r in rows:
            for key in r:
                if key not in columns:
                    hint = difflib.get_close_matches(key, list(columns), n=1)
                    problems.append(
                        Problem(
                            file,
                            r.line_of(key),
                            where + f"{what} has no column '{key}' (columns: {', '.join(columns)})"
                            + (f"; did you mean '{hint[0]}'?" if hint else ""),
                        )
                    )  # fmt: skip
                elif columns[key] == "TIMESTAMP" and r[key] is not None and instant(r[key]) is None:
                    problems.append(
                        Problem(file, r.line_of(key), where + f"{key} {r[key]!r} is not an ISO 8601 instant")
                    )
        out.append(Given(what, tuple(rows), g.line))
    return out


def _expect(file: str, node: LDict, where: str, problems: list[Problem]) -> list[Expect]:
    items = node.get("expect", LList())
    if not isinstance(items, LList):
        problems.append(Problem(file, node.line_of("expect"), where + "'expect' must be a list of {table, rows}"))
        return []
    out = []
    for i, e in enumerate(items):
        if not isinstance(e, LDict):
            problems.append(Problem(file, items.line_of(i), where + "each expect is a mapping {table, rows, exact}"))
            continue
        _keys(e, ("table", "rows", "exact"), "an expect", file, problems)
        table = e.get("table")
        if table not in TABLES:
            hint = difflib.get_close_matches(str(table), TABLES, n=1)
            problems.append(
                Problem(
                    file,
                    e.line_of("table"),
                    where + f"unknown output table {table!r}" + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                )
            )
            continue
        rows = e.get("rows", LList())
        if not isinstance(rows, LList) or not all(isinstance(r, LDict) for r in rows):
            problems.append(Problem(file, e.line_of("rows"), where + "'rows' must be a list of mappings"))
            continue
        exact = e.get("exact", False)
        if not isinstance(exact, bool):
            problems.append(Problem(file, e.line_of("exact"), where + "'exact' must be true or false"))
            exact = False
        out.append(Expect(str(table), tuple(rows), exact, e.line))
    return out


def instant(value: Any) -> datetime | None:
    """A YAML date, datetime or ISO 8601 text as naive UTC (None when it is none of them)."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return instant(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


# -- the given relations ------------------------------------------------------------------


def input_columns(
    p: Project, what: str, rows: Any = (), accounts_columns: frozenset[str] | None = None
) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a replaced relation: the columns the spec maps (events), or
    the relation's keys plus the columns the rows name (contacts, accounts), with the
    accounts model's columns and the funnels' segment_by when they are known."""
    src = p.spec.source
    if what == "events":
        c = src.columns
        cols = [(c.event, "VARCHAR"), (c.timestamp, "TIMESTAMP"), (c.contact, "VARCHAR"), (c.account, "VARCHAR")]
        cols += [(c.properties, "JSON")] if c.properties else []
        cols += [(c.event_id, "VARCHAR")] if c.event_id else []
        cols += [(name, "VARCHAR") for name in src.property_columns]
        return list(dict(cols).items())
    rel = getattr(src, what)
    names = [rel.key, rel.account]
    if what == "accounts":
        names += sorted(accounts_columns if accounts_columns is not None else p.declared_accounts_columns() or ())
        names += [f.segment_by for f in p.spec.effective_funnels() if f.segment_by]
    names += [k for r in rows for k in r]
    return [(n, "VARCHAR") for n in dict.fromkeys(names)]


def _value(value: Any, kind: str) -> exp.Expr:
    if value is None:
        return exp.cast(exp.null(), exp.DataType.build(kind))
    if kind == "TIMESTAMP":
        t = instant(value)
        assert t is not None  # checked when the test was read
        return exp.cast(lit(t.strftime("%Y-%m-%d %H:%M:%S.%f")), exp.DataType.build("TIMESTAMP"))
    if kind == "JSON":
        text = value if isinstance(value, str) else json.dumps(_plain(value), default=str)
        return exp.cast(lit(text), exp.DataType.build("JSON"))
    if isinstance(value, bool):
        return lit("true" if value else "false")
    return lit(str(_plain(value)))


def _plain(value: Any) -> Any:
    """LDict/LList -> dict/list; YAML dates -> ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _create(
    adapter: DuckDBAdapter, p: Project, relation: str, columns: list[tuple[str, str]], rows: tuple[LDict, ...]
) -> None:
    table = p.relation(relation)
    catalog = table.args.get("catalog")
    if catalog is not None and catalog.name.lower() not in _catalogs(adapter):
        # a three-part name (a Snowflake database, a BigQuery project): an in-memory catalog of that name
        adapter.execute(exp.Attach(this=exp.alias_(lit(":memory:"), catalog.copy())).sql("duckdb"))
    if table.args.get("db") is not None:
        schema = exp.Table(this=table.args["db"].copy(), db=catalog.copy() if catalog is not None else None)
        adapter.execute(exp.Create(this=schema, kind="SCHEMA", exists=True).sql("duckdb"))
    defs = [exp.ColumnDef(this=exp.to_identifier(n), kind=exp.DataType.build(t)) for n, t in columns]
    adapter.execute(exp.Create(this=exp.Schema(this=table.copy(), expressions=defs), kind="TABLE").sql("duckdb"))
    if rows:
        values = exp.values([tuple(_value(r.get(n), t) for n, t in columns) for r in rows])
        adapter.execute(exp.insert(values, table.copy(), columns=[n for n, _ in columns]).sql("duckdb"))


def _catalogs(adapter: DuckDBAdapter) -> set[str]:
    q = exp.select(exp.column("database_name")).from_(exp.func("duckdb_databases"))
    return {str(name).lower() for (name,) in adapter.execute(q.sql("duckdb"))}


# -- running ----------------------------------------------------------------------------


def _isolated(p: Project, as_of: datetime | None) -> Project:
    """The project on an in-memory DuckDB, without models (each source relation is a table)."""
    t = copy.copy(p)
    t.target = Target("unit_test", "duckdb", {"path": ":memory:", "schema": "main"})
    t.dialect = get_dialect("duckdb")
    t.models = {}
    t.models_published = False
    t.as_of = as_of or p.as_of
    return t


@dataclass
class Outcome:
    test: UnitTest
    failures: list[str]


def run_test(p: Project, test: UnitTest) -> Outcome:
    accounts_columns = p.declared_accounts_columns()
    t = _isolated(p, test.as_of)
    adapter = DuckDBAdapter(t.target, t.dir)
    try:
        given = {g.input: g for g in test.given}
        src = t.spec.source
        relations = {"events": src.events, "contacts": src.contacts, "accounts": src.accounts}
        for what, rel in relations.items():
            if rel is None:
                continue
            name = rel if isinstance(rel, str) else rel.name
            rows = given[what].rows if what in given else ()
            _create(adapter, t, name, input_columns(t, what, rows, accounts_columns), rows)
        try:
            run_project(t, lambda _: None, adapter=adapter)
        except RunError as e:
            return Outcome(test, [f"the run failed: {e}"])
        failures: list[str] = []
        problems: list[Problem] = []
        for block in test.expect:
            failures += _compare(t, adapter, test, block, problems)
        if problems:
            raise ProjectError(problems)
        return Outcome(test, failures)
    finally:
        adapter.close()


def _compare(p: Project, adapter: DuckDBAdapter, test: UnitTest, e: Expect, problems: list[Problem]) -> list[str]:
    q = exp.select(exp.Star()).from_(p.relation(e.table))
    types = adapter.column_types(q.sql("duckdb"))
    actual = [dict(zip(types, row, strict=True)) for row in adapter.execute(q.sql("duckdb"))]
    expected: list[dict[str, Any]] = []
    for row in e.rows:
        want = {}
        for key, value in row.items():
            if key not in types:
                hint = difflib.get_close_matches(key, list(types), n=1)
                problems.append(
                    Problem(
                        test.file,
                        row.line_of(key),
                        f"unit test '{test.name}': {e.table} has no column '{key}'"
                        + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                    )
                )
                continue
            cast = _cast(value, types[key])
            if cast is _INVALID:
                problems.append(
                    Problem(
                        test.file, row.line_of(key), f"unit test '{test.name}': {key}: {value!r} is not a {types[key]}"
                    )
                )
                continue
            want[key] = cast
        expected.append(want)
    if problems:
        return []
    unmatched = [w for w in expected if not any(_matches(w, a) for a in actual)]
    out = []
    if unmatched:
        lines = [f"{e.table}: {len(unmatched)} expected row(s) matched no row (of {len(actual)})"]
        for w in unmatched:
            lines.append(f"  expected  {_show(w, w)}")
            for a in _closest(w, actual):
                differs = [k for k in w if not _equal(w[k], a.get(k))]
                lines.append(f"  closest   {_show(w, a)}   differs in {', '.join(differs)}")
        out.append("\n".join(lines))
    if e.exact:
        extra = [a for a in actual if not any(_matches(w, a) for w in expected)]
        if extra:
            named = sorted({k for w in expected for k in w}) or sorted(types)
            lines = [f"{e.table}: {len(extra)} actual row(s) matched no expected row (exact: true)"]
            lines += [f"  actual    {_show(dict.fromkeys(named), a)}" for a in extra[:10]]
            lines += [f"  ... and {len(extra) - 10} more"] if len(extra) > 10 else []
            out.append("\n".join(lines))
    return out


_INVALID = object()


def _cast(value: Any, kind: str) -> Any:
    """An expected YAML value as the column's type (SPEC §10)."""
    if value is None:
        return None
    kind = kind.upper()
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        t = instant(value)
        return _INVALID if t is None else t
    if kind == "BOOLEAN":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        return {"true": True, "false": False}.get(text, _INVALID)
    if kind.startswith(("DOUBLE", "FLOAT", "DECIMAL", "REAL")) or "INT" in kind:
        if isinstance(value, bool):
            return _INVALID
        try:
            return float(value)
        except (TypeError, ValueError):
            return _INVALID
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _equal(want: Any, got: Any) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, float):
        try:
            return math.isclose(want, float(got), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    if isinstance(want, datetime) and isinstance(got, datetime):
        return want == (got.astimezone(timezone.utc).replace(tzinfo=None) if got.tzinfo else got)
    return bool(want == got)


def _matches(want: dict[str, Any], got: dict[str, Any]) -> bool:
    return all(_equal(v, got.get(k)) for k, v in want.items())


def _closest(want: dict[str, Any], actual: list[dict[str, Any]], n: int = 2) -> list[dict[str, Any]]:
    scored = sorted(actual, key=lambda a: -sum(_equal(v, a.get(k)) for k, v in want.items()))
    return scored[:n]


def _show(columns: dict[str, Any], row: dict[str, Any]) -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, datetime):
            return v.isoformat(sep=" ")
        if isinstance(v, float):
            return f"{v:g}"
        return json.dumps(v) if isinstance(v, str) or v is None else str(v).lower() if isinstance(v, bool) else str(v)

    return "{" + ", ".join(f"{k}: {fmt(row.get(k))}" for k in columns) + "}"


def run_unit_tests(
    p: Project, select: tuple[str, ...], echo: Callable[[str], None], results: list[StatementResult] | None = None
) -> int:
    """Run the selected tests (all when none is named); print PASS/FAIL and the diffs of
    failures; return how many failed. results: one entry per test (run_results.json)."""
    tests = load_tests(p)
    names = [n for s in select for n in s.replace(",", " ").split()]
    known = [t.name for t in tests]
    unknown = [n for n in names if n not in known]
    if unknown:
        problems = []
        for n in unknown:
            hint = difflib.get_close_matches(n, known, n=1)
            problems.append(
                Problem(
                    "--select", None, f"no unit test named '{n}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
                )
            )
        raise ProjectError(problems)
    chosen = [t for t in tests if not names or t.name in names]
    if not chosen:
        return 0
    echo(f"Unit tests ({TESTS_DIR}/, on an in-memory DuckDB):")
    failed = 0
    for t in chosen:
        started, t0 = now_utc(), time.perf_counter()
        outcome = run_test(p, t)
        if results is not None:
            status = "fail" if outcome.failures else "pass"
            results.append(
                StatementResult(f"unit_test.{p.dir.name}.{t.name}", t.name, "unit_test", f"{t.file}:{t.line}", status,
                                started, now_utc(), time.perf_counter() - t0, None, "\n".join(outcome.failures))
            )  # fmt: skip
        if outcome.failures:
            failed += 1
            echo(f"FAIL       {t.name}  ({t.file}:{t.line})")
            for text in outcome.failures:
                for line in text.splitlines():
                    echo(f"    {line}")
        else:
            echo(f"PASS       {t.name}")
    echo(f"{len(chosen) - failed} passed, {failed} failed")
    return failed
