"""Shared SQL pieces: the build context, small tree helpers, and the two internal
tables every output reads: normalized events (`_ms_events`) and entities
(`_ms_entities`). The source relation is scanned here, once per run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlglot import exp

from compiler.spec import ir
from compiler.sql.dialects import Dialect

EVENTS = "_ms_events"
ENTITIES = "_ms_entities"
FAR_FUTURE = "9999-12-31 00:00:00"


@dataclass(frozen=True)
class SourceKinds:
    """How the events relation stores what the engine reads differently by type (probed by
    `run`; `compile`, which never connects, assumes the native types).
    timestamp: 'native' (no zone), 'zoned' (an instant) or 'text' (ISO 8601);
    properties_text: the JSON column holds text (which may be invalid JSON)."""

    timestamp: str = "native"
    properties_text: bool = False


@dataclass(frozen=True)
class BuildContext:
    spec: ir.Spec
    dialect: Dialect
    as_of: datetime  # naive UTC
    relation: Callable[[str], exp.Table]  # logical name -> physical table
    accounts_columns: frozenset[str] | None = None  # None: not probed (compile without a connection)
    source_kinds: SourceKinds = SourceKinds()
    # a backfill's normalized events up to its last step (see `prestage_query`), read
    # instead of the source relation by every step
    prestaged: exp.Table | None = None

    def as_of_lit(self) -> exp.Expr:
        return self.ts_lit(self.as_of.strftime("%Y-%m-%d %H:%M:%S.%f"))

    def ts_lit(self, text: str) -> exp.Expr:
        return exp.cast(exp.Literal.string(text), self.dialect.timestamp_type())

    def text(self, e: exp.Expr) -> exp.Expr:
        return exp.cast(e, self.dialect.text_type())

    @cached_property
    def _property_columns(self) -> dict[str, str]:
        return {p: f"p_{i}" for i, p in enumerate(sorted(referenced_properties(self.spec)), 1)}

    def property_columns(self) -> dict[str, str]:
        """Every property the spec reads -> its column in _ms_events (extracted once per row).
        (Computed once per context: stages ask for it per criterion.)"""
        return self._property_columns

    def event_codes(self) -> dict[str, int]:
        """Every event type a criterion reads -> the integer `_ms_events.event_code` holds for
        it (its place in sorted order). Readers compare integers, not type names, and staging
        writes no type strings: at 10M events staging 2.69 s -> 2.43 s and the window stages
        0.72 s -> 0.61 s (bench/RESULTS.md). (Computed once per context.)"""
        return self._event_codes

    @cached_property
    def _event_codes(self) -> dict[str, int]:
        types = {e for m in self.spec.milestones for c in ir.event_measures(m.criteria) for e in c.events}
        return {t: i for i, t in enumerate(sorted(types), 1)}

    def of_types(self, types: Iterable[str], table: str | None = None) -> exp.Expr:
        """`event_code IN (3 /* invited_user */, ...)`: an `_ms_events` row of one of the types."""
        codes = self.event_codes()
        named = []
        for t in sorted(set(types)):
            code = lit(codes[t])
            code.add_comments([t])  # sqlglot escapes a `*/` inside the name
            named.append(code)
        return exp.In(this=col("event_code", table), expressions=named)


def referenced_properties(spec: ir.Spec) -> set[str]:
    props: set[str] = set()
    for m in spec.milestones:
        for c in ir.event_measures(m.criteria):
            props.update(ir.measure_properties(c))
    for f in spec.funnels:
        if f.segment_by:
            props.add(f.segment_by)
    return props


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=exp.to_identifier(name), table=exp.to_identifier(table) if table else None)


def lit(v: str | int | float | bool | None) -> exp.Expr:
    if v is None:
        return exp.null()
    if isinstance(v, bool):
        return exp.Boolean(this=v)
    if isinstance(v, (int, float)):
        return exp.Literal.number(v)
    return exp.Literal.string(v)


def alias(e: exp.Expr, name: str) -> exp.Expr:
    """e AS name, around e itself (sqlglot's default copies e: see `case`)."""
    return exp.alias_(e, exp.to_identifier(name), copy=False)


def case(*whens: tuple[exp.Expr, exp.Expr], default: exp.Expr | None = None) -> exp.Case:
    # The node is built directly around its parts. sqlglot's builders (Case.when, .from_,
    # .where, exp.union, ...) copy the tree they extend unless told not to, which made loops
    # quadratic (a 200-milestone compile spent most of its time in deep copies): every
    # builder call in the SQL modules passes copy=False, over parts built fresh for it.
    return exp.Case(ifs=[exp.If(this=cond, true=then) for cond, then in whens], default=default)


def count_where(cond: exp.Expr) -> exp.Expr:
    """COUNT(*) FILTER (WHERE cond): BIGINT everywhere; COUNT_IF/COUNTIF where FILTER is missing."""
    return exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=cond))


