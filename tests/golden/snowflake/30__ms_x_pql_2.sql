-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_x_pql_2 (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_x_pql_2 AS
SELECT
  account_id AS entity_id,
  COUNT_IF(is_complete) AS v,
  CAST(MIN_BY(IFF(is_complete, completed_at, NULL), IFF(is_complete, completed_at, NULL), 2)[1] AS TIMESTAMPNTZ) AS t
FROM analytics.milestones._ms_m_activated_user AS m_activated_user
WHERE
  NOT account_id IS NULL
GROUP BY
  account_id;
