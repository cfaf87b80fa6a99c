"""The record across runs (SPEC §9): milestone_transitions and milestone_history, and the
comparison base each milestone is compared with.

Bases are kept in the warehouse, in `_ms_comparison_base`: each run that moves a
milestone's base inserts that milestone's snapshot rows tagged with its run_id, plus one
marker row (entity_id null) so that a milestone with no entities has a base too; the
baseline run also writes a marker for `*`. A base counts only once its run's
`milestone_runs` row says `success`, and rows superseded by a later base are deleted.
So every engine gets the same guarantee: the rows of a run that never reached `success`
are ignored and cleaned up by the next run, and a base never moves without its run's
transitions. (DuckDB writes all of it in the one publishing transaction, Snowflake in one
DML transaction; see docs/operations.md, "Guarantees of the record".)

The runner reads the markers (one row per milestone: metadata, not entity rows), decides
here what the run compares, and the comparison itself is compiled SQL
(`compiler.sql.transitions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from compiler.sql.base import col, lit
from compiler.sql.plan import COMPARISON_BASE as BASE_TABLE
from compiler.sql.transitions import (
    BASE_COLUMNS,
    HISTORY_COLUMNS,
    HISTORY_STAGE,
    SNAPSHOT,
    SNAPSHOT_COLUMNS,
    TRANSITIONS_COLUMNS,
    TRANSITIONS_STAGE,
    Base,
    history_query,
    transitions_query,
)
from compiler.warehouse.ledger import Ledger

if TYPE_CHECKING:
    from compiler.project import Project, Statement
    from compiler.warehouse.adapters import Adapter

BASELINE = "*"  # the marker of the baseline run (no milestone is named so)
TRANSITIONS = "milestone_transitions"
HISTORY = "milestone_history"


@dataclass
class Record:
    """What one run records: compared milestones (name -> base), those skipped because
    their base is later than the run's as_of, the milestones whose base moves to this run,
    and those that get a history row."""

    baseline: bool
    compared: dict[str, Base] = field(default_factory=dict)
    skipped: dict[str, Base] = field(default_factory=dict)
    moved: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    forget: bool = False
    superseded: list[tuple[str, str]] = field(default_factory=list)  # (milestone, run_id) to delete


class Tracker:
    def __init__(self, p: Project, run_id: str):
        self.p, self.run_id = p, run_id
        self.transitions = Ledger(p, TRANSITIONS, TRANSITIONS_COLUMNS)
        self.history = Ledger(p, HISTORY, HISTORY_COLUMNS)
        self.base = Ledger(p, BASE_TABLE, BASE_COLUMNS)

    def creates(self) -> list[str]:
        return [self.transitions.create, self.history.create, self.base.create]

    def _render(self, e: exp.Expr) -> str:
        return self.p.dialect.render(e)

    def _table(self, ledger: Ledger) -> exp.Table:
        return ledger.table.copy()

    # -- reading the bases -------------------------------------------------------------

    def bases(self, adapter: Adapter, runs: exp.Table) -> dict[str, list[tuple[str, datetime, Any]]]:
        """milestone -> [(run_id, as_of, finished_at)] of its markers whose run succeeded."""
        out: dict[str, list[tuple[str, datetime, Any]]] = {}
        for milestone, run_id, as_of, finished in adapter.execute(self.bases_query(runs)):
            out.setdefault(str(milestone), []).append((str(run_id), _naive(as_of), finished))
        return out

    def bases_query(self, runs: exp.Table) -> str:
        b, r = self._table(self.base), runs.copy()
        q = (
            exp.select(col("milestone", "b"), col("run_id", "b"), col("as_of", "r"), col("finished_at", "r"))
            .from_(exp.alias_(b, "b"), copy=False)
            .join(
                exp.alias_(r, "r"),
                on=exp.EQ(this=col("run_id", "b"), expression=col("run_id", "r")),
                copy=False,
            )
            .where(
                exp.and_(
                    exp.Is(this=col("entity_id", "b"), expression=exp.null()),
                    exp.EQ(this=col("status", "r"), expression=lit("success")),
                ),
                copy=False,
            )
        )
        return self._render(q)

    def plan(self, adapter: Adapter, runs: exp.Table, forget: bool = False) -> Record:
        """Decide what this run compares and records (SPEC §9)."""
        p = self.p
        markers = {} if forget else self.bases(adapter, runs)
        latest: dict[str, Base] = {}
        superseded: list[tuple[str, str]] = []
        for milestone, found in markers.items():
            ordered = sorted(found, key=lambda f: (f[2] is not None, f[2]))
            run_id, as_of, _ = ordered[-1]
            latest[milestone] = Base(run_id, as_of)
            superseded += [(milestone, other) for other, _, _ in ordered[:-1]]
        candidates = list(p.selected) or [m.name for m in p.spec.milestones]
        if BASELINE not in latest:
            every = [m.name for m in p.full_spec.milestones]
            return Record(True, moved=every, history=candidates, forget=forget, superseded=superseded)
        baseline = latest[BASELINE]
        record = Record(False, history=candidates, superseded=superseded)
        for name in candidates:
            base = latest.get(name) or Base(baseline.run_id, baseline.as_of, has_rows=False)
            if base.as_of > p.as_of:
                record.skipped[name] = base
            else:
                record.compared[name] = base
                record.moved.append(name)
        return record

    # -- the run's stages and its part of the publishing step ---------------------------

    def stages(self, record: Record) -> list[Statement]:
        from compiler.project import Statement

        ctx = self.p.context(staged=True)
        snapshot = self.p.relation(SNAPSHOT)
        return [
            Statement(HISTORY_STAGE, "stage", history_query(ctx, record.history, snapshot)),
            Statement(
                TRANSITIONS_STAGE,
                "stage",
                transitions_query(ctx, record.compared, self._table(self.base), snapshot),
            ),
        ]

    def _insert(self, ledger: Ledger, columns: Sequence[tuple[str, str]], query: exp.Select) -> str:
        return self._render(exp.insert(query, self._table(ledger), columns=[n for n, _ in columns]))

    def _from_stage(self, stage: str, columns: Sequence[tuple[str, str]], where: exp.Expr | None = None) -> exp.Select:
        q = exp.select(*[lit(self.run_id) if n == "run_id" else col(n) for n, _ in columns]).from_(
            self.p.relation(stage), copy=False
        )
        return q.where(where, copy=False) if where is not None else q

    def _in(self, names: Sequence[str]) -> exp.Expr:
        return exp.In(this=col("milestone"), expressions=[lit(n) for n in names])

    def writes(self, record: Record) -> list[str]:
        """Statements of the publishing step, before the run's success row."""
        out: list[str] = []
        if record.forget:
            # WHERE TRUE: BigQuery wants a WHERE on every DELETE (TRUNCATE would commit on Snowflake)
            out += [
                self._render(exp.Delete(this=self._table(t), where=exp.Where(this=exp.true())))
                for t in (self.transitions, self.history, self.base)
            ]
        if record.compared:
            out.append(
                self._insert(
                    self.transitions, TRANSITIONS_COLUMNS, self._from_stage(TRANSITIONS_STAGE, TRANSITIONS_COLUMNS)
                )
            )
        if record.history:
            out.append(self._insert(self.history, HISTORY_COLUMNS, self._from_stage(HISTORY_STAGE, HISTORY_COLUMNS)))
        if record.moved:
            rows = self._from_stage(SNAPSHOT, BASE_COLUMNS, self._in(record.moved))
            out.append(self._insert(self.base, BASE_COLUMNS, rows))
        markers = record.moved + ([BASELINE] if record.baseline else [])
        if markers:
            out.append(self._render(exp.insert(exp.values([self._marker(m) for m in markers]), self._table(self.base))))
        return out  # fmt: skip

    def _marker(self, milestone: str) -> tuple[exp.Expr, ...]:
        nulls = [exp.cast(exp.null(), self.p.dialect.column_type(kind)) for _, kind in SNAPSHOT_COLUMNS[1:]]
        return (lit(self.run_id), lit(milestone), *nulls)

    def after_success(self, record: Record) -> list[str]:
        """Base rows this run superseded (and leftovers of earlier ones), deleted once the
        run's success row is written."""
        out = []
        moved = record.moved + ([BASELINE] if record.baseline else [])
        if moved:
            where = exp.and_(self._in(moved), exp.NEQ(this=col("run_id"), expression=lit(self.run_id)))
            out.append(self._render(exp.Delete(this=self._table(self.base), where=exp.Where(this=where))))
        for milestone, run_id in record.superseded:
            if milestone in moved or record.forget:
                continue
            where = exp.and_(
                exp.EQ(this=col("milestone"), expression=lit(milestone)),
                exp.EQ(this=col("run_id"), expression=lit(run_id)),
            )
            out.append(self._render(exp.Delete(this=self._table(self.base), where=exp.Where(this=where))))
        return out

    def cleanup(self, runs: exp.Table) -> list[str]:
        """Rows of runs that never reached `success` (killed or failed while publishing on an
        engine without a multi-table transaction)."""
        succeeded = (
            exp.select(col("run_id"))
            .from_(runs.copy(), copy=False)
            .where(exp.EQ(this=col("status"), expression=lit("success")), copy=False)
        )
        out = []
        for t in (self.transitions, self.history, self.base):
            where = exp.not_(col("run_id").isin(query=succeeded.copy()))
            out.append(self._render(exp.Delete(this=self._table(t), where=exp.Where(this=where))))
        return out

    # -- what the run says ----------------------------------------------------------------

    def changes(self, adapter: Adapter) -> list[tuple[str, str, int]]:
        """(milestone, transition, count) this run recorded."""
        return [(str(m), str(t), int(n)) for m, t, n in adapter.execute(self.changes_query())]

    def changes_query(self) -> str:
        q = (
            exp.select(col("milestone"), col("transition"), exp.Count(this=exp.Star()))
            .from_(self._table(self.transitions), copy=False)
            .where(exp.EQ(this=col("run_id"), expression=lit(self.run_id)), copy=False)
            .group_by(col("milestone"), col("transition"), copy=False)
        )
        return self._render(q)


