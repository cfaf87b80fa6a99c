-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- accounts (model view), target snowflake (snowflake)
CREATE OR REPLACE VIEW analytics.milestones.accounts AS
SELECT
  account_id,
  plan
FROM raw.accounts;
