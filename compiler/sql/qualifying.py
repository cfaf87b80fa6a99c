"""The qualifying events of an event criterion (SPEC §3-4, §7): the type test, every
property filter with the literal-type rules, the measure's weight (1, a capped decimal
for sums) or value (distinct), and the time bounds of an `after:` anchor. Every stage
family starts from `qualifying`."""

from __future__ import annotations

from sqlglot import exp

from compiler.spec import ir
from compiler.sql.base import (
    EVENTS,
    BuildContext,
    add_seconds,
    alias,
    and_,
    case,
    col,
    entity_key,
    lit,
    not_null,
    sub_seconds,
    subquery,
)

SUM_CAP = "100000000000000000000"  # 1e20: the most one value adds to a sum (see qualifying)


def filter_pred(ctx: BuildContext, f: ir.Filter) -> exp.Expr:
    text = col(ctx.property_columns()[f.prop])
    if f.op == "exists":
        is_null = exp.Is(this=text, expression=exp.null())
        return exp.not_(is_null) if f.values[0] else is_null
    if f.op in ("in", "not_in"):
        parts = [_compare(ctx, text, "eq" if f.op == "in" else "ne", v) for v in f.values]
        return exp.or_(*parts) if f.op == "in" else and_(*parts)
    return _compare(ctx, text, f.op, f.values[0])


_CMP = {"eq": exp.EQ, "ne": exp.NEQ, "gt": exp.GT, "gte": exp.GTE, "lt": exp.LT, "lte": exp.LTE}


def _compare(ctx: BuildContext, text: exp.Expr, op: str, value: ir.Scalar) -> exp.Expr:
    """The literal's YAML type decides how the property's text form is read."""
    if isinstance(value, bool):
        lowered = exp.Lower(this=text)
        readable = exp.In(this=lowered.copy(), expressions=[lit("true"), lit("false")])
        test = _CMP[op](this=lowered, expression=lit("true" if value else "false"))
        return test if op == "eq" else and_(readable, test)
    if isinstance(value, (int, float)):
        return _CMP[op](this=ctx.dialect.try_number(text), expression=lit(value))
    if op == "contains":
        return exp.GT(this=exp.StrPosition(this=text, substr=lit(value)), expression=lit(0))
    if op == "not_contains":
        return exp.EQ(this=exp.StrPosition(this=text, substr=lit(value)), expression=lit(0))
    if op == "starts_with":
        return exp.StartsWith(this=text, expression=lit(value))
    return _CMP[op](this=text, expression=lit(value))


def event_pred(ctx: BuildContext, c: ir.EventCriterion) -> exp.Expr:
    return and_(ctx.of_types(c.events), *[filter_pred(ctx, f) for f in c.filters])


def qualifying(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion) -> exp.Select:
    """(entity_id, ts, w | val) for the criterion's qualifying events."""
    entity = entity_key(level)
    conds = [not_null(col(entity, "ev")), _qualify_columns(event_pred(ctx, c), "ev")]
    q = exp.select(alias(col(entity, "ev"), "entity_id"), alias(col("occurred_at", "ev"), "ts"))
    if c.measure == "sum":
        assert c.measure_of is not None
        number = ctx.dialect.try_number(col(ctx.property_columns()[c.measure_of], "ev"))
        # Each value counts at most SUM_CAP, so no sum of an entity's values can overflow
        # DECIMAL(38, 9) (29 integer digits; a few values near 10^29 would): the measure
        # stays exact to 9 places, and thresholds (below SUM_CAP, see validate) compare the same.
        # (rows where it is NULL are filtered out below: LEAST's NULL handling never matters;
        # the cap is a decimal literal, since a double's cast to DECIMAL is not exact)
        decimal = ctx.dialect.decimal_type()
        cap = exp.cast(exp.Literal.string(SUM_CAP), decimal)
        capped = exp.Anonymous(this="LEAST", expressions=[exp.cast(number, decimal.copy()), cap])
        q = q.select(alias(capped, "w"), copy=False)
        conds.append(exp.GT(this=number.copy(), expression=lit(0)))
    elif c.measure == "distinct":
        value = (
            col("contact_id", "ev")
            if c.measure_of == "contact"
            else col(ctx.property_columns()[c.measure_of or ""], "ev")
        )
        q = q.select(alias(value, "val"), copy=False)
        conds.append(not_null(value.copy()))
    else:
        q = q.select(alias(lit(1), "w"), copy=False)
    q = q.from_(exp.alias_(ctx.relation(EVENTS), "ev"), copy=False)
    w = c.window
    if w is not None and w.kind == "after":
        assert w.anchor is not None
        anchor_key = (
            "contact_account_id" if level == "contact" and ctx.spec.milestone(w.anchor).level == "account" else entity
        )
        q = q.join(
            exp.alias_(exp.to_table(f"m_{w.anchor}"), "anc"),
            on=and_(exp.EQ(this=col("entity_id", "anc"), expression=col(anchor_key, "ev")), col("is_complete", "anc")),
            copy=False,
        )
        conds.append(exp.GTE(this=col("occurred_at", "ev"), expression=col("completed_at", "anc")))
        if w.seconds is not None:
            conds.append(
                exp.LTE(this=col("occurred_at", "ev"), expression=add_seconds(col("completed_at", "anc"), w.seconds))
            )
    return q.where(and_(*conds), copy=False)


def _qualify_columns(e: exp.Expr, table: str) -> exp.Expr:
    e = e.copy()
    for c in e.find_all(exp.Column):
        if not c.table:
            c.set("table", exp.to_identifier(table))
    return e


def value_islands(rows: exp.Select, gap: int) -> exp.Select:
    """(entity_id, first_ts, last_ts, w = 1): each distinct value's occurrences merged into
    islands of occurrences at most `gap` seconds apart (a value in a trailing window of
    length gap is present from its island's first occurrence to last + gap)."""
    by_ts = exp.Order(expressions=[exp.Ordered(this=col("ts"))])
    previous = exp.Window(this=exp.Lag(this=col("ts")), partition_by=[col("entity_id"), col("val")], order=by_ts)
    brk = case((exp.GTE(this=previous, expression=sub_seconds(col("ts"), gap)), lit(0)), default=lit(1))
    marked = exp.select(col("entity_id"), col("val"), col("ts"), alias(brk, "brk")).from_(
        subquery(rows, "q"), copy=False
    )
    island_no = exp.Window(
        this=exp.Sum(this=col("brk")),
        partition_by=[col("entity_id"), col("val")],
        order=by_ts.copy(),
        spec=exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"),
    )
    numbered = exp.select(col("entity_id"), col("val"), col("ts"), alias(island_no, "island")).from_(
        subquery(marked, "m"), copy=False
    )
    return (
        exp.select(
            col("entity_id"),
            alias(exp.Min(this=col("ts")), "first_ts"),
            alias(exp.Max(this=col("ts")), "last_ts"),
            alias(lit(1), "w"),
        )
        .from_(subquery(numbered, "n"), copy=False)
        .group_by(col("entity_id"), col("val"), col("island"), copy=False)
    )
