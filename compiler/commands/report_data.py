"""What `milestones report` shows, read from the output tables with compiled SQL: only
aggregates (counts per step, cohort, bucket, pattern, run), plus a bounded list of the
longest-stalled entities, so the report stays small for any number of entities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from compiler.project import Project
from compiler.spec import ir
from compiler.sql.base import alias, and_, col, count_where, lit, not_null, row_number
from compiler.warehouse.adapters import Adapter

DAY = 86400
# time-in-step buckets, in days: [0, 1), [1, 2), ... and the last one open-ended
BUCKET_DAYS = (0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180)


@dataclass
class FunnelData:
    name: str
    level: str
    steps: list[dict[str, Any]]
    cohorts: list[dict[str, Any]]
    buckets: list[dict[str, Any]]  # step, milestone, bucket (index), entities
    quantiles: dict[int, dict[str, float | None]]  # step -> p50, p90, threshold (seconds)
    stalled: list[dict[str, Any]]
    stalled_total: int


@dataclass
class ReportData:
    as_of: Any
    summary: list[dict[str, Any]]
    funnels: list[FunnelData]
    distribution: list[dict[str, Any]]
    history: list[dict[str, Any]]
    dependencies: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, kind)


def _rows(p: Project, adapter: Adapter, q: exp.Query) -> list[dict[str, Any]]:
    names = [e.alias_or_name for e in q.selects]
    return [dict(zip(names, r, strict=True)) for r in adapter.execute(p.dialect.render(q))]


def _eq(name: str, value: Any) -> exp.Expr:
    return exp.EQ(this=col(name), expression=lit(value))


def collect(p: Project, adapter: Adapter, stalled_limit: int = 25) -> ReportData:
    state = p.relation("milestone_state")
    summary = _rows(
        p,
        adapter,
        exp.select(
            col("milestone_order"), col("entity_level"), col("milestone"), col("milestone_label"),
            alias(exp.Count(this=exp.Star()), "entities"), alias(count_where(col("is_complete")), "complete"),
            alias(count_where(col("is_overdue")), "overdue"), alias(exp.Avg(this=col("progress")), "avg_progress"),
            alias(exp.Max(this=col("as_of")), "as_of"),
        )
        .from_(state)
        .group_by(col("milestone_order"), col("entity_level"), col("milestone"), col("milestone_label"))
        .order_by(col("milestone_order")),
    )  # fmt: skip
    funnels = [
        _funnel(p, adapter, f.name, f.level, dict(f.expected), list(f.steps), stalled_limit)
        for f in p.spec.effective_funnels()
    ]
    distribution = _rows(
        p,
        adapter,
        exp.select(col("milestone"), col("criteria_met"), alias(exp.Sum(this=col("entities")), "entities"))
        .from_(p.relation("milestone_distribution"))
        .group_by(col("milestone"), col("criteria_met"))
        .order_by(col("milestone"), col("criteria_met")),
    )
    history = _rows(
        p,
        adapter,
        exp.select(col("as_of"), col("milestone"), alias(exp.Max(this=col("complete")), "complete"),
                   alias(exp.Max(this=col("entities")), "entities"))
        .from_(p.relation("milestone_history"))
        .group_by(col("as_of"), col("milestone"))
        .order_by(col("as_of")),
    ) if "milestone_history" in adapter.relations() else []  # fmt: skip
    deps = []
    for m in p.spec.milestones:
        for d in dict.fromkeys(ir.dependency_kinds(m)):
            deps.append((d[0], m.name, d[1]))
    as_of = summary[0]["as_of"] if summary else None
    return ReportData(as_of, summary, funnels, distribution, history, deps)


def _funnel(
    p: Project, adapter: Adapter, name: str, level: str, expected: dict[str, int], steps: list[str], limit: int
) -> FunnelData:
    in_funnel = _eq("funnel", name)
    step_rows = _rows(
        p,
        adapter,
        exp.select(*[col(c) for c in ("step", "milestone", "entities", "converted", "conversion_rate", "overall_rate",
                                       "median_seconds_from_previous", "p90_seconds_from_previous")])
        .from_(p.relation("funnel_steps"))
        .where(and_(in_funnel, exp.Is(this=col("segment"), expression=exp.null())))
        .order_by(col("step")),
    )  # fmt: skip
    cohorts = _rows(
        p,
        adapter,
        exp.select(col("cohort_start"), col("step"), col("milestone"), col("entities"), col("overall_rate"))
        .from_(p.relation("funnel_cohorts"))
        .where(in_funnel.copy())
        .order_by(col("cohort_start"), col("step")),
    )
    durations = p.relation("milestone_durations")
    exited = and_(in_funnel.copy(), exp.not_(col("is_current")))
    bucket = exp.Case()
    for i, days in reversed(list(enumerate(BUCKET_DAYS))):
        bucket = bucket.when(exp.GTE(this=col("seconds_in_step"), expression=lit(days * DAY)), lit(i))
    buckets = _rows(
        p,
        adapter,
        exp.select(
            col("step"), col("milestone"), alias(bucket, "bucket"), alias(exp.Count(this=exp.Star()), "entities")
        )
        .from_(durations.copy())
        .where(exited)
        .group_by(col("step"), col("milestone"), bucket.copy())
        .order_by(col("step"), col("bucket")),
    )
    quantiles = _quantiles(p, adapter, durations, in_funnel, expected, steps)
    stalled_where = and_(in_funnel.copy(), col("is_stalled"))
    stalled = _rows(
        p,
        adapter,
        exp.select(col("entity_id"), col("step"), col("milestone"), col("entered_at"), col("seconds_in_step"))
        .from_(durations.copy())
        .where(stalled_where)
        .order_by(exp.Ordered(this=col("seconds_in_step"), desc=True), col("entity_id"))
        .limit(limit),
    )
    total = adapter.execute(
        p.dialect.render(exp.select(exp.Count(this=exp.Star())).from_(durations.copy()).where(stalled_where.copy()))
    )
    return FunnelData(name, level, step_rows, cohorts, buckets, quantiles, stalled, int(total[0][0]))


def _quantiles(
    p: Project, adapter: Adapter, durations: exp.Table, in_funnel: exp.Expr, expected: dict[str, int], steps: list[str]
) -> dict[int, dict[str, float | None]]:
    """p50 and p90 of seconds_in_step over entities that left each step (the smallest value
    with at least that share at or below it), and the stalled threshold: `expected` for the
    next step, else the 75th percentile."""
    ranked = (
        exp.select(
            col("step"),
            col("seconds_in_step"),
            alias(row_number([col("step")], [exp.Ordered(this=col("seconds_in_step"))]), "r"),
            alias(exp.Window(this=exp.Count(this=exp.Star()), partition_by=[col("step")]), "n"),
        )
        .from_(durations.copy())
        .where(and_(in_funnel.copy(), exp.not_(col("is_current")), not_null(col("seconds_in_step"))))
    )
    picks = []
    for q in (50, 75, 90):
        # rank >= q% of n, smallest such: r * 100 >= q * n
        hit = exp.GTE(
            this=exp.Mul(this=col("r"), expression=lit(100)), expression=exp.Mul(this=lit(q), expression=col("n"))
        )
        picks.append(alias(exp.Min(this=exp.Case().when(hit, col("seconds_in_step"))), f"p{q}"))
    rows = _rows(
        p,
        adapter,
        exp.select(col("step"), *picks).from_(ranked.subquery("ranked")).group_by(col("step")),
    )
    out: dict[int, dict[str, float | None]] = {}
    for r in rows:
        step = int(r["step"])
        nxt = steps[step] if step < len(steps) else None
        threshold = float(expected[nxt]) if nxt in expected else (float(r["p75"]) if r["p75"] is not None else None)
        out[step] = {
            "p50": float(r["p50"]) if r["p50"] is not None else None,
            "p90": float(r["p90"]) if r["p90"] is not None else None,
            "threshold": threshold,
            "expected": 1.0 if nxt in expected else 0.0,
        }
    return out