def add_all(parts: list[exp.Expr]) -> exp.Expr:
    """parts[0] + parts[1] + ... as one expression."""
    total = parts[0]
    for p in parts[1:]:
        total = exp.Add(this=total, expression=p)
    return total


def union_all(selects: Sequence[exp.Query]) -> exp.Query:
    """The selects UNION ALL'd, in place (exp.union's default deep copy of the growing
    chain made long folds quadratic: a 20-milestone compile spent 7.0 of 8.2 s copying)."""
    body: exp.Query = selects[0]
    for q in selects[1:]:
        body = exp.union(body, q, distinct=False, copy=False)
    return body


def rows_per_source_row(
    ctx: BuildContext, source: exp.Expr, fixed: list[exp.Expr], rows: list[list[exp.Expr]]
) -> exp.Query:
    """Several output rows per source row: the `fixed` columns on each, then one of `rows`
    (aliased expressions, the same names in the same order in each).

    Where the dialect allows (DuckDB), one scan with parallel UNNESTs of per-row lists: the
    lists are built once per source row, and one entity's rows are written side by side.
    DuckDB compresses the id strings of a row group holding ~9k entities much faster than
    one holding 120k (milestone_criteria at 10M events: 1.50 s -> 1.19 s). Elsewhere one
    SELECT per row, UNION ALL'd."""
    if not ctx.dialect.unnest_rows:
        return union_all(
            [exp.select(*[f.copy() for f in fixed], *row).from_(source.copy(), copy=False) for row in rows]
        )
    names = [e.alias_or_name for e in rows[0]]
    unnested = [
        alias(exp.Unnest(expressions=[exp.Array(expressions=[row[i].unalias() for row in rows])]), name)
        for i, name in enumerate(names)
    ]
    return exp.select(*fixed, *unnested).from_(source, copy=False)


def concat(parts: Sequence[exp.Expr]) -> exp.Expr:
    """parts[0] || parts[1] || ... (text)."""
    out = parts[0]
    for p in parts[1:]:
        out = exp.DPipe(this=out, expression=p, safe=True)
    return out


def id_list(pieces: Sequence[tuple[exp.Expr, str]]) -> exp.Expr:
    """The ids whose condition holds, in the given order, comma-joined ('' when none):
    ',<id>' per id, then the first comma dropped (no ordered string aggregation)."""
    if not pieces:
        return lit("")
    joined = concat([case((cond, lit("," + cid)), default=lit("")) for cond, cid in pieces])
    return exp.Substring(this=joined, start=lit(2))


def and_(*conds: exp.Expr) -> exp.Expr:
    return exp.and_(*conds, copy=False) if conds else exp.true()


def coalesce(*args: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=args[0], expressions=list(args[1:]))


def greatest(args: list[exp.Expr]) -> exp.Expr:
    """Only for non-null arguments: engines disagree on GREATEST with NULLs."""
    return args[0] if len(args) == 1 else exp.Greatest(this=args[0], expressions=args[1:])


def least(args: list[exp.Expr]) -> exp.Expr:
    return args[0] if len(args) == 1 else exp.Least(this=args[0], expressions=args[1:])


def add_seconds(ts: exp.Expr, seconds: int) -> exp.Expr:
    return exp.Add(this=ts, expression=exp.Interval(this=exp.Literal.string(str(seconds)), unit=exp.var("SECOND")))


def sub_seconds(ts: exp.Expr, seconds: int) -> exp.Expr:
    return exp.Sub(this=ts, expression=exp.Interval(this=exp.Literal.string(str(seconds)), unit=exp.var("SECOND")))


