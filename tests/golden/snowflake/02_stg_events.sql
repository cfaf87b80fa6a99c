-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- stg_events (model view), target snowflake (snowflake)
CREATE OR REPLACE VIEW analytics.milestones.stg_events AS
SELECT
  *
FROM raw.events;
