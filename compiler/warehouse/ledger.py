"""Bookkeeping tables that outlive a run (milestone_runs, the run journal, the record of
transitions): their CREATE IF NOT EXISTS, row INSERTs and DELETEs, rendered from sqlglot trees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlglot import exp

from compiler.sql.base import col, lit

if TYPE_CHECKING:
    from compiler.project import Project


class Ledger:
    """An append-only bookkeeping table: its CREATE IF NOT EXISTS and row INSERTs."""

    def __init__(self, p: Project, name: str, columns: tuple[tuple[str, str], ...]):
        self.p, self.table, self.columns = p, p.relation(name), columns
        d = p.dialect
        defs = [exp.ColumnDef(this=exp.to_identifier(n), kind=d.column_type(t)) for n, t in columns]
        self.create = p.dialect.render(
            exp.Create(this=exp.Schema(this=self.table.copy(), expressions=defs), kind="TABLE", exists=True)
        )

    def insert(self, **values: Any) -> str:
        ctx = self.p.context(False)
        row = []
        for n, t in self.columns:
            v = values.get(n)
            if t == "ts" and v is not None:
                row.append(ctx.ts_lit(v.strftime("%Y-%m-%d %H:%M:%S.%f")))
            elif v is None:
                kind = self.p.dialect.timestamp_type() if t == "ts" else None
                row.append(exp.cast(exp.null(), kind) if kind is not None else exp.null())
            else:
                row.append(lit(v))
        return self.p.dialect.render(exp.insert(exp.values([tuple(row)]), self.table.copy()))

    def delete(self, run_id: str) -> str:
        where = exp.EQ(this=col("run_id"), expression=lit(run_id))
        return self.p.dialect.render(exp.Delete(this=self.table.copy(), where=exp.Where(this=where)))

    def select(self, *names: str) -> str:
        return self.p.dialect.render(exp.select(*[col(n) for n in names]).from_(self.table.copy()))
