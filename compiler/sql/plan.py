"""The build plan: which relations a run creates, in which order, from which query.

Output tables are the contract BI reads; internal ones (prefixed `_ms_`) are
scaffolding rebuilt every run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlglot import exp

from compiler.sql import base as sql_base
from compiler.sql import criteria as sql_criteria
from compiler.sql import funnels as sql_funnels
from compiler.sql import outputs as sql_outputs
from compiler.sql import transitions as sql_transitions
from compiler.sql.base import BuildContext


@dataclass(frozen=True)
class Build:
    name: str  # `_ms_` prefix: scratch (is_scratch), else an output
    query: exp.Expr


OUTPUT_TABLES = (
    "milestone_criteria",
    "milestone_state",
    "account_milestones",
    "contact_milestones",
    "milestone_events",
    "funnel_steps",
    "funnel_cohorts",
    "milestone_durations",
    "milestone_distribution",
)


# Stages only output tables read (a backfill's steps before the last build none of them).
OUTPUT_STAGES = (sql_funnels.FUNNEL_STEPS,)

# Appended to by each successful run, never replaced (SPEC §9; see tracking).
APPEND_TABLES = ("milestone_transitions", "milestone_history")

# The internal tables that outlive a run: a row per run in progress, so the next run can
# tell a run that was killed (its row is still there) and record it as aborted; and the
# comparison base of each milestone (see tracking).
RUN_JOURNAL = "_ms_run_journal"
COMPARISON_BASE = "_ms_comparison_base"


def is_scratch(name: str) -> bool:
    """Every other internal table is read only within the run that builds it, and dropped after."""
    return name.startswith(sql_criteria.STAGE_PREFIX) and name not in (RUN_JOURNAL, COMPARISON_BASE)


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """sqlglot trees are webs of parent pointers, so with millions of live nodes every
    full pass of Python's cyclic collector walks them all: half of a 200-milestone compile
    (10.7 s -> 5.8 s). Nothing built while planning is garbage before it is rendered, so
    collection waits until the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def milestone_builds(ctx: BuildContext, events_source: exp.Table) -> list[Build]:
    with without_gc_pauses():
        return _builds(ctx, events_source)


def _builds(ctx: BuildContext, events_source: exp.Table) -> list[Build]:
    return [
        Build(sql_base.ENTITIES, sql_base.entities_query(ctx, events_source)),
        Build(sql_base.EVENTS, sql_base.events_query(ctx, events_source)),
        *[Build(name, q) for name, q in sql_criteria.stage_builds(ctx)],
        Build("milestone_state", sql_outputs.state_query(ctx)),
        Build("account_milestones", sql_outputs.wide_query(ctx, "account")),
        Build("contact_milestones", sql_outputs.wide_query(ctx, "contact")),
        Build("milestone_events", sql_outputs.events_table_query(ctx)),
        Build(sql_funnels.FUNNEL_STEPS, sql_funnels.funnel_steps_long(ctx)),
        Build("funnel_steps", sql_funnels.funnel_steps_query(ctx)),
        Build("funnel_cohorts", sql_funnels.funnel_cohorts_query(ctx)),
        Build("milestone_durations", sql_funnels.durations_query(ctx)),
        Build("milestone_distribution", sql_funnels.distribution_query(ctx)),
        # this run's state for the record across runs (compared and kept by `tracking`)
        Build(sql_transitions.SNAPSHOT, sql_transitions.snapshot_query(ctx)),
    ]
