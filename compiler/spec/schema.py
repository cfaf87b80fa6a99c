"""`milestones schema`: a JSON Schema (draft 2020-12) of the milestone YAML, for editors
(yaml-language-server completes keys and flags errors as you type).

Built from the validator's own key lists and patterns (spec.base), so the two cannot
drift apart on which keys exist. The validator stays the authority on meaning: the schema
checks shape (keys, types, enums, name and duration patterns); cross-references such as an
unknown milestone or a dependency cycle are for `milestones validate`.
"""

from __future__ import annotations

from typing import Any

from compiler.spec import ir
from compiler.spec.base import (
    COLUMN_KEYS,
    EVENT_KEYS,
    FILTER_OPS,
    FUNNEL_KEYS,
    MEASURE_KEYS,
    MILESTONE_KEYS,
    NAME_RE,
    PERIODS,
    RATE_KEYS,
    SOURCE_KEYS,
    TOP_KEYS,
)

SCHEMA_ID = "https://milestone-compiler.dev/schema/milestones.json"


def _obj(
    properties: dict[str, Any], keys: tuple[str, ...] | list[str], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    assert set(properties) == set(keys), (sorted(properties), sorted(keys))  # the validator's keys, all described
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _unit_tests() -> dict[str, Any]:
    """milestones/tests/*.yml (see commands/unit_tests: the same keys)."""
    from compiler.commands.unit_tests import INPUTS, TABLES

    row = {"type": "object"}
    given = _obj(
        {"input": {"enum": list(INPUTS)}, "rows": {"type": "array", "items": row}}, ("input", "rows"), ("input",)
    )
    expect = _obj(
        {"table": {"enum": list(TABLES)}, "rows": {"type": "array", "items": row}, "exact": {"type": "boolean"}},
        ("table", "rows", "exact"),
        ("table",),
    )
    test = _obj(
        {
            "name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "as_of": {"description": "an ISO 8601 date or timestamp (UTC), default now"},
            "given": {"type": "array", "items": given},
            "expect": {"type": "array", "items": expect, "minItems": 1},
        },
        ("name", "description", "as_of", "given", "expect"),
        ("name", "expect"),
    )
    return _obj({"unit_tests": {"type": "array", "items": test}}, ("unit_tests",), ("unit_tests",))


def json_schema() -> dict[str, Any]:
    positive = {"type": "number", "exclusiveMinimum": 0}
    scalar = {"type": ["string", "number", "boolean"]}
    op_values = {
        op: ({"type": "array", "items": scalar, "minItems": 1} if op in ("in", "not_in") else
             {"type": "boolean"} if op == "exists" else scalar)
        for op in FILTER_OPS
    }  # fmt: skip
    measure_props = {
        "event": {
            "anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]
        },
        "where": _ref("where"),
        "distinct": {"type": "string", "minLength": 1},
        "sum": {"type": "string", "minLength": 1},
    }
    window = {
        "type": "object",
        "properties": {
            "last": _ref("duration"),
            "any": _ref("duration"),
            "after": _ref("name"),
            "within": _ref("duration"),
        },
        "additionalProperties": False,
        "minProperties": 1,
    }
    event = _obj(
        {
            **measure_props,
            "at_least": positive,
            "window": window,
            "label": {"type": "string"},
            "every": {"enum": list(PERIODS)},
            "periods": {"type": "integer", "minimum": 1},
            "ongoing": {"type": "boolean"},
            "growth": _ref("duration"),
            "min_previous": positive,
        },
        EVENT_KEYS,
        ("event",),
    )
    rate = _obj(
        {
            "rate": {
                "type": "object",
                "properties": {"numerator": _ref("measure"), "denominator": _ref("measure")},
                "required": ["numerator", "denominator"],
                "additionalProperties": False,
            },
            "at_least": positive,
            "min_denominator": positive,
            "window": {
                "type": "object",
                "properties": {"last": _ref("duration")},
                "required": ["last"],
                "additionalProperties": False,
            },
            "label": {"type": "string"},
        },
        RATE_KEYS,
        ("rate", "at_least"),
    )
    milestone_criterion = _obj(
        {"milestone": _ref("name"), "at_least": {"type": "integer", "minimum": 1}, "label": {"type": "string"}},
        ("milestone", "at_least", "label"),
        ("milestone",),
    )
    groups = [
        _obj({kind: {"type": "array", "items": _ref("criterion"), "minItems": 1}, "label": {"type": "string"}}, (kind, "label"), (kind,))
        for kind in ("any", "all")
    ]  # fmt: skip
    milestone = _obj(
        {
            "name": _ref("name"),
            "label": {"type": "string"},
            "level": {"enum": list(ir.LEVELS)},
            "criteria": {"type": "array", "items": _ref("criterion"), "minItems": 1},
            "description": {"type": "string"},
            "due": {
                "type": "object",
                "properties": {"after": _ref("name"), "within": _ref("duration")},
                "required": ["after", "within"],
                "additionalProperties": False,
            },
        },
        MILESTONE_KEYS,
        ("name", "criteria"),
    )
    funnel = _obj(
        {
            "name": _ref("name"),
            "level": {"enum": list(ir.LEVELS)},
            "steps": {"type": "array", "items": _ref("name"), "minItems": 1},
            "strict": {"type": "boolean"},
            "cohort": {"enum": ["day", "week", "month"]},
            "conversion_window": _ref("duration"),
            "segment_by": {"type": "string", "minLength": 1},
            "expected": {"type": "object", "additionalProperties": _ref("duration")},
        },
        FUNNEL_KEYS,
        ("name", "steps"),
    )
    text = {"type": "string", "minLength": 1}
    relation = {"relation": text}
    source = _obj(
        {
            "events": text,
            "columns": _obj({k: text for k in COLUMN_KEYS}, COLUMN_KEYS),
            "property_columns": {"type": "array", "items": text},
            "contacts": _obj(
                {**relation, "contact": text, "account": text}, ("relation", "contact", "account"), ("relation",)
            ),
            "accounts": _obj({**relation, "account": text}, ("relation", "account"), ("relation",)),
        },
        SOURCE_KEYS,
    )
    assert set(measure_props) == set(MEASURE_KEYS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "milestone-compiler milestone file (milestones/*.yml) or unit-test file (milestones/tests/*.yml)",
        "description": "source, order, milestones and funnels (files merge), or unit_tests. `milestones validate` checks meaning.",
        "oneOf": [
            _obj(
                {
                    "source": source,
                    "order": {"type": "array", "items": _ref("name")},
                    "milestones": {"type": "array", "items": milestone},
                    "funnels": {"type": "array", "items": funnel},
                },
                TOP_KEYS,
            ),
            _unit_tests(),
        ],
        "$defs": {
            "name": {"type": "string", "pattern": NAME_RE.pattern},
            "duration": {
                "type": "string",
                "pattern": r"^\s*[0-9]+\s*([sSmMhHdDwW]|[sS]econds?|[mM]inutes?|[hH]ours?|[dD]ays?|[wW]eeks?)\s*$",
            },
            "where": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [
                        scalar,
                        {
                            "type": "object",
                            "properties": op_values,
                            "additionalProperties": False,
                            "minProperties": 1,
                            "maxProperties": 1,
                        },
                    ]
                },
            },
            "measure": _obj(measure_props, MEASURE_KEYS, ("event",)),
            "criterion": {"oneOf": [event, milestone_criterion, rate, *groups]},
        },
    }
