"""Report benchmark: `milestones report` on a large project, how long it takes and how big
the file is.

    python -m bench.report --events 10000000

The benchmark's events and spec, plus generated milestones so that there are 12 (the
bench spec has 6), built by the real runner into a DuckDB file; then the report is written
(queries of the output tables, Vega-Lite to SVG, HTML) and timed, three times."""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import yaml

from bench.backfill import project
from bench.generate import generate
from compiler.commands.report import write_report
from compiler.project import Project
from compiler.warehouse.adapters import connect
from compiler.warehouse.runner import run_project

EXTRA = [
    {"name": f"habit_{i}", "criteria": [{"event": "created_task", "at_least": 3 * i, "window": {"last": f"{7 * i}d"}}]}
    for i in range(1, 4)
] + [
    {"name": f"engaged_{i}", "criteria": [{"milestone": "onboarded"}, {"event": "sent_message", "at_least": 5 * i}]}
    for i in range(1, 4)
]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.report")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path.home() / ".cache" / "milestone-bench")
    args = ap.parse_args(argv)
    parquet = generate(args.events, args.out)
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        root = project(Path(tmp) / "p", parquet, 2, "3GB")
        extra = root / "milestones" / "extra.yml"
        extra.write_text(yaml.safe_dump({"milestones": EXTRA}))
        p = Project(root, as_of=datetime(2025, 12, 29))
        t = time.perf_counter()
        run_project(p, lambda _: None)["adapter"].close()
        built = time.perf_counter() - t
        adapter = connect(p.target, p.dir, read_only=True)
        seconds, size = [], 0
        try:
            for _ in range(3):
                t = time.perf_counter()
                out = write_report(p, adapter, root / "target" / "report.html", lambda _: None)
                seconds.append(time.perf_counter() - t)
                size = out.stat().st_size
            entities = adapter.execute("SELECT count(*) FROM account_milestones")[0][0]
        finally:
            adapter.close()
        shutil.rmtree(root / "target", ignore_errors=True)
    print(
        f"events={args.events} milestones={len(p.spec.milestones)} accounts={entities} run={built:.1f}s"
        f" report={statistics.median(seconds):.2f}s (of {', '.join(f'{s:.2f}' for s in seconds)}) size={size / 1024:.0f}KB"
    )


if __name__ == "__main__":
    main()
