"""The one error type the CLI knows about: a collected list of project problems."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str
    milestone: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        who = f"milestone '{self.milestone}': " if self.milestone else ""
        return f"{where}: {who}{self.message}"


class ProjectError(Exception):
    """Invalid project (exit code 2). Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class RunError(Exception):
    """A run or test failed against the warehouse (exit code 1). tables_intact: say that
    the previous tables were left as they were (true of every failed run)."""

    def __init__(self, message: str, tables_intact: bool = True):
        super().__init__(message)
        self.tables_intact = tables_intact
