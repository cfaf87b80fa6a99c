"""A Dagster asset that builds the milestone tables with `milestones run` and reports what
run_results.json says (rows per table, timings). Executed by tests/test_orchestration.py.

Point PROJECT_DIR at your milestones project; schedule it like any asset."""


import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import dagster as dg

PROJECT_DIR = Path(os.environ.get("MILESTONES_PROJECT_DIR", "."))
MILESTONES = os.environ.get("MILESTONES_BIN", str(Path(sys.executable).with_name("milestones")))
EXTRA_ARGS = shlex.split(os.environ.get("MILESTONES_ARGS", ""))


@dg.asset(description="Milestone state, funnels and the record across runs, built by milestone-compiler.")
def milestone_tables(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    command = [MILESTONES, "run", "--project-dir", str(PROJECT_DIR), "--log-format", "json", *EXTRA_ARGS]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    for line in done.stdout.splitlines():  # one JSON object per line: forward them to Dagster's log
        try:
            record = json.loads(line)
        except ValueError:
            continue
        context.log.info(record["message"])
    results = json.loads((PROJECT_DIR / "target" / "run_results.json").read_text())
    failed = [r for r in results["results"] if r["status"] != "success"]
    if done.returncode != 0 or failed:
        raise dg.Failure(
            description=f"milestones run exited {done.returncode}",
            metadata={"failed": dg.MetadataValue.json([{k: r[k] for k in ("unique_id", "message")} for r in failed])},
        )
    rows = {r["unique_id"].split(".")[-1]: r["rows"] for r in results["results"] if r["unique_id"].startswith("output.")}
    return dg.MaterializeResult(
        metadata={
            "invocation_id": results["metadata"]["invocation_id"],
            "as_of": results["metadata"]["as_of"],
            "statements": len(results["results"]),
            "seconds": results["elapsed_time"],
            "rows": dg.MetadataValue.json(rows),
        }
    )


defs = dg.Definitions(assets=[milestone_tables])
