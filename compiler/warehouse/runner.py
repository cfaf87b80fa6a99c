"""compile and run: render statements, execute them in order, publish every model and
output in one step, and record the run.

A run never changes a final relation before its last step. Models and outputs are built
under staged names (`<name>__ms_new`), internal stages as scratch; then `publish` puts
every staged relation in place together with the run's `milestone_runs` row (one
transaction on DuckDB). A run that fails drops what it staged and records `error`; one
interrupted (Ctrl-C, SIGTERM) does the same and records `aborted`. A run killed outright
cannot clean up: its row in the run journal (`_ms_run_journal`, written when it starts,
removed when it ends) stays, and the next run records it as `aborted` and drops whatever
staged or scratch relations are left over, before building anything.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlglot import exp

from compiler.commands.logs import Log, StatementResult, now_utc, statement_line
from compiler.errors import ProjectError, RunError
from compiler.project import STAGED_SUFFIX, Project, Statement
from compiler.sql import base as sql_base
from compiler.sql import columns, plan
from compiler.sql.base import SourceKinds
from compiler.warehouse import source_check
from compiler.warehouse.adapters import Adapter, Publish, connect
from compiler.warehouse.ledger import Ledger
from compiler.warehouse.tracking import Tracker

RUNS_COLUMNS = (
    ("run_id", "text"),
    ("target", "text"),
    ("as_of", "ts"),
    ("started_at", "ts"),
    ("finished_at", "ts"),
    ("status", "text"),
    ("events_read", "BIGINT"),
    ("events_ignored", "BIGINT"),
    ("spec_hash", "text"),
)
JOURNAL_COLUMNS = (
    ("run_id", "text"),
    ("target", "text"),
    ("as_of", "ts"),
    ("started_at", "ts"),
    ("host", "text"),
    ("pid", "BIGINT"),
    ("spec_hash", "text"),
)


def create_statement(p: Project, s: Statement, staged: bool) -> exp.Expr:
    if s.kind.startswith("model_"):
        kind = "VIEW" if s.kind == "model_view" else "TABLE"
        return exp.Create(this=p.relation(s.name, staged), kind=kind, replace=True, expression=s.query)
    temporary = s.kind == "stage" and p.dialect.temporary_scratch
    properties = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(
        this=p.relation(s.name, staged), kind="TABLE", replace=True, expression=s.query, properties=properties
    )


def render(p: Project, e: exp.Expr, pretty: bool = True) -> str:
    return p.target.redact(p.dialect.render(e, pretty=pretty))


def compile_project(
    p: Project, out_dir: Path, source_kinds: SourceKinds | None = None, statements: list[Statement] | None = None
) -> list[Path]:
    """Write every statement, in execution order, to target/compiled/<target>/.
    source_kinds: how the events relation stores timestamps and properties, when known
    (compile never connects; run probes them and may read text columns differently);
    statements: already planned ones (else they are planned here)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.sql"):
        old.unlink()
    if statements is None:
        statements = p.statements(source_kinds=source_kinds)
    with plan.without_gc_pauses():
        texts = [render(p, create_statement(p, s, staged=False)) for s in statements]
    written = []
    for i, (s, text) in enumerate(zip(statements, texts, strict=True), 1):
        path = out_dir / f"{i:02d}_{s.name}.sql"
        header = f"-- {s.name} ({s.kind.replace('_', ' ')}), target {p.target.name} ({p.target.type})\n"
        path.write_text(header + text + ";\n", encoding="utf-8")
        written.append(path)
    return written


