"""compile and run: render statements, execute them in order, swap outputs atomically,
and record the run. Printing goes through `echo`, which redacts secrets."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlglot import exp

from . import plan
from .adapters import Adapter, connect
from .errors import ProjectError, RunError
from .project import Project, Statement
from .sql_base import alias, col, count_where, lit

RUNS_COLUMNS = (
    ("run_id", "text"),
    ("target", "text"),
    ("as_of", "ts"),
    ("started_at", "ts"),
    ("finished_at", "ts"),
    ("status", "text"),
    ("events_read", "BIGINT"),
    ("events_ignored", "BIGINT"),
    ("spec_hash", "text"),
)


def create_statement(p: Project, s: Statement, staged: bool) -> exp.Expr:
    if s.kind.startswith("model_"):
        kind = "VIEW" if s.kind == "model_view" else "TABLE"
        return exp.Create(this=p.relation(s.name), kind=kind, replace=True, expression=s.query)
    temporary = s.kind == "stage" and p.dialect.temporary_scratch
    properties = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(
        this=p.relation(s.name, staged), kind="TABLE", replace=True, expression=s.query, properties=properties
    )


def render(p: Project, e: exp.Expr, pretty: bool = True) -> str:
    return p.target.redact(p.dialect.render(e, pretty=pretty))


def compile_project(p: Project, out_dir: Path) -> list[Path]:
    """Write every statement, in execution order, to target/compiled/<target>/."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.sql"):
        old.unlink()
    written = []
    for i, s in enumerate(p.statements(), 1):
        path = out_dir / f"{i:02d}_{s.name}.sql"
        header = f"-- {s.name} ({s.kind.replace('_', ' ')}), target {p.target.name} ({p.target.type})\n"
        path.write_text(header + render(p, create_statement(p, s, staged=False)) + ";\n", encoding="utf-8")
        written.append(path)
    return written


def _source_counts(p: Project) -> exp.Select:
    cols = p.spec.source.columns
    ignored = exp.or_(
        exp.Is(this=col(cols.event), expression=exp.null()),
        exp.Is(this=col(cols.timestamp), expression=exp.null()),
        exp.and_(
            exp.Is(this=col(cols.contact), expression=exp.null()), exp.Is(this=col(cols.account), expression=exp.null())
        ),
    )
    return exp.select(
        alias(exp.Count(this=exp.Star()), "events_read"),
        alias(count_where(ignored), "events_ignored"),
    ).from_(p.relation(p.spec.source.events))


def _runs_table(p: Project) -> tuple[exp.Expr, Callable[..., exp.Expr]]:
    d = p.dialect
    types = {"text": d.text_type(), "ts": d.timestamp_type()}
    defs = [
        exp.ColumnDef(this=exp.to_identifier(n), kind=types.get(t) or exp.DataType.build(t)) for n, t in RUNS_COLUMNS
    ]
    table = p.relation("milestone_runs")
    create = exp.Create(this=exp.Schema(this=table, expressions=defs), kind="TABLE", exists=True)

    def insert(**values: Any) -> exp.Expr:
        row = []
        for n, t in RUNS_COLUMNS:
            v = values[n]
            row.append(p.context(False).ts_lit(v.strftime("%Y-%m-%d %H:%M:%S.%f")) if t == "ts" else lit(v))
        return exp.insert(exp.values([tuple(row)]), table.copy())

    return create, insert


def _then_milestones(p: Project, adapter: Adapter, models: list[Statement]) -> Iterator[Statement]:
    """Models first; then, with the accounts relation built, probe its columns (they decide
    where funnel segments come from) and plan the milestone statements."""
    yield from models
    columns: frozenset[str] | None = None
    accounts = p.spec.source.accounts
    if accounts is not None:
        probe = exp.select(exp.Star()).from_(p.relation(accounts.name)).limit(0)
        columns = frozenset(adapter.columns(p.dialect.render(probe)))
        p.check_segments(columns)
    elif any(f.segment_by for f in p.spec.effective_funnels()):
        p.check_segments(frozenset())
    yield from p.milestone_statements(staged=True, accounts_columns=columns)


