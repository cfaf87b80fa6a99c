"""SQL as sqlglot trees: the build plan (plan), the shared pieces and staging (base), the
criterion stages (qualifying, criteria, periods, ratios), the outputs (outputs, funnels),
the record across runs (transitions), the per-warehouse differences (dialects) and what
every output column means (columns)."""