def _alive(host: str, pid: int) -> bool:
    """Whether a journal row belongs to a process still running on this machine."""
    if host != socket.gethostname() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(p: Project, adapter: Adapter, keep: frozenset[str]) -> list[tuple[exp.Table, str]]:
    """Staged relations (`*__ms_new`) and, where scratch is not temporary, scratch tables
    (`_ms_*`) in the target schema: what a run that never finished left behind (apart from
    `keep`: the events a backfill in progress normalized for its steps)."""
    out = []
    for name, kind in sorted(adapter.relations().items()):
        staged = name.endswith(STAGED_SUFFIX)
        scratch = plan.is_scratch(name) and not p.dialect.temporary_scratch and name not in keep
        if staged or scratch:
            out.append((p.in_schema(name), kind))
    return out


def recover(
    p: Project,
    adapter: Adapter,
    runs: Ledger,
    journal: Ledger,
    tracker: Tracker,
    say: Callable[[str], None],
    keep: frozenset[str] = frozenset(),
) -> None:
    """Record runs that never finished (their journal rows) as aborted, delete the rows they
    may have appended (transitions, history, bases: see tracking) and drop what they left
    behind. A row of a process still running here means a concurrent run: refuse."""
    rows = adapter.execute(journal.select("run_id", "target", "as_of", "started_at", "host", "pid", "spec_hash"))
    for run_id, _target, _as_of, started_at, host, pid, _spec_hash in rows:
        if _alive(str(host), int(pid or 0)):
            raise RunError(
                f"another run ({run_id}, process {pid}, started {started_at}) is in progress on target"
                f" '{p.target.name}': wait for it to finish"
            )
    for run_id, target, as_of, started_at, _host, _pid, spec_hash in rows:
        say(f"Found run {run_id} (started {started_at}) unfinished: recording it as aborted")
        adapter.execute(
            runs.insert(
                run_id=run_id, target=target, as_of=as_of, started_at=started_at, status="aborted", spec_hash=spec_hash
            )
        )
        adapter.execute(journal.delete(str(run_id)))
    if rows:
        for sql in tracker.cleanup(runs.table):
            adapter.execute(sql)
    left = _leftovers(p, adapter, keep)
    if left:
        say(f"Dropping {len(left)} relation(s) left by an unfinished run: {', '.join(t.name for t, _ in left)}")
    for table, kind in left:
        adapter.drop(table, kind)


@dataclass
class Session:
    """What the steps of one backfill share, all of it exact to reuse: one connection, the
    models (built and published by the first step; the data does not change between
    steps), the probed source types, the source counts, and the events normalized once up
    to the last step's as_of (`BACKFILL_EVENTS`), which every step reads up to its own."""

    adapter: Adapter
    until: datetime
    models_done: bool = False
    prestaged: exp.Table | None = None
    probe: tuple[SourceKinds, frozenset[str] | None] | None = None
    counts: tuple[int, int] | None = None
    statements: int = 0  # milestone statements per step (for the progress count)
    # whether this step writes the output tables: only the last step does, since each step's
    # would be replaced by the next one's (the snapshot, bases and record need the stages only)
    outputs: bool = True


BACKFILL_EVENTS = "_ms_backfill_events"


def _probe(p: Project, adapter: Adapter) -> tuple[SourceKinds, frozenset[str] | None]:
    """With the source relations built: the events relation's column types decide how
    timestamps and properties are read, the accounts relation's columns where funnel
    segments come from."""
    events = exp.select(exp.Star()).from_(p.relation(p.spec.source.events, staged=True)).limit(0)
    kinds = p.source_kinds(adapter.column_types(p.dialect.render(events)))
    columns: frozenset[str] | None = None
    accounts = p.spec.source.accounts
    segments = [f.segment_by for f in p.spec.effective_funnels() if f.segment_by]
    if accounts is not None:
        probe = exp.select(exp.Star()).from_(p.relation(accounts.name, staged=True)).limit(0)
        columns = frozenset(adapter.columns(p.dialect.render(probe)))
        p.check_segments(columns)
    elif segments:
        p.check_segments(frozenset())
    return kinds, columns


