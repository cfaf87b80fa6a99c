"""The project context: spec, target, models and the ordered list of statements a
run executes. One object the CLI drives; it owns no I/O with the warehouse."""

from __future__ import annotations

import copy
import difflib
import graphlib
import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlglot import exp

from compiler.errors import Problem, ProjectError
from compiler.spec import ir
from compiler.spec.validate import lint, load_spec
from compiler.sql import plan
from compiler.sql.base import BuildContext, SourceKinds, source_counts_query, table_ref
from compiler.sql.criteria import topo_order
from compiler.sql.dialects import get_dialect
from compiler.warehouse.models import Model, render_models
from compiler.warehouse.profiles import Target, load_target

STAGED_SUFFIX = "__ms_new"


@dataclass(frozen=True)
class Statement:
    name: str
    kind: str  # model_view | model_table | stage (scratch) | output
    query: exp.Expr


class Project:
    def __init__(
        self,
        project_dir: Path,
        profiles_dir: Path | None = None,
        target: str | None = None,
        as_of: datetime | None = None,
        variables: dict[str, Any] | None = None,
        select: tuple[str, ...] = (),
        offline: bool = False,
    ):
        self.dir = project_dir
        problems: list[Problem] = []
        try:
            self.spec = load_spec(project_dir)
        except ProjectError as e:
            problems.extend(e.problems)
            self.spec = ir.Spec(ir.Source(), (), ())
        self.target: Target = load_target(profiles_dir or project_dir, target, require_env=not offline)
        self.dialect = get_dialect(self.target.type)
        self.as_of = as_of or datetime.utcnow().replace(microsecond=0)
        self.models: dict[str, Model] = {}  # relation() consults it; ref() runs while it fills
        self.models = render_models(project_dir, self.target.type, self.relation, dict(variables or {}), problems)
        self.models_published = False
        self.full_spec = self.spec  # before --select narrows it (the baseline records every milestone)
        self.selected: tuple[str, ...] = ()  # the milestones named by --select
        if not problems:
            self.spec = self._select(select, problems)
            self._check_dag(problems)
        if problems:
            raise ProjectError(problems)
        # warnings (validate --strict makes them errors): the spec's lint
        self.warnings: list[Problem] = lint(self.spec)

    # -- naming ------------------------------------------------------------------------

    def relation(self, name: str, staged: bool = False) -> exp.Table:
        """Models, outputs and internal tables live in the target schema; anything else is a
        relation the user named (raw.events). staged: a run builds models and outputs under
        `<name>__ms_new` and publishes them all at the end (see runner)."""
        if "." in name and name not in self.models:
            return table_ref(name)
        if plan.is_scratch(name) and self.dialect.temporary_scratch:
            return exp.table_(exp.to_identifier(name), db=exp.to_identifier("main"), catalog=exp.to_identifier("temp"))
        return self.in_schema(name + STAGED_SUFFIX if staged and self.is_staged(name) else name)

    def in_schema(self, physical: str) -> exp.Table:
        """A relation of that exact name in the target schema."""
        catalog = self.target.settings.get({"snowflake": "database", "bigquery": "project"}.get(self.target.type, ""))
        return exp.table_(
            exp.to_identifier(physical),
            db=exp.to_identifier(self.target.schema),
            catalog=exp.to_identifier(str(catalog)) if catalog else None,
        )

    def is_staged(self, name: str) -> bool:
        """Relations a run builds under a staged name: outputs and models (unless a
        backfill's earlier step built and published the models: `models_published`)."""
        return name in plan.OUTPUT_TABLES or (name in self.models and not self.models_published)

    def context(
        self,
        staged: bool,
        accounts_columns: frozenset[str] | None = None,
        source_kinds: SourceKinds | None = None,
        prestaged: exp.Table | None = None,
    ) -> BuildContext:
        return BuildContext(
            self.spec,
            self.dialect,
            self.as_of,
            lambda n: self.relation(n, staged),
            accounts_columns,
            source_kinds or SourceKinds(),
            prestaged,
        )

    # -- plan --------------------------------------------------------------------------

    def statements(self, staged: bool = False, source_kinds: SourceKinds | None = None) -> list[Statement]:
        """Every statement of a run in order. Without a connection the accounts columns come
        from the accounts model's SQL and the source kinds default to native types."""
        accounts = self.declared_accounts_columns()
        return self.model_statements(staged) + self.milestone_statements(staged, accounts, source_kinds)

    def declared_accounts_columns(self) -> frozenset[str] | None:
        """Without a connection: the accounts model's output columns, when it names them all."""
        accounts = self.spec.source.accounts
        model = self.models.get(accounts.name) if accounts else None
        if model is None or not isinstance(model.query, exp.Select) or model.query.is_star:
            return None
        return frozenset(name.lower() for name in model.query.named_selects)

    def model_statements(self, staged: bool = False) -> list[Statement]:
        """Models in dependency order; staged: each reads its upstream models' staged names."""
        out = []
        for n in self._model_order():
            model = self.models[n]
            query = self._read_staged(model.query) if staged else model.query
            out.append(Statement(n, f"model_{model.materialized}", query))
        return out

    def _read_staged(self, query: exp.Expr) -> exp.Expr:
        """The query with every reference to a model's final relation replaced by its staged one."""
        finals = {tuple(p.name for p in self.relation(n).parts): n for n in self.models}

        def swap(node: exp.Expr) -> exp.Expr:
            if isinstance(node, exp.Table) and not isinstance(node.parent, exp.Create):
                name = finals.get(tuple(p.name for p in node.parts))
                if name is not None:
                    staged = self.relation(name, staged=True)
                    # columns may be qualified by the model's name: keep it as the alias
                    staged.set("alias", node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name)))
                    return staged
            return node

        return query.transform(swap)

    def milestone_statements(
        self,
        staged: bool,
        accounts_columns: frozenset[str] | None = None,
        source_kinds: SourceKinds | None = None,
        prestaged: exp.Table | None = None,
    ) -> list[Statement]:
        """accounts_columns: the accounts relation's columns when known (probed by `run`),
        which decides whether a funnel's segment_by is an account attribute; source_kinds:
        how the events relation stores timestamps and properties (probed by `run`);
        prestaged: a backfill's normalized events, read instead of the source."""
        ctx = self.context(staged, accounts_columns, source_kinds, prestaged)
        builds = plan.milestone_builds(ctx, self.relation(self.spec.source.events, staged))
        return [Statement(b.name, "stage" if plan.is_scratch(b.name) else "output", b.query) for b in builds]

    def source_counts(self, source_kinds: SourceKinds | None = None) -> exp.Select:
        """events_read and events_ignored of the staged events relation."""
        ctx = self.context(True, source_kinds=source_kinds)
        return source_counts_query(ctx, self.relation(self.spec.source.events, staged=True))

    def source_kinds(self, column_types: dict[str, str]) -> SourceKinds:
        """SourceKinds from the events relation's column types (lower-case name -> type name)."""
        cols = self.spec.source.columns

        def type_of(name: str | None) -> str:
            return column_types.get((name or "").lower(), "").upper()

        def is_text(t: str) -> bool:
            return t.startswith(("VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR"))

        ts = type_of(cols.timestamp)
        zoned = ts in ("TIMESTAMP_TZ", "TIMESTAMP_LTZ", "TIMESTAMPTZ") or "WITH TIME ZONE" in ts
        timestamp = "text" if is_text(ts) else "zoned" if zoned else "native"
        return SourceKinds(timestamp=timestamp, properties_text=is_text(type_of(cols.properties)))

    def check_segments(self, accounts_columns: frozenset[str]) -> None:
        """A segment_by that is neither an accounts column nor readable as a property."""
        src = self.spec.source
        problems = []
        for f in self.spec.effective_funnels():
            attr = f.segment_by
            if (
                attr
                and attr not in accounts_columns
                and not src.columns.properties
                and attr not in src.property_columns
            ):
                available = sorted(accounts_columns | set(src.property_columns))
                hint = difflib.get_close_matches(attr, available, n=1)
                problems.append(
                    Problem(
                        f.file,
                        f.line,
                        f"funnel '{f.name}': unknown segment attribute '{attr}'"
                        + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                    )
                )
        if problems:
            raise ProjectError(problems)

    def _model_order(self) -> list[str]:
        sorter = graphlib.TopologicalSorter(
            {n: [r for r in m.refs if r in self.models] for n, m in self.models.items()}
        )
        return list(sorter.static_order())

    def at(self, as_of: datetime) -> Project:
        """This project evaluated at another instant (a backfill's step)."""
        step = copy.copy(self)
        step.as_of = as_of
        return step

    def unselected(self) -> Project:
        """This project without --select: every milestone and funnel of the spec."""
        whole = copy.copy(self)
        whole.spec, whole.selected = self.full_spec, ()
        return whole

    def spec_hash(self) -> str:
        return hashlib.sha256(json.dumps(repr(self.spec), sort_keys=True).encode()).hexdigest()[:16]

    # -- checks ------------------------------------------------------------------------

    def _check_dag(self, problems: list[Problem]) -> None:
        graph = {n: [r for r in m.refs if r in self.models] for n, m in self.models.items()}
        try:
            graphlib.TopologicalSorter(graph).prepare()
        except graphlib.CycleError as e:
            cycle = list(reversed(e.args[1]))
            problems.append(Problem(self.models[cycle[0]].file, None, "model dependency cycle: " + " -> ".join(cycle)))
        src = self.spec.source
        for rel in (
            src.events,
            src.contacts.name if src.contacts else None,
            src.accounts.name if src.accounts else None,
        ):
            if rel and "." not in rel and rel not in self.models:
                hint = difflib.get_close_matches(rel, list(self.models), n=1)
                problems.append(
                    Problem(
                        "milestones/",
                        None,
                        f"source relation '{rel}' is neither a model in models/ nor a schema.table name"
                        + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                    )
                )

    def _select(self, select: tuple[str, ...], problems: list[Problem]) -> ir.Spec:
        """--select: only the named milestones (and what they depend on) are built."""
        names = [n for s in select for n in s.replace(",", " ").split()]
        if not names:
            return self.spec
        known = {m.name for m in self.spec.milestones}
        for n in names:
            if n not in known:
                hint = difflib.get_close_matches(n, sorted(known), n=1)
                problems.append(
                    Problem(
                        "--select", None, f"unknown milestone '{n}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
                    )
                )
        if problems:
            return self.spec
        self.selected = tuple(dict.fromkeys(names))
        keep: set[str] = set()
        full = self.spec
        wanted = set(names)
        for m in reversed(topo_order(full)):
            if m.name in wanted or m.name in keep:
                keep.add(m.name)
                keep.update(ir.dependencies(m))
        milestones = tuple(m for m in full.milestones if m.name in keep)
        funnels = tuple(f for f in full.funnels if set(f.steps) <= keep)
        return replace(full, milestones=milestones, funnels=funnels)
