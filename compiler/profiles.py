"""profiles.yml, dbt style: flat (`target`, `outputs`) or wrapped in one named profile.

Only the selected output is rendered, so a missing env var of another target
does not matter. Values produced by env_var() are remembered as secrets and
redacted from everything the tool prints or writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .errors import Problem, ProjectError


@dataclass
class Target:
    name: str
    type: str
    settings: dict[str, Any]
    secrets: list[str] = field(default_factory=list)

    @property
    def schema(self) -> str:
        return str(self.settings.get("schema") or self.settings.get("dataset") or "main")

    def redact(self, text: str) -> str:
        for s in self.secrets:
            if s:
                text = text.replace(s, "*****")
        return text


class _Missing(Exception):
    def __init__(self, name: str):
        self.name = name


def load_target(profiles_dir: Path, target: str | None, require_env: bool = True) -> Target:
    """require_env=False (compile: no connection is made) renders a missing env var as
    the placeholder <NAME> instead of failing."""
    path = profiles_dir / "profiles.yml"
    if not path.exists():
        return Target("dev", "duckdb", {"path": "milestones.duckdb", "schema": "main"})
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if isinstance(raw, dict) and "outputs" not in raw:
        profiles = [v for v in raw.values() if isinstance(v, dict) and "outputs" in v]
        if len(profiles) != 1:
            raise ProjectError(
                [Problem(str(path.name), None, "expected `target`/`outputs`, or one named profile holding them")]
            )
        raw = profiles[0]
    outputs = raw.get("outputs") or {}
    name = target or raw.get("target") or (next(iter(outputs)) if outputs else None)
    if name not in outputs:
        valid = ", ".join(sorted(outputs)) or "none"
        raise ProjectError([Problem(path.name, None, f"unknown target '{name}' (valid targets: {valid})")])
    secrets: list[str] = []
    settings = _render(outputs[name], secrets, path.name, require_env)
    kind = settings.get("type")
    if kind not in ("duckdb", "snowflake", "bigquery"):
        raise ProjectError(
            [Problem(path.name, None, f"target '{name}': type must be duckdb, snowflake or bigquery, not {kind!r}")]
        )
    return Target(str(name), kind, settings, secrets)


def _render(value: Any, secrets: list[str], file: str, require_env: bool = True) -> Any:
    if isinstance(value, dict):
        return {k: _render(v, secrets, file, require_env) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, secrets, file, require_env) for v in value]
    if not isinstance(value, str) or "{{" not in value:
        return value

    def env_var(name: str, default: str | None = None) -> str:
        if name in os.environ:
            secrets.append(os.environ[name])
            return os.environ[name]
        if default is not None:
            return default
        if not require_env:
            return f"<{name}>"
        raise _Missing(name)

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701
    try:
        rendered = env.from_string(value).render(env_var=env_var)
    except _Missing as e:
        raise ProjectError(
            [Problem(file, None, f"environment variable '{e.name}' is not set (used via env_var)")]
        ) from None
    return yaml.safe_load(rendered) if rendered.strip() else rendered
