"""The few places where warehouses differ, one small class per dialect.

Everything else is a plain sqlglot tree that sqlglot renders for any dialect.
Each override says why it exists.
"""

from __future__ import annotations

from sqlglot import exp

# SPEC §7: a numeric string is a plain decimal number (optional sign, digits with an
# optional fraction, optional exponent) and nothing else. Each engine's own cast accepts
# a different superset (DuckDB: '1_000', 'NaN', 'Infinity', ' 7'; Snowflake and BigQuery
# others), so text is matched against this grammar before any cast, on every dialect.
NUMERIC_TEXT = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# Numbers at or beyond this magnitude (and infinities) are not numbers (SPEC §7): they
# would overflow DECIMAL(38, 9), whose integer part holds 29 digits.
NUMBER_LIMIT = "1e29"
# An ISO 8601 date or timestamp, offset optional (none means UTC): the only text a
# timestamp column of text type may hold (DuckDB alone also reads 'epoch', 'infinity',
# '2026/06/29' and zone names; such text is not a timestamp here).
ISO_TIMESTAMP = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$"
)


def _lit(n: int | float) -> exp.Expr:
    return exp.Literal.number(n)


def matches(text: exp.Expr, pattern: str) -> exp.Expr:
    """Whether text matches an anchored regular expression (REGEXP_MATCHES / REGEXP_LIKE /
    REGEXP_CONTAINS: the anchors make partial and full matching agree)."""
    return exp.RegexpLike(this=text, expression=exp.Literal.string(pattern))


