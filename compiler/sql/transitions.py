"""SQL for watching milestones across runs (SPEC §9): this run's snapshot of every entity x
milestone, its comparison with the recorded base, and the history aggregates.

The comparison happens in the warehouse. The runner knows, per milestone, which recorded
run is its base (a few rows of metadata, see `tracking`); the entity rows are compared
by one full outer join of the snapshot with the base rows, so nothing per entity is read
into Python. The append-only tables get `run_id` when the stage rows are inserted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlglot import exp

from compiler.sql.base import (
    BuildContext,
    alias,
    and_,
    case,
    coalesce,
    col,
    concat,
    count_where,
    id_list,
    lit,
    subquery,
    union_all,
)
from compiler.sql.criteria import STAGE_PREFIX, key, milestone_stage
from compiler.sql.outputs import overdue_flag, progress_of

SNAPSHOT = STAGE_PREFIX + "snapshot"
TRANSITIONS_STAGE = STAGE_PREFIX + "transitions"
HISTORY_STAGE = STAGE_PREFIX + "history"

# (name, type) of the append-only tables and of the recorded bases; "text" and "ts" are the
# dialect's text and timestamp types.
TRANSITIONS_COLUMNS = (
    ("transition_id", "text"),
    ("run_id", "text"),
    ("previous_run_id", "text"),
    ("previous_as_of", "ts"),
    ("entity_level", "text"),
    ("entity_id", "text"),
    ("account_id", "text"),
    ("milestone", "text"),
    ("transition", "text"),
    ("from_progress", "DOUBLE"),
    ("to_progress", "DOUBLE"),
    ("new_criteria", "text"),
    ("completed_at", "ts"),
    ("as_of", "ts"),
)
HISTORY_COLUMNS = (
    ("run_id", "text"),
    ("as_of", "ts"),
    ("milestone", "text"),
    ("entity_level", "text"),
    ("entities", "BIGINT"),
    ("complete", "BIGINT"),
    ("overdue", "BIGINT"),
    ("avg_progress", "DOUBLE"),
)
# The snapshot's columns, which are also those of a recorded base row (after run_id).
SNAPSHOT_COLUMNS = (
    ("milestone", "text"),
    ("entity_level", "text"),
    ("entity_id", "text"),
    ("account_id", "text"),
    ("progress", "DOUBLE"),
    ("is_complete", "BOOLEAN"),
    ("completed_at", "ts"),
    ("is_overdue", "BOOLEAN"),
    ("met_criteria", "text"),
)
BASE_COLUMNS = (("run_id", "text"), *SNAPSHOT_COLUMNS)


@dataclass(frozen=True)
class Base:
    """The recorded run a milestone is compared with. has_rows false: the milestone is new
    since that run (the baseline), so it is compared with no entities."""

    run_id: str
    as_of: datetime
    has_rows: bool = True


def as_of_text(t: datetime) -> str:
    """The text form of an instant inside transition_id (Python formats it, so every
    engine hashes the same characters)."""
    return t.strftime("%Y-%m-%d %H:%M:%S.%f")


def snapshot_query(ctx: BuildContext) -> exp.Query:
    """This run's state of every entity x milestone, with the ids of the met top-level
    criteria, read from the same per-milestone stages as milestone_state."""
    selects = []
    for m in ctx.spec.milestones:
        met = id_list([(col(f"is_met_{key(c)}"), c.id) for c in m.criteria])
        selects.append(
            exp.select(
                alias(lit(m.name), "milestone"),
                alias(lit(m.level), "entity_level"),
                col("entity_id"),
                col("account_id"),
                alias(exp.cast(progress_of(ctx, m), ctx.dialect.double_type()), "progress"),
                col("is_complete"),
                col("completed_at"),
                alias(overdue_flag(ctx, m), "is_overdue"),
                alias(met, "met_criteria"),
            ).from_(milestone_stage(ctx, m.name), copy=False)
        )
    if not selects:
        return _no_rows(ctx, SNAPSHOT_COLUMNS)
    return union_all(selects)


def _no_rows(ctx: BuildContext, columns: Sequence[tuple[str, str]]) -> exp.Select:
    return exp.select(*[alias(exp.cast(exp.null(), ctx.dialect.column_type(t)), n) for n, t in columns]).where(
        exp.false(), copy=False
    )


def _in(column: exp.Expr, names: Sequence[str]) -> exp.Expr:
    return exp.In(this=column, expressions=[lit(n) for n in names])


def _position(needle: str, within: exp.Expr) -> exp.Expr:
    """Whether ',<needle>,' occurs in ',' || within || ',' (membership in an id list)."""
    haystack = concat([lit(","), within, lit(",")])
    return exp.GT(this=exp.StrPosition(this=haystack, substr=lit("," + needle + ",")), expression=lit(0))


def transitions_query(
    ctx: BuildContext, compared: Mapping[str, Base], base_table: exp.Table, snapshot: exp.Table
) -> exp.Query:
    """The transitions of the compared milestones (name -> its base): snapshot rows full
    outer joined with the base's rows; an entity missing on one side is incomplete there,
    with progress 0 and not overdue. Columns: TRANSITIONS_COLUMNS without run_id."""
    names = [m.name for m in ctx.spec.milestones if m.name in compared]
    columns = [c for c in TRANSITIONS_COLUMNS if c[0] != "run_id"]
    if not names:
        return _no_rows(ctx, columns)
    d = ctx.dialect
    current = exp.select(exp.Star()).from_(snapshot, copy=False).where(_in(col("milestone"), names), copy=False)
    with_rows = [n for n in names if compared[n].has_rows]
    base_rows = exp.select(exp.Star()).from_(base_table, copy=False)
    if with_rows:
        of_base = exp.or_(
            *[
                and_(exp.EQ(this=col("milestone"), expression=lit(n)), exp.EQ(this=col("run_id"), expression=lit(compared[n].run_id)))
                for n in with_rows
            ],
            copy=False,
        )  # fmt: skip
        base_rows = base_rows.where(
            and_(exp.not_(exp.Is(this=col("entity_id"), expression=exp.null())), of_base), copy=False
        )
    else:
        base_rows = base_rows.where(exp.false(), copy=False)

    def both(name: str) -> exp.Expr:
        return alias(coalesce(col(name, "c"), col(name, "b")), name)

    joined = (
        exp.select(
            both("milestone"),
            both("entity_level"),
            both("entity_id"),
            alias(case((exp.Is(this=col("entity_id", "c"), expression=exp.null()), col("account_id", "b")), default=col("account_id", "c")), "account_id"),
            alias(coalesce(col("progress", "b"), exp.cast(lit(0), d.double_type())), "from_progress"),
            alias(coalesce(col("progress", "c"), exp.cast(lit(0), d.double_type())), "to_progress"),
            alias(coalesce(col("is_complete", "b"), exp.false()), "was_complete"),
            alias(coalesce(col("is_complete", "c"), exp.false()), "is_complete"),
            alias(coalesce(col("is_overdue", "b"), exp.false()), "was_overdue"),
            alias(coalesce(col("is_overdue", "c"), exp.false()), "is_overdue"),
            col("completed_at", "c"),
            alias(coalesce(col("met_criteria", "c"), lit("")), "now_met"),
            alias(coalesce(col("met_criteria", "b"), lit("")), "base_met"),
        )
        .from_(subquery(current, "c"), copy=False)
        .join(
            subquery(base_rows, "b"),
            on=and_(*[exp.EQ(this=col(k, "c"), expression=col(k, "b")) for k in ("milestone", "entity_level", "entity_id")]),
            join_type="full",
            copy=False,
        )
    )  # fmt: skip
    was, now = col("was_complete"), col("is_complete")
    kind = case(
        (and_(exp.not_(was.copy()), now.copy()), lit("completed")),
        (and_(was.copy(), exp.not_(now.copy())), lit("lost")),
        (and_(exp.not_(was.copy()), exp.GT(this=col("to_progress"), expression=col("from_progress"))), lit("progressed")),
        (and_(exp.not_(was.copy()), exp.LT(this=col("to_progress"), expression=col("from_progress"))), lit("regressed")),
    )  # fmt: skip
    carried = [col(n) for n in ("milestone", "entity_level", "entity_id", "account_id", "from_progress", "to_progress",
                                "completed_at", "now_met", "base_met")]  # fmt: skip
    changes = exp.select(*[c.copy() for c in carried], alias(kind, "transition")).from_(exp.to_table("j"), copy=False)
    overdue = (
        exp.select(*[c.copy() for c in carried], alias(lit("overdue"), "transition"))
        .from_(exp.to_table("j"), copy=False)
        .where(and_(exp.not_(col("was_overdue")), col("is_overdue")), copy=False)
    )
    rows = exp.select(exp.Star()).from_(
        exp.union(changes, overdue, distinct=False, copy=False).subquery(exp.to_identifier("t")), copy=False
    )
    rows = rows.where(exp.not_(exp.Is(this=col("transition"), expression=exp.null())), copy=False)

    def per_milestone(value: dict[str, exp.Expr]) -> exp.Case:
        c = exp.Case(this=col("milestone"))
        for n in names:
            c = c.when(lit(n), value[n], copy=False)
        return c

    prev_run = per_milestone({n: lit(compared[n].run_id) for n in names})
    prev_as_of = per_milestone({n: ctx.ts_lit(as_of_text(compared[n].as_of)) for n in names})
    prev_text = per_milestone({n: lit(as_of_text(compared[n].as_of)) for n in names})
    new_criteria = per_milestone(
        {
            m.name: id_list(
                [(and_(_position(c.id, col("now_met")), exp.not_(_position(c.id, col("base_met")))), c.id) for c in m.criteria]
            )
            for m in ctx.spec.milestones
            if m.name in compared
        }
    )  # fmt: skip
    # transition_id: md5 (lower-case hex) of the six fields that identify a change; entity_id,
    # the only free text, comes last, so no two field lists give one string
    key_text = concat(
        [col("entity_level"), lit("|"), col("milestone"), lit("|"), col("transition"), lit("|"),
         lit(as_of_text(ctx.as_of)), lit("|"), prev_text, lit("|"), col("entity_id")]
    )  # fmt: skip
    return (
        exp.select(
            alias(exp.MD5(this=key_text), "transition_id"),
            alias(prev_run, "previous_run_id"),
            alias(prev_as_of, "previous_as_of"),
            col("entity_level"),
            col("entity_id"),
            col("account_id"),
            col("milestone"),
            col("transition"),
            col("from_progress"),
            col("to_progress"),
            alias(new_criteria, "new_criteria"),
            col("completed_at"),
            alias(ctx.as_of_lit(), "as_of"),
        )
        .from_(subquery(rows, "r"), copy=False)
        .with_("j", as_=joined, copy=False)
    )


def history_query(ctx: BuildContext, names: Sequence[str], snapshot: exp.Table) -> exp.Query:
    """One row per named milestone: entities of its level, how many are complete and
    overdue, mean progress (null without entities). Columns: HISTORY_COLUMNS without run_id."""
    levels = {m.name: m.level for m in ctx.spec.milestones}
    names = [n for n in names if n in levels]
    columns = [c for c in HISTORY_COLUMNS if c[0] != "run_id"]
    if not names:
        return _no_rows(ctx, columns)
    bigint = exp.DataType.build("BIGINT")
    listed = union_all([exp.select(alias(lit(n), "milestone"), alias(lit(levels[n]), "entity_level")) for n in names])
    counts = (
        exp.select(
            col("milestone"),
            alias(exp.Count(this=exp.Star()), "entities"),
            alias(count_where(col("is_complete")), "complete"),
            alias(count_where(col("is_overdue")), "overdue"),
            alias(exp.Avg(this=col("progress")), "avg_progress"),
        )
        .from_(snapshot, copy=False)
        .where(_in(col("milestone"), names), copy=False)
        .group_by(col("milestone"), copy=False)
    )
    zero = exp.cast(lit(0), bigint)
    return (
        exp.select(
            alias(ctx.as_of_lit(), "as_of"),
            col("milestone", "l"),
            col("entity_level", "l"),
            *[alias(exp.cast(coalesce(col(n, "k"), zero.copy()), bigint), n) for n in ("entities", "complete", "overdue")],
            alias(exp.cast(col("avg_progress", "k"), ctx.dialect.double_type()), "avg_progress"),
        )
        .from_(listed.subquery(exp.to_identifier("l"), copy=False), copy=False)
        .join(subquery(counts, "k"), on=exp.EQ(this=col("milestone", "l"), expression=col("milestone", "k")), join_type="left", copy=False)
    )  # fmt: skip
