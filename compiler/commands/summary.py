"""What `run` prints at the end: a short table per level, read back from the warehouse."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from compiler.project import Project
from compiler.sql.base import alias, col, count_where
from compiler.warehouse.adapters import Adapter


def print_summary(p: Project, adapter: Adapter, echo: Callable[[str], None]) -> None:
    complete = count_where(col("is_complete"))
    q = (
        exp.select(
            col("milestone_order"),
            col("entity_level"),
            col("milestone"),
            alias(exp.Count(this=exp.Star()), "entities"),
            alias(complete, "complete"),
        )
        .from_(p.relation("milestone_state"))
        .group_by(col("milestone_order"), col("entity_level"), col("milestone"))
        .order_by(col("milestone_order"))
    )
    rows = adapter.execute(p.dialect.render(q))
    echo("")
    echo(f"{'milestone':<20} {'level':<8} {'entities':>9} {'complete':>9} {'share':>7}")
    for _, level, name, entities, done in rows:
        share = f"{done / entities:.1%}" if entities else "-"
        echo(f"{name:<20} {level:<8} {entities:>9,} {done:>9,} {share:>7}")


def human_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if abs(seconds) >= size:
            return f"{seconds / size:.1f}{unit}"
    return f"{seconds:.0f}s"


def print_funnels(p: Project, adapter: Adapter, echo: Callable[[str], None]) -> None:
    """Each funnel for everyone (segment null), read back from funnel_steps."""
    q = (
        exp.select(
            col("funnel"),
            col("step"),
            col("milestone"),
            col("entities"),
            col("converted"),
            col("conversion_rate"),
            col("overall_rate"),
            col("median_seconds_from_previous"),
        )  # fmt: skip
        .from_(p.relation("funnel_steps"))
        .where(exp.Is(this=col("segment"), expression=exp.null()))
        .order_by(col("funnel"), col("step"))
    )
    levels = {f.name: f.level for f in p.spec.effective_funnels()}
    current = None
    for funnel, step, milestone, entities, converted, rate, overall, median in adapter.execute(p.dialect.render(q)):
        if funnel != current:
            current = funnel
            echo("")
            echo(f"funnel {funnel} ({levels.get(funnel, '?')})")
            echo(
                f"  {'step':<4} {'milestone':<20} {'entities':>9} {'converted':>10} {'conversion':>11} {'overall':>8} {'median time':>12}"
            )
        conv = f"{rate:.1%}" if rate is not None else "-"
        total = f"{overall:.1%}" if overall is not None else "-"
        echo(
            f"  {step:<4} {milestone:<20} {entities:>9,} {converted:>10,} {conv:>11} {total:>8} {human_seconds(median):>12}"
        )
