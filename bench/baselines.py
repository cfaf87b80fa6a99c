"""The two yardsticks the benchmark measures our plan against, built from the same IR.

floor: one GROUP BY per level over the raw events, each event criterion's predicate
evaluated once (`count(*) FILTER (WHERE ...)`, properties read from JSON inline): the
least work any correct plan must do. It ignores windows, dedupe and account resolution,
so it is a lower bound, not an answer."""

from __future__ import annotations

from sqlglot import exp

from compiler.project import Project
from compiler.spec import ir
from compiler.sql.base import alias, and_, case, col, count_where, lit, not_null
from compiler.sql.qualifying import filter_pred


def inline_properties(p: Project, e: exp.Expr) -> exp.Expr:
    """Predicates over _ms_events' extracted columns -> the same over the raw JSON/columns."""
    ctx = p.context(False)
    cols = p.spec.source.columns
    by_column = {name: prop for prop, name in ctx.property_columns().items()}
    e = e.copy()
    for column in list(e.find_all(exp.Column)):
        if column.name == "event_name":
            column.replace(col(cols.event))
        elif column.name in by_column:
            prop = by_column[column.name]
            if prop in p.spec.source.property_columns:
                column.replace(ctx.text(col(prop)))
            else:
                column.replace(p.dialect.json_text(col(cols.properties or "properties"), tuple(prop.split("."))))
    return e


def guarded_pred(p: Project, c: ir.EventCriterion) -> exp.Expr:
    """CASE WHEN <event type> THEN <property tests> ELSE FALSE END: DuckDB evaluates every
    predicate inside an aggregate FILTER in full, so the guard keeps JSON parsing to the
    rows of the criterion's event types (measured ~1.9x faster, NOTES.md)."""
    ctx = p.context(False)
    names = exp.In(this=col("event_name"), expressions=[lit(e) for e in c.events])
    if not c.filters:
        return names
    return case((names, and_(*[filter_pred(ctx, f) for f in c.filters])), default=exp.false())


def floor_queries(p: Project) -> list[tuple[str, exp.Select]]:
    cols = p.spec.source.columns
    out = []
    for level in ir.LEVELS:
        key = cols.account if level == "account" else cols.contact
        q = exp.select(alias(col(key), "entity_id"))
        n = 0
        for m in p.spec.of_level(level):
            for c in ir.event_measures(m.criteria):  # event criteria and both parts of each rate
                n += 1
                q = q.select(alias(count_where(inline_properties(p, guarded_pred(p, c))), f"c{n}"))
        if n:
            q = q.from_(p.relation(p.spec.source.events)).where(not_null(col(key))).group_by(col(key))
            out.append((f"floor_{level}", q))
    return out