def table_ref(name: str) -> exp.Table:
    """A dotted relation name (db.schema.table) as a table expression."""
    return exp.to_table(name) if "." in name else exp.Table(this=exp.to_identifier(name))


def row_number(partition: list[exp.Expr], order: list[exp.Ordered]) -> exp.Window:
    return exp.Window(this=exp.RowNumber(), partition_by=partition, order=exp.Order(expressions=order))


def asc(e: exp.Expr) -> exp.Ordered:
    return exp.Ordered(this=e)


def subquery(q: exp.Select, name: str) -> exp.Subquery:
    return q.subquery(exp.to_identifier(name), copy=False)


# -- _ms_events -----------------------------------------------------------------------


def property_event_types(spec: ir.Spec) -> dict[str, set[str] | None]:
    """Property -> the event types whose criteria read it (None: every type, for funnel
    segments, which read the entity's first event of any type)."""
    types: dict[str, set[str] | None] = {}
    for m in spec.milestones:
        for c in ir.event_measures(m.criteria):
            for prop in ir.measure_properties(c):
                seen = types.setdefault(prop, set())
                if seen is not None:
                    seen.update(c.events)
    for f in spec.funnels:
        if f.segment_by:
            types[f.segment_by] = None
    return types


def _normalized(ctx: BuildContext, source: exp.Table, extra: list[exp.Expr]) -> exp.Select:
    """The rows that exist for the run: non-null type and timestamp, at or before as_of,
    event_id duplicates collapsed to the earliest copy (null ids never merge).
    Columns: event_name, occurred_at, contact_id, own_account_id, extra."""
    if ctx.prestaged is not None:
        # already normalized (up to a later instant, with every extra column): only the as_of
        # bound is left. Collapsing duplicates before the bound keeps the same copies, since
        # the earliest copy of an id is at or before as_of whenever any copy is.
        names = ["event_name", "occurred_at", "contact_id", "own_account_id", *[e.alias_or_name for e in extra]]
        return (
            exp.select(*[col(n) for n in names])
            .from_(ctx.prestaged.copy(), copy=False)
            .where(exp.LTE(this=col("occurred_at"), expression=ctx.as_of_lit()), copy=False)
        )
    cols = ctx.spec.source.columns
    ts = event_timestamp(ctx)
    raw = exp.select(
        alias(ctx.text(col(cols.event)), "event_name"),
        alias(ts, "occurred_at"),
        alias(ctx.text(col(cols.contact)), "contact_id"),
        alias(ctx.text(col(cols.account)), "own_account_id"),
        *extra,
    )
    exists = [
        not_null(col(cols.event)),
        not_null(ts.copy()),
        exp.LTE(this=ts.copy(), expression=ctx.as_of_lit()),
    ]
    if not cols.event_id:
        return raw.from_(source, copy=False).where(and_(*exists), copy=False)
    raw = (
        raw.select(alias(ctx.text(col(cols.event_id)), "event_id"), copy=False)
        .from_(source, copy=False)
        .where(and_(*exists), copy=False)
    )
    numbered = exp.select(exp.Star(), alias(row_number([col("event_id")], [asc(col("occurred_at"))]), "copy_no"))
    first_copy = exp.or_(
        exp.Is(this=col("event_id"), expression=exp.null()), exp.EQ(this=col("copy_no"), expression=lit(1))
    )
    return (
        exp.select(*[col(e.alias_or_name) for e in raw.expressions])
        .from_(subquery(numbered.from_(subquery(raw, "raw"), copy=False), "numbered"), copy=False)
        .where(first_copy, copy=False)
    )


def event_timestamp(ctx: BuildContext) -> exp.Expr:
    """The source row's timestamp as UTC TIMESTAMP (NULL for text that is not ISO 8601)."""
    return ctx.dialect.read_timestamp(col(ctx.spec.source.columns.timestamp), ctx.source_kinds.timestamp)


