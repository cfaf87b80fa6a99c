"""Milestone YAML -> validated Spec (IR), collecting every problem with file and line.

Each `_x` function reads one construct, appends problems to the shared list and
returns the IR piece (or None when it is unusable). Nothing raises until the end,
so a user sees all mistakes at once, sqlglot/rustc style.
"""

from __future__ import annotations

import difflib
import graphlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import ir
from .errors import Problem, ProjectError
from .yamlio import LDict, LList, load_yaml

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
DURATION_RE = re.compile(r"^\s*(\d+)\s*(s|m|h|d|w|seconds?|minutes?|hours?|days?|weeks?)\s*$", re.IGNORECASE)
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
FILTER_OPS = "eq ne in not_in gt gte lt lte contains not_contains starts_with exists".split()
TOP_KEYS = ("source", "order", "milestones", "funnels")
MILESTONE_KEYS = ("name", "label", "level", "criteria", "description", "due")
MEASURE_KEYS = ("event", "where", "distinct", "sum")
EVENT_KEYS = (*MEASURE_KEYS, "at_least", "window", "label", "every", "periods", "ongoing", "growth", "min_previous")
RATE_KEYS = ("rate", "at_least", "min_denominator", "window", "label")
PERIODS = ("day", "week", "month")
KINDS = ("event", "milestone", "rate", "any", "all")
SOURCE_KEYS = ("events", "columns", "property_columns", "contacts", "accounts")
COLUMN_KEYS = ("event", "timestamp", "contact", "account", "properties", "event_id")
FUNNEL_KEYS = "name level steps strict cohort conversion_window segment_by expected".split()
# Documented limits: a spec beyond them is refused with a clear error instead of compiling
# for minutes (compile time grows with nodes per milestone squared for milestone_events).
MAX_DEPTH = 32  # nesting of any/all groups
MAX_NODES = 250  # criterion nodes (groups included) in one milestone


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


def suggest(word: str, options: Any) -> str:
    match = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def parse_duration(value: Any) -> int | None:
    """Seconds in a `<int><unit>` / `<int> days` duration, or None when malformed."""
    if isinstance(value, bool) or not isinstance(value, str):
        return None
    m = DURATION_RE.match(value)
    if not m or int(m.group(1)) <= 0:
        return None
    return int(m.group(1)) * UNIT_SECONDS[m.group(2)[0].lower()]


