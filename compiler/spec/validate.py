"""Milestone YAML -> validated Spec (IR), collecting every problem with file and line.

Each `_x` function reads one construct, appends problems to the shared list and
returns the IR piece (or None when it is unusable). Nothing raises until the end,
so a user sees all mistakes at once, sqlglot/rustc style.
"""

from __future__ import annotations

import graphlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from compiler.errors import Problem, ProjectError
from compiler.spec import ir
from compiler.spec.base import (  # noqa: F401 - MAX_DEPTH/MAX_NODES: the documented limits, exported here
    COLUMN_KEYS,
    FUNNEL_KEYS,
    MAX_DEPTH,
    MAX_NODES,
    MILESTONE_KEYS,
    NAME_RE,
    SOURCE_KEYS,
    TOP_KEYS,
    Ctx,
    bad_duration,
    parse_duration,
    suggest,
)
from compiler.spec.criteria import CriteriaReader
from compiler.spec.yamlio import LDict, LList, load_yaml

MAX_MILESTONES_PER_LEVEL = 6  # lint (SPEC §8): more dilutes what a team can act on


def lint(spec: ir.Spec) -> list[Problem]:
    """Warnings, not errors (validate --strict makes them errors): more than six
    milestones at one level."""
    out = []
    for level in ir.LEVELS:
        ms = spec.of_level(level)
        if len(ms) > MAX_MILESTONES_PER_LEVEL:
            first = ms[MAX_MILESTONES_PER_LEVEL]
            out.append(
                Problem(
                    first.file,
                    first.line,
                    f"{len(ms)} milestones at the {level} level (more than {MAX_MILESTONES_PER_LEVEL}):"
                    " too many milestones dilute what a team can act on",
                )
            )
    return out


@dataclass
class _RawMilestone:
    node: LDict
    file: str
    index: int


def load_spec(project_dir: Path) -> ir.Spec:
    """Read every milestones/**/*.yml and return the validated spec, or raise ProjectError."""
    ctx = Ctx()
    files = sorted((project_dir / "milestones").rglob("*.yml")) + sorted((project_dir / "milestones").rglob("*.yaml"))
    tests = project_dir / "milestones" / "tests"  # unit tests (see unit_tests), not the spec
    files = [f for f in files if tests not in f.parents]
    source: tuple[str, LDict] | None = None
    order: tuple[str, LList] | None = None
    raw_ms: list[_RawMilestone] = []
    raw_funnels: list[tuple[str, LDict]] = []
    syntax: list[Problem] = []
    for path in files:
        ctx.file = str(path.relative_to(project_dir))
        try:
            doc = load_yaml(path)
        except yaml.YAMLError as e:
            syntax.append(_yaml_problem(ctx.file, path, e))
            continue
        if doc is None:
            continue
        if not isinstance(doc, LDict):
            ctx.add(1, "a milestone file must be a mapping of source/order/milestones/funnels")
            continue
        ctx.check_keys(doc, TOP_KEYS, "milestone file")
        if "source" in doc:
            if source is not None:
                ctx.add(doc.line_of("source"), f"'source' is also defined in {source[0]}")
            elif isinstance(doc["source"], LDict):
                source = (ctx.file, doc["source"])
            else:
                ctx.add(doc.line_of("source"), "'source' must be a mapping")
        if "order" in doc:
            if order is not None:
                ctx.add(doc.line_of("order"), f"'order' is also defined in {order[0]}")
            elif isinstance(doc["order"], LList):
                order = (ctx.file, doc["order"])
            else:
                ctx.add(doc.line_of("order"), "'order' must be a list of milestone names")
        for key in ("milestones", "funnels"):
            items = doc.get(key)
            if items is None:
                continue
            if not isinstance(items, LList):
                ctx.add(doc.line_of(key), f"'{key}' must be a list")
                continue
            for i, item in enumerate(items):
                if not isinstance(item, LDict):
                    ctx.add(items.line_of(i), f"each entry of '{key}' must be a mapping")
                elif key == "milestones":
                    raw_ms.append(_RawMilestone(item, ctx.file, len(raw_ms)))
                else:
                    raw_funnels.append((ctx.file, item))
    if not files:
        ctx.add(None, "no milestone files found under milestones/")
    if syntax:
        # what a file that cannot be read would have defined is missing everywhere else: the
        # errors that follow from that (unknown milestones, ...) would bury the real one
        raise ProjectError(syntax)

    ctx.file = source[0] if source else ""
    src = _source(ctx, source[1]) if source else ir.Source()
    milestones = _milestones(ctx, raw_ms, order)
    funnels = _funnels(ctx, raw_funnels, milestones, src)
    if ctx.problems:
        raise ProjectError(ctx.problems)
    return ir.Spec(source=src, milestones=milestones, funnels=funnels, defines_funnels=bool(raw_funnels))