def source_counts_query(ctx: BuildContext, source: exp.Table) -> exp.Select:
    """events_read (rows of the source relation) and events_ignored (rows without an event
    type, without a readable timestamp, or with neither a contact nor an account)."""
    cols = ctx.spec.source.columns
    ignored = exp.or_(
        exp.Is(this=col(cols.event), expression=exp.null()),
        exp.Is(this=event_timestamp(ctx), expression=exp.null()),
        exp.and_(
            exp.Is(this=col(cols.contact), expression=exp.null()), exp.Is(this=col(cols.account), expression=exp.null())
        ),
    )
    return exp.select(
        alias(exp.Count(this=exp.Star()), "events_read"), alias(count_where(ignored), "events_ignored")
    ).from_(source, copy=False)


def events_query(ctx: BuildContext, source: exp.Table) -> exp.Query:
    """Normalized events of the types criteria read (all types when a funnel segments by a
    first-event property), the event's account resolved (its own, else its contact's, from
    _ms_entities) and each referenced property as text, parsed only on the rows of the
    event types that read it. The type is kept as `event_code` (see `event_codes`): a join
    with the code list, which is also the type filter (DuckDB pushes it into the scan)."""
    spec = ctx.spec
    readers = property_event_types(spec)
    every_type = any(types is None for types in readers.values())
    codes = exp.values(
        [(lit(t), lit(n)) for t, n in ctx.event_codes().items()], alias="ty", columns=["event_name", "event_code"]
    )
    rows = _normalized(ctx, source, _property_values(ctx))
    return _events_rest(ctx, rows, codes, every_type)


def _property_values(ctx: BuildContext) -> list[exp.Expr]:
    """Each property the spec reads as text, named by `property_columns`; JSON is parsed
    only on rows of the event types that read it."""
    spec, cols, d = ctx.spec, ctx.spec.source.columns, ctx.dialect
    readers = property_event_types(spec)
    props: list[exp.Expr] = []
    for prop, name in ctx.property_columns().items():
        if prop in spec.source.property_columns:
            value: exp.Expr = ctx.text(col(prop))
        elif cols.properties:
            value = d.json_text(col(cols.properties), tuple(prop.split(".")), ctx.source_kinds.properties_text)
            types = readers.get(prop)
            if types is not None:
                value = case((exp.In(this=col(cols.event), expressions=[lit(t) for t in sorted(types)]), value))
        else:
            value = exp.null()
        props.append(alias(value, name))
    return props


def prestage_query(ctx: BuildContext, source: exp.Table) -> exp.Query:
    """A backfill's events, normalized once for its last step's as_of with every property
    the spec reads: each step's `_ms_events` and `_ms_entities` read these rows up to their
    own as_of instead of parsing the source again."""
    return _normalized(ctx, source, _property_values(ctx))


def _events_rest(ctx: BuildContext, rows: exp.Select, codes: exp.Values, every_type: bool) -> exp.Query:
    spec = ctx.spec
    ev_cols = ["occurred_at", "contact_id"] + list(ctx.property_columns().values())
    # the contact's own account, apart from the event's, only for windows anchored on an
    # account milestone at contact level: one string column less on every row otherwise
    contact_account = [alias(col("account_id", "en"), "contact_account_id")] if reads_contact_account(spec) else []
    return (
        exp.select(
            col("event_code", "ty"),
            *[col(c, "e") for c in ev_cols],
            alias(coalesce(col("own_account_id", "e"), col("account_id", "en")), "account_id"),
            *contact_account,
        )
        .from_(subquery(rows, "e"), copy=False)
        .join(
            codes,
            on=exp.EQ(this=col("event_name", "ty"), expression=col("event_name", "e")),
            join_type="left" if every_type else "inner",
            copy=False,
        )
        .join(
            exp.alias_(ctx.relation(ENTITIES), "en"),
            on=and_(
                exp.EQ(this=col("entity_level", "en"), expression=lit("contact")),
                exp.EQ(this=col("entity_id", "en"), expression=col("contact_id", "e")),
            ),
            join_type="left",
            copy=False,
        )
    )


def reads_contact_account(spec: ir.Spec) -> bool:
    """A contact-level window anchored on an account milestone (it reads contact_account_id)."""
    return any(
        isinstance(c, ir.EventCriterion)
        and c.window is not None
        and c.window.anchor is not None
        and spec.milestone(c.window.anchor).level == "account"
        for m in spec.of_level("contact")
        for c in ir.walk(m.criteria)
    )


