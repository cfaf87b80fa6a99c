"""The commands beyond run and compile, one module each (unit_tests, explain, events,
report with report_data, checks, init), and what every command shares: logs, artifacts
(run_results.json, manifest.json), lineage (OpenLineage) and the text summary."""
