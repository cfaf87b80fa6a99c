"""Rates and growth (SPEC §8): a quotient of two measures, met while the denominator
reaches its minimum and the quotient reaches at_least; a status whose met_at is the start
of the stretch, ending at as_of, in which that held at every instant.

Both are one mechanism, the change-point timeline with two weights. Every change of
either measure is a delta row (entity_id, t, ph, dn, dd): phase 0 at an event time t,
phase 1 "just after" t (closed windows: an event still counts at t = e + D). Running sums
ordered by (t, ph) give numerator and denominator at every instant where they can change;
the condition is evaluated there. met_at = the first change point after the last one at
which the condition failed (the infimum of the stretch: e + D for a stretch that begins
just after e + D).

- rate, no window: numerator and denominator only rise (distinct: at a value's first
  occurrence);
- rate, `last: D`: each event rises at e and falls just after e + D (distinct: once per
  island of a value's occurrences, merged when at most D apart);
- growth D: current span [t - D, t] and previous span [t - 2D, t - D): an event is in the
  current span for t in [e, e + D] and in the previous one for t in (e + D, e + 2D].
"""

from __future__ import annotations

from sqlglot import exp

from compiler.spec import ir
from compiler.sql.base import BuildContext, add_seconds, alias, and_, case, col, lit, subquery, union_all
from compiler.sql.qualifying import qualifying, value_islands


def _occurrences(rows: exp.Select, c: ir.EventCriterion, merge: int | None) -> exp.Select:
    """(entity_id, first_ts, last_ts, w): what enters and leaves the measure. Counts and
    sums: each event. Distinct values: a value's first occurrence (merge None: it never
    leaves), else its islands of occurrences at most `merge` seconds apart."""
    if c.measure != "distinct":
        return exp.select(col("entity_id"), alias(col("ts"), "first_ts"), alias(col("ts"), "last_ts"), col("w")).from_(
            subquery(rows, "q"), copy=False
        )
    if merge is None:
        return (
            exp.select(
                col("entity_id"),
                alias(exp.Min(this=col("ts")), "first_ts"),
                alias(exp.Min(this=col("ts")), "last_ts"),
                alias(lit(1), "w"),
            )
            .from_(subquery(rows, "q"), copy=False)
            .group_by(col("entity_id"), col("val"), copy=False)
        )
    return value_islands(rows, merge)


def _delta(occ: exp.Select, at: exp.Expr, phase: int, dn: exp.Expr, dd: exp.Expr) -> exp.Select:
    """One delta row per occurrence: at instant `at` (phase 0) or just after it (phase 1),
    the numerator moves by dn and the denominator by dd (doubles: the quotient is one)."""
    double = exp.DataType.build("DOUBLE")
    return exp.select(
        col("entity_id"),
        alias(at, "t"),
        alias(lit(phase), "ph"),
        alias(exp.cast(dn, double), "dn"),
        alias(exp.cast(dd, double.copy()), "dd"),
    ).from_(subquery(occ, "o"), copy=False)


def _part_deltas(
    ctx: BuildContext, level: ir.Level, c: ir.EventCriterion, window: int | None, side: str
) -> list[exp.Select]:
    """A rate part's rises (and, with `last: D`, falls) on its side ('n' or 'd')."""
    occ = _occurrences(qualifying(ctx, level, c), c, window)
    w, zero = col("w"), lit(0)
    rise = (w, zero) if side == "n" else (zero, w.copy())
    out = [_delta(occ, col("first_ts"), 0, *rise)]
    if window is not None:
        fall = (exp.Neg(this=col("w")), lit(0)) if side == "n" else (lit(0), exp.Neg(this=col("w")))
        out.append(_delta(occ.copy(), add_seconds(col("last_ts"), window), 1, *fall))
    return out


def rate_deltas(ctx: BuildContext, level: ir.Level, c: ir.RateCriterion) -> exp.Query:
    return union_all(
        _part_deltas(ctx, level, c.numerator, c.window_seconds, "n")
        + _part_deltas(ctx, level, c.denominator, c.window_seconds, "d")
    )


