"""profiles.yml, dbt style: flat (`target`, `outputs`) or wrapped in one named profile.

Only the selected output is rendered, so a missing env var of another target
does not matter. Every value env_var() reads is a secret (registered with
`redaction`, masked in everything the tool prints or writes) and reaches the adapter
verbatim as text: a rendered value is never re-read as YAML, so `hunter2 #frag`,
`0123`, `yes` and `null` arrive exactly as set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compiler.errors import Problem, ProjectError
from compiler.spec.yamlio import LDict, LList, load_yaml
from compiler.warehouse import redaction, templating


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
        return redaction.redact(text)


class _Missing(Exception):
    def __init__(self, name: str):
        self.name = name


def load_target(profiles_dir: Path, target: str | None, require_env: bool = True) -> Target:
    """require_env=False (compile: no connection is made) renders a missing env var as
    the placeholder <NAME> instead of failing."""
    path = profiles_dir / "profiles.yml"
    if not path.exists():
        return Target("dev", "duckdb", {"path": "milestones.duckdb", "schema": "main"})
    file = path.name

    def fail(line: int | None, message: str) -> ProjectError:
        return ProjectError([Problem(file, line, message)])

    try:
        raw = load_yaml(path)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise fail(mark.line + 1 if mark else None, f"invalid YAML: {getattr(e, 'problem', None) or e}") from None
    except (OSError, UnicodeDecodeError, RecursionError) as e:
        raise fail(None, f"cannot read the file: {e}") from None
    raw = raw if raw is not None else LDict()
    if not isinstance(raw, LDict):
        raise fail(1, "expected a mapping with `target` and `outputs`")
    if "outputs" not in raw:
        profiles = [v for v in raw.values() if isinstance(v, LDict) and "outputs" in v]
        if len(profiles) != 1:
            raise fail(raw.line, "expected `target`/`outputs`, or one named profile holding them")
        raw = profiles[0]
    outputs = raw.get("outputs") or LDict()
    if not isinstance(outputs, LDict) or not all(isinstance(v, LDict) for v in outputs.values()):
        raise fail(raw.line_of("outputs"), "`outputs` must map target names to settings")
    name = target or raw.get("target") or (next(iter(outputs)) if outputs else None)
    if not isinstance(name, str) or name not in outputs:
        valid = ", ".join(sorted(outputs)) or "none"
        where = None if target else raw.line_of("target")
        raise fail(where, f"unknown target '{name}' (valid targets: {valid})")
    secrets: list[str] = []
    settings = _render(outputs[name], outputs.line_of(name), secrets, file, require_env)
    kind = settings.get("type")
    if kind not in ("duckdb", "snowflake", "bigquery"):
        raise fail(
            outputs[name].line_of("type"), f"target '{name}': type must be duckdb, snowflake or bigquery, not {kind!r}"
        )
    return Target(str(name), kind, settings, secrets)


def _render(value: Any, line: int, secrets: list[str], file: str, require_env: bool = True) -> Any:
    if isinstance(value, LDict):
        return {str(k): _render(v, value.line_of(k), secrets, file, require_env) for k, v in value.items()}
    if isinstance(value, LList):
        return [_render(v, value.line_of(i), secrets, file, require_env) for i, v in enumerate(value)]
    if not isinstance(value, str) or ("{{" not in value and "{%" not in value):
        return value

    def env_var(name: str, default: str | None = None) -> str:
        if not isinstance(name, str):
            raise templating.TemplateProblem("env_var() takes the variable's name as a string", None)
        if name in os.environ:
            secrets.append(os.environ[name])
            redaction.register(os.environ[name])
            return os.environ[name]
        if default is not None:
            return str(default)
        if not require_env:
            return f"<{name}>"
        raise _Missing(name)

    try:
        # the rendered text, verbatim: never re-read as YAML
        return templating.render(templating.environment(), value, {"env_var": env_var}, passthrough=(_Missing,))
    except _Missing as e:
        raise ProjectError(
            [Problem(file, line, f"environment variable '{e.name}' is not set (used via env_var)")]
        ) from None
    except templating.TemplateProblem as e:
        raise ProjectError([Problem(file, line, e.message)]) from None
