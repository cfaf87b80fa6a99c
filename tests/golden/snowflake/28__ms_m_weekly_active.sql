-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_m_weekly_active (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_m_weekly_active AS
SELECT
  entity_id,
  account_id,
  v_1,
  t_1,
  v_2,
  t_2,
  COALESCE(v_1 >= 1, FALSE) AS is_met_1,
  COALESCE(v_2 >= 4, FALSE) AS is_met_2,
  CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
  CASE WHEN v_2 >= 4 THEN t_2 END AS met_at_2,
  COALESCE(v_1 >= 1 AND v_2 >= 4, FALSE) AS is_complete,
  CASE
    WHEN COALESCE(v_1 >= 1 AND v_2 >= 4, FALSE)
    THEN GREATEST(CASE WHEN v_1 >= 1 THEN t_1 END, CASE WHEN v_2 >= 4 THEN t_2 END)
  END AS completed_at
FROM (
  SELECT
    e.entity_id,
    e.account_id,
    CASE WHEN d_1.is_complete THEN 1 ELSE 0 END AS v_1,
    d_1.completed_at AS t_1,
    COALESCE(tl_weekly_active_2.v, 0) AS v_2,
    tl_weekly_active_2.t AS t_2
  FROM analytics.milestones._ms_contacts AS e
  LEFT JOIN analytics.milestones._ms_m_activated_user AS d_1
    ON d_1.entity_id = e.entity_id
  LEFT JOIN analytics.milestones._ms_tl_weekly_active_2 AS tl_weekly_active_2
    ON tl_weekly_active_2.entity_id = e.entity_id
) AS leaves;
