"""target/manifest.json and target/run_results.json, in dbt's shapes where they fit, so
tools that read dbt artifacts (orchestrators, catalogs) can read ours.

manifest.json: `metadata` and `nodes` (unique_id -> name, resource_type, relation_name,
depends_on.nodes, columns with descriptions), plus `sources`. run_results.json: `metadata`
(invocation_id, generated_at, command, target, as_of) and `results`, one per statement run
(or unit test / check), with status, timing, execution_time, rows, relation_name, message.
Both carry `metadata.schema_version` (SCHEMA_VERSION) and a `dbt_schema_version`-style URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlglot import exp

from compiler.commands.logs import StatementResult, as_dict, now_utc
from compiler.project import Project, Statement
from compiler.sql import columns, plan
from compiler.sql.transitions import HISTORY_STAGE, TRANSITIONS_STAGE

SCHEMA_VERSION = 1
SCHEMA_URL = "https://milestone-compiler.dev/schemas/{kind}/v1.json"


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("milestone-compiler")
    except Exception:  # not installed as a distribution (running from a checkout)
        return "0"


def _metadata(p: Project, kind: str, invocation_id: str, command: str) -> dict[str, Any]:
    return {
        "dbt_schema_version": SCHEMA_URL.format(kind=kind),
        "schema_version": SCHEMA_VERSION,
        "generator": f"milestone-compiler {_version()}",
        "generated_at": now_utc(),
        "invocation_id": invocation_id,
        "command": command,
        "project_name": p.dir.name,
        "target": p.target.name,
        "adapter_type": p.target.type,
        "as_of": p.as_of.isoformat(),
    }


def _sources(p: Project) -> dict[str, str]:
    """Source relation name -> unique_id (relations the spec reads that are not models)."""
    src = p.spec.source
    names = [src.events, *(r.name for r in (src.contacts, src.accounts) if r is not None)]
    return {n: f"source.{p.dir.name}.{n}" for n in names if n not in p.models}


def _node_id(p: Project, name: str, kind: str) -> str:
    from compiler.warehouse.runner import unique_id

    return unique_id(p, name, kind)


def manifest(p: Project, statements: list[Statement], invocation_id: str, command: str) -> dict[str, Any]:
    ids = {s.name: _node_id(p, s.name, s.kind) for s in statements}
    physical = {p.dialect.render(p.relation(s.name)).lower(): s.name for s in statements}
    # a run's statements read the staged names of models and outputs
    physical.update({p.dialect.render(p.relation(s.name, staged=True)).lower(): s.name for s in statements})
    physical.update({name: name for name in ids})
    sources = _sources(p)
    for name in sources:
        physical[p.dialect.render(p.relation(name)).lower()] = name
    nodes: dict[str, Any] = {}
    for s in statements:
        deps: list[str] = []
        for t in s.query.find_all(exp.Table):
            key = p.dialect.render(exp.table_(t.name, db=t.args.get("db"), catalog=t.args.get("catalog"))).lower()
            ref = physical.get(key) or physical.get(t.name.lower())
            if ref is None and s.kind.startswith("model") and t.args.get("db") is not None:
                # a relation a model reads that the project does not build: an external source
                ref = ".".join(part.name for part in t.parts)
                sources.setdefault(ref, f"source.{p.dir.name}.{ref}")
            if ref is None or ref == s.name:
                continue
            dep = ids.get(ref) or sources.get(ref)
            if dep and dep not in deps:
                deps.append(dep)
        if s.kind == "stage":
            cols = {n: {"name": n, "description": ""} for n in _selects(s.query)}
            description = "internal stage, rebuilt and dropped by each run"
        else:
            text, described = columns.describe(
                p.spec, s.name, columns.table_columns(p.spec, s.name) or _selects(s.query)
            )
            cols = {n: {"name": n, "description": d} for n, d in described.items()} or {
                n: {"name": n, "description": ""} for n in _selects(s.query)
            }
            description = text if s.kind == "output" else (p.models[s.name].file if s.name in p.models else "")
        nodes[ids[s.name]] = {
            "unique_id": ids[s.name],
            "name": s.name,
            "resource_type": "model" if s.kind.startswith("model") else s.kind,
            "materialized": s.kind.replace("model_", "")
            if s.kind.startswith("model")
            else ("scratch" if s.kind == "stage" else "table"),
            "relation_name": p.dialect.render(p.relation(s.name)),
            "description": description,
            "depends_on": {"nodes": deps},
            "columns": cols,
        }
    for stage in (TRANSITIONS_STAGE, HISTORY_STAGE):  # planned by the run once the bases are read
        uid = _node_id(p, stage, "stage")
        nodes[uid] = {
            "unique_id": uid,
            "name": stage,
            "resource_type": "stage",
            "materialized": "scratch",
            "relation_name": p.dialect.render(p.relation(stage)),
            "description": "internal stage of the record across runs, planned once the comparison bases are read",
            "depends_on": {"nodes": [ids["_ms_snapshot"]] if "_ms_snapshot" in ids else []},
            "columns": {},
        }
    for table in (*plan.APPEND_TABLES, "milestone_runs"):
        text, described = columns.describe(p.spec, table, columns.table_columns(p.spec, table))
        uid = f"record.{p.dir.name}.{table}"
        nodes[uid] = {
            "unique_id": uid,
            "name": table,
            "resource_type": "record",
            "materialized": "append",
            "relation_name": p.dialect.render(p.relation(table)),
            "description": text,
            "depends_on": {
                "nodes": [ids["_ms_snapshot"]] if table != "milestone_runs" and "_ms_snapshot" in ids else []
            },
            "columns": {n: {"name": n, "description": d} for n, d in described.items()},
        }
    return {
        "metadata": _metadata(p, "manifest", invocation_id, command),
        "nodes": nodes,
        "sources": {
            uid: {
                "unique_id": uid,
                "name": name,
                "resource_type": "source",
                "relation_name": p.dialect.render(p.relation(name)),
            }
            for name, uid in sources.items()
        },
    }


def _selects(q: exp.Expr) -> list[str]:
    if isinstance(q, exp.Query):
        return [n for n in q.named_selects if n and n != "*"]
    return []


def run_results(
    p: Project, results: list[StatementResult], invocation_id: str, command: str, elapsed: float
) -> dict[str, Any]:
    out = []
    for r in results:
        d = as_dict(r)
        out.append(
            {
                "unique_id": d["unique_id"],
                "status": d["status"],
                "timing": [{"name": "execute", "started_at": d["started_at"], "completed_at": d["completed_at"]}],
                "execution_time": round(d["seconds"], 6),
                "rows": d["rows"],
                "adapter_response": {"rows_affected": d["rows"]} if d["rows"] is not None else {},
                "relation_name": d["relation_name"],
                "message": d["message"] or None,
                "thread_id": "main",
                "failures": 0
                if d["status"] in ("success", "pass")
                else (1 if d["status"] in ("error", "fail") else None),
            }
        )
    return {
        "metadata": _metadata(p, "run-results", invocation_id, command),
        "results": out,
        "elapsed_time": round(elapsed, 6),
        "args": {"command": command, "target": p.target.name, "as_of": p.as_of.isoformat(), "select": list(p.selected)},
    }


def write(p: Project, name: str, content: dict[str, Any]) -> Path:
    path = p.dir / "target" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = p.target.redact(json.dumps(content, indent=2, default=str))
    path.write_text(text + "\n", encoding="utf-8")
    return path
