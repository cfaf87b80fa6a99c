"""`milestones backfill` (SPEC §9): the runs a schedule would have made, one per period
boundary from T1 to T2 (and a last one at T2), so that milestone_transitions and
milestone_history hold what scheduled runs would have recorded.

Each step is an ordinary run (`runner.run_project`) with its own milestone_runs row. The
steps share a `runner.Session`: one connection, models built once, and the source's events
normalized once up to T2, which each step reads up to its own as_of. Steps before the last
build the criteria stages, the snapshot and the record, not the output tables: each step's
would be replaced by the next, and the state tables end at T2 either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlglot import exp

from compiler.errors import Problem, ProjectError, RunError
from compiler.project import Project
from compiler.sql.base import col, lit
from compiler.warehouse.adapters import connect
from compiler.warehouse.runner import BACKFILL_EVENTS, Session, ledgers, run_project

EVERY = ("day", "week", "month")


def boundaries(start: datetime, end: datetime, every: str) -> list[datetime]:
    """Period starts b with start <= b <= end (00:00 UTC of a day, of a Monday, of a
    month's 1st), then `end` itself when it is not one."""
    if start > end:
        raise ProjectError([Problem("--from", None, f"--from ({start}) is later than --to ({end})")])
    b = datetime(start.year, start.month, start.day)
    if every == "week":
        b -= timedelta(days=b.weekday())
    elif every == "month":
        b = b.replace(day=1)
    out = []
    while b <= end:
        if b >= start:
            out.append(b)
        b = _next(b, every)
    if not out or out[-1] != end:
        out.append(end)
    return out


def _next(b: datetime, every: str) -> datetime:
    if every == "day":
        return b + timedelta(days=1)
    if every == "week":
        return b + timedelta(days=7)
    return b.replace(year=b.year + (b.month == 12), month=b.month % 12 + 1)


def later_runs(p: Project, adapter: Any, start: datetime) -> int:
    """Successful runs of the target with as_of >= start."""
    if "milestone_runs" not in adapter.relations():
        return 0
    runs, _ = ledgers(p)
    ctx = p.context(False)
    q = (
        exp.select(exp.Count(this=exp.Star()))
        .from_(runs.table.copy(), copy=False)
        .where(
            exp.and_(
                exp.EQ(this=col("status"), expression=lit("success")),
                exp.GTE(this=col("as_of"), expression=ctx.ts_lit(start.strftime("%Y-%m-%d %H:%M:%S.%f"))),
            ),
            copy=False,
        )
    )
    return int(adapter.execute(p.dialect.render(q))[0][0])


def run_backfill(
    p: Project,
    echo: Callable[[str], None],
    start: datetime,
    end: datetime,
    every: str,
    full_refresh: bool = False,
) -> dict[str, Any]:
    steps = boundaries(start, end, every)
    adapter = connect(p.target, p.dir)
    session = Session(adapter, until=end)
    t0 = time.perf_counter()
    total = 0
    try:
        found = later_runs(p, adapter, start)
        if found and not full_refresh:
            raise ProjectError(
                [
                    Problem(
                        "--from",
                        None,
                        f"target '{p.target.name}' already has {found} successful run(s) with as_of at or after"
                        f" {start}: a backfill would record transitions out of order. Use --full-refresh to"
                        " restart the record (it empties milestone_transitions and milestone_history)",
                    )
                ]
            )
        echo(
            f"Backfill of target '{p.target.name}' ({p.target.type}): {len(steps)} run(s) every {every}"
            f" from {steps[0]} to {steps[-1]}"
        )
        if full_refresh:
            echo(
                "--full-refresh: milestone_transitions and milestone_history are emptied and every comparison"
                " base is forgotten, together with the first step (a baseline)"
            )
        for i, as_of in enumerate(steps, 1):
            t = time.perf_counter()
            session.outputs = i == len(steps)  # the state tables end at the last step
            try:
                result = run_project(p.at(as_of), lambda _: None, forget=full_refresh and i == 1, session=session)
            except RunError as e:
                raise RunError(
                    f"step {i}/{len(steps)} (as_of {as_of}) failed: {e}; the {i - 1} step(s) before it stay"
                ) from None
            n = sum(c for _, _, c in result["changes"])
            total += n
            kind = "baseline" if result["record"].baseline else f"{n:,} transitions"
            echo(f"step {i}/{len(steps)} as_of {as_of} ... {kind}, {time.perf_counter() - t:.1f} s")
        seconds = time.perf_counter() - t0
        echo(f"Backfill done: {len(steps)} run(s) in {seconds:.1f} s, {total:,} transitions recorded.")
        return {"steps": steps, "seconds": seconds, "transitions": total}
    finally:
        try:
            if session.prestaged is not None:
                adapter.drop(p.relation(BACKFILL_EVENTS), "table")
        except RunError:
            pass  # a scratch table: the next run drops it
        adapter.close()
