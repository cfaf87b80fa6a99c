-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- accounts (model view), target snowflake (snowflake)
CREATE OR REPLACE VIEW milestones.accounts AS
SELECT
  *
FROM raw.accounts;