def _then_milestones(
    p: Project,
    adapter: Adapter,
    models: list[Statement],
    planned: list[Statement],
    probed: dict[str, Any],
    tail: Callable[[frozenset[str] | None, SourceKinds], list[Statement]],
    session: Session | None,
) -> Iterator[Statement]:
    """Models first; then, with the source relations built, probe them (`_probe`).
    `planned` was planned before connecting, assuming what `compile` assumes (native
    types, every segment_by an accounts column when that relation is configured); it is
    planned again only when a probe says otherwise. In a backfill the milestone statements
    read the normalized events of the session, built by its first step."""
    yield from models
    if probed["unread"]:  # source relations that are models: their columns, now that they are built
        problems, _ = source_check.missing_columns(p, adapter, staged=True)
        if problems:
            raise ProjectError(problems)
    if session is not None and session.probe is not None:
        kinds, columns = session.probe
    else:
        kinds, columns = _probe(p, adapter)
    probed["kinds"] = kinds
    if session is not None:
        session.probe = (kinds, columns)
        if session.prestaged is None:
            session.prestaged = p.relation(BACKFILL_EVENTS)
            last = p.at(session.until).context(True, columns, kinds)
            query = sql_base.prestage_query(last, p.relation(p.spec.source.events, staged=True))
            adapter.execute(p.dialect.render(create_statement(p, Statement(BACKFILL_EVENTS, "stage", query), False)))
        milestones = p.milestone_statements(True, columns, kinds, session.prestaged)
    else:
        segments = [f.segment_by for f in p.spec.effective_funnels() if f.segment_by]
        as_assumed = kinds == SourceKinds() and (columns is None or all(s in columns for s in segments))
        milestones = planned if as_assumed else p.milestone_statements(True, columns, kinds)
    if session is not None and not session.outputs:
        milestones = [s for s in milestones if s.kind == "stage" and s.name not in plan.OUTPUT_STAGES]
    for statement in milestones:
        yield statement
        if statement.name == sql_base.EVENTS and probed["check"]:
            # names the spec reads that never occur: warnings, from the staged events (built
            # now), before any output is written
            ctx = p.context(True, columns, kinds, session.prestaged if session else None)
            for warning in source_check.staged_warnings(p, adapter, ctx):
                probed["say"](f"warning: {warning}")
    yield from tail(columns, kinds)


def _publishing(p: Project, built: list[Statement]) -> list[Publish]:
    """Tables first (renamed or copied into place), then views in dependency order,
    created again over the final names."""
    tables, views = [], []
    for s in built:
        if s.kind == "model_view":
            create = exp.Create(this=p.relation(s.name), kind="VIEW", replace=True, expression=p.models[s.name].query)
            views.append(Publish(p.relation(s.name, staged=True), p.relation(s.name), p.dialect.render(create)))
        elif s.kind != "stage":
            tables.append(Publish(p.relation(s.name, staged=True), p.relation(s.name)))
    return tables + views


def ledgers(p: Project) -> tuple[Ledger, Ledger]:
    """milestone_runs (one row per finished or aborted run) and the run journal."""
    return Ledger(p, "milestone_runs", RUNS_COLUMNS), Ledger(p, plan.RUN_JOURNAL, JOURNAL_COLUMNS)


