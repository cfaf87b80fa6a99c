"""Tables derived from milestone_criteria's per-milestone stages: milestone_state, the
per-level wide tables, and milestone_events. Pure functions of the same stage rows as
milestone_criteria, so they agree with it by construction."""

from __future__ import annotations

from sqlglot import exp

from . import ir
from .sql_base import ENTITIES, BuildContext, add_all, alias, and_, case, coalesce, col, lit, not_null, union_all
from .sql_criteria import key, milestone_stage


def _by_milestone(spec: ir.Spec, value: str) -> exp.Expr:
    c = exp.Case(this=col("milestone"))
    for m in spec.milestones:
        c = c.when(lit(m.name), lit(getattr(m, value)), copy=False)
    return c


def _flag(cond: exp.Expr) -> exp.Expr:
    return case((cond, lit(1)), default=lit(0))


def _criteria_met(m: ir.Milestone, stage: str | None = None) -> exp.Expr:
    """How many top-level criteria are met, from a `_ms_m_<name>` stage row."""
    return add_all([_flag(col(f"is_met_{key(c)}", stage)) for c in m.criteria])


def _progress(ctx: BuildContext, m: ir.Milestone, stage: str | None = None) -> exp.Expr:
    return exp.Div(this=exp.cast(_criteria_met(m, stage), ctx.dialect.double_type()), expression=lit(len(m.criteria)))


def _due_columns(ctx: BuildContext, m: ir.Milestone, stage: str | None = None) -> list[exp.Expr]:
    """due_at, is_overdue, completed_on_time (SPEC §8): NULL / false / NULL without `due`."""
    boolean = exp.DataType.build("BOOLEAN")
    if m.due is None:
        return [
            alias(exp.cast(exp.null(), ctx.dialect.timestamp_type()), "due_at"),
            alias(exp.false(), "is_overdue"),
            alias(exp.cast(exp.null(), boolean), "completed_on_time"),
        ]
    due_at = col("due_at", stage)
    return [
        alias(due_at, "due_at"),
        alias(_overdue(ctx, stage), "is_overdue"),
        alias(
            case(
                (
                    and_(not_null(due_at.copy()), col("is_complete", stage)),
                    exp.LTE(this=col("completed_at", stage), expression=due_at.copy()),
                )
            ),
            "completed_on_time",
        ),
    ]


def _overdue(ctx: BuildContext, stage: str | None = None) -> exp.Expr:
    """Past due and not complete: due_at set, not complete, as_of after due_at."""
    late = and_(
        not_null(col("due_at", stage)),
        exp.not_(col("is_complete", stage)),
        exp.GT(this=ctx.as_of_lit(), expression=col("due_at", stage)),
    )
    return coalesce(late, exp.false())


def state_query(ctx: BuildContext) -> exp.Query:
    """One row per entity and milestone, read from the per-milestone stage of
    milestone_criteria (`_ms_m_<name>`, one row per entity with each top-level criterion's
    is_met and met_at): the same values as grouping milestone_criteria's top-level rows, without
    regrouping millions of them (measured 1.25 s -> 0.3 s at 10M events)."""
    bigint = exp.DataType.build("BIGINT")
    selects = []
    for m in ctx.spec.milestones:
        met = _criteria_met(m)
        selects.append(
            exp.select(
                alias(lit(m.level), "entity_level"),
                col("entity_id"),
                col("account_id"),
                alias(lit(m.name), "milestone"),
                alias(lit(m.label), "milestone_label"),
                alias(lit(m.order), "milestone_order"),
                alias(exp.cast(met, bigint), "criteria_met"),
                alias(exp.cast(lit(len(m.criteria)), bigint), "criteria_total"),
                alias(_progress(ctx, m), "progress"),
                col("is_complete"),
                col("completed_at"),
                alias(ctx.as_of_lit(), "as_of"),
                *_due_columns(ctx, m),
            ).from_(milestone_stage(ctx, m.name), copy=False)
        )
    return union_all(selects)


