-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- accounts (model view), target duckdb (duckdb)
CREATE OR REPLACE VIEW main.accounts AS
SELECT
  account_id,
  plan
FROM raw.accounts;
