"""Tables derived from milestone_criteria: milestone_state, the per-level wide
tables, and milestone_events. Pure functions of the criteria rows, so they agree
with it by construction."""

from __future__ import annotations

from sqlglot import exp

from . import ir
from .sql_base import ENTITIES, BuildContext, alias, and_, case, col, count_where, lit, subquery


def _top_level(ctx: BuildContext) -> exp.Select:
    """Top-level criterion rows (ids without a dot)."""
    return (
        exp.select(exp.Star())
        .from_(ctx.relation("milestone_criteria"))
        .where(exp.EQ(this=exp.StrPosition(this=col("criterion_id"), substr=lit(".")), expression=lit(0)))
    )


def _by_milestone(spec: ir.Spec, value: str) -> exp.Expr:
    c = exp.Case(this=col("milestone"))
    for m in spec.milestones:
        c = c.when(lit(m.name), lit(getattr(m, value)))
    return c


def _flag(cond: exp.Expr) -> exp.Expr:
    return case((cond, lit(1)), default=lit(0))


def state_query(ctx: BuildContext) -> exp.Select:
    met = count_where(col("is_met"))
    total = exp.Count(this=exp.Star())
    complete = exp.EQ(this=exp.Min(this=_flag(col("is_met"))), expression=lit(1))
    double = ctx.dialect.double_type()
    return (
        exp.select(
            col("entity_level", "c"),
            col("entity_id", "c"),
            alias(exp.Max(this=col("account_id", "en")), "account_id"),
            col("milestone", "c"),
            alias(exp.Max(this=_by_milestone(ctx.spec, "label")), "milestone_label"),
            alias(exp.Max(this=_by_milestone(ctx.spec, "order")), "milestone_order"),
            alias(met, "criteria_met"),
            alias(total, "criteria_total"),
            alias(exp.Div(this=exp.cast(met.copy(), double), expression=total.copy()), "progress"),
            alias(complete, "is_complete"),
            alias(case((complete.copy(), exp.Max(this=col("met_at", "c")))), "completed_at"),
            alias(ctx.as_of_lit(), "as_of"),
        )
        .from_(subquery(_top_level(ctx), "c"))
        .join(
            exp.alias_(ctx.relation(ENTITIES), "en"),
            on=and_(
                exp.EQ(this=col("entity_level", "en"), expression=col("entity_level", "c")),
                exp.EQ(this=col("entity_id", "en"), expression=col("entity_id", "c")),
            ),
            join_type="left",
        )
        .group_by(col("entity_level", "c"), col("entity_id", "c"), col("milestone", "c"))
    )


def wide_query(ctx: BuildContext, level: ir.Level) -> exp.Select:
    """One row per entity of the level, a progress and completed_at column per milestone."""
    milestones = ctx.spec.of_level(level)
    state = ctx.relation("milestone_state")
    q = exp.select(col("entity_id", "en"))
    current = exp.Case()
    for m in milestones:
        this = exp.EQ(this=col("milestone", "s"), expression=lit(m.name))
        q = q.select(
            alias(exp.Max(this=case((this, col("progress", "s")))), f"{m.name}_progress"),
            alias(exp.Max(this=case((this.copy(), col("completed_at", "s")))), f"{m.name}_completed_at"),
        )
    for m in sorted(milestones, key=lambda m: -m.order):
        done = and_(exp.EQ(this=col("milestone", "s"), expression=lit(m.name)), col("is_complete", "s"))
        current = current.when(exp.EQ(this=exp.Max(this=_flag(done)), expression=lit(1)), lit(m.name))
    current_expr: exp.Expr = current if milestones else exp.cast(exp.null(), ctx.dialect.text_type())
    q = q.select(alias(current_expr, "current_milestone"), alias(ctx.as_of_lit(), "as_of"))
    return (
        q.from_(exp.alias_(ctx.relation(ENTITIES), "en"))
        .join(
            exp.alias_(state, "s"),
            on=and_(
                exp.EQ(this=col("entity_level", "s"), expression=lit(level)),
                exp.EQ(this=col("entity_id", "s"), expression=col("entity_id", "en")),
            ),
            join_type="left",
        )
        .where(exp.EQ(this=col("entity_level", "en"), expression=lit(level)))
        .group_by(col("entity_id", "en"))
    )


def events_table_query(ctx: BuildContext) -> exp.Expr:
    """milestone_updated per met top-level criterion (progress = share of top-level
    criteria met at or before it) and milestone_completed per complete milestone."""
    part = [col("entity_level"), col("entity_id"), col("milestone")]
    total = exp.Window(this=exp.Count(this=exp.Star()), partition_by=[p.copy() for p in part])
    tops = exp.select(exp.Star(), alias(total, "n_total")).from_(subquery(_top_level(ctx), "t"))
    met_so_far = exp.Window(
        this=exp.Count(this=exp.Star()),
        partition_by=[p.copy() for p in part],
        order=exp.Order(expressions=[exp.Ordered(this=col("met_at"))]),
    )
    double = ctx.dialect.double_type()
    updated = (
        exp.select(
            *[p.copy() for p in part],
            alias(lit("milestone_updated"), "event_type"),
            col("criterion_id"),
            alias(col("met_at"), "occurred_at"),
            alias(exp.Div(this=exp.cast(met_so_far, double), expression=col("n_total")), "progress"),
        )
        .from_(subquery(tops, "tops"))
        .where(col("is_met"))
    )
    completed = (
        exp.select(
            *[p.copy() for p in part],
            alias(lit("milestone_completed"), "event_type"),
            alias(exp.cast(exp.null(), ctx.dialect.text_type()), "criterion_id"),
            alias(col("completed_at"), "occurred_at"),
            alias(exp.cast(lit(1), double), "progress"),
        )
        .from_(ctx.relation("milestone_state"))
        .where(col("is_complete"))
    )
    return exp.union(updated, completed, distinct=False)
