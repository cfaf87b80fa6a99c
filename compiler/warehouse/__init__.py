"""Talking to the warehouse: profiles and models rendered in the sandbox (profiles, models,
templating), secrets kept out of output (redaction), the connections (adapters), the runner
and its atomic publishing (runner, ledger), the record across runs (tracking), backfill,
and the checks of the spec against the source (source_check)."""
