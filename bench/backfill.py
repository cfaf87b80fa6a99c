"""Backfill benchmark: `milestones backfill` over N weekly steps against N separate
`milestones run --as-of` calls, on the benchmark's events and spec.

    python -m bench.backfill --events 10000000 --steps 26

Both go through the real runner (a DuckDB file beside the Parquet, a fresh one for each
side). The single runs are timed one by one for --single of the steps (spread over the
range) and their mean multiplied by the step count; the backfill is timed whole. Prints
`backfill=S s single=S s x N=T s speedup=X.XX`."""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.generate import generate
from compiler.project import Project
from compiler.warehouse.backfill import boundaries, run_backfill
from compiler.warehouse.runner import run_project

PROJECT = Path(__file__).parent / "project"
LAST = datetime(2025, 12, 29)  # a Monday, just before the bench's as_of


def project(root: Path, parquet: Path, threads: int, memory_limit: str) -> Path:
    """The bench spec, reading the Parquet through a view model, on a DuckDB file."""
    shutil.copytree(PROJECT / "milestones", root / "milestones")
    spec = root / "milestones" / "bench.yml"
    spec.write_text(spec.read_text().replace("events: bench.events", "events: bench_events"))
    (root / "models").mkdir()
    (root / "models" / "bench_events.sql").write_text(f"select * from read_parquet('{parquet}')\n")
    (root / "profiles.yml").write_text(
        "target: dev\noutputs:\n  dev:\n    type: duckdb\n    path: bench.duckdb\n    schema: main\n"
        f"    threads: {threads}\n    memory_limit: {memory_limit}\n"
    )
    return root


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.backfill")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--steps", type=int, default=26)
    ap.add_argument("--single", type=int, default=4, help="single runs timed (their mean x steps)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="3GB")
    ap.add_argument("--out", type=Path, default=Path.home() / ".cache" / "milestone-bench")
    args = ap.parse_args(argv)
    parquet = generate(args.events, args.out)
    first = LAST - timedelta(weeks=args.steps - 1)
    steps = boundaries(first, LAST, "week")
    assert len(steps) == args.steps
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        single = project(Path(tmp) / "single", parquet, args.threads, args.memory_limit)
        picked = [steps[round(i * (len(steps) - 1) / max(args.single - 1, 1))] for i in range(args.single)]
        seconds = []
        for as_of in picked:
            t = time.perf_counter()
            run_project(Project(single, as_of=as_of), lambda _: None)["adapter"].close()
            seconds.append(time.perf_counter() - t)
            print(f"single run as_of {as_of}: {seconds[-1]:.1f} s", flush=True)
        one = statistics.mean(seconds)
        whole = project(Path(tmp) / "backfill", parquet, args.threads, args.memory_limit)
        t = time.perf_counter()
        result = run_backfill(Project(whole, as_of=LAST), print, first, LAST, "week")
        total = time.perf_counter() - t
    n = len(steps)
    print(
        f"events={args.events} steps={n} backfill={total:.1f} s single={one:.1f} s x {n}={one * n:.1f} s"
        f" speedup={one * n / total:.2f} transitions={result['transitions']}"
    )


if __name__ == "__main__":
    main()
