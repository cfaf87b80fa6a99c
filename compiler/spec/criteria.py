"""Criteria YAML -> IR criteria (SPEC §3, §8): event criteria (with recurring and growth
options), rates, milestone criteria, any/all groups, filters, windows and milestone due
dates, each problem collected with its line (see spec.base.Ctx)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.spec import ir
from compiler.spec.base import (
    EVENT_KEYS,
    FILTER_OPS,
    KINDS,
    MAX_DEPTH,
    MAX_NODES,
    MEASURE_KEYS,
    PERIODS,
    RATE_KEYS,
    Ctx,
    bad_duration,
    parse_duration,
    suggest,
)
from compiler.spec.yamlio import LDict, LList


class CriteriaReader:
    def __init__(self, ctx: Ctx, name: str, level: ir.Level, levels: dict[str, ir.Level]):
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
            elif threshold >= 1e20:  # sql.qualifying.SUM_CAP: one value adds at most this much
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
            self.ctx.add(node.line_of("growth"), bad_duration(node["growth"]))
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
                    ctx.add(w.line_of("last"), bad_duration(w["last"]))
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
            ctx.add(due.line_of("within"), bad_duration(due["within"]))
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
                    ctx.add(node.line_of("within"), bad_duration(node["within"]))
            return ir.Window("after", within, anchor)
        if kind == "any" and measure == "distinct":
            ctx.add(node.line_of("any"), f"criterion {cid}: distinct cannot use an `any:` window")
            return None
        seconds = parse_duration(node[kind])
        if seconds is None:
            ctx.add(node.line_of(kind), bad_duration(node[kind]))
            return None
        return ir.Window(kind, seconds)  # type: ignore[arg-type]