# -- source ---------------------------------------------------------------------------


def _text(ctx: Ctx, node: LDict, key: str, default: str | None) -> str | None:
    value = node.get(key, default)
    if value is not None and not (isinstance(value, str) and value.strip()):
        ctx.add(node.line_of(key), f"'{key}' must be a non-empty string")
        return default
    return value


def _relation(ctx: Ctx, node: Any, line: int, what: str, keys: tuple[str, ...]) -> ir.Relation | None:
    if not isinstance(node, LDict):
        ctx.add(line, f"'{what}' must be a mapping with 'relation' and {', '.join(keys)}")
        return None
    ctx.check_keys(node, ("relation", *keys), f"source.{what}")
    name = _text(ctx, node, "relation", None)
    if name is None:
        ctx.add(node.line, f"source.{what} needs a 'relation'")
        return None
    values = {k: _text(ctx, node, k, k if k != "contact" else "user_id") or k for k in keys}
    if what == "contacts":
        return ir.Relation(name, key=values["contact"], account=values["account"])
    return ir.Relation(name, key=values["account"], account=values["account"])


# A milestone's name becomes part of identifiers: wide-table columns (`<name>_completed_at`)
# and stage tables (`_ms_tl_<name>_<criterion id>`). Snowflake allows 255 characters per
# identifier, BigQuery 300 per column name: 128 leaves room for every suffix.
MAX_NAME_LENGTH = 128


def _too_long(what: str, name: str) -> str:
    return (
        f"{what} name '{name[:40]}...' is {len(name)} characters: at most {MAX_NAME_LENGTH}"
        " (it becomes part of column and table names; Snowflake and BigQuery limit identifiers)"
    )


def _yaml_problem(file: str, path: Path, e: yaml.YAMLError) -> Problem:
    """A YAML error with its line, and the milestone or funnel it sits in when one is named
    above it (a duplicate key inside a criterion names its milestone)."""
    mark = getattr(e, "problem_mark", None)
    line = mark.line + 1 if mark else None
    message = f"invalid YAML: {getattr(e, 'problem', e)}"
    owner = None
    if line is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()[:line]
        except (OSError, UnicodeDecodeError):
            lines = []
        for text in reversed(lines):
            found = NAMED.match(text)
            if found:
                owner = found.group(1)
                break
    if "\t" in message or "'\\t'" in message:
        message += " (YAML indents with spaces, never tabs)"
    return Problem(file, line, message, owner)


NAMED = re.compile(r"^\s*-\s*name:\s*['\"]?([A-Za-z0-9_]+)")


def _source(ctx: Ctx, node: LDict) -> ir.Source:
    ctx.check_keys(node, SOURCE_KEYS, "source")
    events = _text(ctx, node, "events", "stg_events") or "stg_events"
    columns = ir.Columns()
    cols = node.get("columns")
    if cols is not None:
        if not isinstance(cols, LDict):
            ctx.add(node.line_of("columns"), "'columns' must be a mapping")
        else:
            ctx.check_keys(cols, COLUMN_KEYS, "source.columns")
            d = ir.Columns()
            columns = ir.Columns(
                event=_text(ctx, cols, "event", d.event) or d.event,
                timestamp=_text(ctx, cols, "timestamp", d.timestamp) or d.timestamp,
                contact=_text(ctx, cols, "contact", d.contact) or d.contact,
                account=_text(ctx, cols, "account", d.account) or d.account,
                properties=_text(ctx, cols, "properties", d.properties),
                event_id=_text(ctx, cols, "event_id", None),
            )
    props: tuple[str, ...] = ()
    pc = node.get("property_columns")
    if pc is not None:
        if isinstance(pc, LList) and all(isinstance(p, str) and p for p in pc):
            props = tuple(pc)
        else:
            ctx.add(node.line_of("property_columns"), "'property_columns' must be a list of names")
    contacts = accounts = None
    if "contacts" in node:
        contacts = _relation(ctx, node["contacts"], node.line_of("contacts"), "contacts", ("contact", "account"))
    if "accounts" in node:
        accounts = _relation(ctx, node["accounts"], node.line_of("accounts"), "accounts", ("account",))
    return ir.Source(events, columns, props, contacts, accounts, ctx.file, tuple(_lines(node)))


def _lines(node: LDict, prefix: str = "") -> list[tuple[str, int]]:
    """Dotted key -> line of every setting under `source`."""
    out = [(prefix.rstrip("."), node.line)]
    for key in node:
        out.append((prefix + key, node.line_of(key)))
        if isinstance(node[key], LDict):
            out += _lines(node[key], prefix + key + ".")[1:]
    return out


