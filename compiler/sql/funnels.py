"""Funnel analytics (SPEC §5): funnel_steps, funnel_cohorts, milestone_durations and
milestone_distribution, all derived from milestone_state / milestone_criteria.

`_ms_funnel_steps` holds one row per funnel x entity x step (completed or not) with
the previous and next steps' completion, the cohort, the segment and whether the step
converted; the four tables are aggregations of it. Percentiles are interpolated from
ranked rows (continuous, like PERCENTILE_CONT) because BigQuery has no ordered-set
aggregate; durations are epoch-second differences.
"""

from __future__ import annotations

from sqlglot import exp

from compiler.spec import ir
from compiler.sql.base import (
    EVENTS,
    BuildContext,
    alias,
    and_,
    asc,
    case,
    coalesce,
    col,
    count_where,
    greatest,
    id_list,
    lit,
    not_null,
    subquery,
    union_all,
)

FUNNEL_STEPS = "_ms_funnel_steps"


def _is_null(e: exp.Expr) -> exp.Expr:
    return exp.Is(this=e, expression=exp.null())


def _window(fn: exp.Expr, partition: list[str], order: list[exp.Ordered] | None = None) -> exp.Window:
    return exp.Window(
        this=fn,
        partition_by=[col(c) for c in partition],
        order=exp.Order(expressions=order) if order else None,
    )


# -- segments -------------------------------------------------------------------------


def segment_source(ctx: BuildContext, funnel: ir.Funnel) -> str | None:
    """'accounts' when the accounts relation has the attribute, 'event' for the property
    of the entity's first event, None without segment_by."""
    if not funnel.segment_by:
        return None
    accounts = ctx.spec.source.accounts
    if accounts is not None and (ctx.accounts_columns is None or funnel.segment_by in ctx.accounts_columns):
        return "accounts"
    return "event"


def _segments(ctx: BuildContext, funnel: ir.Funnel) -> exp.Select | None:
    """(key, segment): key is an account id for accounts attributes, else the entity id."""
    source = segment_source(ctx, funnel)
    if source is None:
        return None
    assert funnel.segment_by is not None
    if source == "accounts":
        rel = ctx.spec.source.accounts
        assert rel is not None
        return (
            exp.select(
                alias(ctx.text(col(rel.key)), "seg_key"),
                alias(exp.Max(this=ctx.text(col(funnel.segment_by))), "segment"),
            )
            .from_(ctx.relation(rel.name), copy=False)
            .group_by(ctx.text(col(rel.key)), copy=False)
        )
    key = "account_id" if funnel.level == "account" else "contact_id"
    prop = col(ctx.property_columns()[funnel.segment_by])
    # the earliest event's value; ties at that instant -> the smallest text value
    first = exp.Window(
        this=exp.Min(this=col("occurred_at")),
        partition_by=[col(key)],
    )
    ranked = exp.select(
        alias(col(key), "seg_key"), alias(prop, "segment"), col("occurred_at"), alias(first, "first_at")
    )
    ranked = ranked.from_(ctx.relation(EVENTS), copy=False).where(not_null(col(key)), copy=False)
    return (
        exp.select(col("seg_key"), alias(exp.Min(this=col("segment")), "segment"))
        .from_(subquery(ranked, "r"), copy=False)
        .where(exp.EQ(this=col("occurred_at"), expression=col("first_at")), copy=False)
        .group_by(col("seg_key"), copy=False)
    )


# -- the long table -------------------------------------------------------------------


def funnel_steps_long(ctx: BuildContext) -> exp.Query:
    """A row per funnel x entity x step. Each funnel's pivot (and segments) is a CTE that
    its step rows read: a copy per step made the SQL quadratic in the steps (a default
    funnel of 200 milestones: 3.4 MB)."""
    parts: list[exp.Select] = []
    ctes: list[tuple[str, exp.Select]] = []
    for i, funnel in enumerate(ctx.spec.effective_funnels(), 1):
        segments = _segments(ctx, funnel)
        ctes.append((f"p{i}", _pivot(ctx, funnel)))
        if segments is not None:
            ctes.append((f"s{i}", segments))
        parts.extend(_funnel_rows(ctx, funnel, f"p{i}", f"s{i}" if segments is not None else None))
    if not parts:
        return _empty_long(ctx)
    body = union_all(parts)
    for name, q in ctes:
        body = body.with_(name, as_=q, copy=False)
    return body


