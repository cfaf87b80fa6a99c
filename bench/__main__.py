"""python -m bench --events N: floor vs our plan vs the hand-written baseline, on one DuckDB
connection with fixed threads; medians of interleaved rounds after a warm-up.

Prints a table and, last, `ours/floor=X.XX ours/handwritten=Y.YY`; writes a JSON file with
seconds, ratios, peak RSS and row counts next to the generated Parquet."""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from bench import handwritten
from bench.baselines import floor_queries
from bench.generate import generate
from compiler.project import Project, Statement
from compiler.sql import criteria as sql_criteria
from compiler.sql.base import ENTITIES, EVENTS, BuildContext
from compiler.sql.criteria import LeafBuilder
from compiler.warehouse.runner import create_statement

PROJECT = Path(__file__).parent / "project"
AS_OF = datetime(2026, 1, 1)
MILESTONE_TABLES = (
    "milestone_criteria",
    "milestone_state",
    "account_milestones",
    "contact_milestones",
    "milestone_events",
)
FUNNEL_TABLES = ("_ms_funnel_steps", "funnel_steps", "funnel_cohorts", "milestone_durations", "milestone_distribution")


def plans(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """SQL per measured step; each plan builds the same output tables in its own schema.
    Scratch tables share DuckDB's one temporary schema, which is safe because every step
    builds each scratch table it reads (the funnels read `_ms_events`, built by `ours`)."""
    ours = Project(PROJECT, target="ours", as_of=AS_OF)
    hand = Project(PROJECT, target="hand", as_of=AS_OF)
    shared = Project(PROJECT, target="hand_shared", as_of=AS_OF)
    for schema in ("hand", "hand_shared"):
        con.execute(exp.Create(this=exp.to_table(schema), kind="SCHEMA", exists=True).sql("duckdb"))

    def statements(p: Project, names: tuple[str, ...]) -> list[str]:
        """The named statements, with the stages milestone_criteria reads when it is named
        (not the funnels' scratch table, which the funnels step names and times)."""
        wanted = [
            s
            for s in p.milestone_statements(staged=False)
            if s.name in names or (s.kind == "stage" and "milestone_criteria" in names and s.name not in FUNNEL_TABLES)
        ]
        return [p.dialect.render(create_statement(p, s, False)) for s in wanted]

    def criteria(p: Project, ctx: BuildContext, leaf_fn: LeafBuilder) -> list[str]:
        out = []
        for name, query in sql_criteria.stage_builds(ctx, leaf=leaf_fn):
            kind = "output" if name == "milestone_criteria" else "stage"
            out.append(p.dialect.render(create_statement(p, Statement(name, kind, query), False)))
        return out

    # hand-written, dbt-style: its own staging table, JSON read inline by each criterion
    stg = hand.relation(handwritten.STG_EVENTS)
    stg_ctx = replace(hand.context(False), relation=lambda n: stg if n == EVENTS else hand.relation(n))
    stg_create = exp.Create(
        this=stg, kind="TABLE", replace=True, expression=handwritten.stg_events(stg_ctx, ours.relation("bench.events"))
    )
    hand_sql = statements(hand, (ENTITIES,)) + [hand.dialect.render(stg_create)]
    hand_sql += criteria(hand, stg_ctx, handwritten.json_leaf) + statements(hand, MILESTONE_TABLES[1:])
    # the same criteria SQL on our staging: isolates how criteria are evaluated
    shared_sql = statements(shared, (EVENTS, ENTITIES))
    shared_sql += criteria(shared, shared.context(False), handwritten.leaf) + statements(shared, MILESTONE_TABLES[1:])
    floor = [
        ours.dialect.render(exp.Create(this=exp.to_table(name), kind="TABLE", replace=True, expression=q))
        for name, q in floor_queries(ours)
    ]
    return {
        "floor": floor,
        "ours": statements(ours, (ENTITIES, EVENTS) + MILESTONE_TABLES),
        "handwritten": hand_sql,
        "hand_on_our_staging": shared_sql,
        "funnels": statements(ours, FUNNEL_TABLES),
    }


def identical(con: duckdb.DuckDBPyConnection, schema: str = "hand") -> dict[str, int]:
    """Rows of each output table present in one plan's result but not in ours."""
    diffs = {}
    for table in MILESTONE_TABLES:
        a, b = exp.table_(table, db="main"), exp.table_(table, db=schema)
        missing = 0
        for left, right in ((a, b), (b, a)):
            q = exp.select(exp.Count(this=exp.Star())).from_(
                exp.except_(
                    exp.select(exp.Star()).from_(left), exp.select(exp.Star()).from_(right), distinct=False
                ).subquery("d")
            )
            row = con.execute(q.sql("duckdb")).fetchone()
            missing += int(row[0]) if row else 0
        diffs[table] = missing
    return diffs


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(
        exp.select(exp.Count(this=exp.Star())).from_(exp.table_(table, db="main")).sql("duckdb")
    ).fetchone()
    return int(row[0]) if row else 0


def run_step(con: duckdb.DuckDBPyConnection, sql: list[str]) -> float:
    """Seconds to run the statements. Untimed afterwards, as `milestones run` does after a
    run: the scratch tables are dropped and the database checkpointed, so every step starts
    from the same memory. Steps named their scratch tables alike only partly, and leftovers
    of one step made the next slower by up to 2 s at 10M events (they compete for
    memory_limit). `_ms_events` stays for the funnels step, which reads it; the next round
    starts by dropping it."""
    start = time.perf_counter()
    for statement in sql:
        con.execute(statement)
    elapsed = time.perf_counter() - start
    drop_scratch(con, keep=EVENTS)
    return elapsed


def statement_seconds(con: duckdb.DuckDBPyConnection, sql: list[str]) -> dict[str, float]:
    """One more pass of a step, each statement timed on its own (after the timed rounds, so
    the medians are not affected): the seconds of each stage, by the table it creates."""
    drop_scratch(con)
    out: dict[str, float] = {}
    for statement in sql:
        target = sqlglot.parse_one(statement, read="duckdb").find(exp.Table)
        start = time.perf_counter()
        con.execute(statement)
        out[target.name if target is not None else statement[:40]] = time.perf_counter() - start
    drop_scratch(con, keep=EVENTS)
    return out


def drop_scratch(con: duckdb.DuckDBPyConnection, keep: str | None = None) -> None:
    """Drop DuckDB's temporary tables (all scratch lives there), but `keep`; checkpoint."""
    temporary = exp.select("table_name").from_("duckdb_tables()").where("temporary")
    for (name,) in con.execute(temporary.sql("duckdb")).fetchall():
        if name != keep:
            drop = exp.Drop(tables=[exp.table_(name, db="main", catalog="temp")], kind="TABLE", exists=True)
            con.execute(drop.sql("duckdb"))
    con.execute("CHECKPOINT")


def connect(parquet: Path, threads: int, memory_limit: str, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    """A file-backed database beside the Parquet (built tables can leave memory, as with a
    real profile); output tables are sets, so insertion order need not be kept."""
    database = parquet.with_suffix(".duckdb")
    for stale in (database, database.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    config = {
        "threads": threads,
        "memory_limit": memory_limit,
        "temp_directory": str(temp_dir),
        "preserve_insertion_order": False,
        # checkpoints run between steps, untimed (run_step): an automatic one would bill the
        # writing of earlier steps' tables to whichever statement happened to trigger it
        "checkpoint_threshold": "1TB",
    }
    con = duckdb.connect(str(database), config=config)
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE SCHEMA bench")
    view = exp.Create(
        this=exp.table_("events", db="bench"),
        kind="VIEW",
        expression=exp.select(exp.Star()).from_(exp.func("read_parquet", exp.Literal.string(str(parquet)))),
    )
    con.execute(view.sql("duckdb"))
    return con


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="3GB")
    ap.add_argument("--out", type=Path, default=Path.home() / ".cache" / "milestone-bench")
    ap.add_argument(
        "--steps", default="floor,ours,handwritten,hand_on_our_staging,funnels", help="comma-separated subset to time"
    )
    args = ap.parse_args(argv)
    parquet = generate(args.events, args.out)
    con = connect(parquet, args.threads, args.memory_limit, args.out / "spill")
    everything = plans(con)
    steps = {name: everything[name] for name in args.steps.split(",")}
    for name, sql in everything.items():  # warm-up: builds every table once (funnels read ours)
        if name in steps or name == "ours":
            run_step(con, sql)
    diffs: dict[str, dict[str, int]] = {}
    for step, schema in (("handwritten", "hand"), ("hand_on_our_staging", "hand_shared")):
        if {"ours", step} <= set(steps):
            diffs[step] = identical(con, schema)
            if any(diffs[step].values()):
                raise SystemExit(f"{step} and ours differ: {diffs[step]}")
    seconds: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.rounds):
        drop_scratch(con)  # every round starts as a run does: no scratch left from the last
        for name, sql in steps.items():  # interleaved, so drift hits every step alike
            seconds[name].append(run_step(con, sql))
    median = {name: statistics.median(values) for name, values in seconds.items()}
    per_statement = statement_seconds(con, steps["ours"]) if "ours" in steps else {}
    pairs = [("ours", "floor"), ("ours", "handwritten"), ("ours", "hand_on_our_staging"), ("funnels", "ours")]
    pairs = [(a, b) for a, b in pairs if a in median and b in median]
    rows = {t: count_rows(con, t) for t in MILESTONE_TABLES + (FUNNEL_TABLES[1:] if "funnels" in steps else ())}
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result = {
        "events": args.events,
        "threads": args.threads,
        "memory_limit": args.memory_limit,
        "rounds": args.rounds,
        "seconds": seconds,
        "median_seconds": median,
        "ratios": {f"{a}/{b}": median[a] / median[b] for a, b in pairs},
        # the same ratio within each round: how far one run's ratio can move on this machine
        "ratios_per_round": {
            f"{a}/{b}": [x / y for x, y in zip(seconds[a], seconds[b], strict=True)] for a, b in pairs
        },
        "microseconds_per_event": {k: v / args.events * 1e6 for k, v in median.items()},
        "ours_statement_seconds": per_statement,
        "peak_rss_bytes": peak_rss,
        "rows": rows,
        "identical_tables": diffs,
        "versions": {"duckdb": duckdb.__version__, "sqlglot": sqlglot.__version__, "python": platform.python_version()},
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine()},
    }
    suffix = "" if len(steps) == len(everything) else "_" + "_".join(steps)
    out = args.out / f"results_{args.events}{suffix}.json"
    out.write_text(json.dumps(result, indent=2))
    print(
        f"{args.events:,} events, {args.threads} threads, memory_limit {args.memory_limit}, {args.rounds} rounds (median)"
    )
    print(f"{'step':<20} {'median s':>9} {'min s':>8} {'max s':>8} {'us/event':>9}")
    for name, values in seconds.items():
        print(
            f"{name:<20} {median[name]:>9.2f} {min(values):>8.2f} {max(values):>8.2f} {median[name] / args.events * 1e6:>9.3f}"
        )
    if per_statement:  # the slowest statements of ours, one pass (see statement_seconds)
        slowest = sorted(per_statement.items(), key=lambda kv: -kv[1])[:12]
        print("ours by statement (one pass): " + ", ".join(f"{n} {t:.2f}" for n, t in slowest))
    checked = ", ".join(diffs) or "none run"
    print(f"tables identical to ours: {checked}; peak RSS {peak_rss / 2**30:.2f} GiB; results: {out}")
    for ratio in ("funnels/ours", "ours/hand_on_our_staging"):
        if ratio in result["ratios"]:
            print(f"{ratio}={result['ratios'][ratio]:.2f}")
    if "ours/floor" in result["ratios_per_round"]:
        print("ours/floor per round: " + " ".join(f"{r:.2f}" for r in result["ratios_per_round"]["ours/floor"]))
    last = [f"{r}={result['ratios'][r]:.2f}" for r in ("ours/floor", "ours/handwritten") if r in result["ratios"]]
    print(" ".join(last))
    return result


if __name__ == "__main__":
    main()