def growth_deltas(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion) -> exp.Query:
    assert c.growth is not None
    d = c.growth.seconds
    occ = _occurrences(qualifying(ctx, level, c), c, d)
    w = col("w")
    return union_all(
        [
            _delta(occ, col("first_ts"), 0, w, lit(0)),  # enters the current span
            _delta(occ.copy(), add_seconds(col("last_ts"), d), 1, exp.Neg(this=w.copy()), lit(0)),  # leaves it
            _delta(occ.copy(), add_seconds(col("first_ts"), d), 1, lit(0), w.copy()),  # enters the previous span
            _delta(occ.copy(), add_seconds(col("last_ts"), 2 * d), 1, lit(0), exp.Neg(this=w.copy())),  # leaves it
        ]
    )


def ratio_stage(ctx: BuildContext, deltas: exp.Query, at_least: float, minimum: float) -> exp.Select:
    """(entity_id, v, t, d): the quotient at as_of (NULL when the denominator is 0), the
    start of the current stretch in which it held, and the denominator at as_of."""
    points = (
        exp.select(
            col("entity_id"),
            col("t"),
            col("ph"),
            alias(exp.Sum(this=col("dn")), "dn"),
            alias(exp.Sum(this=col("dd")), "dd"),
        )
        .from_(subquery(deltas, "deltas"), copy=False)  # type: ignore[arg-type]
        .group_by(col("entity_id"), col("t"), col("ph"), copy=False)
    )
    order = exp.Order(expressions=[exp.Ordered(this=col("t")), exp.Ordered(this=col("ph"))])
    frame = exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW")

    def running(name: str) -> exp.Expr:
        return exp.Window(
            this=exp.Sum(this=col(name)), partition_by=[col("entity_id")], order=order.copy(), spec=frame.copy()
        )

    # only the change points in effect at as_of: events up to it, falls just after t < as_of
    in_past = exp.or_(
        and_(exp.EQ(this=col("ph"), expression=lit(0)), exp.LTE(this=col("t"), expression=ctx.as_of_lit())),
        exp.LT(this=col("t"), expression=ctx.as_of_lit()),
    )
    seq = exp.Window(this=exp.RowNumber(), partition_by=[col("entity_id")], order=order.copy())
    run = (
        exp.select(col("entity_id"), col("t"), alias(running("dn"), "n"), alias(running("dd"), "d"), alias(seq, "seq"))
        .from_(subquery(points, "pts"), copy=False)
        .where(in_past, copy=False)
    )
    quotient = exp.Div(this=col("n"), expression=col("d"))
    holds = and_(
        exp.GTE(this=col("d"), expression=lit(minimum)),
        exp.GT(this=col("d"), expression=lit(0)),
        exp.GTE(this=quotient, expression=lit(at_least)),
    )
    fails = case((holds, lit(0)), default=lit(1))
    last = exp.Window(this=exp.Max(this=col("seq")), partition_by=[col("entity_id")])
    low = exp.Window(
        this=exp.Max(this=case((exp.EQ(this=fails, expression=lit(1)), col("seq")))), partition_by=[col("entity_id")]
    )
    marked = exp.select(
        col("entity_id"), col("t"), col("n"), col("d"), col("seq"), alias(last, "last_seq"), alias(low, "low_seq")
    ).from_(subquery(run, "r"), copy=False)
    at_last = exp.EQ(this=col("seq"), expression=col("last_seq"))
    num = exp.Max(this=case((at_last, col("n"))))
    den = exp.Max(this=case((at_last.copy(), col("d"))))
    after_low = exp.GT(this=col("seq"), expression=exp.Coalesce(this=col("low_seq"), expressions=[lit(0)]))
    return (
        exp.select(
            col("entity_id"),
            alias(case((exp.GT(this=den.copy(), expression=lit(0)), exp.Div(this=num, expression=den))), "v"),
            alias(exp.Min(this=case((after_low, col("t")))), "t"),
            alias(den.copy(), "d"),
        )
        .from_(subquery(marked, "mk"), copy=False)
        .group_by(col("entity_id"), copy=False)
    )