def _pivot(ctx: BuildContext, funnel: ir.Funnel) -> exp.Select:
    state = ctx.relation("milestone_state")
    q = exp.select(col("entity_id"), alias(exp.Max(this=col("account_id")), "account_id"))
    for i, step in enumerate(funnel.steps, 1):
        this = exp.EQ(this=col("milestone"), expression=lit(step))
        q = q.select(alias(exp.Max(this=case((this, col("completed_at")))), f"c{i}"), copy=False)
    return (
        q.from_(state, copy=False)
        .where(
            and_(
                exp.EQ(this=col("entity_level"), expression=lit(funnel.level)),
                exp.In(this=col("milestone"), expressions=[lit(s) for s in funnel.steps]),
            ),
            copy=False,
        )
        .group_by(col("entity_id"), copy=False)
    )


def _funnel_rows(ctx: BuildContext, funnel: ir.Funnel, pivot: str, segments: str | None) -> list[exp.Select]:
    """The step rows of one funnel, reading its pivot CTE (as `p`) and segments CTE (as `s`)."""
    d = ctx.dialect
    rows: list[exp.Select] = []
    n = len(funnel.steps)
    for k, step in enumerate(funnel.steps, 1):
        cur = col(f"c{k}", "p")
        prev = col(f"c{k - 1}", "p") if k > 1 else None
        nxt = col(f"c{k + 1}", "p") if k < n else None
        if prev is None:
            converted: exp.Expr = not_null(cur.copy())
            seconds: exp.Expr = exp.cast(exp.null(), d.double_type())
        else:
            diff = exp.Sub(this=d.epoch_seconds(cur.copy()), expression=d.epoch_seconds(prev.copy()))
            conds = [not_null(cur.copy()), not_null(prev.copy())]
            if funnel.strict:
                conds.append(exp.GTE(this=diff.copy(), expression=lit(0)))
            if funnel.conversion_window is not None:
                span = diff.copy() if funnel.strict else exp.Abs(this=diff.copy())
                conds.append(exp.LTE(this=span, expression=lit(funnel.conversion_window)))
            converted = and_(*conds)
            seconds = case((converted.copy(), diff))
        ts_null = exp.cast(exp.null(), d.timestamp_type())
        q = exp.select(
            alias(lit(funnel.name), "funnel"),
            alias(lit(funnel.level), "entity_level"),
            col("entity_id", "p"),
            alias(col("segment", "s") if segments is not None else exp.cast(exp.null(), d.text_type()), "segment"),
            alias(lit(k), "step"),
            alias(lit(n), "steps"),
            alias(lit(step), "milestone"),
            alias(cur, "completed_at"),
            alias(prev if prev is not None else ts_null, "prev_completed_at"),
            alias(nxt if nxt is not None else ts_null.copy(), "next_completed_at"),
            alias(case((not_null(col("c1", "p")), d.truncate(col("c1", "p"), funnel.cohort))), "cohort_start"),
            alias(coalesce(converted, exp.false()), "converted"),
            alias(seconds, "seconds_from_previous"),
        ).from_(exp.alias_(exp.to_table(pivot), "p"), copy=False)
        if segments is not None:
            on_key = "account_id" if segment_source(ctx, funnel) == "accounts" else "entity_id"
            q = q.join(
                exp.alias_(exp.to_table(segments), "s"),
                on=exp.EQ(this=col("seg_key", "s"), expression=col(on_key, "p")),
                join_type="left",
                copy=False,
            )
        rows.append(q)
    return rows


