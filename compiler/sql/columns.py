"""What every output table and column means: the one place the warehouse comments
(COMMENT ON / column descriptions), manifest.json and the documentation's table of
columns read (tests/test_docs.py checks docs/reference.md against it)."""

from __future__ import annotations

from compiler.spec import ir

TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "milestone_criteria": (
        "One row per entity x milestone x criterion node: the measure, its threshold, whether it is met and since when.",
        {
            "entity_level": "account or contact",
            "entity_id": "the account or contact id (text)",
            "milestone": "the milestone's name",
            "criterion_id": "the criterion's path in the milestone's tree: 2, 3.1, ...",
            "criterion_label": "a readable text of the criterion",
            "value": "the measure over the qualifying events (count, distinct values, sum, ratio, streak)",
            "threshold": "at_least (periods for recurring criteria); null for groups",
            "progress": "1 when met, else min(value / threshold, 1); a group's mean (all) or max (any)",
            "is_met": "whether the criterion holds at as_of",
            "met_at": "the start of the current period in which it has held (UTC)",
        },
    ),
    "milestone_state": (
        "One row per entity x milestone: complete or not, since when, progress, due dates.",
        {
            "entity_level": "account or contact",
            "entity_id": "the account or contact id (text)",
            "account_id": "a contact's account; an account's own id",
            "milestone": "the milestone's name",
            "milestone_label": "the milestone's label",
            "milestone_order": "its place in `order` (1-based, across both levels)",
            "criteria_met": "top-level criteria met",
            "criteria_total": "top-level criteria",
            "progress": "criteria_met / criteria_total",
            "is_complete": "every top-level criterion is met",
            "completed_at": "when it was completed (UTC), null when not complete",
            "as_of": "the evaluation instant of the run (UTC)",
            "due_at": "the due date: the anchor's completed_at + within; null without due or anchor",
            "is_overdue": "past due_at and not complete",
            "completed_on_time": "completed_at <= due_at; null unless due and complete",
        },
    ),
    "account_milestones": (
        "One row per account: progress and completion of each account milestone.",
        {
            "entity_id": "the account id",
            "current_milestone": "the last milestone in order that is complete",
            "as_of": "the evaluation instant of the run (UTC)",
        },
    ),
    "contact_milestones": (
        "One row per contact: progress and completion of each contact milestone.",
        {
            "entity_id": "the contact id",
            "current_milestone": "the last milestone in order that is complete",
            "as_of": "the evaluation instant of the run (UTC)",
        },
    ),
    "milestone_events": (
        "Changes as events: a top-level criterion met, a milestone completed, a due date missed.",
        {
            "entity_level": "account or contact",
            "entity_id": "the account or contact id",
            "milestone": "the milestone's name",
            "event_type": "milestone_updated, milestone_completed or milestone_overdue",
            "criterion_id": "the top-level criterion met (milestone_updated), else null",
            "occurred_at": "when it happened (UTC)",
            "progress": "the milestone's progress after the event",
        },
    ),
    "funnel_steps": (
        "One row per funnel x segment x step: entities, conversion and time from the previous step.",
        {
            "funnel": "the funnel's name",
            "segment": "the segment_by value; null = everyone",
            "step": "1-based step number",
            "milestone": "the step's milestone",
            "entities": "entities that completed the step",
            "converted": "entities that completed the previous step and this one (after it when strict, within conversion_window)",
            "conversion_rate": "converted / entities of the previous step",
            "overall_rate": "entities / entities of step 1",
            "avg_seconds_from_previous": "mean seconds from the previous step, over converted entities",
            "median_seconds_from_previous": "median seconds from the previous step (continuous)",
            "p90_seconds_from_previous": "90th percentile of seconds from the previous step (continuous)",
        },
    ),
    "funnel_cohorts": (
        "One row per funnel x cohort x step: the funnel counted within each cohort.",
        {
            "funnel": "the funnel's name",
            "cohort_start": "the start of the day, ISO week or month in which step 1 was completed",
            "step": "1-based step number",
            "milestone": "the step's milestone",
            "entities": "entities of the cohort that completed the step",
            "converted": "of them, those that converted from the previous step",
            "conversion_rate": "converted / entities of the previous step, within the cohort",
            "overall_rate": "entities / entities of step 1, within the cohort",
        },
    ),
    "milestone_durations": (
        "One row per funnel x entity x step entered: how long the entity stayed, and whether it is stalled.",
        {
            "funnel": "the funnel's name",
            "entity_id": "the account or contact id",
            "step": "1-based step number",
            "milestone": "the step's milestone",
            "entered_at": "the step's completed_at",
            "exited_at": "the next step's completed_at; null while current or at the last step",
            "seconds_in_step": "max(0, exited_at - entered_at), or as_of - entered_at while current",
            "is_current": "exited_at is null",
            "percentile": "share of entities that left this step with seconds_in_step <= this one's",
            "is_stalled": "current (not the last step) longer than expected, else the 75th percentile",
        },
    ),
    "milestone_distribution": (
        "Per milestone, which top-level criteria the entities not yet complete have met.",
        {
            "milestone": "the milestone's name",
            "criteria_met": "how many top-level criteria are met",
            "met_criteria": "the met criterion ids, sorted, comma-joined ('' for none)",
            "entities": "entities with that pattern",
        },
    ),
    "milestone_runs": (
        "One row per finished or aborted run.",
        {
            "run_id": "the run's id",
            "target": "the profiles.yml output",
            "as_of": "the evaluation instant (UTC)",
            "started_at": "when the run started (UTC)",
            "finished_at": "when it finished (UTC); null for aborted runs",
            "status": "success, error or aborted",
            "events_read": "rows of the events relation",
            "events_ignored": "rows without an event type, a readable timestamp, or any entity id",
            "spec_hash": "a hash of the spec the run used",
        },
    ),
    "milestone_transitions": (
        "Append-only: one row per change of an entity x milestone since the milestone's comparison base.",
        {
            "transition_id": "md5 of entity_level|milestone|transition|as_of|previous_as_of|entity_id: stable, for deduplication",
            "run_id": "the run that recorded it",
            "previous_run_id": "the run of the comparison base",
            "previous_as_of": "the as_of of the comparison base",
            "entity_level": "account or contact",
            "entity_id": "the account or contact id",
            "account_id": "the entity's account now (in the base, for an entity that disappeared)",
            "milestone": "the milestone's name",
            "transition": "completed, lost, progressed, regressed or overdue",
            "from_progress": "progress in the base (0 for an entity absent there)",
            "to_progress": "progress now (0 for an entity absent now)",
            "new_criteria": "top-level criterion ids met now and not in the base, comma-joined",
            "completed_at": "completed_at after the run",
            "as_of": "the run's as_of",
        },
    ),
    "milestone_history": (
        "Append-only: one row per milestone per successful run, the trend a dashboard draws.",
        {
            "run_id": "the run",
            "as_of": "the run's as_of",
            "milestone": "the milestone's name",
            "entity_level": "account or contact",
            "entities": "entities of the level",
            "complete": "of them, complete",
            "overdue": "of them, overdue",
            "avg_progress": "mean progress; null without entities",
        },
    ),
}


