"""What `run` prints at the end: a short table per level, read back from the warehouse."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from .adapters import Adapter
from .project import Project
from .sql_base import alias, case, col, lit


def print_summary(p: Project, adapter: Adapter, echo: Callable[[str], None]) -> None:
    complete = exp.Sum(this=case((col("is_complete"), lit(1)), default=lit(0)))
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
    rows = adapter.execute(q.sql(p.target.type))
    echo("")
    echo(f"{'milestone':<20} {'level':<8} {'entities':>9} {'complete':>9} {'share':>7}")
    for _, level, name, entities, done in rows:
        share = f"{done / entities:.1%}" if entities else "-"
        echo(f"{name:<20} {level:<8} {entities:>9,} {done:>9,} {share:>7}")
