"""The spec checked against the source relations in the warehouse (`validate` with a
reachable target, and `run` before it writes anything).

- Mapped columns (`source.columns`, `property_columns`, the keys of `contacts` and
  `accounts`) missing from their relation are errors, with the file and line of the
  mapping and the closest column.
- Event names, property keys (filters, `distinct:`, `sum:`, rate parts) and `segment_by`
  properties that never occur in the events are warnings with a closest match (case
  included): a misspelled name would otherwise give a silent 0%.

Everything is read with compiled SQL: a relation's columns from a zero-row SELECT, the
event names from one GROUP BY, the property presence from one aggregate pass.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from sqlglot import exp

from compiler.errors import Problem, RunError
from compiler.project import Project
from compiler.spec import ir
from compiler.sql.base import (
    EVENTS,
    BuildContext,
    alias,
    and_,
    col,
    count_where,
    lit,
    not_null,
    property_event_types,
    referenced_properties,
)
from compiler.warehouse.adapters import Adapter


def suggestion(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'X'?)' for the closest known name; a difference of case first."""
    known = sorted(set(known))
    same = [k for k in known if k.lower() == name.lower() and k != name]
    close = same or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def relation_select(p: Project, name: str, staged: bool = False) -> exp.Select:
    """Rows of a source relation: a model's query (reading its upstream's final names)
    when the model is not built yet, else the relation itself."""
    model = p.models.get(name)
    if model is not None and not staged:
        return exp.select(exp.Star()).from_(
            exp.Subquery(this=model.query.copy(), alias=exp.TableAlias(this=exp.to_identifier("m")))
        )
    return exp.select(exp.Star()).from_(p.relation(name, staged))


def _mapped(p: Project) -> list[tuple[str, str, str, str]]:
    """(relation kind, relation name, setting, column) of every mapped column."""
    src = p.spec.source
    c = src.columns
    out = [("events", src.events, f"columns.{k}", v) for k, v in
           (("event", c.event), ("timestamp", c.timestamp), ("contact", c.contact), ("account", c.account),
            ("properties", c.properties), ("event_id", c.event_id)) if v]  # fmt: skip
    out += [("events", src.events, "property_columns", name) for name in src.property_columns]
    if src.contacts:
        out += [("contacts", src.contacts.name, "contacts.contact", src.contacts.key)]
        out += [("contacts", src.contacts.name, "contacts.account", src.contacts.account)]
    if src.accounts:
        out += [("accounts", src.accounts.name, "accounts.account", src.accounts.key)]
    return out


def columns_of(p: Project, adapter: Adapter, name: str, staged: bool = False) -> list[str] | None:
    """The relation's columns (lower case), or None when it cannot be read yet (a model
    whose upstream models are not built)."""
    try:
        return [c.lower() for c in adapter.columns(p.dialect.render(relation_select(p, name, staged).limit(0)))]
    except RunError:
        if name in p.models and not staged:
            return None
        raise


def missing_columns(p: Project, adapter: Adapter, staged: bool = False) -> tuple[list[Problem], list[str]]:
    """Problems for mapped columns missing from their relation, and the relations that
    could not be read yet (checked again once the models are built)."""
    problems, unread = [], []
    src = p.spec.source
    seen: dict[str, list[str] | None] = {}
    for kind, name, setting, column in _mapped(p):
        if name not in seen:
            try:
                seen[name] = columns_of(p, adapter, name, staged)
            except RunError as e:
                problems.append(Problem(src.file, src.line_of(kind if kind != "events" else "events"),
                                        f"cannot read the {kind} relation '{name}': {str(e).splitlines()[0]}"))  # fmt: skip
                seen[name] = []
                continue
            if seen[name] is None:
                unread.append(name)
        columns = seen[name]
        if columns and column.lower() not in columns:
            problems.append(
                Problem(
                    src.file,
                    src.line_of(setting),
                    f"source.{setting}: column '{column}' is not in the {kind} relation '{name}'"
                    f" (its columns: {', '.join(columns)})" + suggestion(column, columns),
                )
            )
    return problems, sorted(set(unread))


def data_warnings(p: Project, adapter: Adapter, staged: bool = False) -> list[Problem]:
    """Event names and property keys the spec reads that never occur in the events (two
    passes over the source relation; `validate`)."""
    types = adapter.column_types(p.dialect.render(relation_select(p, p.spec.source.events, staged).limit(0)))
    text = p.source_kinds(types).properties_text
    seen = _source_names(p, adapter, staged)
    return _warnings(
        p, adapter, staged, seen.__contains__, lambda: seen, _source_property_counts(p, adapter, staged, text)
    )