# -- milestones -----------------------------------------------------------------------


def _milestones(ctx: Ctx, raw: list[_RawMilestone], order: tuple[str, LList] | None) -> tuple[ir.Milestone, ...]:
    seen: dict[str, str] = {}
    heads: list[tuple[_RawMilestone, str, str, ir.Level]] = []
    for r in raw:
        name = r.node.get("name")
        ctx.file, ctx.milestone = r.file, name if isinstance(name, str) and NAME_RE.match(name) else None
        ctx.check_keys(r.node, MILESTONE_KEYS, "milestone")
        if not isinstance(name, str) or not NAME_RE.match(name):
            ctx.add(
                r.node.line_of("name"),
                f"bad milestone name {name!r}: use lowercase letters, digits and _ , starting with a letter",
            )
            continue
        if len(name) > MAX_NAME_LENGTH:
            ctx.add(r.node.line_of("name"), _too_long("milestone", name))
            continue
        ctx.milestone = name
        if name in seen:
            ctx.add(r.node.line_of("name"), f"duplicate milestone name (also defined at {seen[name]})")
            continue
        seen[name] = f"{r.file}:{r.node.line_of('name')}"
        level = r.node.get("level", "account")
        if level not in ("account", "contact"):
            ctx.add(r.node.line_of("level"), f"level must be 'account' or 'contact', not {level!r}")
            level = "account"
        label = r.node.get("label", name)
        if not isinstance(label, str):
            ctx.add(r.node.line_of("label"), "label must be a string")
            label = name
        heads.append((r, name, label, level))

    levels = {name: level for _, name, _, level in heads}
    ranks: dict[str, int] = {}
    if order is not None:
        ctx.file, ctx.milestone = order[0], None
        for i, name in enumerate(order[1]):
            if name not in levels:
                ctx.add(order[1].line_of(i), f"order names unknown milestone {name!r}{suggest(name, levels)}")
            elif name in ranks:
                ctx.add(order[1].line_of(i), f"order lists {name!r} twice")
            else:
                ranks[name] = len(ranks) + 1
    for _, name, _, _ in heads:
        ranks.setdefault(name, len(ranks) + 1)

    built: list[ir.Milestone] = []
    deps: dict[str, list[tuple[str, int, str]]] = {}
    for r, name, label, level in heads:
        ctx.file, ctx.milestone = r.file, name
        reader = CriteriaReader(ctx, name, level, levels)
        crit_node = r.node.get("criteria")
        if not isinstance(crit_node, LList) or not crit_node:
            ctx.add(r.node.line_of("criteria"), "'criteria' must be a non-empty list")
            criteria: tuple[ir.Criterion, ...] = ()
        else:
            criteria = reader.criteria(crit_node, "")
        due = reader.due(r.node) if "due" in r.node else None
        deps[name] = reader.deps
        built.append(ir.Milestone(name, label, level, criteria, ranks[name], r.file, r.node.line, due))
    _check_cycles(ctx, built, deps)
    ctx.milestone = None
    if not ctx.problems:
        _check_anchors(ctx, built)
    return tuple(sorted(built, key=lambda m: m.order))


def _check_cycles(ctx: Ctx, built: list[ir.Milestone], deps: dict[str, list[tuple[str, int, str]]]) -> None:
    sorter = graphlib.TopologicalSorter({m.name: [d for d, _, _ in deps[m.name] if d in deps] for m in built})
    try:
        sorter.prepare()
    except graphlib.CycleError as e:
        cycle = list(reversed(e.args[1]))
        m = next(x for x in built if x.name == cycle[0])
        line = next((ln for d, ln, _ in deps[m.name] if d == cycle[1]), m.line)
        ctx.file, ctx.milestone = m.file, m.name
        ctx.add(line, "dependency cycle: " + " -> ".join(cycle))


def _check_anchors(ctx: Ctx, built: list[ir.Milestone]) -> None:
    spec = ir.Spec(ir.Source(), tuple(built), ())
    for m in built:
        if m.due is not None:
            ctx.file, ctx.milestone = m.file, m.name
            if ir.is_status(m, spec):
                ctx.add(m.line, "'due' is for achievement milestones; this one is a status milestone (it can lapse)")
            if ir.is_status(spec.milestone(m.due.anchor), spec):
                ctx.add(
                    m.line,
                    f"due: anchor '{m.due.anchor}' is a status milestone; anchors must be achievement milestones",
                )
        for c in ir.walk(m.criteria):
            if isinstance(c, ir.EventCriterion) and c.window and c.window.anchor:
                anchor = spec.milestone(c.window.anchor)
                if ir.is_status(anchor, spec):
                    ctx.file, ctx.milestone = m.file, m.name
                    ctx.add(
                        m.line,
                        f"criterion {c.id}: anchor '{anchor.name}' is a status milestone"
                        " (it has a `last:` window); anchors must be achievement milestones",
                    )


