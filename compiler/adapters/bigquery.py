"""BigQuery through google-cloud-bigquery (service-account keyfile or application-default
credentials; project, dataset, location). Each output is replaced atomically by a copy
job (WRITE_TRUNCATE: metadata-only and free within a region), then the staged table is
deleted. Emulators can be reached with `api_endpoint`."""

from __future__ import annotations

from typing import Any

from google.cloud import bigquery
from sqlglot import exp

from ..errors import RunError
from ..profiles import Target


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
        try:
            self.client = bigquery.Client(**client_kwargs(target.settings))
            self.client.create_dataset(f"{self.client.project}.{target.schema}", exists_ok=True)
        except Exception as e:  # auth and transport errors come from several libraries
            raise RunError(f"could not connect to BigQuery: {e}") from e
        self.labels = {"tool": "milestone-compiler"}

    def _result(self, sql: str) -> Any:
        try:
            job = self.client.query(sql, job_config=bigquery.QueryJobConfig(labels=self.labels))
            return job.result()
        except Exception as e:
            raise RunError(str(e)) from e

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row.values()) for row in self._result(sql)]

    def columns(self, sql: str) -> list[str]:
        return [field.name for field in self._result(sql).schema]

    def swap(self, pairs: list[tuple[exp.Table, exp.Table]], after: list[str]) -> None:
        truncate = bigquery.CopyJobConfig(write_disposition="WRITE_TRUNCATE", labels=self.labels)
        try:
            for staged, final in pairs:
                self.client.copy_table(_table_id(staged), _table_id(final), job_config=truncate).result()
                self.client.delete_table(_table_id(staged), not_found_ok=True)
        except Exception as e:
            raise RunError(str(e)) from e
        for sql in after:
            self.execute(sql)

    def close(self) -> None:
        self.client.close()


def _table_id(table: exp.Table) -> str:
    return ".".join(part.name for part in table.parts)
