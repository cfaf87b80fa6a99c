"""What every part of validation shares: the problem collector with the current file and
milestone, the "did you mean" suggestion, durations, names and the keys each construct takes."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from compiler.errors import Problem
from compiler.spec.yamlio import LDict

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
class Ctx:
    problems: list[Problem] = field(default_factory=list)
    file: str = ""
    milestone: str | None = None

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message, self.milestone))

    def check_keys(self, node: LDict, allowed: tuple[str, ...], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.add(node.line_of(key), f"unknown key '{key}' in {what}{suggest(key, allowed)}")


def bad_duration(value: Any) -> str:
    return f"bad duration {value!r}: use a positive <int><s|m|h|d|w> such as 30d, or '14 days'"
