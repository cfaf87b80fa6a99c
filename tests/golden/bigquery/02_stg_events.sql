-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- stg_events (model view), target bigquery (bigquery)
CREATE OR REPLACE VIEW acme.milestones.stg_events AS
SELECT
  *
FROM raw.events;
