"""Every Jinja template the tool renders (models, macros, profiles) goes through here.

One sandboxed environment factory, dbt style: `jinja2.sandbox.SandboxedEnvironment` with
StrictUndefined, and no globals but the functions a caller passes in. The sandbox blocks
attribute escapes such as `cycler.__init__.__globals__.os`: a project opened by `validate`
on a pull request must not run code. Every failure while rendering becomes a message with
the template's line, never a traceback.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

TEMPLATE_FILE = "<template>"  # the filename Jinja gives a template made from a string


class TemplateProblem(Exception):
    """A template that does not compile or render: message and 1-based line (or None)."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line


def environment(loader: jinja2.BaseLoader | None = None) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=loader, undefined=jinja2.StrictUndefined, autoescape=False)
    # Only what a caller exposes: no cycler, joiner, lipsum, namespace, range or dict.
    env.globals.clear()
    return env


def template_line(e: BaseException, filename: str = TEMPLATE_FILE) -> int | None:
    """The template line a rendering error came from (Jinja rewrites its frames so the
    traceback shows template lines under the template's filename)."""
    line = getattr(e, "lineno", None)
    for frame in traceback.extract_tb(e.__traceback__):
        if frame.filename == filename or frame.filename.endswith(filename):
            line = frame.lineno
    return line


def describe(e: BaseException) -> str:
    if isinstance(e, SecurityError):
        return f"unsafe template code refused by the sandbox ({e})"
    if isinstance(e, jinja2.TemplateSyntaxError):
        return f"template syntax error: {e.message}"
    if isinstance(e, jinja2.UndefinedError):
        return str(e.message)
    return f"template error: {type(e).__name__}: {e}"


def render(
    env: SandboxedEnvironment,
    source: str,
    context: dict[str, Any],
    passthrough: tuple[type[Exception], ...] = (),
) -> str:
    """Render `source` with `context`; raise TemplateProblem (message, line) on any failure.
    Exceptions in `passthrough` (a caller's own signals) propagate unchanged."""
    try:
        return env.from_string(source).render(**context)
    except TemplateProblem:
        raise
    except jinja2.TemplateSyntaxError as e:
        raise TemplateProblem(describe(e), e.lineno) from None
    except Exception as e:  # the sandbox, StrictUndefined and any error in template code
        if isinstance(e, passthrough):
            raise
        raise TemplateProblem(describe(e), template_line(e)) from None


def module_exports(env: SandboxedEnvironment, name: str, filename: str) -> dict[str, Callable[..., Any]]:
    """The macros a macros/*.sql file defines (loaded by the environment's loader)."""
    try:
        module = env.get_template(name).module
    except jinja2.TemplateSyntaxError as e:
        raise TemplateProblem(describe(e), e.lineno) from None
    except Exception as e:
        raise TemplateProblem(describe(e), template_line(e, filename)) from None
    return {k: getattr(module, k) for k in dir(module) if not k.startswith("_")}