class Dialect:
    """DuckDB is the reference dialect: the one every rule is executed against."""

    name = "duckdb"
    # Scratch tables (normalized events, criteria stages) live only for one run. DuckDB
    # keeps temporary tables in memory, spilling to temp_directory: persisting 6M rows of
    # id strings cost 2.5x more at 10M events, for tables dropped minutes later.
    temporary_scratch = True
    # Several output rows per source row (milestone_criteria: a row per criterion of each
    # entity) as one scan with parallel UNNESTs rather than a SELECT per row: see
    # sql.base.rows_per_source_row.
    unnest_rows = True

    def render(self, e: exp.Expr, pretty: bool = False) -> str:
        """The one place a tree becomes SQL text for this warehouse."""
        return e.sql(self.name, pretty=pretty)

    def timestamp_type(self) -> exp.DataType:
        return exp.DataType.build("TIMESTAMP")

    def text_type(self) -> exp.DataType:
        return exp.DataType.build("VARCHAR")

    def decimal_type(self) -> exp.DataType:
        # Sums are compared against thresholds after adding and removing window
        # deltas: doubles would leave 2.9999999 where 3 was meant.
        return exp.DataType.build("DECIMAL(38, 9)")

    def double_type(self) -> exp.DataType:
        return exp.DataType.build("DOUBLE")

    def column_type(self, kind: str) -> exp.DataType:
        """A bookkeeping column's type: "text", "ts" (UTC timestamp), "DOUBLE", or any type name."""
        if kind == "text":
            return self.text_type()
        if kind == "ts":
            return self.timestamp_type()
        return self.double_type() if kind == "DOUBLE" else exp.DataType.build(kind)

    def nth_smallest(self, value: exp.Expr, n: int, cond: exp.Expr) -> exp.Expr:
        """The nth smallest value among rows where cond holds (NULL when fewer)."""
        if n == 1:  # a plain MIN keeps no per-group list (at_least 1 is the common case)
            return exp.Filter(this=exp.Min(this=value), expression=exp.Where(this=cond))
        return self.top_n_last(value, n, cond)

    def top_n_last(self, value: exp.Expr, n: int, cond: exp.Expr) -> exp.Expr:
        # min(x, n) is DuckDB's bounded top-N aggregate: the n smallest, ascending.
        # (Built by name: sqlglot releases differ on whether Min renders its count argument.)
        bounded = exp.Anonymous(this="MIN", expressions=[value, _lit(n)])
        top = exp.Filter(this=bounded, expression=exp.Where(this=cond))
        return exp.Bracket(this=exp.Paren(this=top), expressions=[_lit(n - 1)])

    def latest_by(self, value: exp.Expr, ts: exp.Expr) -> exp.Expr:
        """Aggregate: the value on the row with the greatest ts, ties -> the greatest value;
        rows whose value is NULL are ignored. DuckDB compares structs field by field, so
        ARG_MAX over (ts, value) does both; a NULL key skips the row."""
        key = exp.Struct(
            expressions=[
                exp.PropertyEQ(this=exp.to_identifier("t"), expression=ts),
                exp.PropertyEQ(this=exp.to_identifier("v"), expression=value.copy()),
            ]
        )
        present = exp.not_(exp.Is(this=value.copy(), expression=exp.null()))
        return exp.ArgMax(this=value, expression=exp.Case().when(present, key))

    def json_text(self, column: exp.Expr, path: tuple[str, ...], text: bool = False) -> exp.Expr:
        """The text form of a property (3 -> '3', true -> 'true'; JSON null, a missing key,
        and a value that is not a JSON object -> NULL). text: the column holds JSON as text
        (it may then be invalid), else the engine's JSON type."""
        # json_extract_string raises on invalid JSON text, failing the whole statement;
        # TRY() makes that row's value NULL (measured: no cost on valid rows, where a
        # json_valid() guard cost +40%). Arrays and scalars have no keys: NULL.
        extract = exp.Anonymous(this="json_extract_string", expressions=[column, exp.Literal.string(json_path(path))])
        return exp.Anonymous(this="TRY", expressions=[extract])

    def json_keys_query(self, column: exp.Expr, source: exp.Expr) -> exp.Select | None:
        """Distinct top-level keys of a JSON column (None where not implemented: callers
        then make no suggestions). Invalid JSON text has no keys."""
        keys = exp.Anonymous(this="TRY", expressions=[exp.Anonymous(this="json_keys", expressions=[column])])
        return exp.select(exp.alias_(exp.Unnest(expressions=[keys]), "k")).from_(source).distinct()

    def json_key_counts(self, event: exp.Expr, column: exp.Expr, source: exp.Expr) -> exp.Select | None:
        """(event, key, events with the key set, an example value) over top-level JSON keys
        (None where not implemented)."""
        keys = exp.Anonymous(this="TRY", expressions=[exp.Anonymous(this="json_keys", expressions=[column.copy()])])
        pairs = exp.select(
            exp.alias_(event, "event"), exp.alias_(exp.Unnest(expressions=[keys]), "k"), exp.alias_(column, "j")
        ).from_(source)
        value = exp.Anonymous(
            this="json_extract_string",
            expressions=[exp.column("j"), exp.DPipe(this=exp.Literal.string("$."), expression=exp.column("k"))],
        )
        return (
            exp.select(exp.column("event"), exp.column("k"), exp.Count(this=exp.Star()), exp.Max(this=value))
            .from_(pairs.subquery("kv"))
            .group_by(exp.column("event"), exp.column("k"))
        )

    def cast_number(self, text: exp.Expr) -> exp.Expr:
        """The engine's cast of text already known to be a plain decimal number."""
        return exp.TryCast(this=text, to=self.double_type())

    def try_number(self, text: exp.Expr) -> exp.Expr:
        """A property's number (SPEC §7), or NULL: text outside NUMERIC_TEXT, and values that
        are not finite or reach NUMBER_LIMIT, are not numbers (and never fail a run)."""
        number = self.cast_number(text.copy())
        bounded = exp.LT(this=exp.Abs(this=number.copy()), expression=exp.Literal.number(NUMBER_LIMIT))
        return exp.case().when(exp.not_(matches(text, NUMERIC_TEXT)), exp.null()).when(bounded, number)

    def read_timestamp(self, column: exp.Expr, kind: str = "native") -> exp.Expr:
        """An event timestamp as UTC TIMESTAMP. kind: 'native' (a timestamp without zone),
        'zoned' (an instant: converted to UTC) or 'text' (ISO 8601, an offset converts to
        UTC, none means UTC; anything else is NULL, so the row is ignored and counted)."""
        if kind != "text":
            return exp.cast(column, self.timestamp_type())  # TIMESTAMPTZ -> UTC (session TimeZone)
        parsed = exp.cast(exp.TryCast(this=column.copy(), to=exp.DataType.build("TIMESTAMPTZ")), self.timestamp_type())
        return exp.case().when(matches(column, ISO_TIMESTAMP), parsed)

    def epoch_micros(self, ts: exp.Expr) -> exp.Expr:
        """Integer microseconds since 1970-01-01 UTC."""
        return exp.Anonymous(this="EPOCH_US", expressions=[ts])

    def epoch_seconds(self, ts: exp.Expr) -> exp.Expr:
        # Elapsed time as epoch arithmetic: DATEDIFF-style functions count unit boundaries
        # on some engines. Microseconds keep fractions exact.
        return exp.Div(this=self.epoch_micros(ts), expression=exp.Literal.number("1000000.0"))

    def truncate(self, ts: exp.Expr, unit: str) -> exp.Expr:
        """Start of the day/week/month; weeks start on Monday (ISO)."""
        return exp.TimestampTrunc(this=ts, unit=exp.var(unit.upper()))


