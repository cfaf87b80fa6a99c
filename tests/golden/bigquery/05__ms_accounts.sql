-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_accounts (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_accounts AS
SELECT
  entity_id,
  account_id
FROM acme.milestones._ms_entities
WHERE
  entity_level = 'account';
