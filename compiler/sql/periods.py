"""Recurring criteria (SPEC §8): a threshold per calendar period (UTC days, ISO weeks from
Monday, months), over consecutive qualifying periods.

One stage per criterion, (entity_id, v, t):
1. the qualifying events, each with its period (`truncate`, the dialect's: weeks start on
   Monday everywhere) and the period's integer index (consecutive periods differ by 1);
2. per entity and period: the measure and the *qualifying instant*, the first event time
   at which the period's measure reaches at_least (ties at one timestamp count together:
   counts take the Nth smallest timestamp, distinct counts the Nth first occurrence, sums
   a running sum over per-timestamp totals);
3. qualifying periods as gaps and islands (index - row number), each island with its
   length, last index and the qualifying instant of its `periods`-th period;
4. achievement: v = the longest streak, t = the earliest island's `periods`-th instant;
   ongoing: the live streak is the island ending in as_of's period or the one before it
   (a running period has not failed yet), v = its length, t its `periods`-th instant.
"""

from __future__ import annotations

from sqlglot import exp

from compiler.spec import ir
from compiler.sql.base import BuildContext, alias, and_, case, coalesce, col, lit, subquery
from compiler.sql.qualifying import qualifying

DAY = 86400


def period_index(ctx: BuildContext, start: exp.Expr, every: str) -> exp.Expr:
    """An integer per period, consecutive periods one apart (start is a period's start)."""
    if every == "month":  # EXTRACT, which every dialect has (BigQuery has no YEAR())
        year = exp.Extract(this=exp.var("YEAR"), expression=start)
        month = exp.Extract(this=exp.var("MONTH"), expression=start.copy())
        return exp.Add(this=exp.Mul(this=year, expression=lit(12)), expression=month)
    days = exp.Div(this=ctx.dialect.epoch_seconds(start), expression=lit(float(DAY)))
    if every == "week":  # 1970-01-05, epoch day 4, is a Monday
        days = exp.Div(this=exp.Paren(this=exp.Sub(this=days, expression=lit(4))), expression=lit(7.0))
    return exp.cast(exp.Round(this=days), exp.DataType.build("BIGINT"))


def _per_period(ctx: BuildContext, c: ir.EventCriterion, rows: exp.Select) -> exp.Select:
    """(entity_id, ps, m, qi): each period's measure and qualifying instant."""
    assert c.every is not None
    n = int(c.threshold) if c.measure != "sum" else 1
    with_period = exp.select(
        col("entity_id"), col("ts"), *([col("val")] if c.measure == "distinct" else [col("w")]),
        alias(ctx.dialect.truncate(col("ts"), c.every.every), "ps"),
    ).from_(subquery(rows, "q"), copy=False)  # fmt: skip
    if c.measure == "sum":
        at_ts = (
            exp.select(col("entity_id"), col("ps"), col("ts"), alias(exp.Sum(this=col("w")), "w"))
            .from_(subquery(with_period, "p"), copy=False)
            .group_by(col("entity_id"), col("ps"), col("ts"), copy=False)
        )
        running = exp.Window(
            this=exp.Sum(this=col("w")),
            partition_by=[col("entity_id"), col("ps")],
            order=exp.Order(expressions=[exp.Ordered(this=col("ts"))]),
            spec=exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"),
        )
        run = exp.select(col("entity_id"), col("ps"), col("ts"), col("w"), alias(running, "f")).from_(
            subquery(at_ts, "a"), copy=False
        )
        reached = exp.GTE(this=col("f"), expression=lit(c.threshold))
        return (
            exp.select(
                col("entity_id"),
                col("ps"),
                alias(exp.Sum(this=col("w")), "m"),
                alias(exp.Min(this=case((reached, col("ts")))), "qi"),
            )
            .from_(subquery(run, "r"), copy=False)
            .group_by(col("entity_id"), col("ps"), copy=False)
        )
    if c.measure == "distinct":  # each value counts once per period, from its first occurrence
        with_period = (
            exp.select(col("entity_id"), col("ps"), alias(exp.Min(this=col("ts")), "ts"))
            .from_(subquery(with_period, "p"), copy=False)
            .group_by(col("entity_id"), col("ps"), col("val"), copy=False)
        )
    return (
        exp.select(
            col("entity_id"),
            col("ps"),
            alias(exp.Count(this=exp.Star()), "m"),
            alias(ctx.dialect.nth_smallest(col("ts"), n, exp.true()), "qi"),
        )
        .from_(subquery(with_period, "p"), copy=False)
        .group_by(col("entity_id"), col("ps"), copy=False)
    )


def recurring_stage(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion) -> exp.Select:
    """(entity_id, v, t) of a recurring criterion (see the module docstring)."""
    assert c.every is not None
    every, needed = c.every.every, c.every.periods
    periods = _per_period(ctx, c, qualifying(ctx, level, c))
    qualified = (
        exp.select(col("entity_id"), alias(period_index(ctx, col("ps"), every), "idx"), col("qi"))
        .from_(subquery(periods, "pp"), copy=False)
        .where(exp.GTE(this=col("m"), expression=lit(c.threshold)), copy=False)
    )
    by_idx = exp.Order(expressions=[exp.Ordered(this=col("idx"))])
    island = exp.Sub(
        this=col("idx"),
        expression=exp.Window(this=exp.RowNumber(), partition_by=[col("entity_id")], order=by_idx),
    )
    marked = exp.select(col("entity_id"), col("idx"), col("qi"), alias(island, "isl")).from_(
        subquery(qualified, "qp"), copy=False
    )
    nth = exp.Window(this=exp.RowNumber(), partition_by=[col("entity_id"), col("isl")], order=by_idx.copy())
    numbered = exp.select(col("entity_id"), col("isl"), col("idx"), col("qi"), alias(nth, "k")).from_(
        subquery(marked, "mk"), copy=False
    )
    islands = (
        exp.select(
            col("entity_id"),
            alias(exp.Count(this=exp.Star()), "len"),
            alias(exp.Max(this=col("idx")), "last_idx"),
            alias(exp.Max(this=case((exp.EQ(this=col("k"), expression=lit(needed)), col("qi")))), "pth"),
        )
        .from_(subquery(numbered, "nb"), copy=False)
        .group_by(col("entity_id"), col("isl"), copy=False)
    )
    if c.every.ongoing:
        now = period_index(ctx, ctx.dialect.truncate(ctx.as_of_lit(), every), every)
        live = exp.GTE(this=col("last_idx"), expression=exp.Sub(this=now, expression=lit(1)))
        value: exp.Expr = coalesce(exp.Max(this=case((live, col("len")))), lit(0))
        instant: exp.Expr = exp.Max(
            this=case((and_(live.copy(), exp.GTE(this=col("len"), expression=lit(needed))), col("pth")))
        )
    else:
        value, instant = exp.Max(this=col("len")), exp.Min(this=col("pth"))
    return (
        exp.select(col("entity_id"), alias(value, "v"), alias(instant, "t"))
        .from_(subquery(islands, "il"), copy=False)
        .group_by(col("entity_id"), copy=False)
    )
