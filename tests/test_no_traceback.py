"""No command prints a Python traceback for any input: every subcommand over a generated
set of broken projects and option values exits 2 (invalid project or usage) or 1 (a run
failure), with a message and nothing escaping click's runner."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ev, load_events

from compiler.cli import main

GOOD_SPEC = "milestones:\n  - name: a\n    criteria: [{event: x}]\n"
GOOD_SOURCE = "source:\n  events: raw.events\n"
GOOD_PROFILE = "target: dev\noutputs:\n  dev: {type: duckdb, path: t.duckdb, schema: main}\n"

PROJECTS: dict[str, dict[str, str | None]] = {
    "empty directory": {},
    "milestones/ missing": {"profiles.yml": GOOD_PROFILE},
    "tab in YAML": {"milestones/a.yml": "milestones:\n\t- name: a\n"},
    "not a mapping": {"milestones/a.yml": "- just\n- a list\n"},
    "binary file": {"milestones/a.yml": "\udcff\udcfe"},
    "null criteria": {"milestones/a.yml": "milestones:\n  - name: a\n    criteria:\n"},
    "criterion a number": {"milestones/a.yml": "milestones:\n  - name: a\n    criteria: [3]\n"},
    "threshold text": {"milestones/a.yml": "milestones:\n  - name: a\n    criteria: [{event: x, at_least: lots}]\n"},
    "huge threshold": {"milestones/a.yml": "milestones:\n  - name: a\n    criteria: [{event: x, at_least: 1e400}]\n"},
    "window garbage": {"milestones/a.yml": "milestones:\n  - name: a\n    criteria: [{event: x, window: [1, 2]}]\n"},
    "where garbage": {
        "milestones/a.yml": "milestones:\n  - name: a\n    criteria: [{event: x, where: {a: {b: {c: 1}}}}]\n"
    },
    "funnel garbage": {"milestones/a.yml": GOOD_SPEC + "funnels: [{name: f, steps: 7, expected: [1]}]\n"},
    "order garbage": {"milestones/a.yml": GOOD_SPEC + "order: {a: 1}\n"},
    "source garbage": {"milestones/a.yml": GOOD_SPEC + "source: [1]\n"},
    "alias bomb": {
        "milestones/a.yml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    },
    "profiles not YAML": {"profiles.yml": "target: dev\noutputs:\n  dev: [\n"},
    "profiles a list": {"profiles.yml": "- 1\n"},
    "profiles unknown type": {"profiles.yml": "target: dev\noutputs:\n  dev: {type: oracle}\n"},
    "profiles missing env": {
        "profiles.yml": "target: dev\noutputs:\n  dev: {type: duckdb, path: \"{{ env_var('NO_SUCH_VAR_X') }}\"}\n"
    },
    "profiles bad jinja": {"profiles.yml": 'target: dev\noutputs:\n  dev: {type: duckdb, path: "{{ 1 + }}"}\n'},
    "model bad jinja": {"models/m.sql": "select {{ nope( }}"},
    "model sandbox escape": {"models/m.sql": "select '{{ cycler.__init__.__globals__.os.getcwd() }}'"},
    "model bad SQL": {"models/m.sql": "selec 1 frm"},
    "events relation missing": {"milestones/s.yml": "source:\n  events: raw.nothing_here\n"},
    "mapped column missing": {"milestones/s.yml": "source:\n  events: raw.events\n  columns: {contact: nobody}\n"},
    "unit test garbage": {"milestones/tests/t.yml": "unit_tests: [{name: t, given: 3, expect: {}}]\n"},
    "unit test bad input": {
        "milestones/tests/t.yml": "unit_tests: [{name: t, given: [{input: x, rows: [1]}], expect: [{table: t}]}]\n"
    },
}
COMMANDS: list[list[str]] = [
    ["validate"], ["validate", "--strict"], ["compile"], ["run"], ["test"], ["events"],
    ["explain", "--account", "a1"], ["explain", "--contact", "u1", "--milestone", "zz"],
    ["backfill", "--from", "2024-01-01", "--to", "2024-01-03", "--every", "day"],
]  # fmt: skip
OPTIONS: list[list[str]] = [
    ["run", "--as-of", "yesterday"], ["run", "--as-of", "2024-13-45"], ["run", "--vars", "x: ["],
    ["run", "--vars", "[1, 2]"], ["run", "--select", "nope"], ["run", "--target", "nope"],
    ["compile", "--vars", "{a: !!python/object:os.system ls}"], ["test", "--select", "nope"],
    ["explain"], ["explain", "--account", "a", "--contact", "b"], ["explain", "--account", "a", "--limit", "0"],
    ["backfill", "--from", "2024-02-01", "--to", "2024-01-01", "--every", "day"],
    ["backfill", "--from", "x", "--to", "2024-01-01", "--every", "day"],
    ["backfill", "--from", "2024-01-01", "--to", "2024-01-02", "--every", "year"],
    ["run", "--profiles-dir", "/nonexistent/dir"], ["schema", "--bogus"], ["nosuchcommand"],
]  # fmt: skip


def write(root: Path, files: dict[str, str | None]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is not None:
            path.write_bytes(text.encode("utf-8", "surrogateescape"))


def base(root: Path) -> None:
    """A valid project and its events; each broken case overwrites some of it."""
    write(root, {"milestones/a.yml": GOOD_SPEC, "milestones/s.yml": GOOD_SOURCE, "profiles.yml": GOOD_PROFILE})
    load_events(root / "t.duckdb", [ev("x", "2024-01-01")])


def check(root: Path, args: list[str]) -> None:
    result = CliRunner().invoke(
        main, [*args, "--project-dir", str(root)] if args[0] in main.commands and args[0] != "schema" else args
    )
    assert "Traceback" not in result.output, (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code != 0:
        assert result.output.strip(), args  # a message, never silence


@pytest.mark.parametrize("case", sorted(PROJECTS))
def test_every_command_over_a_broken_project(tmp_path, case):
    if case != "empty directory":
        base(tmp_path)
        if case == "milestones/ missing":
            for f in (tmp_path / "milestones").iterdir():
                f.unlink()
            (tmp_path / "milestones").rmdir()
    write(tmp_path, PROJECTS[case])
    for args in COMMANDS:
        check(tmp_path, args)


def test_every_bad_option_value(tmp_path):
    base(tmp_path)
    for args in OPTIONS:
        check(tmp_path, args)


def test_the_broken_cases_are_errors_not_successes(tmp_path):
    """The sweep above accepts exit 0 for commands that legitimately pass; these must not."""
    for case, command in itertools.product(
        ["tab in YAML", "profiles not YAML", "model bad jinja"], [["validate"], ["run"]]
    ):
        root = tmp_path / case.replace(" ", "_") / command[0]
        base(root)
        write(root, PROJECTS[case])
        result = CliRunner().invoke(main, [*command, "--project-dir", str(root)])
        assert result.exit_code == 2, (case, command, result.output)