class Snowflake(Dialect):
    name = "snowflake"
    temporary_scratch = False  # scratch tables are dropped after the run instead

    def json_key_counts(self, event: exp.Expr, column: exp.Expr, source: exp.Expr) -> exp.Select | None:
        return None

    def json_keys_query(self, column: exp.Expr, source: exp.Expr) -> exp.Select | None:
        return None  # (LATERAL FLATTEN would list them; not needed for correctness)

    unnest_rows = False  # no zipped UNNEST in the select list (FLATTEN is a lateral join)

    def latest_by(self, value: exp.Expr, ts: exp.Expr) -> exp.Expr:
        return _latest_by_key(self, value, ts)

    def timestamp_type(self) -> exp.DataType:
        return exp.DataType.build("TIMESTAMP_NTZ", dialect="snowflake")

    def top_n_last(self, value: exp.Expr, n: int, cond: exp.Expr) -> exp.Expr:
        # No FILTER clause and no bounded MIN: MIN_BY(x, x, n) keeps the n smallest
        # (rows whose key is NULL are skipped), as an ascending array.
        masked = exp.If(this=cond, true=value, false=exp.null())
        top = exp.ArgMin(this=masked, expression=masked.copy(), count=_lit(n))
        # An ARRAY element is a VARIANT: cast it back (only timestamps are ranked here).
        return exp.cast(exp.Bracket(this=top, expressions=[_lit(n - 1)]), self.timestamp_type())

    def json_text(self, column: exp.Expr, path: tuple[str, ...], text: bool = False) -> exp.Expr:
        # JSON null and missing paths give NULL. A VARIANT is parsed JSON already; JSON
        # text is parsed with TRY_PARSE_JSON first (NULL when invalid, where
        # JSON_EXTRACT_PATH_TEXT would fail the statement).
        quoted = ".".join('"' + p.replace('"', '\\"') + '"' for p in path)
        source = exp.Anonymous(this="TRY_PARSE_JSON", expressions=[column]) if text else column
        return exp.Anonymous(this="JSON_EXTRACT_PATH_TEXT", expressions=[source, exp.Literal.string(quoted)])

    def cast_number(self, text: exp.Expr) -> exp.Expr:
        # TRY_CAST only accepts text on Snowflake: keep the argument a string.
        return exp.Anonymous(this="TRY_TO_DOUBLE", expressions=[text])

    def read_timestamp(self, column: exp.Expr, kind: str = "native") -> exp.Expr:
        # CAST(TIMESTAMP_TZ AS TIMESTAMP_NTZ) keeps the wall clock and drops the offset:
        # instants are converted to UTC first. Text without an offset is read in the
        # session's TIMEZONE, which the adapter sets to UTC.
        if kind == "native":
            return exp.cast(column, self.timestamp_type())
        if kind == "zoned":
            return exp.cast(_utc(column), self.timestamp_type())
        # (sqlglot writes TRY_CAST only over an expression it knows to be text)
        as_text = exp.cast(column.copy(), self.text_type())
        parsed = exp.cast(_utc(exp.TryCast(this=as_text, to=exp.DataType.build("TIMESTAMPTZ"))), self.timestamp_type())
        return exp.case().when(matches(column, ISO_TIMESTAMP), parsed)

    def epoch_micros(self, ts: exp.Expr) -> exp.Expr:
        return exp.Anonymous(this="DATE_PART", expressions=[exp.var("EPOCH_MICROSECOND"), ts])

    def truncate(self, ts: exp.Expr, unit: str) -> exp.Expr:
        # DATE_TRUNC('WEEK') follows the WEEK_START session parameter; ISO weeks are
        # pinned by truncating to the day and stepping back DAYOFWEEKISO - 1 days.
        if unit != "week":
            return super().truncate(ts, unit)
        day = exp.TimestampTrunc(this=ts, unit=exp.var("DAY"))
        back = exp.Sub(
            this=exp.Anonymous(this="DAYOFWEEKISO", expressions=[ts.copy()]), expression=exp.Literal.number(1)
        )
        return exp.Anonymous(this="DATEADD", expressions=[exp.var("DAY"), exp.Neg(this=exp.Paren(this=back)), day])


