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
class EventCriterion:
    id: str
    events: tuple[str, ...]
    filters: tuple[Filter, ...]
    measure: Literal["count", "distinct", "sum"]
    measure_of: str | None  # property for distinct/sum; "contact" for distinct contacts
    threshold: float
    window: Window | None


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


Criterion = EventCriterion | MilestoneCriterion | Group


@dataclass(frozen=True)
class Milestone:
    name: str
    label: str
    level: Level
    criteria: tuple[Criterion, ...]
    order: int  # 1-based, across both levels
    file: str = ""
    line: int = 0


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

    def milestone(self, name: str) -> Milestone:
        return next(m for m in self.milestones if m.name == name)

    def of_level(self, level: Level) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.level == level)

    def effective_funnels(self) -> tuple[Funnel, ...]:
        """The spec's funnels; without any, one per level named after it, steps in order."""
        if self.funnels:
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


def is_status(m: Milestone, spec: Spec) -> bool:
    """Status milestones hold a `last:` window somewhere or depend on a status milestone."""
    seen: set[str] = set()

    def visit(ms: Milestone) -> bool:
        if ms.name in seen:
            return False
        seen.add(ms.name)
        for c in walk(ms.criteria):
            if isinstance(c, EventCriterion) and c.window and c.window.kind == "last":
                return True
            if isinstance(c, MilestoneCriterion) and visit(spec.milestone(c.milestone)):
                return True
        return False

    return visit(m)
