"""How commands report: text lines (default) or, with `--log-format json`, one JSON object
per line on stdout (`ts`, `level`, `event`, `message`, and `node`, `rows`, `seconds` where
they apply). Every line, text or JSON, goes through secret redaction here."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

import click

from compiler.warehouse import redaction


def now_utc() -> str:
    """The current instant as ISO 8601 UTC with a Z, as the artifacts and results write it."""
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class StatementResult:
    """One executed statement, for the progress line, run_results.json and JSON logs."""

    unique_id: str
    name: str
    kind: str
    relation_name: str
    status: str  # success | error | skipped
    started_at: str
    completed_at: str
    seconds: float
    rows: int | None
    message: str


class Log:
    def __init__(self, fmt: str = "text"):
        self.format = fmt

    def _json(self, level: str, event: str, message: str, **fields: Any) -> str:
        record = {
            "ts": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": level,
            "event": event,
            "message": message,
            **{k: v for k, v in fields.items() if v is not None},
        }
        return json.dumps(record, default=str)

    def say(
        self, text: str = "", err: bool = False, event: str = "message", level: str | None = None, **fields: Any
    ) -> None:
        level = level or ("error" if err else "info")
        if self.format == "json":
            if not text.strip() and not fields:
                return  # blank spacing lines mean nothing in a log
            # stdout for every record: one stream of JSON lines to parse
            click.echo(redaction.redact(self._json(level, event, text, **fields)))
        else:
            click.echo(redaction.redact(text), err=err)

    def statement(self, r: StatementResult, index: int, total: int) -> None:
        self.say(statement_line(r, index, total), event="statement", level="info" if r.status == "success" else "error",
                 node=r.unique_id, rows=r.rows, seconds=round(r.seconds, 3), status=r.status)  # fmt: skip


def statement_line(r: StatementResult, index: int, total: int) -> str:
    """The progress line of a statement: `  7/45  stage  _ms_events  614,318 rows  0.19s`."""
    label = r.kind.replace("model_", "model ").replace("_", " ")
    head = f"{index:>3}/{total}  {label:<12} {r.name:<28}"
    if r.status != "success":
        return f"{head} {r.status.upper()}: {r.message.splitlines()[0] if r.message else ''}"
    rows = f"{r.rows:>10,} rows" if r.rows is not None else " " * 15
    return f"{head} {rows}  {r.seconds:6.2f}s"


def as_dict(r: StatementResult) -> dict[str, Any]:
    return asdict(r)
