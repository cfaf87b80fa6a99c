"""`milestones events`: what the source holds, to write milestones against: each event
type with its count and first / last occurrence, and its property keys (JSON keys and
property columns) with how often each is set and an example value."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from compiler.project import Project
from compiler.spec import ir
from compiler.sql.base import alias, col, not_null
from compiler.warehouse.adapters import Adapter
from compiler.warehouse.source_check import event_nodes, relation_select


def event_types(p: Project, adapter: Adapter) -> list[tuple[str, int, object, object]]:
    cols = p.spec.source.columns
    ctx = p.context(False)
    kinds = p.source_kinds(adapter.column_types(p.dialect.render(relation_select(p, p.spec.source.events).limit(0))))
    ts = p.dialect.read_timestamp(col(cols.timestamp), kinds.timestamp)
    name = ctx.text(col(cols.event))
    q = (
        exp.select(
            alias(name, "event"),
            alias(exp.Count(this=exp.Star()), "n"),
            alias(exp.Min(this=ts), "first_seen"),
            alias(exp.Max(this=ts.copy()), "last_seen"),
        )
        .from_(relation_select(p, p.spec.source.events).subquery(exp.to_identifier("src")), copy=False)
        .where(not_null(col(cols.event)), copy=False)
        .group_by(name.copy(), copy=False)
        .order_by(exp.Ordered(this=col("n"), desc=True), copy=False)
    )
    return [(str(e), int(n), f, last) for e, n, f, last in adapter.execute(p.dialect.render(q))]


def property_keys(p: Project, adapter: Adapter) -> dict[str, list[tuple[str, int, object]]]:
    """event type -> [(key, events with it, an example value)]: property columns on every
    engine, JSON keys where the dialect can list them (DuckDB)."""
    cols = p.spec.source.columns
    ctx = p.context(False)
    src = relation_select(p, p.spec.source.events).subquery(exp.to_identifier("src"))
    out: dict[str, list[tuple[str, int, object]]] = {}
    name = ctx.text(col(cols.event))
    for column in p.spec.source.property_columns:
        q = (
            exp.select(alias(name.copy(), "event"), alias(exp.Count(this=col(column)), "n"), alias(exp.Max(this=ctx.text(col(column))), "example"))
            .from_(src.copy(), copy=False)
            .group_by(name.copy(), copy=False)
        )  # fmt: skip
        for event, n, example in adapter.execute(p.dialect.render(q)):
            if n:
                out.setdefault(str(event), []).append((column, int(n), example))
    if cols.properties:
        q2 = p.dialect.json_key_counts(name.copy(), col(cols.properties), src.copy())
        if q2 is not None:
            for event, key, n, example in adapter.execute(p.dialect.render(q2)):
                out.setdefault(str(event), []).append((str(key), int(n), example))
    for keys in out.values():
        keys.sort(key=lambda k: (-k[1], k[0]))
    return out


def print_events(p: Project, adapter: Adapter, echo: Callable[[str], None]) -> None:
    types = event_types(p, adapter)
    keys = property_keys(p, adapter)
    read = {e for m in p.spec.milestones for e in _events_of(m)}
    echo(f"{len(types)} event type(s) in {p.spec.source.events} (target '{p.target.name}'):")
    echo(f"  {'event':<28} {'count':>10}  {'first seen':<19}  {'last seen':<19}  used")
    for event, n, first, last in types:
        used = "yes" if event in read else ""
        echo(f"  {event:<28} {n:>10,}  {_ts(first):<19}  {_ts(last):<19}  {used}")
        for key, k, example in keys.get(event, [])[:20]:
            echo(f"      {key:<24} {k:>10,} set   e.g. {str(example)[:40]}")
    missing = sorted(read - {t[0] for t in types})
    if missing:
        echo(f"read by the spec but never seen: {', '.join(missing)}")
    if p.spec.source.columns.properties and p.dialect.json_key_counts(col("x"), col("y"), col("z")) is None:
        echo("(JSON property keys are listed on DuckDB; property columns on every warehouse)")


def _events_of(m: ir.Milestone) -> set[str]:
    return {e for _, c in event_nodes(m) for e in c.events}


def _ts(t: object) -> str:
    return "" if t is None else str(t)[:19]
