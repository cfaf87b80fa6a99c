-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- stg_events (model view), target duckdb (duckdb)
CREATE OR REPLACE VIEW main.stg_events AS
SELECT
  *
FROM raw.events;
