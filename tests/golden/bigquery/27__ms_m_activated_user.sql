-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_m_activated_user (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_m_activated_user AS
SELECT
  entity_id,
  account_id,
  v_1,
  t_1,
  v_2,
  t_2,
  v_3,
  t_3,
  COALESCE(v_1 >= 1, FALSE) AS is_met_1,
  COALESCE(NOT t_2 IS NULL, FALSE) AS is_met_2,
  COALESCE(v_3 >= 2.0, FALSE) AS is_met_3,
  CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
  CASE WHEN NOT t_2 IS NULL THEN t_2 END AS met_at_2,
  CASE WHEN v_3 >= 2.0 THEN t_3 END AS met_at_3,
  COALESCE(v_1 >= 1 AND NOT t_2 IS NULL AND v_3 >= 2.0, FALSE) AS is_complete,
  CASE
    WHEN COALESCE(v_1 >= 1 AND NOT t_2 IS NULL AND v_3 >= 2.0, FALSE)
    THEN GREATEST(
      CASE WHEN v_1 >= 1 THEN t_1 END,
      CASE WHEN NOT t_2 IS NULL THEN t_2 END,
      CASE WHEN v_3 >= 2.0 THEN t_3 END
    )
  END AS completed_at
FROM (
  SELECT
    e.entity_id,
    e.account_id,
    CASE WHEN d_1.is_complete THEN 1 ELSE 0 END AS v_1,
    d_1.completed_at AS t_1,
    COALESCE(tl_activated_user_2.v, 0) AS v_2,
    tl_activated_user_2.t AS t_2,
    COALESCE(tl_activated_user_3.v, 0) AS v_3,
    tl_activated_user_3.t AS t_3
  FROM acme.milestones._ms_contacts AS e
  LEFT JOIN acme.milestones._ms_m_onboarded AS d_1
    ON d_1.entity_id = e.account_id
  LEFT JOIN acme.milestones._ms_tl_activated_user_2 AS tl_activated_user_2
    ON tl_activated_user_2.entity_id = e.entity_id
  LEFT JOIN acme.milestones._ms_tl_activated_user_3 AS tl_activated_user_3
    ON tl_activated_user_3.entity_id = e.entity_id
) AS leaves;
