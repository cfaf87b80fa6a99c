"""`milestones explain`: why one account or contact is (or is not) in each milestone.

Reads the last run's milestone_state and milestone_criteria rows of the entity, and for
each event criterion the qualifying events that counted, newest first: compiled SQL over
the source relation, the events staged in CTEs (nothing is written, so it works on a
read-only connection). Unmet criteria are listed first: what a CS person asks is "why is
acme not PQL?".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlglot import exp

from compiler.errors import Problem, ProjectError
from compiler.project import Project
from compiler.spec import ir
from compiler.spec.labels import criterion_label, duration_text
from compiler.sql.base import (
    ENTITIES,
    EVENTS,
    BuildContext,
    SourceKinds,
    col,
    entities_query,
    events_query,
    lit,
    sub_seconds,
)
from compiler.sql.qualifying import qualifying
from compiler.warehouse.adapters import Adapter


def _rows(p: Project, adapter: Adapter, table: str, where: exp.Expr, names: list[str]) -> list[dict[str, Any]]:
    q = exp.select(*[col(n) for n in names]).from_(p.relation(table)).where(where)
    return [dict(zip(names, r, strict=True)) for r in adapter.execute(p.dialect.render(q))]


def _eq(name: str, value: str) -> exp.Expr:
    return exp.EQ(this=col(name), expression=lit(value))


def explain(
    p: Project,
    adapter: Adapter,
    level: ir.Level,
    entity: str,
    milestone: str | None,
    limit: int,
    as_of: datetime | None,
    echo: Callable[[str], None],
) -> None:
    milestones = [m for m in p.spec.of_level(level) if milestone in (None, m.name)]
    if milestone is not None and not milestones:
        other = "contact" if level == "account" else "account"
        known = [m.name for m in p.spec.milestones]
        hint = (
            f"'{milestone}' is a milestone of the {other} level"
            if milestone in known
            else f"no milestone '{milestone}'"
        )
        raise ProjectError([Problem("--milestone", None, hint)])
    where = exp.and_(_eq("entity_level", level), _eq("entity_id", entity))
    state = _rows(p, adapter, "milestone_state", where,
                  ["milestone", "milestone_label", "criteria_met", "criteria_total", "progress", "is_complete",
                   "completed_at", "as_of", "account_id"])  # fmt: skip
    if not state:
        raise ProjectError(
            [Problem(f"--{level}", None, f"no {level} '{entity}' in milestone_state (target '{p.target.name}')")]
        )
    built_at = state[0]["as_of"]
    if as_of is not None and _naive(built_at) != as_of:
        raise ProjectError(
            [
                Problem(
                    "--as-of",
                    None,
                    f"the tables hold as_of {built_at}; `milestones run --as-of {as_of.isoformat()}` first to explain {as_of}",
                )
            ]
        )
    criteria = _rows(p, adapter, "milestone_criteria", where,
                     ["milestone", "criterion_id", "criterion_label", "value", "threshold", "progress", "is_met", "met_at"])  # fmt: skip
    by_milestone = {r["milestone"]: r for r in state}
    nodes = {(r["milestone"], r["criterion_id"]): r for r in criteria}
    account = state[0]["account_id"]
    head = f"{level} {entity}" + (f" (account {account})" if level == "contact" and account else "")
    echo(f"{head}, as_of {built_at} (target '{p.target.name}')")
    ctx = _context(p, adapter, _naive(built_at))
    for m in sorted(milestones, key=lambda m: (bool(by_milestone.get(m.name, {}).get("is_complete")), m.order)):
        s = by_milestone.get(m.name)
        if s is None:
            continue
        status = f"complete since {s['completed_at']}" if s["is_complete"] else "not complete"
        echo("")
        echo(f"{m.name} ({m.label}): {status}, {s['criteria_met']}/{s['criteria_total']} criteria")
        _tree(p, adapter, ctx, m, m.criteria, nodes, entity, level, limit, echo, depth=1)


def _tree(
    p: Project,
    adapter: Adapter,
    ctx: BuildContext,
    m: ir.Milestone,
    criteria: tuple[ir.Criterion, ...],
    nodes: dict[tuple[str, str], dict[str, Any]],
    entity: str,
    level: ir.Level,
    limit: int,
    echo: Callable[[str], None],
    depth: int,
) -> None:
    indent = "  " * depth
    for c in sorted(criteria, key=lambda c: bool(nodes.get((m.name, c.id), {}).get("is_met"))):
        r = nodes.get((m.name, c.id), {})
        mark = "met    " if r.get("is_met") else "NOT MET"
        value = "" if isinstance(c, ir.Group) else f"  value {_num(r.get('value'))} / {_num(r.get('threshold'))}"
        when = f", met_at {r['met_at']}" if r.get("met_at") is not None else ""
        echo(f"{indent}{mark} {c.id:<6} {r.get('criterion_label') or criterion_label(c)}{value}{when}")
        if isinstance(c, ir.Group):
            _tree(p, adapter, ctx, m, c.children, nodes, entity, level, limit, echo, depth + 1)
        elif isinstance(c, ir.EventCriterion):
            _events(p, adapter, ctx, level, c, entity, limit, echo, indent + "        ")
        elif isinstance(c, ir.RateCriterion):
            for name, part in (("numerator", c.numerator), ("denominator", c.denominator)):
                bounded = ir.EventCriterion(part.id, part.events, part.filters, part.measure, part.measure_of, 1, None)
                echo(f"{indent}        {name}:")
                _events(p, adapter, ctx, level, bounded, entity, limit, echo, indent + "          ", c.window_seconds)


def _num(v: Any) -> str:
    if v is None:
        return "-"
    f = float(v)
    return str(int(f)) if f == int(f) else f"{f:.4g}"


def _naive(t: Any) -> datetime:
    return t.replace(tzinfo=None) if isinstance(t, datetime) and t.tzinfo else t  # type: ignore[no-any-return]


def _context(p: Project, adapter: Adapter, as_of: datetime) -> BuildContext:
    """The events staged in CTEs named like the run's scratch tables; anchors read from
    milestone_state (CTEs `m_<milestone>`, as the stages name them)."""
    step = p.at(as_of)
    events = exp.select(exp.Star()).from_(step.relation(p.spec.source.events)).limit(0)
    kinds = step.source_kinds(adapter.column_types(p.dialect.render(events))) if p.spec.source.events else SourceKinds()
    staged_in_ctes = lambda n: exp.to_table(n) if n in (EVENTS, ENTITIES) else step.relation(n)  # noqa: E731
    return replace(step.context(False, source_kinds=kinds), relation=staged_in_ctes)


def _events(
    p: Project,
    adapter: Adapter,
    ctx: BuildContext,
    level: ir.Level,
    c: ir.EventCriterion,
    entity: str,
    limit: int,
    echo: Callable[[str], None],
    indent: str,
    last: int | None = None,
) -> None:
    """The criterion's qualifying events of the entity, newest first (those in its
    trailing window for `last:`, the current and previous span for growth)."""
    rows = qualifying(ctx, level, c)
    rows = rows.select(alias_code(), copy=False)
    span = last or (c.window.seconds if c.window is not None and c.window.kind == "last" else None)
    if c.growth is not None:
        span = 2 * c.growth.seconds
    conds: list[exp.Expr] = [exp.EQ(this=col("entity_id"), expression=lit(entity))]
    if span:
        conds.append(exp.GTE(this=col("ts"), expression=sub_seconds(ctx.as_of_lit(), span)))
    value = "val" if c.measure == "distinct" else "w"
    q = (
        exp.select(col("ts"), col("code"), col(value))
        .from_(rows.subquery(exp.to_identifier("q"), copy=False), copy=False)
        .where(exp.and_(*conds), copy=False)
        .order_by(exp.Ordered(this=col("ts"), desc=True), copy=False)
    )
    counted = exp.select(exp.Count(this=exp.Star())).from_(q.copy().subquery(exp.to_identifier("n")), copy=False)
    q = q.limit(limit, copy=False)
    for name, body in _ctes(p, ctx, c):
        q = q.with_(name, as_=body, copy=False)
        counted = counted.with_(name, as_=body.copy(), copy=False)
    total = adapter.execute(p.dialect.render(counted))[0][0]
    found = adapter.execute(p.dialect.render(q))
    names = {code: t for t, code in ctx.event_codes().items()}
    scope = ""
    if span:
        scope = f" in the {duration_text(span)} before as_of" + (" (both spans)" if c.growth is not None else "")
    if c.window is not None and c.window.kind == "any":
        scope = f" (value: the most within any {duration_text(c.window.seconds or 0)})"
    if c.every is not None:
        scope = f" (counted per {c.every.every})"
    shown = f", newest {len(found)}" if total > len(found) else ""
    echo(f"{indent}{total} qualifying event(s){scope}{shown}:" if total else f"{indent}no qualifying events{scope}")
    for ts, code, v in found:
        extra = ""
        if c.measure == "distinct":
            extra = f"  {c.measure_of} = {v}"
        elif c.measure == "sum":
            extra = f"  {c.measure_of} = {_num(v)}"
        echo(f"{indent}  {ts}  {names.get(code, code)}{extra}")


def alias_code() -> exp.Expr:
    return exp.alias_(col("event_code", "ev"), "code")


def _ctes(p: Project, ctx: BuildContext, c: ir.EventCriterion) -> list[tuple[str, exp.Expr]]:
    source = ctx.relation(p.spec.source.events)
    out: list[tuple[str, exp.Expr]] = [(ENTITIES, entities_query(ctx, source)), (EVENTS, events_query(ctx, source))]
    if c.window is not None and c.window.kind == "after" and c.window.anchor:
        anchor = (
            exp.select(col("entity_id"), col("is_complete"), col("completed_at"))
            .from_(p.relation("milestone_state"))
            .where(_eq("milestone", c.window.anchor))
        )
        out.append((f"m_{c.window.anchor}", anchor))
    return out