def run_project(
    p: Project,
    echo: Callable[[str], None],
    forget: bool = False,
    session: Session | None = None,
    adapter: Adapter | None = None,
    log: Log | None = None,
    results: list[StatementResult] | None = None,
    planned_out: list[Statement] | None = None,
) -> dict[str, Any]:
    """Execute the plan; models and outputs are built under staged names and published
    together with the run's record (transitions, history, bases and its milestone_runs row).
    forget: restart the record (backfill --full-refresh): this run is a baseline.
    session: a backfill's step (its connection stays open; see Session). adapter: a
    connection to use (and leave open) instead of the target's (unit tests). log: where
    statement lines go (text or JSON); results: filled with one StatementResult per statement
    executed, the failing one included (run_results.json); planned_out: filled with the
    planned statements (manifest.json, without planning again)."""
    results = results if results is not None else []
    started = datetime.utcnow()
    t0 = time.perf_counter()
    if session is not None and session.models_done:
        p = p.at(p.as_of)
        p.models_published = True  # read the models the first step published
    # planned before connecting: a DuckDB file is locked for as short a time as possible
    models = [] if p.models_published else p.model_statements(staged=True)
    planned = [] if session is not None else p.milestone_statements(staged=True)
    if planned_out is not None:
        planned_out.extend(models + planned)
    keep_open = session is not None or adapter is not None
    if adapter is None:
        adapter = session.adapter if session is not None else connect(p.target, p.dir)
    runs, journal = ledgers(p)
    run_id = str(uuid.uuid4())
    tracker = Tracker(p, run_id)
    record = dict(run_id=run_id, target=p.target.name, as_of=p.as_of, started_at=started, spec_hash=p.spec_hash())
    built: list[Statement] = []
    result: dict[str, Any] = {"events_read": 0, "events_ignored": 0, "rows": {}, "run_id": run_id}
    say = lambda text: echo(p.target.redact(text))  # noqa: E731
    say(f"Running with target '{p.target.name}' ({p.target.type}), as_of {p.as_of.isoformat(sep=' ')}")
    journaled = publishing = False
    try:
        # mapped columns first: a missing one is an error before anything is created
        problems, unread = source_check.missing_columns(p, adapter)
        if problems:
            raise ProjectError(problems)
        for sql in [runs.create, journal.create, *tracker.creates()]:
            adapter.execute(sql)
        recover(p, adapter, runs, journal, tracker, say, frozenset({BACKFILL_EVENTS}) if session else frozenset())
        adapter.execute(journal.insert(**record, host=socket.gethostname(), pid=os.getpid()))
        journaled = True
        kept = tracker.plan(adapter, runs.table, forget)
        result["record"] = kept

        def tail(columns: frozenset[str] | None, kinds: SourceKinds) -> list[Statement]:
            # a baseline under --select still records every milestone's base
            whole = kept.baseline and p.selected
            extra = p.unselected().milestone_statements(True, columns, kinds) if whole else []
            return [s for s in extra if s.kind == "stage"] + tracker.stages(kept)

        total = len(models) + (session.statements if session is not None else len(planned)) + 2
        probed: dict[str, Any] = {"unread": unread, "say": say, "check": session is None or not session.models_done}
        for i, s in enumerate(_then_milestones(p, adapter, models, planned, probed, tail, session), 1):
            t, started_at = time.perf_counter(), now_utc()
            total = max(total, i)
            try:
                adapter.execute(p.dialect.render(create_statement(p, s, staged=True)))
            except RunError as e:
                done_at = now_utc()
                results.append(
                    statement_result(p, s, "error", started_at, done_at, time.perf_counter() - t, None, str(e))
                )
                if log is not None:
                    log.statement(results[-1], i, total)
                raise
            built.append(s)
            table = p.relation(s.name, staged=True)
            rows = adapter.execute(p.dialect.render(exp.select(exp.Count(this=exp.Star())).from_(table)))[0][0]
            result["rows"][s.name] = rows
            seconds = time.perf_counter() - t
            results.append(statement_result(p, s, "success", started_at, now_utc(), seconds, int(rows), ""))
            if log is not None:
                log.statement(results[-1], i, total)
            else:
                say(statement_line(results[-1], i, total))
        if session is not None and session.counts is not None:
            counts = session.counts  # the source has not changed since the first step
        else:
            counts = adapter.execute(p.dialect.render(p.source_counts(probed["kinds"])))[0]
        result["events_read"], result["events_ignored"] = int(counts[0]), int(counts[1] or 0)
        if session is not None:
            session.counts = (result["events_read"], result["events_ignored"])
        done = runs.insert(
            **record,
            finished_at=datetime.utcnow(),
            status="success",
            events_read=result["events_read"],
            events_ignored=result["events_ignored"],
        )
        publishing = True
        after = [*tracker.writes(kept), done, *tracker.after_success(kept), journal.delete(run_id)]
        adapter.publish(_publishing(p, built), after)
        journaled = False
        if session is not None:
            session.models_done = True
            session.statements = len(built) - len(models) - 2
        _drop_scratch(p, adapter, built)
        if any(s.kind == "output" for s in built):
            _describe_tables(p, adapter, say)
        result["changes"] = tracker.changes(adapter)
        result["seconds"] = time.perf_counter() - t0
        say(
            f"Done: {len(built)} statements in {result['seconds']:.2f}s;"
            f" {result['events_read']:,} events read, {result['events_ignored']:,} ignored"
            " (null event, timestamp, or both entity keys)."
        )
        result["adapter"] = adapter
        return result
    except BaseException as e:
        # RunError/ProjectError: the run failed; anything else (Ctrl-C, SIGTERM): it was stopped
        failed = isinstance(e, (RunError, ProjectError))
        status = "error" if failed else "aborted"
        cleanup = tracker.cleanup(runs.table) if publishing else []
        record_row = record if journaled else None
        _abandon(p, adapter, built, runs, journal, record_row, status, cleanup, close=not keep_open)
        if isinstance(e, RunError):
            raise RunError(p.target.redact(str(e))) from None
        raise


