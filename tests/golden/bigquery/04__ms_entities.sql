-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_entities (internal), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_entities AS
SELECT
  'account' AS entity_level,
  account_id AS entity_id,
  account_id
FROM acme.milestones._ms_events
WHERE
  NOT account_id IS NULL
GROUP BY
  account_id
UNION ALL
SELECT
  'contact' AS entity_level,
  contact_id AS entity_id,
  MAX(contact_account_id) AS account_id
FROM acme.milestones._ms_events
WHERE
  NOT contact_id IS NULL
GROUP BY
  contact_id;
