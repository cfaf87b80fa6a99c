"""BigQuery through google-cloud-bigquery (service-account keyfile or application-default
credentials; project, dataset, location). Each staged table is put in place atomically by
a copy job (WRITE_TRUNCATE: metadata-only and free within a region), each view by CREATE
OR REPLACE VIEW, then the staged relation is deleted. Emulators can be reached with
`api_endpoint`; `timeout_seconds` bounds how long connecting retries (default 60)."""

from __future__ import annotations

from typing import Any

from google.cloud import bigquery
from sqlglot import exp

from compiler.errors import RunError
from compiler.warehouse.adapters import Publish, publish_in_turn
from compiler.warehouse.profiles import Target


def client_kwargs(settings: dict[str, Any]) -> dict[str, Any]:
    """profiles.yml output -> bigquery.Client() arguments (dbt-bigquery names)."""
    kwargs: dict[str, Any] = {"project": settings.get("project")}
    if settings.get("location"):
        kwargs["location"] = settings["location"]
    keyfile = settings.get("keyfile")
    if settings.get("method") == "service-account" or keyfile:
        from google.oauth2 import service_account

        kwargs["credentials"] = service_account.Credentials.from_service_account_file(keyfile)
    if settings.get("api_endpoint"):  # an emulator: no credentials needed
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials

        kwargs["client_options"] = ClientOptions(api_endpoint=settings["api_endpoint"])
        kwargs["credentials"] = AnonymousCredentials()
    return kwargs


class BigQueryAdapter:
    dialect = "bigquery"

    def __init__(self, target: Target):
        deadline = float(target.settings.get("timeout_seconds") or 60)
        try:
            self.client = bigquery.Client(**client_kwargs(target.settings))
            self.dataset = f"{self.client.project}.{target.schema}"
            retry = bigquery.DEFAULT_RETRY.with_deadline(deadline)
            self.client.create_dataset(self.dataset, exists_ok=True, retry=retry, timeout=deadline)
        except Exception as e:  # auth and transport errors come from several libraries
            raise RunError(f"could not connect to BigQuery: {e}") from None
        self.labels = {"tool": "milestone-compiler"}

    def _result(self, sql: str) -> Any:
        try:
            job = self.client.query(sql, job_config=bigquery.QueryJobConfig(labels=self.labels))
            return job.result()
        except Exception as e:
            raise RunError(str(e)) from None

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row.values()) for row in self._result(sql)]

    def columns(self, sql: str) -> list[str]:
        return [field.name for field in self._result(sql).schema]

    def column_types(self, sql: str) -> dict[str, str]:
        return {field.name.lower(): str(field.field_type).upper() for field in self._result(sql).schema}

    def relations(self) -> dict[str, str]:
        try:
            return {
                t.table_id.lower(): "view" if t.table_type == "VIEW" else "table"
                for t in self.client.list_tables(self.dataset)
            }
        except Exception as e:
            raise RunError(str(e)) from None

    def drop(self, table: exp.Table, kind: str) -> None:
        try:
            self.client.delete_table(_table_id(table), not_found_ok=True)
        except Exception as e:
            raise RunError(str(e)) from None

    def publish(self, items: list[Publish], after: list[str]) -> None:
        publish_in_turn(self, items, after, self._replace_table)

    def _replace_table(self, item: Publish) -> None:
        truncate = bigquery.CopyJobConfig(write_disposition="WRITE_TRUNCATE", labels=self.labels)
        try:
            self.client.copy_table(_table_id(item.staged), _table_id(item.final), job_config=truncate).result()
        except Exception as e:
            raise RunError(str(e)) from None

    def together(self, statements: list[str]) -> None:
        """DML as one multi-statement transaction: a script that fails part-way, or is
        cancelled, rolls back (BigQuery ends an open transaction of a failed script)."""
        if not statements:
            return
        script = ";\n".join(["BEGIN TRANSACTION", *statements, "COMMIT TRANSACTION"]) + ";"
        self._result(script)

    def describe(self, table: exp.Table, description: str, columns: dict[str, str]) -> None:
        """Table and column descriptions through the API (the OPTIONS(description=...) of DDL)."""
        try:
            t = self.client.get_table(_table_id(table))
            t.description = description
            t.schema = [
                bigquery.SchemaField(
                    f.name, f.field_type, f.mode, description=columns.get(f.name, f.description), fields=f.fields
                )
                for f in t.schema
            ]
            self.client.update_table(t, ["description", "schema"])
        except Exception as e:
            raise RunError(str(e)) from None

    def close(self) -> None:
        self.client.close()


def _table_id(table: exp.Table) -> str:
    return ".".join(part.name for part in table.parts)