def _empty_long(ctx: BuildContext) -> exp.Select:
    d = ctx.dialect
    cols = {
        "funnel": d.text_type(), "entity_level": d.text_type(), "entity_id": d.text_type(),
        "segment": d.text_type(), "step": exp.DataType.build("INT"), "steps": exp.DataType.build("INT"),
        "milestone": d.text_type(), "completed_at": d.timestamp_type(), "prev_completed_at": d.timestamp_type(),
        "next_completed_at": d.timestamp_type(), "cohort_start": d.timestamp_type(),
        "converted": exp.DataType.build("BOOLEAN"), "seconds_from_previous": d.double_type(),
    }  # fmt: skip
    return exp.select(*[alias(exp.cast(exp.null(), t), c) for c, t in cols.items()]).where(exp.false(), copy=False)


# -- percentiles ----------------------------------------------------------------------


def _ranked(rows: exp.Select, group: list[str], value: str) -> exp.Select:
    """Adds rank_no (1..n among non-null values) and n_values per group."""
    has = case((_is_null(col(value)), lit(1)), default=lit(0))
    rank_no = exp.Window(
        this=exp.RowNumber(),
        partition_by=[col(g) for g in group] + [has],
        order=exp.Order(expressions=[asc(col(value))]),
    )
    n_values = _window(exp.Count(this=col(value)), group)
    return exp.select(exp.Star(), alias(rank_no, "rank_no"), alias(n_values, "n_values")).from_(
        subquery(rows, "rows"), copy=False
    )


def _percentile(p: float, value: str, aggregate: type[exp.AggFunc] = exp.Max) -> exp.Expr:
    """Continuous percentile over a group of _ranked rows: interpolate between the values
    ranked floor(pos) and ceil(pos), pos = 1 + p * (n - 1). Aggregates over the group."""
    pos = exp.Add(
        this=lit(1),
        expression=exp.Mul(this=lit(p), expression=exp.Paren(this=exp.Sub(this=col("n_values"), expression=lit(1)))),
    )

    def at(rank: exp.Expr) -> exp.Expr:
        hit = and_(not_null(col(value)), exp.EQ(this=col("rank_no"), expression=rank))
        return aggregate(this=case((hit, col(value))))

    lo, hi = at(exp.Floor(this=pos.copy())), at(exp.Ceil(this=pos.copy()))
    frac = exp.Paren(
        this=exp.Sub(this=aggregate(this=pos.copy()), expression=aggregate(this=exp.Floor(this=pos.copy())))
    )
    return exp.Add(
        this=lo, expression=exp.Mul(this=frac, expression=exp.Paren(this=exp.Sub(this=hi, expression=lo.copy())))
    )


# -- funnel_steps / funnel_cohorts ----------------------------------------------------


def _rates(counted: exp.Select, partition: list[str], seconds: bool) -> exp.Select:
    prev = _window(exp.Lag(this=col("entities")), partition, [asc(col("step"))])
    first = _window(exp.FirstValue(this=col("entities")), partition, [asc(col("step"))])
    staged = exp.select(exp.Star(), alias(prev, "prev_entities"), alias(first, "first_entities")).from_(
        subquery(counted, "counted"), copy=False
    )
    step1 = exp.EQ(this=col("step"), expression=lit(1))
    out = exp.select(
        *[col(c) for c in partition],
        col("step"),
        col("milestone"),
        col("entities"),
        alias(case((step1, col("entities")), default=col("converted")), "converted"),
        alias(
            case(
                (step1.copy(), exp.null()),
                (exp.EQ(this=col("prev_entities"), expression=lit(0)), exp.null()),
                default=exp.Div(
                    this=exp.cast(col("converted"), exp.DataType.build("DOUBLE")), expression=col("prev_entities")
                ),
            ),
            "conversion_rate",
        ),
        alias(
            case(
                (exp.EQ(this=col("first_entities"), expression=lit(0)), exp.null()),
                default=exp.Div(
                    this=exp.cast(col("entities"), exp.DataType.build("DOUBLE")), expression=col("first_entities")
                ),
            ),
            "overall_rate",
        ),
    )
    if seconds:
        for c in ("avg_seconds_from_previous", "median_seconds_from_previous", "p90_seconds_from_previous"):
            out = out.select(alias(case((step1.copy(), exp.null()), default=col(c)), c), copy=False)
    return out.from_(subquery(staged, "staged"), copy=False)