def _contacts_relation(ctx: BuildContext, rel: ir.Relation) -> exp.Select:
    """With `contacts` configured it is the only source of a contact's account."""
    return (
        exp.select(
            alias(ctx.text(col(rel.key)), "contact_id"),
            alias(exp.Max(this=ctx.text(col(rel.account))), "account_id"),
        )
        .from_(ctx.relation(rel.name), copy=False)
        .where(not_null(col(rel.key)), copy=False)
        .group_by(ctx.text(col(rel.key)), copy=False)
    )


def not_null(e: exp.Expr) -> exp.Expr:
    return exp.not_(exp.Is(this=e, expression=exp.null()), copy=False)


# -- _ms_entities ---------------------------------------------------------------------


def entities_query(ctx: BuildContext, source: exp.Table) -> exp.Query:
    """One row per account and per contact seen in events (one narrow pass over the
    source). A contact's account_id: the `contacts` relation when configured (the only
    source then), else its latest event with an account (ties: the greatest id). Accounts:
    every event's own account, plus the contact's account of events that have none."""
    rows = _normalized(ctx, source, [])
    # One aggregation over the events: the latest instant of each (contact, own account)
    # pair. Everything below reads these few rows (measured 1.9 s -> 1.1 s at 10M events
    # against grouping the events once per contact and once per account).
    pairs = (
        exp.select(col("contact_id"), col("own_account_id"), alias(exp.Max(this=col("occurred_at")), "last_at"))
        .from_(exp.to_table("normalized"), copy=False)
        .group_by(col("contact_id"), col("own_account_id"), copy=False)
    )
    unowned = exp.Max(this=case((exp.Is(this=col("own_account_id"), expression=exp.null()), lit(1)), default=lit(0)))
    rel = ctx.spec.source.contacts
    if rel is None:
        latest = ctx.dialect.latest_by(col("own_account_id"), col("last_at"))
        contacts: exp.Select = (
            exp.select(col("contact_id"), alias(latest, "account_id"), alias(unowned, "unowned"))
            .from_(exp.to_table("pairs"), copy=False)
            .where(not_null(col("contact_id")), copy=False)
            .group_by(col("contact_id"), copy=False)
        )
    else:
        seen = (
            exp.select(col("contact_id"), alias(unowned, "unowned"))
            .from_(exp.to_table("pairs"), copy=False)
            .where(not_null(col("contact_id")), copy=False)
            .group_by(col("contact_id"), copy=False)
        )
        contacts = (
            exp.select(col("contact_id", "s"), col("account_id", "r"), col("unowned", "s"))
            .from_(subquery(seen, "s"), copy=False)
            .join(
                subquery(_contacts_relation(ctx, rel), "r"),
                on=exp.EQ(this=col("contact_id", "s"), expression=col("contact_id", "r")),
                join_type="left",
                copy=False,
            )
        )
    own = (
        exp.select(
            alias(lit("account"), "entity_level"),
            alias(col("own_account_id"), "entity_id"),
            alias(col("own_account_id"), "account_id"),
        )
        .from_(exp.to_table("pairs"), copy=False)
        .where(not_null(col("own_account_id")), copy=False)
    )
    borrowed = (
        exp.select(alias(lit("account"), "entity_level"), alias(col("account_id"), "entity_id"), col("account_id"))
        .from_(exp.to_table("contacts"), copy=False)
        .where(and_(exp.EQ(this=col("unowned"), expression=lit(1)), not_null(col("account_id"))), copy=False)
    )
    people = exp.select(
        alias(lit("contact"), "entity_level"), alias(col("contact_id"), "entity_id"), col("account_id")
    ).from_(exp.to_table("contacts"), copy=False)
    # BigQuery wants mixed set operations parenthesized: the distinct union is a subquery
    accounts = exp.select(exp.Star()).from_(
        exp.union(own, borrowed, distinct=True).subquery(exp.to_identifier("accounts")), copy=False
    )
    body = exp.union(accounts, people, distinct=False)
    return (
        body.with_("normalized", as_=rows, copy=False)
        .with_("pairs", as_=pairs, copy=False)
        .with_("contacts", as_=contacts, copy=False)
    )


def entity_key(level: ir.Level) -> str:
    return "account_id" if level == "account" else "contact_id"
