-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_m_transacted (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_m_transacted AS
SELECT
  entity_id,
  account_id,
  v_1,
  t_1,
  COALESCE(v_1 >= 1.0, FALSE) AS is_met_1,
  CASE WHEN v_1 >= 1.0 THEN t_1 END AS met_at_1,
  COALESCE(v_1 >= 1.0, FALSE) AS is_complete,
  CASE WHEN COALESCE(v_1 >= 1.0, FALSE) THEN CASE WHEN v_1 >= 1.0 THEN t_1 END END AS completed_at
FROM (
  SELECT
    e.entity_id,
    e.account_id,
    COALESCE(counts_account.v_transacted_1, 0) AS v_1,
    counts_account.t_transacted_1 AS t_1
  FROM analytics.milestones._ms_accounts AS e
  LEFT JOIN analytics.milestones._ms_counts_account AS counts_account
    ON counts_account.entity_id = e.entity_id
) AS leaves;