def funnel_steps_query(ctx: BuildContext) -> exp.Select:
    long = ctx.relation(FUNNEL_STEPS)
    cols = ["funnel", "step", "milestone", "completed_at", "converted", "seconds_from_previous"]
    everyone = exp.select(
        *[col(c) for c in cols], alias(exp.cast(exp.null(), ctx.dialect.text_type()), "segment")
    ).from_(long, copy=False)
    segmented = (
        exp.select(*[col(c) for c in cols], col("segment"))
        .from_(long.copy(), copy=False)
        .where(not_null(col("segment")), copy=False)
    )
    rows = exp.union(everyone, segmented, distinct=False)
    group = ["funnel", "segment", "step"]
    ranked = _ranked(
        exp.select(exp.Star()).from_(
            exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier("u"))), copy=False
        ),
        group,
        "seconds_from_previous",
    )
    counted = (
        exp.select(
            col("funnel"),
            col("segment"),
            col("step"),
            alias(exp.Max(this=col("milestone")), "milestone"),
            alias(exp.Count(this=col("completed_at")), "entities"),
            alias(count_where(col("converted")), "converted"),
            alias(exp.Avg(this=col("seconds_from_previous")), "avg_seconds_from_previous"),
            alias(_percentile(0.5, "seconds_from_previous"), "median_seconds_from_previous"),
            alias(_percentile(0.9, "seconds_from_previous"), "p90_seconds_from_previous"),
        )
        .from_(subquery(ranked, "ranked"), copy=False)
        .group_by(*[col(g) for g in group], copy=False)
    )
    return _rates(counted, ["funnel", "segment"], seconds=True)


def funnel_cohorts_query(ctx: BuildContext) -> exp.Select:
    counted = (
        exp.select(
            col("funnel"),
            col("cohort_start"),
            col("step"),
            alias(exp.Max(this=col("milestone")), "milestone"),
            alias(exp.Count(this=col("completed_at")), "entities"),
            alias(count_where(col("converted")), "converted"),
        )
        .from_(ctx.relation(FUNNEL_STEPS), copy=False)
        .where(not_null(col("cohort_start")), copy=False)
        .group_by(col("funnel"), col("cohort_start"), col("step"), copy=False)
    )
    return _rates(counted, ["funnel", "cohort_start"], seconds=False)


# -- milestone_durations --------------------------------------------------------------


def durations_query(ctx: BuildContext) -> exp.Select:
    d = ctx.dialect
    entered, exited = col("completed_at"), col("next_completed_at")
    elapsed = exp.Sub(this=d.epoch_seconds(exited.copy()), expression=d.epoch_seconds(entered.copy()))
    current = exp.Sub(this=d.epoch_seconds(ctx.as_of_lit()), expression=d.epoch_seconds(entered.copy()))
    seconds = case((_is_null(exited.copy()), current), default=greatest([lit(0.0), elapsed]))
    base = (
        exp.select(
            col("funnel"),
            col("entity_id"),
            col("step"),
            col("steps"),
            col("milestone"),
            alias(entered, "entered_at"),
            alias(exited, "exited_at"),
            alias(seconds, "seconds_in_step"),
            alias(_is_null(col("next_completed_at")), "is_current"),
            # seconds_in_step of the rows that left the step (NULL while current)
            alias(case((not_null(col("next_completed_at")), seconds.copy())), "exited_seconds"),
        )
        .from_(ctx.relation(FUNNEL_STEPS), copy=False)
        .where(not_null(col("completed_at")), copy=False)
    )
    group = ["funnel", "step"]
    ranked = _ranked(base, group, "exited_seconds")
    exited_flag = case((exp.not_(col("is_current")), lit(1)), default=lit(0))
    n_exited = _window(exp.Sum(this=exited_flag), group)
    at_or_below = _window(exp.Sum(this=exited_flag.copy()), group, [asc(col("seconds_in_step"))])
    p75 = _percentile_window(0.75, "exited_seconds", group)
    measured = exp.select(
        exp.Star(), alias(n_exited, "n_exited"), alias(at_or_below, "n_at_or_below"), alias(p75, "p75_exited")
    ).from_(subquery(ranked, "ranked"), copy=False)

    limit: exp.Expr = col("p75_exited")
    expected = [
        (f, steps.index(nxt), secs)
        for f in ctx.spec.effective_funnels()
        for nxt, secs in f.expected
        for steps in [f.steps]
    ]
    if expected:
        allowed = exp.Case()
        for funnel, index, secs in expected:  # expected[X] is the time allowed in the step before X
            is_step = and_(
                exp.EQ(this=col("funnel"), expression=lit(funnel.name)), exp.EQ(this=col("step"), expression=lit(index))
            )
            allowed = allowed.when(is_step, lit(secs), copy=False)
        limit = coalesce(allowed, limit)
    stalled = and_(
        col("is_current"),
        exp.LT(this=col("step"), expression=col("steps")),
        exp.GT(this=col("seconds_in_step"), expression=limit),
    )
    return exp.select(
        col("funnel"),
        col("entity_id"),
        col("step"),
        col("milestone"),
        col("entered_at"),
        col("exited_at"),
        col("seconds_in_step"),
        col("is_current"),
        alias(
            case(
                (
                    exp.GT(this=col("n_exited"), expression=lit(0)),
                    exp.Div(
                        this=exp.cast(col("n_at_or_below"), exp.DataType.build("DOUBLE")), expression=col("n_exited")
                    ),
                )
            ),
            "percentile",
        ),
        alias(coalesce(stalled, exp.false()), "is_stalled"),
    ).from_(subquery(measured, "measured"), copy=False)


