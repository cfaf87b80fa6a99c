"""Secrets: every value `env_var()` reads in profiles.yml, and how they are kept out of
everything the tool prints, logs or writes.

Values are registered when the profile is rendered; `redact` replaces each one with
`*****` in any text. A value can reach an error message in another form than it was
read (a driver that URL-encodes a project id into a request path, a login endpoint
that echoes a password inside JSON), so each secret is also matched URL-encoded,
JSON-escaped and repr-escaped. The registry is process-wide on purpose: driver errors
and log records are produced far from the Target that read the secret, and one
registry is what makes "never printed" hold for all of them.
"""

from __future__ import annotations

import json
import logging
import sys
from urllib.parse import quote, quote_plus

MASK = "*****"
# Names whose value is a secret even in a model (dbt's prefix and ours): refused there.
SECRET_PREFIXES = ("MILESTONES_SECRET_", "DBT_ENV_SECRET_")

_forms: set[str] = set()


def _variants(value: str) -> set[str]:
    forms = {value, quote(value, safe=""), quote_plus(value, safe=""), json.dumps(value)[1:-1], repr(value)[1:-1]}
    forms.add(value.encode("unicode_escape").decode("ascii"))
    return {f for f in forms if f}


def register(value: str) -> None:
    """Remember a secret (and the forms it may take in messages)."""
    if value:
        _forms.update(_variants(value))


def clear() -> None:
    """Forget every secret (a process that loads several profiles, such as a test run)."""
    _forms.clear()


def redact(text: str) -> str:
    # longest first, so a secret containing another one is masked whole
    for form in sorted(_forms, key=len, reverse=True):
        if form in text:
            text = text.replace(form, MASK)
    return text


def is_secret_name(name: str) -> bool:
    return name.upper().startswith(SECRET_PREFIXES)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record arrives (the CLI's runner swaps it)."""

    @property  # type: ignore[override]
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def install_log_redaction() -> None:
    """Drivers log through the logging module (snowflake-connector-python does, at
    WARNING, with request details): route every record above INFO through a handler
    that redacts, instead of Python's last-resort handler that prints it raw."""
    root = logging.getLogger()
    if any(getattr(h, "_milestones", False) for h in root.handlers):
        return
    handler = _StderrHandler()
    handler.setLevel(logging.WARNING)
    handler.addFilter(_RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler._milestones = True  # type: ignore[attr-defined]
    root.addHandler(handler)
