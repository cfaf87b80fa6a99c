"""The validated spec as small frozen dataclasses: what codegen consumes.

Nothing here refers back to YAML; every value is already checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["account", "contact"]
LEVELS: tuple[Level, ...] = ("account", "contact")
Scalar = str | int | float | bool


@dataclass(frozen=True)
class Columns:
    event: str = "event_name"
    timestamp: str = "occurred_at"
    contact: str = "user_id"
    account: str = "account_id"
    properties: str | None = "properties"
    event_id: str | None = None


@dataclass(frozen=True)
class Relation:
    """A model name (resolved at render time) or a dotted relation such as raw.users."""

    name: str
    key: str = ""
    account: str = ""


@dataclass(frozen=True)
class Source:
    events: str = "stg_events"
    columns: Columns = field(default_factory=Columns)
    property_columns: tuple[str, ...] = ()
    contacts: Relation | None = None
    accounts: Relation | None = None
    # where each setting was written ("columns.contact" -> line), for errors found against
    # the warehouse; not part of the spec's meaning (nor of spec_hash)
    file: str = field(default="milestones/", compare=False, repr=False)
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def line_of(self, key: str) -> int | None:
        found = dict(self.lines)
        while key:
            if key in found:
                return found[key]
            key = key.rpartition(".")[0]
        return found.get("", None)


@dataclass(frozen=True)
class Filter:
    prop: str  # dotted key = nested JSON path
    op: str  # eq ne in not_in gt gte lt lte contains not_contains starts_with exists
    values: tuple[Scalar, ...]  # one value, except in/not_in


@dataclass(frozen=True)
class Window:
    kind: Literal["last", "any", "after"]
    seconds: int | None = None  # D for last/any, `within` for after (None: up to as_of)
    anchor: str | None = None


@dataclass(frozen=True)
class Recurrence:
    """SPEC §8 recurring: the threshold per calendar period (UTC, Monday weeks), over
    `periods` consecutive qualifying periods; `ongoing`: the streak must be alive at as_of."""

    every: Literal["day", "week", "month"]
    periods: int = 1
    ongoing: bool = False


@dataclass(frozen=True)
class Growth:
    """SPEC §8 growth: measure of [t - D, t] over measure of [t - 2D, t - D)."""

    seconds: int
    min_previous: float = 1


@dataclass(frozen=True)
class EventCriterion:
    id: str
    events: tuple[str, ...]
    filters: tuple[Filter, ...]
    measure: Literal["count", "distinct", "sum"]
    measure_of: str | None  # property for distinct/sum; "contact" for distinct contacts
    threshold: float  # at_least: per period when recurring, the ratio for growth
    window: Window | None
    every: Recurrence | None = None
    growth: Growth | None = None


@dataclass(frozen=True)
class RateCriterion:
    """SPEC §8 rate: numerator / denominator, two event measures (EventCriterion with no
    threshold or window of their own), with a minimum denominator and an optional
    trailing `last:` window bounding both."""

    id: str
    numerator: EventCriterion
    denominator: EventCriterion
    threshold: float  # at_least, compared with the quotient
    min_denominator: float = 1
    window_seconds: int | None = None


@dataclass(frozen=True)
class MilestoneCriterion:
    id: str
    milestone: str
    threshold: int  # at_least; only meaningful account -> contact


@dataclass(frozen=True)
class Group:
    id: str
    kind: Literal["all", "any"]
    children: tuple[Criterion, ...]


Criterion = EventCriterion | MilestoneCriterion | RateCriterion | Group


@dataclass(frozen=True)
class Due:
    """SPEC §8 due date: the milestone is due `seconds` after `anchor` completes."""

    anchor: str
    seconds: int


@dataclass(frozen=True)
class Milestone:
    name: str
    label: str
    level: Level
    criteria: tuple[Criterion, ...]
    order: int  # 1-based, across both levels
    file: str = ""
    line: int = 0
    due: Due | None = None


@dataclass(frozen=True)
class Funnel:
    name: str
    level: Level
    steps: tuple[str, ...]
    strict: bool = True
    cohort: Literal["day", "week", "month"] = "month"
    conversion_window: int | None = None
    segment_by: str | None = None
    expected: tuple[tuple[str, int], ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Spec:
    source: Source
    milestones: tuple[Milestone, ...]
    funnels: tuple[Funnel, ...]
    # the spec defines funnels (even if `--select` keeps none of them): no default funnels
    defines_funnels: bool = False

    def milestone(self, name: str) -> Milestone:
        return next(m for m in self.milestones if m.name == name)

    def of_level(self, level: Level) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.level == level)

    def effective_funnels(self) -> tuple[Funnel, ...]:
        """The spec's funnels; when it defines none, one per level named after it, steps in
        order (SPEC §7: default funnels exist only when the spec defines no funnels)."""
        if self.funnels or self.defines_funnels:
            return self.funnels
        return tuple(
            Funnel(level, level, tuple(m.name for m in self.of_level(level)))
            for level in LEVELS
            if self.of_level(level)
        )


def walk(criteria: tuple[Criterion, ...]) -> list[Criterion]:
    """Every node, parents before children, in id order."""
    out: list[Criterion] = []
    for c in criteria:
        out.append(c)
        if isinstance(c, Group):
            out.extend(walk(c.children))
    return out


def event_measures(criteria: tuple[Criterion, ...]) -> list[EventCriterion]:
    """Every event measure of a tree: event criteria and both parts of each rate."""
    out: list[EventCriterion] = []
    for c in walk(criteria):
        if isinstance(c, EventCriterion):
            out.append(c)
        elif isinstance(c, RateCriterion):
            out.extend((c.numerator, c.denominator))
    return out


def measure_properties(c: EventCriterion) -> set[str]:
    """The properties an event measure reads: its filters' and its distinct/sum property."""
    props = {f.prop for f in c.filters}
    if c.measure_of and c.measure_of != "contact":
        props.add(c.measure_of)
    return props


def is_status_criterion(c: Criterion) -> bool:
    """A criterion that can stop holding (SPEC §4, §8): a trailing window, an ongoing
    recurring criterion, a rate or a growth criterion."""
    if isinstance(c, RateCriterion):
        return True
    if isinstance(c, EventCriterion):
        return bool((c.window and c.window.kind == "last") or (c.every and c.every.ongoing) or c.growth is not None)
    return False


def dependencies(m: Milestone) -> list[str]:
    """Milestones m reads: milestone criteria, `after:` anchors and its `due` anchor."""
    return [name for name, _ in dependency_kinds(m)]


def dependency_kinds(m: Milestone) -> list[tuple[str, str]]:
    """(milestone, how m reads it: criterion | window | due), in the order of dependencies()."""
    deps: list[tuple[str, str]] = []
    for c in walk(m.criteria):
        if isinstance(c, MilestoneCriterion):
            deps.append((c.milestone, "criterion"))
        elif isinstance(c, EventCriterion) and c.window and c.window.anchor:
            deps.append((c.window.anchor, "window"))
    if m.due is not None:
        deps.append((m.due.anchor, "due"))
    return deps


def is_status(m: Milestone, spec: Spec) -> bool:
    """Status milestones hold a status criterion somewhere or depend (through milestone
    criteria) on a status milestone."""
    seen: set[str] = set()

    def visit(ms: Milestone) -> bool:
        if ms.name in seen:
            return False
        seen.add(ms.name)
        for c in walk(ms.criteria):
            if is_status_criterion(c):
                return True
            if isinstance(c, MilestoneCriterion) and visit(spec.milestone(c.milestone)):
                return True
        return False

    return visit(m)
