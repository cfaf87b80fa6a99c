"""`milestones test`: invariants of the output tables, each a query counting violations."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

from compiler.commands.logs import StatementResult, now_utc
from compiler.project import Project
from compiler.sql.base import and_, col, lit, not_null
from compiler.warehouse.adapters import Adapter


def _count(p: Project, table: str, where: exp.Expr) -> exp.Select:
    return exp.select(exp.Count(this=exp.Star())).from_(p.relation(table)).where(where)


def checks(p: Project) -> list[tuple[str, exp.Select]]:
    out: list[tuple[str, exp.Select]] = []
    for rel in ("milestone_state", "milestone_criteria"):
        bad = exp.or_(
            exp.LT(this=col("progress"), expression=lit(0)),
            exp.GT(this=col("progress"), expression=lit(1)),
            exp.Is(this=col("progress"), expression=exp.null()),
        )
        out.append((f"{rel}: progress within [0, 1]", _count(p, rel, bad)))
    done_without_time = exp.or_(
        and_(col("is_complete"), exp.Is(this=col("completed_at"), expression=exp.null())),
        and_(exp.not_(col("is_complete")), not_null(col("completed_at"))),
    )
    out.append(
        ("milestone_state: completed_at set exactly when complete", _count(p, "milestone_state", done_without_time))
    )
    out.append(
        (
            "milestone_state: completed_at not after as_of",
            _count(p, "milestone_state", exp.GT(this=col("completed_at"), expression=col("as_of"))),
        )
    )
    for level in ("account", "contact"):
        n = len(p.spec.of_level(level))  # type: ignore[arg-type]
        # the wide table holds one row per entity of the level, zero progress included
        entities = exp.select(exp.Count(this=exp.Star())).from_(p.relation(f"{level}_milestones"))
        state = (
            exp.select(exp.Count(this=exp.Star()))
            .from_(p.relation("milestone_state"))
            .where(exp.EQ(this=col("entity_level"), expression=lit(level)))
        )
        diff = exp.select(
            exp.Sub(
                this=exp.Mul(this=exp.Subquery(this=entities), expression=lit(n)), expression=exp.Subquery(this=state)
            )
        )
        out.append((f"milestone_state: a row per {level} and milestone", diff))
    return out


def record_checks(p: Project) -> list[tuple[str, exp.Select]]:
    """SPEC §9: the append-only record."""
    ids = p.relation("milestone_transitions")
    repeated = exp.select(
        exp.Sub(
            this=exp.Count(this=exp.Star()), expression=exp.Count(this=exp.Distinct(expressions=[col("transition_id")]))
        )
    ).from_(ids)
    succeeded = (
        exp.select(col("run_id"))
        .from_(p.relation("milestone_runs"))
        .where(exp.EQ(this=col("status"), expression=lit("success")))
    )
    out = [("milestone_transitions: transition_id unique", repeated)]
    for table in ("milestone_transitions", "milestone_history"):
        out.append(
            (f"{table}: rows of successful runs only", _count(p, table, exp.not_(col("run_id").isin(query=succeeded))))
        )
    return out


def run_checks(
    p: Project, adapter: Adapter, echo: Callable[[str], None], results: list[StatementResult] | None = None
) -> int:
    failures = 0
    todo = checks(p)
    built = set(adapter.relations())
    if not {"milestone_state", "milestone_criteria", "account_milestones", "contact_milestones"} <= built:
        echo("skipped: the target has no milestone tables yet (`milestones run` builds them)")
        return 0
    if {"milestone_transitions", "milestone_history", "milestone_runs"} <= built:
        todo += record_checks(p)
    for name, q in todo:
        bad = adapter.execute(p.dialect.render(q))[0][0]
        status = "PASS" if bad == 0 else f"FAIL ({bad})"
        failures += bad != 0
        if results is not None:
            now = now_utc()
            slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
            results.append(
                StatementResult(f"test.{p.dir.name}.{slug}", name, "test", "", "pass" if bad == 0 else "fail",
                                now, now, 0.0, int(bad), "" if bad == 0 else f"{bad} row(s) violate it")
            )  # fmt: skip
        echo(f"{status:<10} {name}")
    echo(f"{len(todo) - failures} passed, {failures} failed")
    return failures