# -- funnels --------------------------------------------------------------------------


def _funnels(
    ctx: Ctx, raw: list[tuple[str, LDict]], milestones: tuple[ir.Milestone, ...], src: ir.Source
) -> tuple[ir.Funnel, ...]:
    levels = {m.name: m.level for m in milestones}
    out: list[ir.Funnel] = []
    seen: dict[str, str] = {}
    for file, node in raw:
        ctx.file, ctx.milestone = file, None
        ctx.check_keys(node, tuple(FUNNEL_KEYS), "funnel")
        name = node.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            ctx.add(node.line_of("name"), f"bad funnel name {name!r}: use lowercase letters, digits and _")
            continue
        if len(name) > MAX_NAME_LENGTH:
            ctx.add(node.line_of("name"), _too_long("funnel", name))
            continue
        if name in seen:
            ctx.add(node.line_of("name"), f"duplicate funnel name '{name}' (also defined at {seen[name]})")
            continue
        seen[name] = f"{file}:{node.line_of('name')}"
        steps = node.get("steps")
        usable = True  # every other setting is still checked when the steps are wrong
        if not isinstance(steps, LList) or not steps:
            ctx.add(node.line_of("steps"), f"funnel '{name}': 'steps' must be a non-empty list, not {steps!r}")
            steps, usable = LList(), False
        for i, s in enumerate(steps):
            if s not in levels:
                ctx.add(steps.line_of(i), f"funnel '{name}': unknown step {s!r}{suggest(str(s), levels)}")
                usable = False
        step_levels = {levels[s] for s in steps if s in levels}
        level = node.get("level", next(iter(step_levels)) if len(step_levels) == 1 else None)
        if level is not None and level not in ir.LEVELS:
            ctx.add(node.line_of("level"), f"funnel '{name}': level must be 'account' or 'contact', not {level!r}")
            usable = False
        elif usable and (len(step_levels) > 1 or level not in step_levels):
            ctx.add(
                node.line_of("steps"), f"funnel '{name}': all steps must be milestones of one level (level {level})"
            )
            usable = False
        if len(set(map(str, steps))) != len(steps):
            ctx.add(node.line_of("steps"), f"funnel '{name}': a step is listed twice")
        strict = node.get("strict", True)
        if not isinstance(strict, bool):
            ctx.add(node.line_of("strict"), f"funnel '{name}': strict must be true or false, not {strict!r}")
            strict = True
        cohort = node.get("cohort", "month")
        if cohort not in ("day", "week", "month"):
            ctx.add(
                node.line_of("cohort"),
                f"funnel '{name}': cohort must be day, week or month, not {cohort!r}"
                f"{suggest(str(cohort), ('day', 'week', 'month'))}",
            )
            cohort = "month"
        window = None
        if node.get("conversion_window") is not None:
            window = parse_duration(node["conversion_window"])
            if window is None:
                ctx.add(
                    node.line_of("conversion_window"),
                    f"funnel '{name}': conversion_window: " + bad_duration(node["conversion_window"]),
                )
        segment = node.get("segment_by")
        if segment is not None and (not isinstance(segment, str) or not segment):
            ctx.add(node.line_of("segment_by"), f"funnel '{name}': segment_by must name an attribute")
            segment = None
        readable = src.accounts is not None or src.columns.properties or segment in src.property_columns
        if segment is not None and not readable:
            ctx.add(
                node.line_of("segment_by"),
                f"funnel '{name}': unknown segment attribute '{segment}': no source.accounts relation,"
                f" no properties column, and not in property_columns{suggest(segment, src.property_columns)}",
            )
        expected: list[tuple[str, int]] = []
        exp_node = node.get("expected")
        if exp_node is not None:
            if not isinstance(exp_node, LDict):
                ctx.add(node.line_of("expected"), f"funnel '{name}': expected must map steps to durations")
            else:
                for step, dur in exp_node.items():
                    if step not in steps:
                        ctx.add(
                            exp_node.line_of(step),
                            f"funnel '{name}': expected names {step!r}, which is not a step{suggest(step, steps)}",
                        )
                        continue
                    seconds = parse_duration(dur)
                    if seconds is None:
                        ctx.add(exp_node.line_of(step), f"funnel '{name}': expected {step}: " + bad_duration(dur))
                    else:
                        expected.append((step, seconds))
        if not usable or level not in ir.LEVELS:
            continue
        out.append(
            ir.Funnel(name, level, tuple(steps), strict, cohort, window, segment, tuple(expected), file, node.line)
        )
    return tuple(out)
