"""Compile benchmark: how long `compile` takes, and how much SQL it writes, as a spec
grows in milestones, in criteria per milestone and in nesting depth.

    python -m bench.compile                 # every case, the issue's targets marked
    python -m bench.compile --case depth20  # one case

Each case generates a spec in a temporary project, then times `Project(...)` (load,
validate, render models) and `compile_project` (plan, sqlglot trees, rendering to
DuckDB SQL) in this process, one run each, and reports the SQL size beside the number
of criterion nodes (linear growth keeps bytes per node flat)."""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml

from compiler.project import Project
from compiler.warehouse.runner import compile_project

SOURCE = {"source": {"events": "raw.events"}}


def _leaf(i: int, previous: str | None) -> dict[str, object]:
    """A criterion of one of the usual kinds, varied by i."""
    kinds: list[dict[str, object]] = [
        {"event": f"e{i % 17}", "at_least": 1 + i % 4},
        {"event": f"e{i % 13}", "where": {"plan": "team", "seats": {"gte": 2}}},
        {"event": f"e{i % 11}", "at_least": 3, "window": {"last": "30d"}},
        {"event": f"e{i % 7}", "at_least": 2, "window": {"any": "7d"}},
        {"event": f"e{i % 5}", "distinct": "feature", "at_least": 2},
        {"event": f"e{i % 3}", "sum": "amount", "at_least": 100},
    ]
    if previous is not None and i % 7 == 6:
        return {"milestone": previous}
    return kinds[i % len(kinds)]


def many_milestones(n: int, per: int) -> dict[str, object]:
    milestones = []
    for m in range(n):
        previous = f"m{m - 1}" if m else None
        milestones.append({"name": f"m{m}", "criteria": [_leaf(m * per + i, previous) for i in range(per)]})
    return {"milestones": milestones}


def nested(depth: int) -> dict[str, object]:
    """A leaf and a group at each level, alternating any / all, `depth` groups deep."""
    node: dict[str, object] = {"event": "deepest", "at_least": 2}
    for level in range(depth):
        node = {("any" if level % 2 else "all"): [_leaf(level, None), node]}
    return {"milestones": [{"name": "deep", "criteria": [node, {"event": "top"}]}]}


CASES: dict[str, tuple[Callable[[], dict[str, object]], str]] = {
    "40x10": (lambda: many_milestones(40, 10), ""),
    "1x80": (lambda: many_milestones(1, 80), ""),
    "200x10": (lambda: many_milestones(200, 10), "target < 10 s"),
    "depth10": (lambda: nested(10), ""),
    "depth15": (lambda: nested(15), ""),
    "depth20": (lambda: nested(20), "target < 2 s, SQL linear in nodes"),
}


def _nodes(spec: dict[str, object]) -> int:
    def count(c: object) -> int:
        if isinstance(c, dict):
            kids = c.get("any") or c.get("all")
            return 1 + (sum(count(k) for k in kids) if isinstance(kids, list) else 0)
        return 0

    return sum(count(c) for m in spec["milestones"] for c in m["criteria"])  # type: ignore[attr-defined, union-attr]


def measure(name: str) -> dict[str, object]:
    build, target = CASES[name]
    spec = build()
    gc.collect()  # untimed: the previous case's trees are garbage now
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "milestones").mkdir()
        (root / "milestones" / "source.yml").write_text(yaml.safe_dump(SOURCE))
        (root / "milestones" / "spec.yml").write_text(yaml.safe_dump(spec, sort_keys=False))
        t0 = time.perf_counter()
        project = Project(root, as_of=datetime(2026, 6, 30))
        t1 = time.perf_counter()
        files = compile_project(project, root / "out")
        t2 = time.perf_counter()
        size = sum(p.stat().st_size for p in files)
    nodes = _nodes(spec)
    return {
        "case": name,
        "milestones": len(spec["milestones"]),  # type: ignore[arg-type]
        "criterion_nodes": nodes,
        "load_s": round(t1 - t0, 3),
        "compile_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "statements": len(files),
        "sql_bytes": size,
        "bytes_per_node": round(size / nodes),
        "target": target,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES), action="append", help="run only these cases")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    results = [measure(name) for name in (args.case or list(CASES))]
    header = (
        "case",
        "milestones",
        "criterion_nodes",
        "load_s",
        "compile_s",
        "total_s",
        "sql_bytes",
        "bytes_per_node",
        "target",
    )
    print(" | ".join(header))
    for r in results:
        print(" | ".join(str(r[h]) for h in header), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
