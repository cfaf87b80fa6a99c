-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_m_trial_started (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_m_trial_started AS
SELECT
  entity_id,
  account_id,
  v_1,
  t_1,
  COALESCE(v_1 >= 1, FALSE) AS is_met_1,
  CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
  COALESCE(v_1 >= 1, FALSE) AS is_complete,
  CASE WHEN COALESCE(v_1 >= 1, FALSE) THEN CASE WHEN v_1 >= 1 THEN t_1 END END AS completed_at
FROM (
  SELECT
    e.entity_id,
    e.account_id,
    COALESCE(x_trial_started_1.v, 0) AS v_1,
    x_trial_started_1.t AS t_1
  FROM acme.milestones._ms_accounts AS e
  LEFT JOIN acme.milestones._ms_x_trial_started_1 AS x_trial_started_1
    ON x_trial_started_1.entity_id = e.entity_id
) AS leaves;
