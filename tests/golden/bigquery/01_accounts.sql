-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- accounts (model view), target bigquery (bigquery)
CREATE OR REPLACE VIEW milestones.accounts AS
SELECT
  *
FROM raw.accounts;