def staged_warnings(p: Project, adapter: Adapter, ctx: BuildContext) -> list[Problem]:
    """The same, read from a run's staged `_ms_events` (the event types the spec reads and
    their properties, already extracted): two narrow aggregates instead of passes over the
    source, which is read again only to suggest names when something is missing."""
    events = ctx.relation(EVENTS)
    found = adapter.execute(
        p.dialect.render(
            exp.select(col("event_code"), exp.Count(this=exp.Star())).from_(events.copy()).group_by(col("event_code"))
        )
    )
    by_code = {code: name for name, code in ctx.event_codes().items()}
    present = {by_code.get(code) for code, n in found if n}
    props = ctx.property_columns()
    counts: dict[str, int] = {}
    if props:
        q = exp.select(*[alias(exp.Count(this=col(c)), c) for c in props.values()]).from_(events.copy())
        counts = dict(zip(props, map(int, adapter.execute(p.dialect.render(q))[0]), strict=True))
    return _warnings(p, adapter, True, present.__contains__, lambda: _source_names(p, adapter, True), counts)


def _source_names(p: Project, adapter: Adapter, staged: bool) -> set[str]:
    cols = p.spec.source.columns
    events = relation_select(p, p.spec.source.events, staged).subquery(exp.to_identifier("src"), copy=False)
    name = p.context(False).text(col(cols.event))
    q = exp.select(alias(name, "name")).from_(events, copy=False).group_by(name.copy(), copy=False)
    return {str(n) for (n,) in adapter.execute(p.dialect.render(q)) if n is not None}


def _warnings(
    p: Project,
    adapter: Adapter,
    staged: bool,
    occurs: Callable[[str], bool],
    names: Callable[[], set[str]],
    counts: dict[str, int],
) -> list[Problem]:
    """occurs: whether an event type has events; names: every type in the source (asked only
    when one is missing, for a suggestion); counts: property -> events with a value."""
    out: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    known: set[str] | None = None
    for m in p.spec.milestones:
        for i, c in event_nodes(m):
            for name in c.events:
                if occurs(name) or (m.name, name) in reported:
                    continue
                reported.add((m.name, name))
                known = names() if known is None else known
                message = f"criterion {i}: event '{name}' never occurs in the source" + suggestion(name, known)
                out.append(Problem(m.file, m.line, message, m.name))
    keys: set[str] | None = None
    for prop, n in sorted(counts.items()):
        if n:
            continue
        keys = _json_keys(p, adapter, staged) if keys is None else keys
        known_keys = keys | set(p.spec.source.property_columns)
        users = [m for m in p.spec.milestones if prop in _props_of(m)]
        message = f"property '{prop}' never has a value in the events that read it" + suggestion(prop, known_keys)
        if users:
            out.append(Problem(users[0].file, users[0].line, message, users[0].name))
        out += [
            Problem(f.file, f.line, f"funnel '{f.name}': segment_by: {message}")
            for f in p.spec.effective_funnels()
            if f.segment_by == prop
        ]
    return out


def event_nodes(m: ir.Milestone) -> list[tuple[str, ir.EventCriterion]]:
    out = []
    for c in ir.walk(m.criteria):
        if isinstance(c, ir.EventCriterion):
            out.append((c.id, c))
        elif isinstance(c, ir.RateCriterion):
            out += [(c.id, part) for part in (c.numerator, c.denominator)]
    return out


def _source_property_counts(p: Project, adapter: Adapter, staged: bool, text: bool) -> dict[str, int]:
    """One pass counting, per property the spec reads, the events (of the types that read
    it) where it has a value."""
    spec, cols = p.spec, p.spec.source.columns
    ctx = p.context(False)
    readers = property_event_types(spec)
    measures = []
    for prop in sorted(referenced_properties(spec)):
        if prop in spec.source.property_columns:
            value: exp.Expr = col(prop)
        elif cols.properties:
            value = p.dialect.json_text(col(cols.properties), tuple(prop.split(".")), text)
        else:
            continue
        types = readers.get(prop)
        cond = not_null(value)
        if types is not None:
            cond = and_(exp.In(this=ctx.text(col(cols.event)), expressions=[lit(t) for t in sorted(types)]), cond)
        measures.append((prop, count_where(cond)))
    if not measures:
        return {}
    events = relation_select(p, spec.source.events, staged).subquery(exp.to_identifier("src"), copy=False)
    q = exp.select(*[alias(m, f"p{i}") for i, (_, m) in enumerate(measures)]).from_(events, copy=False)
    try:
        counts = adapter.execute(p.dialect.render(q))[0]
    except RunError:
        return {}  # a JSON column the engine cannot read as such: the run itself will say so
    return {prop: int(n or 0) for (prop, _), n in zip(measures, counts, strict=True)}


def _props_of(m: ir.Milestone) -> set[str]:
    return {prop for c in ir.event_measures(m.criteria) for prop in ir.measure_properties(c)}


def _json_keys(p: Project, adapter: Adapter, staged: bool) -> set[str]:
    """Top-level keys of the JSON properties, for suggestions (where the engine can list them)."""
    cols = p.spec.source.columns
    if not cols.properties:
        return set()
    events = relation_select(p, p.spec.source.events, staged).subquery(exp.to_identifier("src"), copy=False)
    q = p.dialect.json_keys_query(col(cols.properties), events)
    if q is None:
        return set()
    try:
        return {str(k) for (k,) in adapter.execute(p.dialect.render(q)) if k is not None}
    except RunError:
        return set()