def statement_result(
    p: Project, s: Statement, status: str, started: str, done: str, seconds: float, rows: int | None, message: str
) -> StatementResult:
    relation = p.dialect.render(p.relation(s.name))
    return StatementResult(
        unique_id(p, s.name, s.kind),
        s.name,
        s.kind,
        relation,
        status,
        started,
        done,
        seconds,
        rows,
        p.target.redact(message),
    )


def unique_id(p: Project, name: str, kind: str) -> str:
    """dbt-style node ids: model.<project>.<name>, stage.<project>.<name>, output.<project>.<name>."""
    resource = "model" if kind.startswith("model") else kind
    return f"{resource}.{p.dir.name}.{name}"


def _describe_tables(p: Project, adapter: Adapter, say: Callable[[str], None]) -> None:
    """Table and column descriptions (compiler/sql/columns.py) on every output table. Published
    already: a failure here is a warning, not a failed run."""
    for table in (*plan.OUTPUT_TABLES, *plan.APPEND_TABLES, "milestone_runs"):
        text, described = columns.describe(p.spec, table, columns.table_columns(p.spec, table))
        try:
            adapter.describe(p.relation(table), text, described)
        except RunError as e:
            say(f"warning: could not write the descriptions of {table}: {str(e).splitlines()[0]}")
            return


def _drop_scratch(p: Project, adapter: Adapter, built: list[Statement]) -> None:
    for s in built:
        if s.kind == "stage":
            adapter.drop(p.relation(s.name), "table")


def _abandon(
    p: Project,
    adapter: Adapter,
    built: list[Statement],
    runs: Ledger,
    journal: Ledger,
    record: dict[str, Any] | None,
    status: str,
    cleanup: list[str],
    close: bool = True,
) -> None:
    """Best effort after a failure or an interruption: drop what this run staged, record
    its status, delete any record rows it appended (cleanup: where publishing is not one
    transaction) and remove its journal row. Whatever fails here, the next run's `recover`
    finishes (the journal row is removed last)."""
    try:
        for s in reversed(built):
            kind = "view" if s.kind == "model_view" else "table"
            adapter.drop(p.relation(s.name, staged=s.kind != "stage"), kind)
        if record is not None:
            adapter.execute(runs.insert(**record, finished_at=datetime.utcnow(), status=status))
            for sql in cleanup:
                adapter.execute(sql)
            adapter.execute(journal.delete(record["run_id"]))
    except (RunError, KeyboardInterrupt):
        pass
    finally:
        if close:
            adapter.close()