def describe(spec: ir.Spec, table: str, columns: list[str]) -> tuple[str, dict[str, str]]:
    """The table's description and its columns', for the columns it has (the wide tables'
    per-milestone columns are described from the milestones)."""
    text, known = TABLES.get(table, ("", {}))
    out = {}
    per_milestone = {}
    for m in spec.milestones:
        per_milestone[f"{m.name}_progress"] = f"progress of {m.label} (criteria met / criteria)"
        per_milestone[f"{m.name}_completed_at"] = f"when {m.label} was completed (UTC)"
        per_milestone[f"{m.name}_is_overdue"] = f"{m.label} is past its due date and not complete"
    for c in columns:
        if c in known:
            out[c] = known[c]
        elif table.endswith("_milestones") and c in per_milestone:
            out[c] = per_milestone[c]
    return text, out


def table_columns(spec: ir.Spec, table: str) -> list[str]:
    """The columns a run builds in an output table, without reading it back."""
    if table in ("account_milestones", "contact_milestones"):
        level = table.split("_")[0]
        cols = ["entity_id"]
        for m in spec.of_level(level):  # type: ignore[arg-type]
            cols += [f"{m.name}_progress", f"{m.name}_completed_at"] + ([f"{m.name}_is_overdue"] if m.due else [])
        return [*cols, "current_milestone", "as_of"]
    return list(TABLES.get(table, ("", {}))[1])
