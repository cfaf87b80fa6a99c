"""`milestones`: a thin click layer over Project; one error handler maps failures to
exit codes (0 ok, 1 run/test failure or interruption, 2 invalid project or usage).
Everything printed goes through `echo`, which masks secrets; no exception escapes as a
traceback."""

from __future__ import annotations

import functools
import signal
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click
import yaml

from compiler.commands.logs import Log
from compiler.errors import Problem, ProjectError, RunError
from compiler.project import Project
from compiler.warehouse import redaction

LOG = Log()  # --log-format sets its format


def echo(text: str = "", err: bool = False) -> None:
    """The one way the CLI prints: text or JSON lines (--log-format), secrets masked."""
    LOG.say(text, err=err)


def _set_log_format(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        LOG.format = value
    elif ctx.parent is None:  # the group's option: each invocation starts from text
        LOG.format = "text"


def log_format_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--log-format text|json, on the group and on every command."""
    return click.option(
        "--log-format",
        type=click.Choice(["text", "json"]),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_log_format,
        help="text (default) or json: one JSON object per line on stdout.",
    )(fn)


def parse_as_of(value: str | None, option: str = "--as-of") -> datetime | None:
    """ISO 8601; a bare date is midnight UTC; offsets convert to UTC; result is naive UTC."""
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ProjectError([Problem(option, None, f"{value!r} is not an ISO 8601 date or timestamp")]) from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


class Interrupted(BaseException):
    """SIGTERM (an orchestrator cancelling the run), handled like Ctrl-C."""


def _terminate(signum: int, frame: Any) -> None:
    raise Interrupted()


def _handle(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The one error handler: ProjectError -> 2, RunError and interruptions -> 1, and
    anything unexpected -> 1 with a one-line message (never a traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        redaction.install_log_redaction()
        previous = signal.signal(signal.SIGTERM, _terminate)
        try:
            return fn(*args, **kwargs)
        except ProjectError as e:
            for problem in e.problems:
                echo(f"error: {problem}", err=True)
            echo(f"{len(e.problems)} problem(s) found; nothing was run.", err=True)
            sys.exit(2)
        except RunError as e:
            if e.tables_intact:
                echo(f"run failed: {e}", err=True)
                echo("Previous tables were left as they were.", err=True)
            else:
                echo(f"failed: {e}", err=True)
            sys.exit(1)
        except (KeyboardInterrupt, Interrupted):
            echo("interrupted: the run stopped; previous tables were left as they were.", err=True)
            sys.exit(1)
        except click.ClickException:
            raise  # usage errors: click prints them and exits 2
        except Exception as e:  # a bug of ours: say what happened, not where
            echo(f"error: unexpected {type(e).__name__}: {e}", err=True)
            sys.exit(1)
        finally:
            signal.signal(signal.SIGTERM, previous)

    return wrapper


def project_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    return _project_options(fn, as_of=True)


def _project_options(fn: Callable[..., Any], as_of: bool) -> Callable[..., Any]:
    options = [
        click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True),
        click.option(
            "--profiles-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Defaults to the project dir.",
        ),
        click.option("--target", default=None, help="Output in profiles.yml (default: its `target`)."),
        click.option("--select", "select", multiple=True, help="Milestones to build (with their dependencies)."),
        click.option("--vars", "vars_", default=None, help="YAML mapping of variables for var() in models."),
    ]
    if as_of:
        options.insert(
            3, click.option("--as-of", "as_of", default=None, help="Evaluation instant, ISO 8601 (default: now, UTC).")
        )
    for option in reversed(options):
        fn = option(fn)
    return fn


def load(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    as_of: str | None,
    select: tuple[str, ...],
    vars_: str | None,
    offline: bool = False,
) -> Project:
    try:
        variables = yaml.safe_load(vars_) if vars_ else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ProjectError(
            [Problem("--vars", None, f"not valid YAML{where}: {getattr(e, 'problem', None) or e}")]
        ) from None
    if not isinstance(variables, dict):
        raise ProjectError([Problem("--vars", None, "must be a YAML mapping such as '{sample_accounts: 500}'")])
    return Project(
        project_dir.resolve(),
        profiles_dir.resolve() if profiles_dir else None,
        target,
        parse_as_of(as_of),
        variables,
        select,
        offline=offline,
    )


@click.group()
@click.version_option(package_name="milestone-compiler")
@log_format_option
def main() -> None:
    """Compile declarative PLG milestones into warehouse tables."""


def warn(p: Project) -> None:
    for problem in p.warnings:
        echo(f"warning: {problem}", err=True)


@main.command()
@log_format_option
@project_options
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
@_handle
def validate(strict: bool, **kw: Any) -> None:
    """Check milestones, models and profile, and (with a reachable target) the spec against
    the source's columns, event names and property keys; exit 2 listing every problem."""
    p = load(**kw)
    warnings = list(p.warnings)
    note = None
    try:
        warnings += check_source(p)
    except RunError as e:
        note = f"the source was not checked: {str(e).splitlines()[0]}"
    except _NotBuilt as e:
        note = f"the source was not checked: {e}"
    if strict and warnings:
        raise ProjectError(warnings)
    for problem in warnings:
        echo(f"warning: {problem}", err=True)
    if note:
        echo(note, err=True)
    echo(f"OK: {len(p.spec.milestones)} milestones, {len(p.spec.funnels)} funnels, {len(p.models)} models.")


class _NotBuilt(Exception):
    pass


def _no_database(p: Project) -> bool:
    """A DuckDB target whose database file does not exist yet (nothing to read)."""
    from compiler.warehouse.adapters.duckdb import database_path

    return p.target.type == "duckdb" and not Path(database_path(p.target, p.dir)).exists()


def check_source(p: Project) -> list[Problem]:
    """Mapped columns (errors) and names that never occur (warnings), read from the target."""
    from compiler.warehouse.adapters import connect
    from compiler.warehouse.source_check import data_warnings, missing_columns

    if _no_database(p):
        raise _NotBuilt(f"the DuckDB database of target '{p.target.name}' does not exist yet")
    adapter = connect(p.target, p.dir, read_only=True)
    try:
        problems, unread = missing_columns(p, adapter)
        if problems:
            raise ProjectError(problems)
        if unread:
            raise _NotBuilt(f"{', '.join(unread)} read models that are not built yet (`milestones run` builds them)")
        return data_warnings(p, adapter)
    finally:
        adapter.close()


@main.command("compile")
@log_format_option
@project_options
@_handle
def compile_cmd(**kw: Any) -> None:
    """Write the SQL of every statement to target/compiled/<target>/ (and the artifacts and
    target/milestones.schema.json, which the milestone files' editor modeline reads)."""
    from compiler.commands import artifacts
    from compiler.commands.logs import now_utc
    from compiler.spec.schema import json_schema
    from compiler.warehouse.runner import compile_project, statement_result

    p = load(**kw, offline=True)  # compile never connects: credentials are not needed
    warn(p)
    out = p.dir / "target" / "compiled" / p.target.name
    t = time.perf_counter()
    statements = p.statements()
    files = compile_project(p, out, statements=statements)
    invocation = str(uuid.uuid4())
    now = now_utc()
    results = [
        statement_result(p, s, "success", now, now, 0.0, None, f"compiled to {f.relative_to(p.dir)}")
        for s, f in zip(statements, files, strict=True)
    ]
    artifacts.write(p, "manifest.json", artifacts.manifest(p, statements, invocation, "compile"))
    artifacts.write(p, "milestones.schema.json", json_schema())  # for the editors' modeline
    artifacts.write(
        p, "run_results.json", artifacts.run_results(p, results, invocation, "compile", time.perf_counter() - t)
    )
    echo(f"Compiled {len(files)} statements to {out.relative_to(p.dir)}/")


@main.command()
@log_format_option
@project_options
@_handle
def run(**kw: Any) -> None:
    """Build models and milestone tables; outputs replace the previous ones atomically."""
    from compiler.commands import artifacts, lineage
    from compiler.commands.summary import print_funnels, print_summary
    from compiler.warehouse.runner import run_project
    from compiler.warehouse.tracking import describe

    p = load(**kw)
    warn(p)
    invocation = str(uuid.uuid4())
    results: list[Any] = []
    planned: list[Any] = []
    t = time.perf_counter()
    emitter = lineage.Emitter(p)
    emitter.start(invocation)
    try:
        result = run_project(p, echo, log=LOG, results=results, planned_out=planned)
    except BaseException as e:
        emitter.fail(invocation, str(e))
        raise
    else:
        emitter.complete(invocation)
    finally:
        artifacts.write(p, "manifest.json", artifacts.manifest(p, planned or p.statements(), invocation, "run"))
        artifacts.write(
            p, "run_results.json", artifacts.run_results(p, results, invocation, "run", time.perf_counter() - t)
        )
    adapter = result.pop("adapter")
    try:
        print_summary(p, adapter, echo)
        print_funnels(p, adapter, echo)
    finally:
        adapter.close()
    echo()
    for line in describe(result["record"], p.as_of, result["changes"]):
        echo(line)


@main.command()
@log_format_option
@click.option("--from", "start", required=True, help="First instant, ISO 8601 (like --as-of).")
@click.option("--to", "end", required=True, help="Last instant, ISO 8601: the state tables end here.")
@click.option("--every", type=click.Choice(["day", "week", "month"]), required=True, help="Period between runs.")
@click.option("--full-refresh", is_flag=True, help="Restart the record: empty transitions and history first.")
@functools.partial(_project_options, as_of=False)
@_handle
def backfill(start: str, end: str, every: str, full_refresh: bool, **kw: Any) -> None:
    """Record the runs a schedule would have made: one per period boundary from --from to --to."""
    from compiler.warehouse.backfill import run_backfill

    first, last = parse_as_of(start, "--from"), parse_as_of(end, "--to")
    assert first is not None and last is not None
    p = load(**kw, as_of=end)
    warn(p)
    run_backfill(p, echo, first, last, every, full_refresh)


@main.command()
@log_format_option
@project_options
@_handle
def test(select: tuple[str, ...], **kw: Any) -> None:
    """Run the unit tests of milestones/tests/ (on an in-memory DuckDB), then check the
    built tables against the contract's invariants; exit 1 on a failure. --select: test names."""
    from compiler.commands import artifacts
    from compiler.commands.checks import run_checks
    from compiler.commands.unit_tests import run_unit_tests
    from compiler.warehouse.adapters import connect

    p = load(select=(), **kw)
    invocation, t = str(uuid.uuid4()), time.perf_counter()
    results: list[Any] = []
    try:
        failed = run_unit_tests(p, select, echo, results)
        if (p.dir / "milestones" / "tests").is_dir():
            echo()
        echo(f"Invariant checks of the built tables (target '{p.target.name}'):")
        if _no_database(p):
            echo("skipped: the target has no milestone tables yet (`milestones run` builds them)")
        elif p.target.type != "duckdb" and (reason := _unreachable(p)) is not None:
            # unit tests need no warehouse (a pull request's CI may have none): say so, go on
            echo(f"skipped: target '{p.target.name}' is not reachable: {reason}")
        else:
            adapter = connect(p.target, p.dir, read_only=True)  # readers of a DuckDB file can share it
            try:
                failed += run_checks(p, adapter, echo, results)
            finally:
                adapter.close()
    finally:
        artifacts.write(p, "manifest.json", artifacts.manifest(p, p.statements(), invocation, "test"))
        artifacts.write(
            p, "run_results.json", artifacts.run_results(p, results, invocation, "test", time.perf_counter() - t)
        )
    if failed:
        raise RunError(f"{failed} test(s) or check(s) failed", tables_intact=False)


def _unreachable(p: Project) -> str | None:
    """Why the target cannot be connected to (None when it can)."""
    from compiler.warehouse.adapters import connect

    try:
        connect(p.target, p.dir, read_only=True).close()
        return None
    except (RunError, ProjectError) as e:
        return str(e).splitlines()[0] if str(e) else type(e).__name__


@main.command()
@log_format_option
@click.option("--account", default=None, help="The account to explain.")
@click.option("--contact", default=None, help="The contact to explain.")
@click.option("--milestone", default=None, help="Only this milestone (default: every one of the level).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 10_000), help="Events per criterion.")
@project_options
@_handle
def explain(account: str | None, contact: str | None, milestone: str | None, limit: int, **kw: Any) -> None:
    """Why an account or contact is (or is not) in each milestone: criteria, values, events."""
    from compiler.commands.explain import explain as explain_entity
    from compiler.warehouse.adapters import connect

    if (account is None) == (contact is None):
        raise ProjectError([Problem("explain", None, "give one of --account ID or --contact ID")])
    as_of = parse_as_of(kw.get("as_of"))
    p = load(**{**kw, "select": ()})
    adapter = connect(p.target, p.dir, read_only=True)
    try:
        if account is not None:
            explain_entity(p, adapter, "account", account, milestone, limit, as_of, echo)
        else:
            explain_entity(p, adapter, "contact", contact or "", milestone, limit, as_of, echo)
    finally:
        adapter.close()


@main.command()
@log_format_option
@project_options
@_handle
def events(**kw: Any) -> None:
    """The event types in the source: counts, first / last seen, property keys with examples."""
    from compiler.commands.events import print_events
    from compiler.warehouse.adapters import connect

    p = load(**kw)
    adapter = connect(p.target, p.dir, read_only=True)
    try:
        print_events(p, adapter, echo)
    finally:
        adapter.close()


@main.command()
@log_format_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Default: target/report.html."
)
@project_options
@_handle
def report(out: Path | None, **kw: Any) -> None:
    """Write a self-contained HTML report (offline: charts as inline SVG) from the output tables."""
    from compiler.commands.report import write_report
    from compiler.warehouse.adapters import connect

    p = load(**kw)
    adapter = connect(p.target, p.dir, read_only=True)
    try:
        write_report(p, adapter, out or p.dir / "target" / "report.html", echo)
    finally:
        adapter.close()


@main.command()
@log_format_option
@_handle
def schema() -> None:
    """Print the JSON Schema of the milestone YAML (for editors: yaml-language-server)."""
    import json

    from compiler.spec.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))  # the document itself, whatever --log-format says


@main.command()
@log_format_option
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@_handle
def init(directory: Path) -> None:
    """Create a starter project (milestones, a staging model, a DuckDB profile)."""
    from compiler.commands.init import NEXT_STEPS, write_scaffold

    created = write_scaffold(directory)
    for path in created:
        echo(f"created {path}")
    if not created:
        echo("nothing to do: the files already exist")
    else:
        echo(NEXT_STEPS.format(dir=directory))
