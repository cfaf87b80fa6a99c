-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_m_onboarded (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_m_onboarded AS
SELECT
  entity_id,
  account_id,
  v_1,
  t_1,
  v_2,
  t_2,
  v_3_1,
  t_3_1,
  v_3_2,
  t_3_2,
  COALESCE(v_1 >= 1, FALSE) AS is_met_1,
  COALESCE(v_2 >= 1.0, FALSE) AS is_met_2,
  COALESCE(v_3_1 >= 1.0 AND v_3_2 >= 3.0, FALSE) AS is_met_3,
  CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
  CASE WHEN v_2 >= 1.0 THEN t_2 END AS met_at_2,
  CASE
    WHEN v_3_1 >= 1.0 AND v_3_2 >= 3.0
    THEN CASE
      WHEN CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END IS NULL
      OR CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END IS NULL
      THEN NULL
      ELSE GREATEST(CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END, CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END)
    END
  END AS met_at_3,
  COALESCE(v_1 >= 1 AND v_2 >= 1.0 AND (
    v_3_1 >= 1.0 AND v_3_2 >= 3.0
  ), FALSE) AS is_complete,
  CASE
    WHEN COALESCE(v_1 >= 1 AND v_2 >= 1.0 AND (
      v_3_1 >= 1.0 AND v_3_2 >= 3.0
    ), FALSE)
    THEN CASE
      WHEN CASE WHEN v_1 >= 1 THEN t_1 END IS NULL
      OR CASE WHEN v_2 >= 1.0 THEN t_2 END IS NULL
      OR CASE
        WHEN v_3_1 >= 1.0 AND v_3_2 >= 3.0
        THEN CASE
          WHEN CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END IS NULL
          OR CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END IS NULL
          THEN NULL
          ELSE GREATEST(CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END, CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END)
        END
      END IS NULL
      THEN NULL
      ELSE GREATEST(
        CASE WHEN v_1 >= 1 THEN t_1 END,
        CASE WHEN v_2 >= 1.0 THEN t_2 END,
        CASE
          WHEN v_3_1 >= 1.0 AND v_3_2 >= 3.0
          THEN CASE
            WHEN CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END IS NULL
            OR CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END IS NULL
            THEN NULL
            ELSE GREATEST(CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END, CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END)
          END
        END
      )
    END
  END AS completed_at,
  due_at
FROM (
  SELECT
    e.entity_id,
    e.account_id,
    COALESCE(x_onboarded_1.v, 0) AS v_1,
    x_onboarded_1.t AS t_1,
    COALESCE(counts_account.v_onboarded_2, 0) AS v_2,
    counts_account.t_onboarded_2 AS t_2,
    COALESCE(counts_account.v_onboarded_3_1, 0) AS v_3_1,
    counts_account.t_onboarded_3_1 AS t_3_1,
    COALESCE(counts_account.v_onboarded_3_2, 0) AS v_3_2,
    counts_account.t_onboarded_3_2 AS t_3_2,
    CASE WHEN due.is_complete THEN due.completed_at + INTERVAL '1209600' SECOND END AS due_at
  FROM temp.main._ms_accounts AS e
  LEFT JOIN temp.main._ms_x_onboarded_1 AS x_onboarded_1
    ON x_onboarded_1.entity_id = e.entity_id
  LEFT JOIN temp.main._ms_counts_account AS counts_account
    ON counts_account.entity_id = e.entity_id
  LEFT JOIN temp.main._ms_m_trial_started AS due
    ON due.entity_id = e.entity_id
) AS leaves;