def wide_query(ctx: BuildContext, level: ir.Level) -> exp.Select:
    """One row per entity of the level, a progress and completed_at column per milestone,
    read from the per-milestone stages (one row per entity each, so plain left joins: the
    same values as pivoting milestone_state, without reading its rows back)."""
    staged = [(m, f"s{i}") for i, m in enumerate(ctx.spec.of_level(level), start=1)]
    q = exp.select(col("entity_id", "en")).from_(exp.alias_(ctx.relation(ENTITIES), "en"), copy=False)
    for m, stage in staged:
        overdue = [alias(_overdue(ctx, stage), f"{m.name}_is_overdue")] if m.due is not None else []
        q = q.select(
            alias(_progress(ctx, m, stage), f"{m.name}_progress"),
            alias(col("completed_at", stage), f"{m.name}_completed_at"),
            *overdue,
            copy=False,
        ).join(
            exp.alias_(milestone_stage(ctx, m.name), stage),
            on=exp.EQ(this=col("entity_id", stage), expression=col("entity_id", "en")),
            join_type="left",
            copy=False,
        )
    current = exp.Case()
    for m, stage in sorted(staged, key=lambda ms: -ms[0].order):
        current = current.when(col("is_complete", stage), lit(m.name), copy=False)
    current_expr: exp.Expr = current if staged else exp.cast(exp.null(), ctx.dialect.text_type())
    q = q.select(alias(current_expr, "current_milestone"), alias(ctx.as_of_lit(), "as_of"), copy=False)
    return q.where(exp.EQ(this=col("entity_level", "en"), expression=lit(level)), copy=False)


def events_table_query(ctx: BuildContext) -> exp.Expr:
    """milestone_updated per met top-level criterion (progress = share of top-level
    criteria met at or before it) and milestone_completed per complete milestone. Read
    from the per-milestone stages, where every criterion of an entity sits on one row: the
    "met at or before" count is a sum of comparisons, with no window over the criteria rows."""
    double = ctx.dialect.double_type()
    parts: list[exp.Select] = []
    for m in ctx.spec.milestones:
        tops = [(c.id, col(f"is_met_{key(c)}"), col(f"met_at_{key(c)}")) for c in m.criteria]
        for cid, met, at in tops:
            # Rows of met criteria only, and a criterion's met_at is set exactly when it is
            # met (every node's `at` is CASE WHEN ok THEN <instant> END, and the instant exists
            # when ok holds): `met_at_j <= met_at_k` is then "j met at or before k", false
            # (NULL) for an unmet j. One comparison per pair keeps the SQL at n^2 flags.
            so_far = add_all([_flag(exp.LTE(this=at_d.copy(), expression=at.copy())) for _, _, at_d in tops])
            parts.append(
                exp.select(
                    alias(lit(m.level), "entity_level"),
                    col("entity_id"),
                    alias(lit(m.name), "milestone"),
                    alias(lit("milestone_updated"), "event_type"),
                    alias(lit(cid), "criterion_id"),
                    alias(at.copy(), "occurred_at"),
                    alias(exp.Div(this=exp.cast(so_far, double, copy=False), expression=lit(len(tops))), "progress"),
                )
                .from_(milestone_stage(ctx, m.name), copy=False)
                .where(met.copy(), copy=False)
            )
    for m in ctx.spec.milestones:
        if m.due is None:
            continue
        # SPEC §8: one row when due_at passed before as_of without the milestone complete then
        due_at = col("due_at")
        late = and_(
            exp.LT(this=due_at.copy(), expression=ctx.as_of_lit()),
            exp.or_(
                exp.Is(this=col("completed_at"), expression=exp.null()),
                exp.GT(this=col("completed_at"), expression=due_at.copy()),
            ),
        )
        met_by_then = add_all(
            [_flag(exp.LTE(this=col(f"met_at_{key(c)}"), expression=due_at.copy())) for c in m.criteria]
        )
        parts.append(
            exp.select(
                alias(lit(m.level), "entity_level"),
                col("entity_id"),
                alias(lit(m.name), "milestone"),
                alias(lit("milestone_overdue"), "event_type"),
                alias(exp.cast(exp.null(), ctx.dialect.text_type()), "criterion_id"),
                alias(due_at.copy(), "occurred_at"),
                alias(
                    exp.Div(this=exp.cast(met_by_then, double, copy=False), expression=lit(len(m.criteria))), "progress"
                ),
            )
            .from_(milestone_stage(ctx, m.name), copy=False)
            .where(late, copy=False)
        )
    completed = (
        exp.select(
            col("entity_level"),
            col("entity_id"),
            col("milestone"),
            alias(lit("milestone_completed"), "event_type"),
            alias(exp.cast(exp.null(), ctx.dialect.text_type()), "criterion_id"),
            alias(col("completed_at"), "occurred_at"),
            alias(exp.cast(lit(1), double), "progress"),
        )
        .from_(ctx.relation("milestone_state"), copy=False)
        .where(col("is_complete"), copy=False)
    )
    return union_all([*parts, completed])
