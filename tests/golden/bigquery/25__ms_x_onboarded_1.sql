-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_x_onboarded_1 (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_x_onboarded_1 AS
SELECT
  account_id AS entity_id,
  COUNTIF(is_complete) AS v,
  MIN(IF(is_complete, completed_at, NULL)) AS t
FROM acme.milestones._ms_m_signed_up AS m_signed_up
WHERE
  NOT account_id IS NULL
GROUP BY
  account_id;
