"""OpenLineage events for `run` (START, then COMPLETE or FAIL), through openlineage-python,
when the target's output in profiles.yml configures them:

    outputs:
      prod:
        type: snowflake
        ...
        openlineage:
          namespace: milestones          # the job's namespace (default: milestone-compiler)
          transport: {type: file, log_file_path: target/openlineage.jsonl, append: true}
          # or {type: console}, or any transport openlineage-python knows (http, kafka, ...)

Inputs are the source relations (events, contacts, accounts), outputs every table a run
writes. Nothing is emitted without the setting; a transport error is a warning, never a
failed run."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from compiler.project import Project
from compiler.sql import plan

PRODUCER = "https://github.com/milestone-compiler/milestone-compiler"


class Emitter:
    def __init__(self, p: Project):
        self.p = p
        self.config: dict[str, Any] | None = p.target.settings.get("openlineage")
        self.client: Any = None
        self.run_id = str(uuid.uuid4())
        if not isinstance(self.config, dict):
            self.config = None
            return
        try:
            from openlineage.client import OpenLineageClient
        except ImportError:
            self._warn(
                "openlineage is configured but openlineage-python is missing: pip install 'milestone-compiler[lineage]'"
            )
            self.config = None
            return
        transport = dict(self.config.get("transport") or {"type": "console"})
        if transport.get("type") == "file" and "log_file_path" in transport:
            path = str(transport["log_file_path"])
            transport["log_file_path"] = path if path.startswith("/") else str(p.dir / path)
            transport.setdefault("append", True)
            Path(transport["log_file_path"]).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.client = OpenLineageClient(config={"transport": transport})
        except Exception as e:  # the library validates transports in its own ways
            self._warn(f"openlineage transport not usable: {e}")
            self.config = None

    def _warn(self, text: str) -> None:
        from compiler.cli import echo

        echo(f"warning: {text}", err=True)

    def _namespace(self) -> str:
        t = self.p.target
        if t.type == "snowflake":
            return f"snowflake://{t.settings.get('account', '')}"
        if t.type == "bigquery":
            return "bigquery"
        return f"duckdb://{t.settings.get('path', 'milestones.duckdb')}"

    def _datasets(self) -> tuple[list[Any], list[Any]]:
        from openlineage.client.event_v2 import InputDataset, OutputDataset

        p, ns = self.p, self._namespace()
        src = p.spec.source
        names = [src.events, *(r.name for r in (src.contacts, src.accounts) if r is not None)]
        inputs = [InputDataset(namespace=ns, name=p.dialect.render(p.relation(n))) for n in names]
        written = [*p.models, *plan.OUTPUT_TABLES, *plan.APPEND_TABLES, "milestone_runs"]
        outputs = [OutputDataset(namespace=ns, name=p.dialect.render(p.relation(n))) for n in written]
        return inputs, outputs

    def _emit(self, state: str, invocation: str, message: str = "") -> None:
        if self.client is None or self.config is None:
            return
        try:
            from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
            from openlineage.client.facet_v2 import error_message_run

            facets: dict[str, Any] = {}
            if message:
                facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
                    message=self.p.target.redact(message), programmingLanguage="python"
                )
            inputs, outputs = self._datasets()
            namespace = str(self.config.get("namespace") or "milestone-compiler")
            event = RunEvent(
                eventType=getattr(RunState, state),
                eventTime=datetime.now(timezone.utc).isoformat(),
                run=Run(runId=self.run_id, facets=facets),
                job=Job(namespace=namespace, name=f"{self.p.dir.name}.{self.p.target.name}.run"),
                producer=PRODUCER,
                inputs=inputs,
                outputs=outputs,
            )
            self.client.emit(event)
        except Exception as e:  # lineage must never fail a run
            self._warn(f"openlineage event not sent: {e}")

    def start(self, invocation: str) -> None:
        self._emit("START", invocation)

    def complete(self, invocation: str) -> None:
        self._emit("COMPLETE", invocation)

    def fail(self, invocation: str, message: str) -> None:
        self._emit("FAIL", invocation, message)
