-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_m_pql (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_m_pql AS
SELECT
  entity_id,
  account_id,
  v_1,
  t_1,
  v_2,
  t_2,
  v_3,
  t_3,
  v_4_1,
  t_4_1,
  v_4_2,
  t_4_2,
  v_4_3,
  t_4_3,
  v_5,
  t_5,
  COALESCE(v_1 >= 1, FALSE) AS is_met_1,
  COALESCE(v_2 >= 2, FALSE) AS is_met_2,
  COALESCE(v_3 >= 1.0, FALSE) AS is_met_3,
  COALESCE(v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0, FALSE) AS is_met_4,
  COALESCE(v_5 >= 3.0, FALSE) AS is_met_5,
  CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
  CASE WHEN v_2 >= 2 THEN t_2 END AS met_at_2,
  CASE WHEN v_3 >= 1.0 THEN t_3 END AS met_at_3,
  CASE
    WHEN v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
    THEN LEAST(
      COALESCE(
        CASE WHEN v_4_1 >= 10.0 THEN t_4_1 END,
        CAST('9999-12-31 00:00:00' AS TIMESTAMPNTZ)
      ),
      COALESCE(
        CASE WHEN NOT t_4_2 IS NULL THEN t_4_2 END,
        CAST('9999-12-31 00:00:00' AS TIMESTAMPNTZ)
      ),
      COALESCE(CASE WHEN v_4_3 >= 3.0 THEN t_4_3 END, CAST('9999-12-31 00:00:00' AS TIMESTAMPNTZ))
    )
  END AS met_at_4,
  CASE WHEN v_5 >= 3.0 THEN t_5 END AS met_at_5,
  COALESCE(
    v_1 >= 1
    AND v_2 >= 2
    AND v_3 >= 1.0
    AND (
      v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
    )
    AND v_5 >= 3.0,
    FALSE
  ) AS is_complete,
  CASE
    WHEN COALESCE(
      v_1 >= 1
      AND v_2 >= 2
      AND v_3 >= 1.0
      AND (
        v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
      )
      AND v_5 >= 3.0,
      FALSE
    )
    THEN GREATEST(
      CASE WHEN v_1 >= 1 THEN t_1 END,
      CASE WHEN v_2 >= 2 THEN t_2 END,
      CASE WHEN v_3 >= 1.0 THEN t_3 END,
      CASE
        WHEN v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
        THEN LEAST(
          COALESCE(
            CASE WHEN v_4_1 >= 10.0 THEN t_4_1 END,
            CAST('9999-12-31 00:00:00' AS TIMESTAMPNTZ)
          ),
          COALESCE(
            CASE WHEN NOT t_4_2 IS NULL THEN t_4_2 END,
            CAST('9999-12-31 00:00:00' AS TIMESTAMPNTZ)
          ),
          COALESCE(CASE WHEN v_4_3 >= 3.0 THEN t_4_3 END, CAST('9999-12-31 00:00:00' AS TIMESTAMPNTZ))
        )
      END,
      CASE WHEN v_5 >= 3.0 THEN t_5 END
    )
  END AS completed_at
FROM (
  SELECT
    e.entity_id,
    e.account_id,
    CASE WHEN d_1.is_complete THEN 1 ELSE 0 END AS v_1,
    d_1.completed_at AS t_1,
    COALESCE(x_pql_2.v, 0) AS v_2,
    x_pql_2.t AS t_2,
    COALESCE(counts_account.v_pql_3, 0) AS v_3,
    counts_account.t_pql_3 AS t_3,
    COALESCE(tl_pql_4_1.v, 0) AS v_4_1,
    tl_pql_4_1.t AS t_4_1,
    COALESCE(tl_pql_4_2.v, 0) AS v_4_2,
    tl_pql_4_2.t AS t_4_2,
    COALESCE(tl_pql_4_3.v, 0) AS v_4_3,
    tl_pql_4_3.t AS t_4_3,
    COALESCE(tl_pql_5.v, 0) AS v_5,
    tl_pql_5.t AS t_5
  FROM analytics.milestones._ms_accounts AS e
  LEFT JOIN analytics.milestones._ms_m_onboarded AS d_1
    ON d_1.entity_id = e.entity_id
  LEFT JOIN analytics.milestones._ms_x_pql_2 AS x_pql_2
    ON x_pql_2.entity_id = e.entity_id
  LEFT JOIN analytics.milestones._ms_counts_account AS counts_account
    ON counts_account.entity_id = e.entity_id
  LEFT JOIN analytics.milestones._ms_tl_pql_4_1 AS tl_pql_4_1
    ON tl_pql_4_1.entity_id = e.entity_id
  LEFT JOIN analytics.milestones._ms_tl_pql_4_2 AS tl_pql_4_2
    ON tl_pql_4_2.entity_id = e.entity_id
  LEFT JOIN analytics.milestones._ms_tl_pql_4_3 AS tl_pql_4_3
    ON tl_pql_4_3.entity_id = e.entity_id
  LEFT JOIN analytics.milestones._ms_tl_pql_5 AS tl_pql_5
    ON tl_pql_5.entity_id = e.entity_id
) AS leaves;