class BigQuery(Dialect):
    name = "bigquery"
    temporary_scratch = False  # temporary tables exist only inside BigQuery scripts

    def json_key_counts(self, event: exp.Expr, column: exp.Expr, source: exp.Expr) -> exp.Select | None:
        return None

    def json_keys_query(self, column: exp.Expr, source: exp.Expr) -> exp.Select | None:
        return None  # (JSON_KEYS would list them; not needed for correctness)

    unnest_rows = False  # UNNEST is a FROM item here, not a select-list expression

    def latest_by(self, value: exp.Expr, ts: exp.Expr) -> exp.Expr:
        return _latest_by_key(self, value, ts)

    def timestamp_type(self) -> exp.DataType:
        # TIMESTAMP in BigQuery is an absolute instant (rendered as TIMESTAMP, not DATETIME).
        return exp.DataType.build("TIMESTAMPTZ")

    def text_type(self) -> exp.DataType:
        return exp.DataType.build("STRING", dialect="bigquery")

    def decimal_type(self) -> exp.DataType:
        return exp.DataType.build("BIGNUMERIC", dialect="bigquery")

    def double_type(self) -> exp.DataType:
        return exp.DataType.build("FLOAT64", dialect="bigquery")

    def render(self, e: exp.Expr, pretty: bool = False) -> str:
        # None of our ORDER BY keys can be NULL, so null placement never matters; stating
        # BigQuery's own default (NULLS FIRST ascending) stops sqlglot from trying to add
        # NULLS LAST, which BigQuery does not accept inside aggregate calls.
        e = e.copy()
        for ordered in e.find_all(exp.Ordered):
            if ordered.args.get("nulls_first") is None:
                ordered.set("nulls_first", not ordered.args.get("desc"))
        return e.sql(self.name, pretty=pretty)

    def top_n_last(self, value: exp.Expr, n: int, cond: exp.Expr) -> exp.Expr:
        # ARRAY_AGG(x IGNORE NULLS ORDER BY x IS NULL, x LIMIT n)[SAFE_OFFSET(n-1)]: bounded
        # top-N. NULLs (rows failing cond) are ordered last so the result is the same whether
        # IGNORE NULLS drops them before or after LIMIT.
        masked = exp.If(this=cond, true=value, false=exp.null())
        nulls_last = exp.Ordered(this=exp.Is(this=masked.copy(), expression=exp.null()), nulls_first=True)
        ordered = exp.Order(this=masked, expressions=[nulls_last, exp.Ordered(this=masked.copy(), nulls_first=True)])
        agg = exp.IgnoreNulls(this=exp.ArrayAgg(this=exp.Limit(this=ordered, expression=_lit(n))))
        return exp.Bracket(this=agg, expressions=[_lit(n - 1)], offset=0, safe=True)

    def json_text(self, column: exp.Expr, path: tuple[str, ...], text: bool = False) -> exp.Expr:
        # JSON text is parsed with SAFE.PARSE_JSON (NULL when invalid); wide numbers are
        # rounded rather than rejected, so one huge number does not hide the whole object.
        if text:
            mode = exp.Kwarg(this=exp.var("wide_number_mode"), expression=exp.Literal.string("round"))
            parse = exp.Anonymous(this="PARSE_JSON", expressions=[column, mode])
            column = exp.Dot(this=exp.var("SAFE"), expression=parse)
        return exp.Anonymous(this="JSON_VALUE", expressions=[column, exp.Literal.string(json_path(path))])

    def read_timestamp(self, column: exp.Expr, kind: str = "native") -> exp.Expr:
        # TIMESTAMP is an instant here; SAFE_CAST reads ISO text with or without an offset
        # (none: UTC) and gives NULL for anything else.
        if kind != "text":
            return exp.cast(column, self.timestamp_type())
        parsed = exp.TryCast(this=column.copy(), to=self.timestamp_type())
        return exp.case().when(matches(column, ISO_TIMESTAMP), parsed)

    def epoch_micros(self, ts: exp.Expr) -> exp.Expr:
        return exp.Anonymous(this="UNIX_MICROS", expressions=[ts])

    def truncate(self, ts: exp.Expr, unit: str) -> exp.Expr:
        # TIMESTAMP_TRUNC(ts, WEEK) starts weeks on Sunday; ISOWEEK starts them on Monday.
        return exp.TimestampTrunc(this=ts, unit=exp.var("ISOWEEK" if unit == "week" else unit.upper()))


def _utc(ts: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this="CONVERT_TIMEZONE", expressions=[exp.Literal.string("UTC"), ts])


def _latest_by_key(d: Dialect, value: exp.Expr, ts: exp.Expr) -> exp.Expr:
    """Portable latest-by: MAX over '<epoch microseconds, zero-padded><value>' orders by
    time, then value; the value is the text after the 20-digit prefix. A NULL value makes
    the key NULL, so MAX skips it. (Timestamps before 1970 would sort wrongly; event data
    does not go there.)"""
    padded = exp.Anonymous(
        this="LPAD",
        expressions=[exp.cast(d.epoch_micros(ts), d.text_type()), exp.Literal.number(20), exp.Literal.string("0")],
    )
    key = exp.DPipe(this=padded, expression=value, safe=True)
    return exp.Substring(this=exp.Max(this=key), start=exp.Literal.number(21))


def json_path(path: tuple[str, ...]) -> str:
    """A JSONPath with every key quoted, so dots, spaces and quotes in keys stay keys."""
    return "$" + "".join('."' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in path)


DIALECTS: dict[str, type[Dialect]] = {"duckdb": Dialect, "snowflake": Snowflake, "bigquery": BigQuery}


def get_dialect(name: str) -> Dialect:
    return DIALECTS[name]()
