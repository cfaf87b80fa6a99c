"""The hand-written baseline: criteria the way teams write them in dbt — one CTE per
criterion (filter, ROW_NUMBER, pick the Nth) joined on the entity. It plugs into
`sql_criteria.stage_builds` as the leaf builder, so both plans share the milestone joins
and the derived tables, and differ in staging and in how criteria are evaluated.

Staging, the dbt way (`stg_events`): one table of every cleaned event, its account
resolved through the contacts dimension (`_ms_entities`), properties kept as JSON that
each criterion reads inline. `leaf` can also run on our staged `_ms_events` (properties
already extracted), which isolates criteria evaluation. Implements the criterion kinds
the benchmark spec uses."""

from __future__ import annotations

from sqlglot import exp

from compiler.spec import ir
from compiler.sql.base import (
    ENTITIES,
    BuildContext,
    _normalized,
    add_seconds,
    alias,
    and_,
    case,
    coalesce,
    col,
    count_where,
    lit,
    sub_seconds,
    subquery,
)
from compiler.sql.criteria import is_field_kind, leaf_stage
from compiler.sql.qualifying import qualifying

STG_EVENTS = "stg_events"


def stg_events(ctx: BuildContext, source: exp.Table) -> exp.Select:
    """Every event of the run (null type/timestamp and rows after as_of dropped), its account
    its own else its contact's, and the raw properties."""
    cols = ctx.spec.source.columns
    rows = _normalized(ctx, source, [alias(col(cols.properties or "properties"), "properties")])
    return (
        exp.select(
            col("event_name", "e"),
            col("occurred_at", "e"),
            col("contact_id", "e"),
            alias(coalesce(col("own_account_id", "e"), col("account_id", "en")), "account_id"),
            col("properties", "e"),
        )
        .from_(subquery(rows, "e"))
        .join(
            exp.alias_(ctx.relation(ENTITIES), "en"),
            on=and_(
                exp.EQ(this=col("entity_level", "en"), expression=lit("contact")),
                exp.EQ(this=col("entity_id", "en"), expression=col("contact_id", "e")),
            ),
            join_type="left",
        )
    )


def json_leaf(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion | ir.RateCriterion) -> exp.Select:
    """`leaf` over stg_events: each extracted-property column read from the JSON inline, and
    event types compared by name (stg_events keeps names; _ms_events keeps type codes)."""
    q = leaf(ctx, level, c)
    by_column = {name: prop for prop, name in ctx.property_columns().items()}
    for column in list(q.find_all(exp.Column)):
        if column.name in by_column:
            path = tuple(by_column[column.name].split("."))
            column.replace(ctx.dialect.json_text(col("properties", column.table or None), path))
    names = {code: t for t, code in ctx.event_codes().items()}
    for test in list(q.find_all(exp.In)):
        if isinstance(test.this, exp.Column) and test.this.name == "event_code":
            by_name = [lit(names[int(code.name)]) for code in test.expressions]
            test.replace(exp.In(this=col("event_name", test.this.table or None), expressions=by_name))
    return q


def _window(fn: exp.Expr, order: str = "ts", spec: exp.WindowSpec | None = None) -> exp.Window:
    return exp.Window(
        this=fn, partition_by=[col("entity_id")], order=exp.Order(expressions=[exp.Ordered(this=col(order))]), spec=spec
    )


def _nth(rows: exp.Select, n: int, value: exp.Expr) -> exp.Select:
    """Number the rows per entity by time and pick the Nth: the dbt idiom."""
    numbered = exp.select(col("entity_id"), col("ts"), alias(_window(exp.RowNumber()), "rn")).from_(subquery(rows, "f"))
    return (
        exp.select(
            col("entity_id"),
            alias(value, "v"),
            alias(exp.Max(this=case((exp.EQ(this=col("rn"), expression=lit(n)), col("ts")))), "t"),
        )
        .from_(subquery(numbered, "n"))
        .group_by(col("entity_id"))
    )


