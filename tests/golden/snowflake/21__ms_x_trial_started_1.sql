-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_x_trial_started_1 (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_x_trial_started_1 AS
SELECT
  account_id AS entity_id,
  COUNT_IF(is_complete) AS v,
  MIN(IFF(is_complete, completed_at, NULL)) AS t
FROM analytics.milestones._ms_m_signed_up AS m_signed_up
WHERE
  NOT account_id IS NULL
GROUP BY
  account_id;