def _percentile_window(p: float, value: str, group: list[str]) -> exp.Expr:
    """_percentile, evaluated as window aggregates over the group instead of GROUP BY."""
    expr = _percentile(p, value)
    for agg in list(expr.find_all(exp.Max)):
        agg.replace(_window(agg.copy(), group))
    return expr


# -- milestone_distribution -----------------------------------------------------------


def distribution_query(ctx: BuildContext) -> exp.Query:
    """Per milestone, the patterns of met top-level criteria among entities that have not
    completed it. The ids are known here, so a pattern is built by concatenating ',<id>'
    for each met criterion and dropping the first comma: no ordered string aggregation
    and no join with milestone_state (incomplete = fewer than all criteria met)."""
    parts: list[exp.Select] = []
    for m in ctx.spec.milestones:
        ids = [c.id for c in m.criteria]
        per_entity = exp.select(alias(count_where(col("is_met")), "criteria_met"))
        met = [
            (exp.GT(this=count_where(and_(exp.EQ(this=col("criterion_id"), expression=lit(cid)), col("is_met"))), expression=lit(0)), cid)
            for cid in ids
        ]  # fmt: skip
        per_entity = (
            per_entity.select(alias(id_list(met), "met_criteria"), copy=False)
            .from_(ctx.relation("milestone_criteria"), copy=False)
            .where(
                and_(
                    exp.EQ(this=col("milestone"), expression=lit(m.name)),
                    exp.In(this=col("criterion_id"), expressions=[lit(i) for i in ids]),
                ),
                copy=False,
            )
            .group_by(col("entity_id"), copy=False)
        )
        parts.append(
            exp.select(
                alias(lit(m.name), "milestone"),
                col("criteria_met"),
                col("met_criteria"),
                alias(exp.Count(this=exp.Star()), "entities"),
            )
            .from_(subquery(per_entity, "e"), copy=False)
            .where(exp.LT(this=col("criteria_met"), expression=lit(len(ids))), copy=False)
            .group_by(col("criteria_met"), col("met_criteria"), copy=False)
        )
    if not parts:
        d = ctx.dialect
        return exp.select(
            alias(exp.cast(exp.null(), d.text_type()), "milestone"), alias(exp.cast(exp.null(), exp.DataType.build("BIGINT")), "criteria_met"),
            alias(exp.cast(exp.null(), d.text_type()), "met_criteria"), alias(exp.cast(exp.null(), exp.DataType.build("BIGINT")), "entities"),
        ).where(exp.false(), copy=False)  # fmt: skip
    return union_all(parts)