def leaf(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion | ir.RateCriterion) -> exp.Select:
    if is_field_kind(c):  # SPEC §8 kinds (calendar periods, quotients): no dbt idiom to compare with
        return leaf_stage(ctx, level, c)
    assert isinstance(c, ir.EventCriterion)
    q = qualifying(ctx, level, c)
    n, kind = c.threshold, c.window.kind if c.window else None
    if c.measure == "count" and kind in (None, "after"):
        return _nth(q, int(n), exp.Count(this=exp.Star()))
    if c.measure == "distinct" and kind is None:
        firsts = (
            exp.select(col("entity_id"), alias(exp.Min(this=col("ts")), "ts"))
            .from_(subquery(q, "q"))
            .group_by(col("entity_id"), col("val"))
        )
        return _nth(firsts, int(n), exp.Count(this=exp.Star()))
    if c.measure == "sum" and kind is None:
        running = exp.select(
            col("entity_id"), col("ts"), col("w"), alias(_window(exp.Sum(this=col("w"))), "running")
        ).from_(subquery(q, "q"))
        reached = exp.GTE(this=col("running"), expression=lit(n))
        return (
            exp.select(
                col("entity_id"),
                alias(exp.Sum(this=col("w")), "v"),
                alias(exp.Min(this=case((reached, col("ts")))), "t"),
            )
            .from_(subquery(running, "r"))
            .group_by(col("entity_id"))
        )
    if c.measure == "count" and kind == "any":
        assert c.window and c.window.seconds
        frame = exp.WindowSpec(
            kind="RANGE",
            start=exp.Interval(this=exp.Literal.string(str(c.window.seconds)), unit=exp.var("SECOND")),
            start_side="PRECEDING",
            end="CURRENT ROW",
        )
        counted = exp.select(
            col("entity_id"), col("ts"), alias(_window(exp.Count(this=exp.Star()), spec=frame), "cnt")
        ).from_(subquery(q, "q"))
        reached = exp.GTE(this=col("cnt"), expression=lit(n))
        return (
            exp.select(
                col("entity_id"),
                alias(exp.Max(this=col("cnt")), "v"),
                alias(exp.Min(this=case((reached, col("ts")))), "t"),
            )
            .from_(subquery(counted, "c"))
            .group_by(col("entity_id"))
        )
    if c.measure == "count" and kind == "last":
        return _trailing_count(ctx, q, int(n), c.window.seconds or 0)  # type: ignore[union-attr]
    raise NotImplementedError(f"hand-written baseline: {c.measure} with window {kind}")


def _trailing_count(ctx: BuildContext, q: exp.Select, n: int, d: int) -> exp.Select:
    """Gaps and islands: N events within D hold on [e_i, e_(i-N+1) + D]; the island that
    contains as_of starts at the latest island start."""
    lag = exp.Window(
        this=exp.Lag(this=col("ts"), offset=lit(n - 1)),
        partition_by=[col("entity_id")],
        order=exp.Order(expressions=[exp.Ordered(this=col("ts"))]),
    )
    lagged = exp.select(col("entity_id"), col("ts"), alias(lag, "first_ts")).from_(subquery(q, "q"))
    intervals = (
        exp.select(col("entity_id"), alias(col("ts"), "starts"), alias(add_seconds(col("first_ts"), d), "ends"))
        .from_(subquery(lagged, "l"))
        .where(exp.GTE(this=col("first_ts"), expression=sub_seconds(col("ts"), d)))
    )
    before = exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="1", end_side="PRECEDING")
    reach = _window(exp.Max(this=col("ends")), order="starts", spec=before)
    marked = exp.select(col("entity_id"), col("starts"), alias(reach, "reach")).from_(subquery(intervals, "i"))
    new_island = exp.or_(
        exp.Is(this=col("reach"), expression=exp.null()), exp.GT(this=col("starts"), expression=col("reach"))
    )
    islands = (
        exp.select(col("entity_id"), alias(exp.Max(this=case((new_island, col("starts")))), "t"))
        .from_(subquery(marked, "m"))
        .group_by(col("entity_id"))
    )
    in_window = exp.GTE(this=col("ts"), expression=sub_seconds(ctx.as_of_lit(), d))
    counts = (
        exp.select(col("entity_id"), alias(count_where(in_window), "v"))
        .from_(subquery(q, "q"))
        .group_by(col("entity_id"))
    )
    return (
        exp.select(col("entity_id", "c"), col("v", "c"), col("t", "i"))
        .from_(subquery(counts, "c"))
        .join(
            subquery(islands, "i"),
            on=exp.EQ(this=col("entity_id", "c"), expression=col("entity_id", "i")),
            join_type="left",
        )
    )
