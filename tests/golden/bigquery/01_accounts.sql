-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- accounts (model view), target bigquery (bigquery)
CREATE OR REPLACE VIEW acme.milestones.accounts AS
SELECT
  account_id,
  plan
FROM raw.accounts;
