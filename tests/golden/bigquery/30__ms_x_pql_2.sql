-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_x_pql_2 (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_x_pql_2 AS
SELECT
  account_id AS entity_id,
  COUNTIF(is_complete) AS v,
  ARRAY_AGG(
    IF(is_complete, completed_at, NULL) IGNORE NULLS ORDER BY IF(is_complete, completed_at, NULL) IS NULL, IF(is_complete, completed_at, NULL)
    LIMIT 2
  )[SAFE_OFFSET(1)] AS t
FROM acme.milestones._ms_m_activated_user AS m_activated_user
WHERE
  NOT account_id IS NULL
GROUP BY
  account_id;
