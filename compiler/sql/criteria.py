"""milestone_criteria: every entity x milestone x criterion node, in one statement.

Plan (per level): plain count criteria share one conditional-aggregation pass over
`_ms_events`; every other event criterion gets its own stage; milestones are then
evaluated in dependency order as CTEs joined on the entity.

Stages by what can leave the measure:
- nothing (count or distinct, no window or `after:`): one aggregate; met_at is the Nth
  smallest timestamp (of first occurrences, for distinct);
- `any: D`: a RANGE frame over [ts - D, ts] per event; value = the largest framed
  measure, met_at = the first event where it reaches the threshold;
- `last: D` over a count: gaps and islands over the intervals where the count holds
  (LAG(ts, N - 1)); met_at = the start of the last island;
- sums, and distinct counts in `last: D` windows, the timeline: a measure f(t) only
  rises at an event and only falls just after (event + D). Each qualifying event
  contributes a rise (+w at ts, phase 0) and, for `last`, a fall (-w at ts + D,
  phase 1 = "just after"). The running sum ordered by (t, phase) is f at every
  instant where it can change: cumulative met_at = first t with f >= threshold; for
  `last: D` the latest instant <= as_of with f < threshold bounds the current stretch
  and met_at = the first rise after it.
  Distinct counts in `last` windows first merge each value's occurrences into islands
  [first, last + D] and contribute one rise/fall per island.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable

from sqlglot import exp

from compiler.spec import ir
from compiler.spec.labels import criterion_label
from compiler.sql.base import (
    ENTITIES,
    EVENTS,
    FAR_FUTURE,
    BuildContext,
    add_all,
    add_seconds,
    alias,
    and_,
    case,
    coalesce,
    col,
    count_where,
    entity_key,
    greatest,
    least,
    lit,
    not_null,
    rows_per_source_row,
    sub_seconds,
    subquery,
    union_all,
)
from compiler.sql.periods import recurring_stage
from compiler.sql.qualifying import event_pred, qualifying, value_islands
from compiler.sql.ratios import growth_deltas, rate_deltas, ratio_stage

LEVEL_CTE = {"account": "accounts", "contact": "contacts"}


def key(c: ir.Criterion) -> str:
    return c.id.replace(".", "_")


def is_plain_count(c: ir.Criterion) -> bool:
    return (
        isinstance(c, ir.EventCriterion)
        and c.measure == "count"
        and c.window is None
        and c.every is None
        and c.growth is None
    )


def topo_order(spec: ir.Spec) -> list[ir.Milestone]:
    graph = {m.name: set(ir.dependencies(m)) for m in spec.milestones}
    sorter = graphlib.TopologicalSorter(graph)
    sorter.prepare()
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda n: spec.milestone(n).order)
        order.extend(ready)
        sorter.done(*ready)
    return [spec.milestone(n) for n in order]


# -- stages ---------------------------------------------------------------------------


def plain_counts_cte(
    ctx: BuildContext, level: ir.Level, criteria: list[tuple[ir.Milestone, ir.EventCriterion]]
) -> exp.Select:
    """One pass over events for every plain count criterion of a level."""
    entity = entity_key(level)
    q = exp.select(alias(col(entity), "entity_id"))
    for m, c in criteria:
        pred = event_pred(ctx, c)
        q = q.select(
            alias(count_where(pred), f"v_{m.name}_{key(c)}"),
            alias(ctx.dialect.nth_smallest(col("occurred_at"), int(c.threshold), pred.copy()), f"t_{m.name}_{key(c)}"),
            copy=False,
        )
    types = ctx.of_types(e for _, c in criteria for e in c.events)
    return (
        q.from_(ctx.relation(EVENTS), copy=False)
        .where(and_(not_null(col(entity)), types), copy=False)
        .group_by(col(entity), copy=False)
    )


def _deltas(ctx: BuildContext, c: ir.EventCriterion, q: exp.Select) -> exp.Expr:
    """Rises (phase 0) and, for `last` windows, falls just after ts + D (phase 1)."""
    drop = c.window.seconds if c.window and c.window.kind == "last" else None
    if c.measure == "distinct" and drop is not None:
        islands = value_islands(q, drop)
        return _rises_and_falls(islands, drop, "first_ts", "last_ts")
    return _rises_and_falls(q, drop, "ts", "ts")


def _counted(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion) -> exp.Select:
    """Nothing ever leaves the count (no window, or everything after an anchor): the value is
    the number of qualifying events (distinct: of first occurrences) and the met instant the
    Nth smallest of their timestamps. One aggregate, no ordered window (measured 0.33 s ->
    0.2 s for a distinct count at 10M events)."""
    rows = qualifying(ctx, level, c)
    if c.measure == "distinct":
        rows = (
            exp.select(col("entity_id"), alias(exp.Min(this=col("ts")), "ts"))
            .from_(subquery(rows, "q"), copy=False)
            .group_by(col("entity_id"), col("val"), copy=False)
        )
    return (
        exp.select(
            col("entity_id"),
            alias(exp.Count(this=exp.Star()), "v"),
            alias(ctx.dialect.nth_smallest(col("ts"), int(c.threshold), exp.true()), "t"),
        )
        .from_(subquery(rows, "r"), copy=False)
        .group_by(col("entity_id"), copy=False)
    )


def _sliding(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion) -> exp.Select:
    """`any: D`: the measure over [ts - D, ts] for each qualifying event (a RANGE frame over
    integer microseconds, which every warehouse accepts; BigQuery rejects interval offsets).
    The largest span ends at an event, and the measure first reaches the threshold at one:
    value = the largest framed measure, met instant = the first event where it reaches it."""
    assert c.window is not None and c.window.seconds is not None
    frame = exp.WindowSpec(
        kind="RANGE",
        start=exp.Literal.number(c.window.seconds * 1_000_000),
        start_side="PRECEDING",
        end="CURRENT ROW",
    )
    framed = exp.Window(
        this=exp.Sum(this=col("w")),
        partition_by=[col("entity_id")],
        order=exp.Order(expressions=[exp.Ordered(this=ctx.dialect.epoch_micros(col("ts")))]),
        spec=frame,
    )
    spans = exp.select(col("entity_id"), col("ts"), alias(framed, "f")).from_(
        subquery(qualifying(ctx, level, c), "q"), copy=False
    )
    reached = exp.GTE(this=col("f"), expression=lit(c.threshold))
    return (
        exp.select(
            col("entity_id"),
            alias(exp.Max(this=col("f")), "v"),
            alias(exp.Min(this=case((reached, col("ts")))), "t"),
        )
        .from_(subquery(spans, "s"), copy=False)
        .group_by(col("entity_id"), copy=False)
    )


def _trailing_count(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion) -> exp.Select:
    """`last: D` over a count, as gaps and islands (NOTES.md): with p the (N-1)th earlier
    event, the count over [t - D, t] reaches N exactly on [ts, p + D] when p >= ts - D.
    Overlapping or touching intervals merge into islands; when the criterion holds at
    as_of, the last island holds it and met_at = that island's start. One row per event
    and two windows sharing one order, against twice the rows for rises and falls
    (see bench/RESULTS.md)."""
    assert c.window is not None and c.window.seconds is not None
    d, n = c.window.seconds, int(c.threshold)
    by_ts = exp.Order(expressions=[exp.Ordered(this=col("ts"))])
    nth_back = (
        col("ts")
        if n == 1
        else exp.Window(
            this=exp.Lag(this=col("ts"), offset=exp.Literal.number(n - 1)),
            partition_by=[col("entity_id")],
            order=by_ts,
        )
    )
    lagged = exp.select(col("entity_id"), col("ts"), alias(nth_back, "p")).from_(
        subquery(qualifying(ctx, level, c), "q"), copy=False
    )
    holds = exp.GTE(this=col("p"), expression=sub_seconds(col("ts"), d))
    earlier_end = exp.Window(
        this=exp.Max(this=case((holds, col("p")))),
        partition_by=[col("entity_id")],
        order=by_ts.copy(),
        spec=exp.WindowSpec(
            kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end=exp.Literal.number(1), end_side="PRECEDING"
        ),
    )
    marked = exp.select(col("entity_id"), col("ts"), col("p"), alias(earlier_end, "prev_p")).from_(
        subquery(lagged, "l"), copy=False
    )
    starts_island = and_(
        holds.copy(),
        exp.or_(
            exp.Is(this=col("prev_p"), expression=exp.null()),
            exp.GT(this=col("ts"), expression=add_seconds(col("prev_p"), d)),
        ),
    )
    in_window = exp.GTE(this=col("ts"), expression=sub_seconds(ctx.as_of_lit(), d))
    return (
        exp.select(
            col("entity_id"),
            alias(count_where(in_window), "v"),
            alias(exp.Max(this=case((starts_island, col("ts")))), "t"),
        )
        .from_(subquery(marked, "mk"), copy=False)
        .group_by(col("entity_id"), copy=False)
    )


def _rises_and_falls(rows: exp.Select, drop: int | None, start: str, end: str) -> exp.Expr:
    rises = exp.select(col("entity_id"), alias(col(start), "t"), alias(lit(0), "ph"), alias(col("w"), "d")).from_(
        subquery(rows, "r"), copy=False
    )
    if drop is None:
        return rises
    falls = exp.select(
        col("entity_id"),
        alias(add_seconds(col(end), drop), "t"),
        alias(lit(1), "ph"),
        alias(exp.Neg(this=col("w")), "d"),
    ).from_(subquery(rows.copy(), "r"), copy=False)
    return exp.union(rises, falls, distinct=False)


def is_ratio(c: ir.Criterion) -> bool:
    """Rates and growth: the stage also yields the denominator `d` (SPEC §8)."""
    return isinstance(c, ir.RateCriterion) or (isinstance(c, ir.EventCriterion) and c.growth is not None)


def is_field_kind(c: ir.Criterion) -> bool:
    """The SPEC §8 criterion kinds (recurring, rate, growth): always our own stages."""
    return is_ratio(c) or (isinstance(c, ir.EventCriterion) and c.every is not None)


def leaf_stage(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion | ir.RateCriterion) -> exp.Select:
    """(entity_id, v, t[, d]): the measure and the raw met instant of one leaf criterion."""
    if isinstance(c, ir.RateCriterion):
        return ratio_stage(ctx, rate_deltas(ctx, level, c), c.threshold, c.min_denominator)
    if c.growth is not None:
        return ratio_stage(ctx, growth_deltas(ctx, level, c), c.threshold, c.growth.min_previous)
    if c.every is not None:
        return recurring_stage(ctx, level, c)
    return timeline_cte(ctx, level, c)


def timeline_cte(ctx: BuildContext, level: ir.Level, c: ir.EventCriterion) -> exp.Select:
    """(entity_id, v, t): the measure and the raw met instant of one event criterion."""
    kind = c.window.kind if c.window else None
    if c.measure in ("count", "distinct") and kind in (None, "after"):
        return _counted(ctx, level, c)
    if kind == "any":
        return _sliding(ctx, level, c)
    if kind == "last" and c.measure == "count":
        return _trailing_count(ctx, level, c)
    deltas = _deltas(ctx, c, qualifying(ctx, level, c))
    f = exp.Window(
        this=exp.Sum(this=col("d")),
        partition_by=[col("entity_id")],
        order=exp.Order(expressions=[exp.Ordered(this=col("t")), exp.Ordered(this=col("ph"))]),
    )
    running = exp.select(col("entity_id"), col("t"), col("ph"), col("d"), alias(f, "f")).from_(
        exp.Subquery(this=deltas, alias=exp.TableAlias(this=exp.to_identifier("deltas"))), copy=False
    )
    thr = lit(c.threshold)
    reached = exp.GTE(this=col("f"), expression=thr)
    if kind == "last":
        in_past = exp.or_(exp.EQ(this=col("ph"), expression=lit(0)), exp.LT(this=col("t"), expression=ctx.as_of_lit()))
        low = exp.Window(
            this=exp.Max(this=case((and_(exp.LT(this=col("f"), expression=thr.copy()), in_past), col("t")))),
            partition_by=[col("entity_id")],
        )
        marked = exp.select(col("entity_id"), col("t"), col("ph"), col("d"), alias(low, "low_t")).from_(
            subquery(running, "run"), copy=False
        )
        after_low = and_(
            exp.EQ(this=col("ph"), expression=lit(0)),
            exp.or_(exp.Is(this=col("low_t"), expression=exp.null()), exp.GT(this=col("t"), expression=col("low_t"))),
        )
        return (
            exp.select(
                col("entity_id"),
                alias(exp.Sum(this=case((in_past.copy(), col("d")), default=lit(0))), "v"),
                alias(exp.Min(this=case((after_low, col("t")))), "t"),
            )
            .from_(subquery(marked, "mk"), copy=False)
            .group_by(col("entity_id"), copy=False)
        )
    return (
        exp.select(
            col("entity_id"), alias(exp.Sum(this=col("d")), "v"), alias(exp.Min(this=case((reached, col("t")))), "t")
        )
        .from_(subquery(running, "run"), copy=False)
        .group_by(col("entity_id"), copy=False)
    )


def contacts_completed_cte(ctx: BuildContext, c: ir.MilestoneCriterion) -> exp.Select:
    """Account -> contact milestone: contacts that completed it, and the at_least-th completion."""
    done = col("is_complete")
    return (
        exp.select(
            alias(col("account_id"), "entity_id"),
            alias(count_where(done), "v"),
            alias(ctx.dialect.nth_smallest(col("completed_at"), c.threshold, done.copy()), "t"),
        )
        .from_(exp.to_table(f"m_{c.milestone}"), copy=False)
        .where(not_null(col("account_id")), copy=False)
        .group_by(col("account_id"), copy=False)
    )


# -- milestone evaluation -------------------------------------------------------------


class Node:
    """SQL expressions of one criterion node over a milestone stage's raw leaf columns
    (`v_<key>`, `t_<key>`); value and threshold are None for groups."""

    def __init__(
        self,
        value: exp.Expr | None,
        threshold: exp.Expr | None,
        ok: exp.Expr,
        at: exp.Expr,
        progress: exp.Expr,
    ):
        self.value, self.threshold, self.ok, self.at, self.progress = value, threshold, ok, at, progress

    def is_met(self) -> exp.Expr:
        """`ok` is null where a measure is null (a comparison with null); is_met never is."""
        return coalesce(self.ok.copy(), exp.false())

    def columns(self, ctx: BuildContext, stored: str | None = None) -> list[exp.Expr]:
        """value, threshold, progress, is_met, met_at: a milestone_criteria row's measures.
        `stored`: the key of a top-level criterion, whose is_met and met_at the milestone
        stage already holds (`is_met_<key>`, `met_at_<key>`): read, not derived again."""
        double = ctx.dialect.double_type()
        value = exp.cast(self.value, double) if self.value is not None else exp.cast(exp.null(), double)
        threshold = exp.cast(self.threshold, double) if self.threshold is not None else exp.cast(exp.null(), double)
        is_met = col(f"is_met_{stored}") if stored else self.is_met()
        met_at = col(f"met_at_{stored}") if stored else self.at.copy()
        return [
            alias(value, "value"),
            alias(threshold, "threshold"),
            alias(self.progress.copy(), "progress"),
            alias(is_met, "is_met"),
            alias(met_at, "met_at"),
        ]


def _group_node(ctx: BuildContext, g: ir.Group, kids: list[Node]) -> Node:
    """A group's expressions over its children's."""
    if g.kind == "all":
        ok = and_(*[kid.ok.copy() for kid in kids])
        at = case((ok.copy(), greatest([kid.at.copy() for kid in kids])))
        progress: exp.Expr = exp.Div(
            this=exp.Paren(this=add_all([kid.progress.copy() for kid in kids])),
            expression=lit(float(len(kids))),
        )
    else:
        ok = exp.or_(*[kid.ok.copy() for kid in kids])
        far = ctx.ts_lit(FAR_FUTURE)
        at = case((ok.copy(), least([coalesce(kid.at.copy(), far.copy()) for kid in kids])))
        progress = greatest([kid.progress.copy() for kid in kids])
    return Node(None, None, ok, at, progress)


def nested_groups(m: ir.Milestone) -> list[list[ir.Group]]:
    """Groups inside groups, by depth, deepest first. Each is evaluated once into columns
    of the milestone stage (`ok_<key>`, `at_<key>`, `pr_<key>`) that its parent reads: a
    parent that embedded its children's expressions would repeat them (GREATEST and LEAST
    render with NULL guards that repeat their arguments), doubling the SQL per level
    (depth 15: 188 MB). Top-level groups stay inline: they are read once per row."""
    by_depth: dict[int, list[ir.Group]] = {}

    def visit(c: ir.Criterion, depth: int) -> None:
        if isinstance(c, ir.Group):
            if depth > 1:
                by_depth.setdefault(depth, []).append(c)
            for ch in c.children:
                visit(ch, depth + 1)

    for c in m.criteria:
        visit(c, 1)
    return [by_depth[d] for d in sorted(by_depth, reverse=True)]


def criterion_nodes(ctx: BuildContext, m: ir.Milestone) -> dict[str, Node]:
    """Every criterion node of m by id, as expressions over its stage's columns: leaves
    over their raw measure and instant (`v_<key>`, `t_<key>`), nested groups as their own
    columns (see nested_groups), top-level groups over their children."""
    spec = ctx.spec
    nodes: dict[str, Node] = {}

    def build(c: ir.Criterion, nested: bool) -> Node:
        k = key(c)
        if isinstance(c, ir.Group):
            kids = [build(ch, True) for ch in c.children]
            node = (
                Node(None, None, col(f"ok_{k}"), col(f"at_{k}"), col(f"pr_{k}"))
                if nested
                else _group_node(ctx, c, kids)
            )
        else:
            threshold = c.threshold if isinstance(c, (ir.EventCriterion, ir.MilestoneCriterion)) else 1
            if isinstance(c, ir.MilestoneCriterion) and not (
                m.level == "account" and spec.milestone(c.milestone).level == "contact"
            ):
                threshold = 1
            if isinstance(c, ir.EventCriterion) and c.every is not None:
                threshold = c.every.periods  # v counts consecutive qualifying periods
            v, t = col(f"v_{k}"), col(f"t_{k}")
            double = ctx.dialect.double_type()
            if is_ratio(c):
                node = _ratio_node(ctx, c, v, t, col(f"d_{k}"))  # type: ignore[arg-type]
                nodes[c.id] = node
                return node
            if isinstance(c, ir.EventCriterion) and c.window and c.window.kind == "any":
                ok = not_null(t)
            else:
                ok = exp.GTE(this=v, expression=lit(threshold))
            at = case((ok.copy(), t.copy()))
            ratio = exp.Div(this=exp.cast(v.copy(), double), expression=lit(float(threshold)))
            progress = case((ok.copy(), lit(1.0)), default=least([ratio, lit(1.0)]))
            node = Node(v.copy(), lit(threshold), ok, at, progress)
        nodes[c.id] = node
        return node

    for c in m.criteria:
        build(c, False)
    return nodes


def _ratio_node(
    ctx: BuildContext, c: ir.RateCriterion | ir.EventCriterion, v: exp.Expr, t: exp.Expr, d: exp.Expr
) -> Node:
    """A rate or growth criterion: met while the denominator reaches its minimum and the
    quotient at_least; progress = min(v / at_least, 1) x min(d / minimum, 1), NULL v as 0."""
    at_least = c.threshold
    minimum = c.min_denominator if isinstance(c, ir.RateCriterion) else c.growth.min_previous  # type: ignore[union-attr]
    double = ctx.dialect.double_type()
    ok = and_(exp.GTE(this=d, expression=lit(minimum)), exp.GTE(this=v, expression=lit(at_least)))
    share = least(
        [exp.Div(this=exp.cast(coalesce(v.copy(), lit(0)), double), expression=lit(float(at_least))), lit(1.0)]
    )
    base = least([exp.Div(this=exp.cast(d.copy(), double), expression=lit(float(minimum))), lit(1.0)])
    progress = case((ok.copy(), lit(1.0)), default=exp.Mul(this=share, expression=base))
    return Node(v.copy(), lit(at_least), ok, case((ok.copy(), t.copy())), progress)


def _with_nested_groups(ctx: BuildContext, m: ir.Milestone, leaves: exp.Select, final: exp.Select) -> exp.Select:
    """`final` reading `leaves` with each nested group's columns added: a chain of CTEs
    (leaves, g0, g1, ...), one per depth, deepest first. Flat, so the SQL stays linear in
    the nodes (nested subqueries would indent deeper with every level)."""
    layers = nested_groups(m)
    if not layers:
        return final.from_(subquery(leaves, "leaves"), copy=False)
    nodes = criterion_nodes(ctx, m)
    ctes: list[tuple[str, exp.Select]] = [("leaves", leaves)]
    for depth, groups in enumerate(layers):
        columns = []
        for g in groups:
            node = _group_node(ctx, g, [nodes[ch.id] for ch in g.children])
            k = key(g)
            columns += [alias(node.ok, f"ok_{k}"), alias(node.at, f"at_{k}"), alias(node.progress, f"pr_{k}")]
        ctes.append((f"g{depth}", exp.select(exp.Star(), *columns).from_(ctes[-1][0], copy=False)))
    final = final.from_(exp.alias_(exp.to_table(ctes[-1][0]), "leaves"), copy=False)
    for name, q in ctes:
        final = final.with_(name, as_=q, copy=False)
    return final


def milestone_cte(ctx: BuildContext, m: ir.Milestone, sources: dict[str, tuple[str, str, str]]) -> exp.Select:
    """One row per entity of m's level: each leaf criterion's raw measure and met instant
    (`v_<key>`, `t_<key>`; rates and growth also `d_<key>`), each top-level criterion's
    `is_met_<key>` and `met_at_<key>` (milestone_state and milestone_events read those),
    is_complete, completed_at and, for a milestone with `due`, due_at.
    milestone_criteria derives every node's columns with criterion_nodes: a stage of every node's five columns
    cost more to write than the expressions cost to evaluate (measured 0.26 s -> 0.09 s
    for the benchmark's 14-node PQL at 10M events)."""
    spec = ctx.spec
    inner = exp.select(col("entity_id", "e"), col("account_id", "e")).from_(
        exp.alias_(exp.to_table(LEVEL_CTE[m.level]), "e"), copy=False
    )
    joined: set[str] = set()
    for c in ir.walk(m.criteria):
        k = key(c)
        ratio: list[exp.Expr] = []
        if isinstance(c, (ir.EventCriterion, ir.RateCriterion)):
            table, vcol, tcol = sources[k]
            # a quotient stays NULL without a denominator; its denominator is d_<key>
            value: exp.Expr = col(vcol, table) if is_ratio(c) else coalesce(col(vcol, table), lit(0))
            instant: exp.Expr = col(tcol, table)
            on_key = "entity_id"
            if is_ratio(c):
                ratio = [alias(coalesce(col("d", table), lit(0)), f"d_{k}")]
        elif isinstance(c, ir.MilestoneCriterion):
            dep = spec.milestone(c.milestone)
            if dep.level == m.level or m.level == "contact":
                table = f"d_{k}"
                value = case((col("is_complete", table), lit(1)), default=lit(0))
                instant = col("completed_at", table)
                on_key = "entity_id" if dep.level == m.level else "account_id"
                source: exp.Expr = exp.to_table(f"m_{c.milestone}")
            else:
                table = f"x_{m.name}_{k}"
                value, instant, on_key = coalesce(col("v", table), lit(0)), col("t", table), "entity_id"
                source = exp.to_table(table)
            inner = inner.join(
                exp.alias_(source, table),
                on=exp.EQ(this=col("entity_id", table), expression=col(on_key, "e")),
                join_type="left",
                copy=False,
            )
            joined.add(table)
        else:
            continue
        if isinstance(c, (ir.EventCriterion, ir.RateCriterion)) and table not in joined:
            inner = inner.join(
                exp.to_table(table),
                on=exp.EQ(this=col("entity_id", table), expression=col("entity_id", "e")),
                join_type="left",
                copy=False,
            )
            joined.add(table)
        inner = inner.select(alias(value, f"v_{k}"), alias(instant, f"t_{k}"), *ratio, copy=False)

    due: list[exp.Expr] = []
    if m.due is not None:  # SPEC §8: the anchor's completed_at + within (a contact: its account's)
        anchor = spec.milestone(m.due.anchor)
        on_key = "entity_id" if anchor.level == m.level else "account_id"
        inner = inner.join(
            exp.alias_(exp.to_table(f"m_{anchor.name}"), "due"),
            on=exp.EQ(this=col("entity_id", "due"), expression=col(on_key, "e")),
            join_type="left",
            copy=False,
        )
        due_at = case((col("is_complete", "due"), add_seconds(col("completed_at", "due"), m.due.seconds)))
        inner = inner.select(alias(due_at, "due_at"), copy=False)
        due = [col("due_at")]
    nodes = criterion_nodes(ctx, m)
    tops = [nodes[c.id] for c in m.criteria]
    leaves = [key(c) for c in ir.walk(m.criteria) if not isinstance(c, ir.Group)]
    ratios = [key(c) for c in ir.walk(m.criteria) if is_ratio(c)]
    nested = [key(g) for layer in nested_groups(m) for g in layer]
    complete = coalesce(and_(*[t.ok.copy() for t in tops]), exp.false())
    final = exp.select(
        col("entity_id"),
        col("account_id"),
        *[col(f"{part}_{k}") for k in leaves for part in ("v", "t")],
        *[col(f"d_{k}") for k in ratios],
        *[col(f"{part}_{k}") for k in nested for part in ("ok", "at", "pr")],
        *[alias(nodes[c.id].is_met(), f"is_met_{key(c)}") for c in m.criteria],
        *[alias(nodes[c.id].at.copy(), f"met_at_{key(c)}") for c in m.criteria],
        alias(complete, "is_complete"),
        alias(case((complete.copy(), greatest([t.at.copy() for t in tops]))), "completed_at"),
        *due,
    )
    return _with_nested_groups(ctx, m, inner, final)


# -- the statement --------------------------------------------------------------------


LeafBuilder = Callable[[BuildContext, ir.Level, ir.EventCriterion | ir.RateCriterion], exp.Select]


def criteria_stages(ctx: BuildContext, leaf: LeafBuilder | None = None) -> tuple[list[tuple[str, exp.Expr]], exp.Query]:
    """The stages of milestone_criteria in dependency order, and the final UNION over the
    per-milestone stages. Stages refer to each other by bare name (see stage_builds).
    `leaf` replaces how event criteria are evaluated (a stage per criterion yielding
    entity_id, v, t); by default plain counts share one aggregation pass and the rest get
    timeline stages. The benchmark's hand-written baseline uses this seam, so both plans
    share everything but leaf evaluation."""
    spec = ctx.spec
    shared_pass = leaf is None
    build_leaf: LeafBuilder = leaf or leaf_stage
    ctes: list[tuple[str, exp.Expr]] = []
    for level, name in LEVEL_CTE.items():
        ents = (
            exp.select(col("entity_id"), col("account_id"))
            .from_(ctx.relation(ENTITIES), copy=False)
            .where(exp.EQ(this=col("entity_level"), expression=lit(level)), copy=False)
        )
        ctes.append((name, ents))
    sources: dict[str, dict[str, tuple[str, str, str]]] = {m.name: {} for m in spec.milestones}
    for level in ir.LEVELS if shared_pass else ():
        plain = [(m, c) for m in spec.of_level(level) for c in ir.walk(m.criteria) if is_plain_count(c)]
        if plain:
            ctes.append((f"counts_{level}", plain_counts_cte(ctx, level, plain)))  # type: ignore[arg-type]
            for m, c in plain:
                sources[m.name][key(c)] = (f"counts_{level}", f"v_{m.name}_{key(c)}", f"t_{m.name}_{key(c)}")
    anchored: dict[str, list[ir.EventCriterion]] = {m.name: [] for m in spec.milestones}
    for m in spec.milestones:
        for c in ir.walk(m.criteria):
            if isinstance(c, ir.RateCriterion) or (
                isinstance(c, ir.EventCriterion) and not (shared_pass and is_plain_count(c))
            ):
                name = f"tl_{m.name}_{key(c)}"
                sources[m.name][key(c)] = (name, "v", "t")
                if isinstance(c, ir.EventCriterion) and c.window and c.window.kind == "after":
                    anchored[m.name].append(c)
                else:
                    ctes.append((name, build_leaf(ctx, m.level, c)))
    for m in topo_order(spec):
        for c in anchored[m.name]:
            ctes.append((f"tl_{m.name}_{key(c)}", build_leaf(ctx, m.level, c)))
        for c in ir.walk(m.criteria):
            if (
                isinstance(c, ir.MilestoneCriterion)
                and m.level == "account"
                and spec.milestone(c.milestone).level == "contact"
            ):
                ctes.append((f"x_{m.name}_{key(c)}", contacts_completed_cte(ctx, c)))
        ctes.append((f"m_{m.name}", milestone_cte(ctx, m, sources[m.name])))

    per_milestone: list[exp.Query] = []
    for m in spec.milestones:
        nodes = criterion_nodes(ctx, m)
        fixed = [alias(lit(m.level), "entity_level"), col("entity_id"), alias(lit(m.name), "milestone")]
        top = {c.id: key(c) for c in m.criteria}
        rows = [
            [
                alias(lit(c.id), "criterion_id"),
                alias(lit(criterion_label(c)), "criterion_label"),
                *nodes[c.id].columns(ctx, stored=top.get(c.id)),
            ]
            for c in ir.walk(m.criteria)
        ]
        per_milestone.append(rows_per_source_row(ctx, exp.to_table(f"m_{m.name}"), fixed, rows))
    return ctes, union_all(per_milestone) if per_milestone else empty_criteria(ctx)


def stage_builds(ctx: BuildContext, leaf: LeafBuilder | None = None) -> list[tuple[str, exp.Expr]]:
    """Each stage as its own scratch table `_ms_<stage>`, then milestone_criteria over them.
    One statement holding every stage at once ran out of memory at 30M events under a 3 GB
    limit; separate tables spill, and each step can be inspected in target/compiled."""
    ctes, body = criteria_stages(ctx, leaf)
    names = {name for name, _ in ctes}

    def physical(q: exp.Expr) -> exp.Expr:
        # in place: every stage's tree is built fresh by criteria_stages and used once
        for table in list(q.find_all(exp.Table)):
            if not table.args.get("db") and table.name in names:
                replacement = ctx.relation(STAGE_PREFIX + table.name)
                # columns are qualified by the stage's name: keep it as the alias
                replacement.set("alias", table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name)))
                table.replace(replacement)
        return q

    return [(STAGE_PREFIX + name, physical(q)) for name, q in ctes] + [("milestone_criteria", physical(body))]


STAGE_PREFIX = "_ms_"


def milestone_stage(ctx: BuildContext, milestone: str) -> exp.Table:
    """The physical per-milestone stage `_ms_m_<name>` the outputs read (one row per entity
    of the milestone's level: leaf measures, top-level is_met/met_at, is_complete)."""
    return ctx.relation(STAGE_PREFIX + f"m_{milestone}")


def empty_criteria(ctx: BuildContext) -> exp.Select:
    d = ctx.dialect
    nulls = {
        "entity_level": d.text_type(),
        "entity_id": d.text_type(),
        "milestone": d.text_type(),
        "criterion_id": d.text_type(),
        "criterion_label": d.text_type(),
        "value": d.double_type(),
        "threshold": d.double_type(),
        "progress": d.double_type(),
        "is_met": exp.DataType.build("BOOLEAN"),
        "met_at": d.timestamp_type(),
    }
    return exp.select(*[alias(exp.cast(exp.null(), t), n) for n, t in nulls.items()]).where(exp.false(), copy=False)