@dataclass
class _Ctx:
    problems: list[Problem] = field(default_factory=list)
    file: str = ""
    milestone: str | None = None

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message, self.milestone))

    def check_keys(self, node: LDict, allowed: tuple[str, ...], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.add(node.line_of(key), f"unknown key '{key}' in {what}{suggest(key, allowed)}")


@dataclass
class _RawMilestone:
    node: LDict
    file: str
    index: int


def load_spec(project_dir: Path) -> ir.Spec:
    """Read every milestones/**/*.yml and return the validated spec, or raise ProjectError."""
    ctx = _Ctx()
    files = sorted((project_dir / "milestones").rglob("*.yml")) + sorted((project_dir / "milestones").rglob("*.yaml"))
    source: tuple[str, LDict] | None = None
    order: tuple[str, LList] | None = None
    raw_ms: list[_RawMilestone] = []
    raw_funnels: list[tuple[str, LDict]] = []
    for path in files:
        ctx.file = str(path.relative_to(project_dir))
        try:
            doc = load_yaml(path)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            ctx.add(mark.line + 1 if mark else None, f"invalid YAML: {getattr(e, 'problem', e)}")
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

    ctx.file = source[0] if source else ""
    src = _source(ctx, source[1]) if source else ir.Source()
    milestones = _milestones(ctx, raw_ms, order)
    funnels = _funnels(ctx, raw_funnels, milestones, src)
    if ctx.problems:
        raise ProjectError(ctx.problems)
    return ir.Spec(source=src, milestones=milestones, funnels=funnels)


# -- source ---------------------------------------------------------------------------


def _text(ctx: _Ctx, node: LDict, key: str, default: str | None) -> str | None:
    value = node.get(key, default)
    if value is not None and not (isinstance(value, str) and value.strip()):
        ctx.add(node.line_of(key), f"'{key}' must be a non-empty string")
        return default
    return value


def _relation(ctx: _Ctx, node: Any, line: int, what: str, keys: tuple[str, ...]) -> ir.Relation | None:
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


def _source(ctx: _Ctx, node: LDict) -> ir.Source:
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
    return ir.Source(events, columns, props, contacts, accounts)


# -- milestones -----------------------------------------------------------------------


def _milestones(ctx: _Ctx, raw: list[_RawMilestone], order: tuple[str, LList] | None) -> tuple[ir.Milestone, ...]:
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
        ctx.milestone = name
        if name in seen:
            ctx.add(r.node.line_of("name"), f"duplicate milestone name (also defined in {seen[name]})")
            continue
        seen[name] = r.file
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
        reader = _CriteriaReader(ctx, name, level, levels)
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


def _check_cycles(ctx: _Ctx, built: list[ir.Milestone], deps: dict[str, list[tuple[str, int, str]]]) -> None:
    sorter = graphlib.TopologicalSorter({m.name: [d for d, _, _ in deps[m.name] if d in deps] for m in built})
    try:
        sorter.prepare()
    except graphlib.CycleError as e:
        cycle = list(reversed(e.args[1]))
        m = next(x for x in built if x.name == cycle[0])
        line = next((ln for d, ln, _ in deps[m.name] if d == cycle[1]), m.line)
        ctx.file, ctx.milestone = m.file, m.name
        ctx.add(line, "dependency cycle: " + " -> ".join(cycle))


def _check_anchors(ctx: _Ctx, built: list[ir.Milestone]) -> None:
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


class _CriteriaReader:
    def __init__(self, ctx: _Ctx, name: str, level: ir.Level, levels: dict[str, ir.Level]):
        self.ctx, self.name, self.level, self.levels = ctx, name, level, levels
        self.deps: list[tuple[str, int, str]] = []  # (milestone, line, kind)
        self.nodes = 0
        self.over_limit = False

    def limit(self, line: int, message: str) -> None:
        """A limit is reported once per milestone, and reading stops there."""
        if not self.over_limit:
            self.ctx.add(line, message)
        self.over_limit = True

    def criteria(self, nodes: LList, prefix: str) -> tuple[ir.Criterion, ...]:
        if prefix.count(".") >= MAX_DEPTH:
            self.limit(nodes.line, f"criteria nested more than {MAX_DEPTH} groups deep (the limit)")
            return ()
        out: list[ir.Criterion] = []
        for i, node in enumerate(nodes):
            cid = f"{prefix}{i + 1}"
            self.nodes += 1
            if self.nodes > MAX_NODES:
                self.limit(nodes.line_of(i), f"more than {MAX_NODES} criteria in one milestone (the limit): split it")
                return tuple(out)
            if not isinstance(node, LDict):
                self.ctx.add(nodes.line_of(i), f"criterion {cid} must be a mapping")
                continue
            c = self.criterion(node, cid)
            if c is not None:
                out.append(c)
        return tuple(out)

    def criterion(self, node: LDict, cid: str) -> ir.Criterion | None:
        kinds = [k for k in KINDS if k in node]
        if len(kinds) != 1:
            unknown = [k for k in node if k not in EVENT_KEYS + RATE_KEYS + KINDS]
            hint = suggest(unknown[0], KINDS) if unknown else ""
            self.ctx.add(
                node.line,
                f"criterion {cid} needs exactly one of event, milestone, rate, any, all"
                f" (found {', '.join(kinds or list(node)) or 'nothing'}){hint}",
            )
            return None
        kind = kinds[0]
        if kind in ("any", "all"):
            self.ctx.check_keys(node, (kind, "label"), f"criterion {cid}")
            children = node[kind]
            if not isinstance(children, LList) or not children:
                self.ctx.add(node.line_of(kind), f"criterion {cid}: '{kind}' must be a non-empty list")
                return None
            return ir.Group(cid, kind, self.criteria(children, f"{cid}."))  # type: ignore[arg-type]
        if kind == "milestone":
            return self.milestone_criterion(node, cid)
        if kind == "rate":
            return self.rate_criterion(node, cid)
        return self.event_criterion(node, cid)

    def milestone_criterion(self, node: LDict, cid: str) -> ir.Criterion | None:
        self.ctx.check_keys(node, ("milestone", "at_least", "label"), f"criterion {cid}")
        target = node["milestone"]
        line = node.line_of("milestone")
        if target not in self.levels:
            self.ctx.add(line, f"unknown milestone {target!r}{suggest(target, self.levels)}")
            return None
        if target == self.name:
            self.ctx.add(line, f"dependency cycle: {self.name} -> {self.name}")
            return None
        self.deps.append((target, line, "milestone"))
        at_least = node.get("at_least", 1)
        if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 1:
            self.ctx.add(
                node.line_of("at_least"), f"criterion {cid}: at_least must be an integer >= 1, not {at_least!r}"
            )
            at_least = 1
        cross = self.level == "account" and self.levels[target] == "contact"
        if at_least != 1 and not cross:
            self.ctx.add(
                node.line_of("at_least"),
                f"criterion {cid}: at_least on a milestone criterion only applies when an account"
                " milestone counts contacts that completed a contact milestone",
            )
        return ir.MilestoneCriterion(cid, target, at_least)

    def measure(self, node: LDict, cid: str) -> ir.EventCriterion | None:
        """The event measure of a node: event type(s), filters, count / distinct / sum
        (threshold 1 and no window: callers fill those in)."""
        ctx = self.ctx
        ev = node["event"]
        if isinstance(ev, str) and ev:
            events: tuple[str, ...] = (ev,)
        elif isinstance(ev, LList) and ev and all(isinstance(e, str) and e for e in ev):
            events = tuple(ev)
        else:
            ctx.add(node.line_of("event"), f"criterion {cid}: 'event' must be an event name or a list of them")
            return None
        filters = self.filters(node.get("where"), node.line_of("where"), cid)
        measure, measure_of = "count", None
        if "distinct" in node and "sum" in node:
            ctx.add(node.line_of("sum"), f"criterion {cid}: use one of distinct or sum, not both")
        for m in ("distinct", "sum"):
            if m in node:
                value = node[m]
                if not isinstance(value, str) or not value or not all(value.split(".")):
                    ctx.add(node.line_of(m), f"criterion {cid}: '{m}' must name a property")
                else:
                    measure, measure_of = m, value
        if measure == "sum" and measure_of == "contact":
            ctx.add(node.line_of("sum"), f"criterion {cid}: cannot sum contacts")
        if measure == "distinct" and measure_of == "contact" and self.level == "contact":
            ctx.add(node.line_of("distinct"), f"criterion {cid}: 'distinct: contact' needs an account-level milestone")
        return ir.EventCriterion(cid, events, filters, measure, measure_of, 1.0, None)  # type: ignore[arg-type]

    def positive(self, node: LDict, name: str, cid: str, default: float | None, what: str) -> float:
        """A number > 0 (`what` says what it is compared with); a missing one without a
        default is an error."""
        if name not in node:
            if default is None:
                self.ctx.add(node.line, f"criterion {cid}: {what} needs '{name}' (a number > 0)")
                return 1.0
            return default
        value = node[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            self.ctx.add(node.line_of(name), f"criterion {cid}: {name} must be a number > 0, not {value!r}")
            return 1.0
        return float(value)

    def event_criterion(self, node: LDict, cid: str) -> ir.Criterion | None:
        ctx = self.ctx
        ctx.check_keys(node, EVENT_KEYS, f"criterion {cid}")
        c = self.measure(node, cid)
        if c is None:
            return None
        measure = c.measure
        every = self.every(node, cid)
        growth = self.growth(node, cid)
        tline = node.line_of("at_least")
        threshold = node.get("at_least", 1)
        if growth is not None:
            threshold = self.positive(node, "at_least", cid, None, "a growth criterion (current / previous span)")
        elif measure == "sum":
            if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not threshold > 0:
                ctx.add(tline, f"criterion {cid}: at_least for a sum must be a number > 0, not {threshold!r}")
                threshold = 1
            elif threshold >= 1e20:  # sql_qualifying.SUM_CAP: one value adds at most this much
                ctx.add(tline, f"criterion {cid}: at_least for a sum must be below 1e20, not {threshold!r}")
                threshold = 1
        elif isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
            ctx.add(tline, f"criterion {cid}: at_least must be an integer >= 1, not {threshold!r}")
            threshold = 1
        window = None
        if "window" in node:
            if every is not None or growth is not None:
                which = "every" if every is not None else "growth"
                ctx.add(node.line_of("window"), f"criterion {cid}: '{which}' excludes 'window'")
            else:
                window = self.window(node.get("window"), node.line_of("window"), cid, measure)
        return ir.EventCriterion(
            cid, c.events, c.filters, c.measure, c.measure_of, float(threshold), window, every, growth
        )

    def every(self, node: LDict, cid: str) -> ir.Recurrence | None:
        """`every` / `periods` / `ongoing` of a recurring criterion (SPEC §8)."""
        ctx = self.ctx
        if "every" not in node:
            for key in ("periods", "ongoing"):
                if key in node:
                    ctx.add(node.line_of(key), f"criterion {cid}: '{key}' needs 'every' (day, week or month)")
            return None
        every = node["every"]
        if every not in PERIODS:
            ctx.add(
                node.line_of("every"),
                f"criterion {cid}: every must be day, week or month, not {every!r}{suggest(every, PERIODS)}",
            )
            every = "week"
        periods = node.get("periods", 1)
        if isinstance(periods, bool) or not isinstance(periods, int) or periods < 1:
            ctx.add(node.line_of("periods"), f"criterion {cid}: periods must be an integer >= 1, not {periods!r}")
            periods = 1
        ongoing = node.get("ongoing", False)
        if not isinstance(ongoing, bool):
            ctx.add(node.line_of("ongoing"), f"criterion {cid}: ongoing must be true or false, not {ongoing!r}")
            ongoing = False
        if "growth" in node:
            ctx.add(node.line_of("growth"), f"criterion {cid}: 'growth' excludes 'every'")
        return ir.Recurrence(every, periods, ongoing)  # type: ignore[arg-type]

    def growth(self, node: LDict, cid: str) -> ir.Growth | None:
        """`growth: D` and `min_previous` (SPEC §8)."""
        if "growth" not in node:
            if "min_previous" in node:
                self.ctx.add(node.line_of("min_previous"), f"criterion {cid}: 'min_previous' needs 'growth'")
            return None
        if "every" in node:
            return None  # reported by every()
        seconds = parse_duration(node["growth"])
        if seconds is None:
            self.ctx.add(node.line_of("growth"), _bad_duration(node["growth"]))
            seconds = 1
        return ir.Growth(seconds, self.positive(node, "min_previous", cid, 1.0, "growth"))

    def rate_criterion(self, node: LDict, cid: str) -> ir.Criterion | None:
        """`rate: {numerator, denominator}` with at_least, min_denominator, window {last:} (SPEC §8)."""
        ctx = self.ctx
        ctx.check_keys(node, RATE_KEYS, f"criterion {cid}")
        rate = node["rate"]
        if not isinstance(rate, LDict):
            ctx.add(
                node.line_of("rate"), f"criterion {cid}: 'rate' must map numerator and denominator to event measures"
            )
            return None
        ctx.check_keys(rate, ("numerator", "denominator"), f"rate of criterion {cid}")
        parts = []
        for part in ("numerator", "denominator"):
            spec = rate.get(part)
            if not isinstance(spec, LDict) or "event" not in spec:
                ctx.add(
                    rate.line_of(part),
                    f"criterion {cid}: the rate's {part} must be an event measure such as {{event: x}}",
                )
                continue
            own = [k for k in ("at_least", "window") if k in spec]
            for k in own:
                ctx.add(
                    spec.line_of(k),
                    f"criterion {cid}: the rate's {part} takes no '{k}' of its own (set it on the rate)",
                )
            ctx.check_keys(spec, (*MEASURE_KEYS, "at_least", "window"), f"{part} of criterion {cid}")
            parts.append(self.measure(spec, f"{cid} ({part})"))
        threshold = self.positive(node, "at_least", cid, None, "a rate (numerator / denominator)")
        min_den = self.positive(node, "min_denominator", cid, 1.0, "a rate")
        seconds = None
        if "window" in node:
            w = node["window"]
            if not isinstance(w, LDict) or list(w) != ["last"]:
                ctx.add(node.line_of("window"), f"criterion {cid}: a rate's window is {{last: D}} only")
            else:
                seconds = parse_duration(w["last"])
                if seconds is None:
                    ctx.add(w.line_of("last"), _bad_duration(w["last"]))
        if len(parts) != 2 or parts[0] is None or parts[1] is None:
            return None
        num = replace(parts[0], id=f"{cid}n")
        den = replace(parts[1], id=f"{cid}d")
        return ir.RateCriterion(cid, num, den, threshold, min_den, seconds)

    def due(self, node: LDict) -> ir.Due | None:
        """`due: {after: M, within: D}` (SPEC §8); the anchor counts as a dependency."""
        ctx = self.ctx
        due, line = node["due"], node.line_of("due")
        if not isinstance(due, LDict):
            ctx.add(line, "due must be a mapping such as {after: signed_up, within: 7d}")
            return None
        ctx.check_keys(due, ("after", "within"), "due")
        anchor = due.get("after")
        if anchor is None:
            ctx.add(line, "due needs 'after' (the milestone the time runs from)")
            return None
        if anchor not in self.levels:
            ctx.add(due.line_of("after"), f"due: unknown milestone {anchor!r}{suggest(anchor, self.levels)}")
            return None
        if anchor == self.name:
            ctx.add(due.line_of("after"), f"dependency cycle: {self.name} -> {self.name}")
            return None
        if self.levels[anchor] != self.level and self.levels[anchor] != "account":
            ctx.add(
                due.line_of("after"),
                f"due: an account milestone cannot be due after contact milestone '{anchor}'",
            )
            return None
        self.deps.append((anchor, due.line_of("after"), "due"))
        if "within" not in due:
            ctx.add(line, "due needs 'within' (how long after the anchor), such as 7d")
            return None
        seconds = parse_duration(due["within"])
        if seconds is None:
            ctx.add(due.line_of("within"), _bad_duration(due["within"]))
            return None
        return ir.Due(anchor, seconds)

    def filters(self, where: Any, line: int, cid: str) -> tuple[ir.Filter, ...]:
        if where is None:
            return ()
        if not isinstance(where, LDict):
            self.ctx.add(line, f"criterion {cid}: 'where' must be a mapping of property: condition")
            return ()
        out: list[ir.Filter] = []
        for prop, cond in where.items():
            pline = where.line_of(prop)
            if not prop or not all(prop.split(".")):
                self.ctx.add(pline, f"criterion {cid}: bad property name {prop!r}")
                continue
            if not isinstance(cond, LDict):
                cond = {"eq": cond}
            elif not cond:
                self.ctx.add(pline, f"criterion {cid}: empty condition for {prop!r}")
            for op, value in cond.items():
                f = self.filter(prop, op, value, pline, cid)
                if f:
                    out.append(f)
        return tuple(out)

    def filter(self, prop: str, op: str, value: Any, line: int, cid: str) -> ir.Filter | None:
        where = f"criterion {cid}: filter on {prop!r}"
        if op not in FILTER_OPS:
            self.ctx.add(line, f"{where}: unknown operator '{op}'{suggest(op, FILTER_OPS)}")
            return None
        if op == "exists":
            if not isinstance(value, bool):
                self.ctx.add(line, f"{where}: exists takes true or false")
                return None
            return ir.Filter(prop, op, (value,))
        values = list(value) if op in ("in", "not_in") and isinstance(value, list) else [value]
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.ctx.add(line, f"{where}: {op} takes a non-empty list")
            return None
        for v in values:
            if not isinstance(v, (str, int, float, bool)):
                hint = " (use exists: false for a missing property)" if v is None else ""
                self.ctx.add(line, f"{where}: {op} needs a string, number or boolean, not {v!r}{hint}")
                return None
            if op in ("contains", "not_contains", "starts_with") and not isinstance(v, str):
                self.ctx.add(line, f"{where}: {op} needs a string")
                return None
            if op in ("gt", "gte", "lt", "lte") and isinstance(v, bool):
                self.ctx.add(line, f"{where}: {op} cannot compare booleans")
                return None
        return ir.Filter(prop, op, tuple(values))

    def window(self, node: Any, line: int, cid: str, measure: str) -> ir.Window | None:
        ctx = self.ctx
        if not isinstance(node, LDict):
            ctx.add(line, f"criterion {cid}: window must be a mapping such as {{last: 30d}}")
            return None
        ctx.check_keys(node, ("last", "any", "after", "within"), f"window of criterion {cid}")
        kinds = [k for k in ("last", "any", "after") if k in node]
        if len(kinds) != 1:
            ctx.add(line, f"criterion {cid}: a window has exactly one of last, any, after")
            return None
        kind = kinds[0]
        if kind != "after" and "within" in node:
            ctx.add(node.line_of("within"), f"criterion {cid}: 'within' only goes with 'after'")
        if kind == "after":
            anchor = node["after"]
            if anchor not in self.levels:
                ctx.add(
                    node.line_of("after"),
                    f"criterion {cid}: unknown milestone {anchor!r}{suggest(anchor, self.levels)}",
                )
                return None
            if anchor == self.name:
                ctx.add(node.line_of("after"), f"dependency cycle: {self.name} -> {self.name}")
                return None
            if self.levels[anchor] != self.level and self.levels[anchor] != "account":
                ctx.add(
                    node.line_of("after"),
                    f"criterion {cid}: an account-level criterion cannot be anchored on contact milestone '{anchor}'",
                )
                return None
            self.deps.append((anchor, node.line_of("after"), "anchor"))
            within = None
            if "within" in node:
                within = parse_duration(node["within"])
                if within is None:
                    ctx.add(node.line_of("within"), _bad_duration(node["within"]))
            return ir.Window("after", within, anchor)
        if kind == "any" and measure == "distinct":
            ctx.add(node.line_of("any"), f"criterion {cid}: distinct cannot use an `any:` window")
            return None
        seconds = parse_duration(node[kind])
        if seconds is None:
            ctx.add(node.line_of(kind), _bad_duration(node[kind]))
            return None
        return ir.Window(kind, seconds)  # type: ignore[arg-type]


def _bad_duration(value: Any) -> str:
    return f"bad duration {value!r}: use a positive <int><s|m|h|d|w> such as 30d, or '14 days'"


# -- funnels --------------------------------------------------------------------------


def _funnels(
    ctx: _Ctx, raw: list[tuple[str, LDict]], milestones: tuple[ir.Milestone, ...], src: ir.Source
) -> tuple[ir.Funnel, ...]:
    levels = {m.name: m.level for m in milestones}
    out: list[ir.Funnel] = []
    seen: dict[str, str] = {}
    for file, node in raw:
        ctx.file, ctx.milestone = file, None
        ctx.check_keys(node, tuple(FUNNEL_KEYS), "funnel")
        name = node.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            ctx.add(node.line_of("name"), f"bad funnel name {name!r}")
            continue
        if name in seen:
            ctx.add(node.line_of("name"), f"duplicate funnel name '{name}' (also defined in {seen[name]})")
            continue
        seen[name] = file
        steps = node.get("steps")
        if not isinstance(steps, LList) or not steps:
            ctx.add(node.line_of("steps"), f"funnel '{name}': 'steps' must be a non-empty list")
            continue
        bad = [s for s in steps if s not in levels]
        for i, s in enumerate(steps):
            if s not in levels:
                ctx.add(steps.line_of(i), f"funnel '{name}': unknown step {s!r}{suggest(s, levels)}")
        if bad:
            continue
        step_levels = {levels[s] for s in steps}
        level = node.get("level", next(iter(step_levels)) if len(step_levels) == 1 else None)
        if len(step_levels) > 1 or level not in step_levels:
            ctx.add(
                node.line_of("steps"), f"funnel '{name}': all steps must be milestones of one level (level {level})"
            )
            continue
        if len(set(steps)) != len(steps):
            ctx.add(node.line_of("steps"), f"funnel '{name}': a step is listed twice")
        strict = node.get("strict", True)
        if not isinstance(strict, bool):
            ctx.add(node.line_of("strict"), f"funnel '{name}': strict must be true or false")
            strict = True
        cohort = node.get("cohort", "month")
        if cohort not in ("day", "week", "month"):
            ctx.add(
                node.line_of("cohort"),
                f"funnel '{name}': cohort must be day, week or month{suggest(cohort, ('day', 'week', 'month'))}",
            )
            cohort = "month"
        window = None
        if node.get("conversion_window") is not None:
            window = parse_duration(node["conversion_window"])
            if window is None:
                ctx.add(node.line_of("conversion_window"), _bad_duration(node["conversion_window"]))
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
                        ctx.add(exp_node.line_of(step), _bad_duration(dur))
                    else:
                        expected.append((step, seconds))
        out.append(
            ir.Funnel(name, level, tuple(steps), strict, cohort, window, segment, tuple(expected), file, node.line)
        )
    return tuple(out)