def run_project(p: Project, echo: Callable[[str], None]) -> dict[str, Any]:
    """Execute the plan; outputs are built under staged names and swapped in together."""
    started = datetime.utcnow()
    t0 = time.perf_counter()
    adapter: Adapter = connect(p.target, p.dir)
    create_runs, insert_run = _runs_table(p)
    models = p.model_statements()
    total = len(models) + len(p.milestone_statements(staged=True))
    staged_names: list[str] = []
    stage_names: list[str] = []  # scratch tables, dropped after the run
    result: dict[str, Any] = {"events_read": 0, "events_ignored": 0, "rows": {}}
    say = lambda text: echo(p.target.redact(text))  # noqa: E731
    say(f"Running with target '{p.target.name}' ({p.target.type}), as_of {p.as_of.isoformat(sep=' ')}")
    try:
        adapter.execute(p.dialect.render(create_runs))
        for i, s in enumerate(_then_milestones(p, adapter, models), 1):
            t = time.perf_counter()
            adapter.execute(p.dialect.render(create_statement(p, s, staged=True)))
            if s.kind == "output":
                staged_names.append(s.name)
            elif s.kind == "stage":
                stage_names.append(s.name)
            table = p.relation(s.name, staged=s.kind == "output")
            rows = adapter.execute(p.dialect.render(exp.select(exp.Count(this=exp.Star())).from_(table)))[0][0]
            result["rows"][s.name] = rows
            label = s.kind.replace("model_", "model ").replace("_", " ")
            say(f"{i:>3}/{total}  {label:<12} {s.name:<28} {rows:>10,} rows  {time.perf_counter() - t:6.2f}s")
        counts = adapter.execute(p.dialect.render(_source_counts(p)))[0]
        result["events_read"], result["events_ignored"] = int(counts[0]), int(counts[1] or 0)
        run_row = dict(
            run_id=str(uuid.uuid4()),
            target=p.target.name,
            as_of=p.as_of,
            started_at=started,
            status="success",
            events_read=result["events_read"],
            events_ignored=result["events_ignored"],
            spec_hash=p.spec_hash(),
        )
        finished = datetime.utcnow()
        pairs = [(p.relation(n, staged=True), p.relation(n)) for n in staged_names]
        adapter.swap(pairs, [p.dialect.render(insert_run(**run_row, finished_at=finished))])
        for name in stage_names:
            adapter.execute(p.dialect.render(exp.Drop(tables=[p.relation(name)], kind="TABLE", exists=True)))
        result["seconds"] = time.perf_counter() - t0
        say(
            f"Done: {total} statements in {result['seconds']:.2f}s;"
            f" {result['events_read']:,} events read, {result['events_ignored']:,} ignored"
            " (null event, timestamp, or both entity keys)."
        )
        result["adapter"] = adapter
        return result
    except (RunError, ProjectError) as e:
        leftovers = [p.relation(n, staged=True) for n in plan.OUTPUT_TABLES] + [p.relation(n) for n in stage_names]
        for table in leftovers:
            try:
                adapter.execute(p.dialect.render(exp.Drop(tables=[table], kind="TABLE", exists=True)))
            except RunError:
                pass
        try:
            adapter.execute(
                p.dialect.render(
                    insert_run(
                        run_id=str(uuid.uuid4()),
                        target=p.target.name,
                        as_of=p.as_of,
                        started_at=started,
                        finished_at=datetime.utcnow(),
                        status="error",
                        events_read=0,
                        events_ignored=0,
                        spec_hash=p.spec_hash(),
                    )
                )
            )
        finally:
            adapter.close()
        if isinstance(e, ProjectError):
            raise
        raise RunError(p.target.redact(str(e))) from e