def _naive(t: Any) -> datetime:
    if isinstance(t, datetime) and t.tzinfo is not None:
        from datetime import timezone

        return t.astimezone(timezone.utc).replace(tzinfo=None)
    return t  # type: ignore[no-any-return]


def describe(record: Record, as_of: datetime, changes: list[tuple[str, str, int]]) -> list[str]:
    """The lines `run` prints about what changed since the previous run."""
    if record.baseline:
        refresh = " (the record was cleared: --full-refresh)" if record.forget else ""
        return [
            f"Baseline run{refresh}: state of {len(record.moved)} milestone(s) recorded; transitions start with the next run."
        ]
    lines = []
    for name, base in record.skipped.items():
        lines.append(
            f"{name}: not compared, its comparison base (as_of {base.as_of}) is later than this run's as_of"
            f" {as_of}; the base is kept"
        )
    if not record.compared:
        return lines
    per: dict[str, dict[str, int]] = {}
    for milestone, transition, n in changes:
        per.setdefault(milestone, {})[transition] = n
    total = sum(n for _, _, n in changes)
    since = sorted({str(b.as_of) for b in record.compared.values()})
    lines.append(f"Changes since the previous run (as_of {', '.join(since)}): {total} transition(s)")
    order = ("completed", "lost", "progressed", "regressed", "overdue")
    quiet = []
    for name in record.compared:
        kinds = per.get(name, {})
        if kinds:
            lines.append(f"  {name:<24} " + ", ".join(f"{kinds[k]} {k}" for k in order if k in kinds))
        else:
            quiet.append(name)
    if quiet:
        lines.append("  no change: " + ", ".join(quiet))
    return lines  # fmt: skip
