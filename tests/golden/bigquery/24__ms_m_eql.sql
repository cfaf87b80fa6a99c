-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_m_eql (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_m_eql AS
WITH leaves AS (
  SELECT
    e.entity_id,
    e.account_id,
    CASE WHEN d_1.is_complete THEN 1 ELSE 0 END AS v_1,
    d_1.completed_at AS t_1,
    COALESCE(tl_eql_2.v, 0) AS v_2,
    tl_eql_2.t AS t_2,
    tl_eql_3.v AS v_3,
    tl_eql_3.t AS t_3,
    COALESCE(tl_eql_3.d, 0) AS d_3,
    tl_eql_4_1.v AS v_4_1,
    tl_eql_4_1.t AS t_4_1,
    COALESCE(tl_eql_4_1.d, 0) AS d_4_1,
    COALESCE(tl_eql_4_2.v, 0) AS v_4_2,
    tl_eql_4_2.t AS t_4_2,
    COALESCE(counts_account.v_eql_4_3_1, 0) AS v_4_3_1,
    counts_account.t_eql_4_3_1 AS t_4_3_1,
    COALESCE(tl_eql_4_3_2.v, 0) AS v_4_3_2,
    tl_eql_4_3_2.t AS t_4_3_2
  FROM acme.milestones._ms_accounts AS e
  LEFT JOIN acme.milestones._ms_m_transacted AS d_1
    ON d_1.entity_id = e.entity_id
  LEFT JOIN acme.milestones._ms_tl_eql_2 AS tl_eql_2
    ON tl_eql_2.entity_id = e.entity_id
  LEFT JOIN acme.milestones._ms_tl_eql_3 AS tl_eql_3
    ON tl_eql_3.entity_id = e.entity_id
  LEFT JOIN acme.milestones._ms_tl_eql_4_1 AS tl_eql_4_1
    ON tl_eql_4_1.entity_id = e.entity_id
  LEFT JOIN acme.milestones._ms_tl_eql_4_2 AS tl_eql_4_2
    ON tl_eql_4_2.entity_id = e.entity_id
  LEFT JOIN acme.milestones._ms_counts_account AS counts_account
    ON counts_account.entity_id = e.entity_id
  LEFT JOIN acme.milestones._ms_tl_eql_4_3_2 AS tl_eql_4_3_2
    ON tl_eql_4_3_2.entity_id = e.entity_id
), g0 AS (
  SELECT
    *,
    v_4_3_1 >= 1.0 AND v_4_3_2 >= 5.0 AS ok_4_3,
    CASE
      WHEN v_4_3_1 >= 1.0 AND v_4_3_2 >= 5.0
      THEN GREATEST(
        CASE WHEN v_4_3_1 >= 1.0 THEN t_4_3_1 END,
        CASE WHEN v_4_3_2 >= 5.0 THEN t_4_3_2 END
      )
    END AS at_4_3,
    (
      CASE
        WHEN v_4_3_1 >= 1.0
        THEN 1.0
        ELSE LEAST(CAST(v_4_3_1 AS FLOAT64) / 1.0, 1.0)
      END + CASE
        WHEN v_4_3_2 >= 5.0
        THEN 1.0
        ELSE LEAST(CAST(v_4_3_2 AS FLOAT64) / 5.0, 1.0)
      END
    ) / 2.0 AS pr_4_3
  FROM leaves
)
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
  v_4_3_1,
  t_4_3_1,
  v_4_3_2,
  t_4_3_2,
  d_3,
  d_4_1,
  ok_4_3,
  at_4_3,
  pr_4_3,
  COALESCE(v_1 >= 1, FALSE) AS is_met_1,
  COALESCE(v_2 >= 1000.0, FALSE) AS is_met_2,
  COALESCE(d_3 >= 10.0 AND v_3 >= 1.2, FALSE) AS is_met_3,
  COALESCE((
    d_4_1 >= 8.0 AND v_4_1 >= 0.25
  ) OR v_4_2 >= 10.0 OR ok_4_3, FALSE) AS is_met_4,
  CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
  CASE WHEN v_2 >= 1000.0 THEN t_2 END AS met_at_2,
  CASE WHEN d_3 >= 10.0 AND v_3 >= 1.2 THEN t_3 END AS met_at_3,
  CASE
    WHEN (
      d_4_1 >= 8.0 AND v_4_1 >= 0.25
    ) OR v_4_2 >= 10.0 OR ok_4_3
    THEN LEAST(
      COALESCE(
        CASE WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25 THEN t_4_1 END,
        CAST('9999-12-31 00:00:00' AS TIMESTAMP)
      ),
      COALESCE(CASE WHEN v_4_2 >= 10.0 THEN t_4_2 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP)),
      COALESCE(at_4_3, CAST('9999-12-31 00:00:00' AS TIMESTAMP))
    )
  END AS met_at_4,
  COALESCE(
    v_1 >= 1
    AND v_2 >= 1000.0
    AND (
      d_3 >= 10.0 AND v_3 >= 1.2
    )
    AND (
      (
        d_4_1 >= 8.0 AND v_4_1 >= 0.25
      ) OR v_4_2 >= 10.0 OR ok_4_3
    ),
    FALSE
  ) AS is_complete,
  CASE
    WHEN COALESCE(
      v_1 >= 1
      AND v_2 >= 1000.0
      AND (
        d_3 >= 10.0 AND v_3 >= 1.2
      )
      AND (
        (
          d_4_1 >= 8.0 AND v_4_1 >= 0.25
        ) OR v_4_2 >= 10.0 OR ok_4_3
      ),
      FALSE
    )
    THEN GREATEST(
      CASE WHEN v_1 >= 1 THEN t_1 END,
      CASE WHEN v_2 >= 1000.0 THEN t_2 END,
      CASE WHEN d_3 >= 10.0 AND v_3 >= 1.2 THEN t_3 END,
      CASE
        WHEN (
          d_4_1 >= 8.0 AND v_4_1 >= 0.25
        ) OR v_4_2 >= 10.0 OR ok_4_3
        THEN LEAST(
          COALESCE(
            CASE WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25 THEN t_4_1 END,
            CAST('9999-12-31 00:00:00' AS TIMESTAMP)
          ),
          COALESCE(CASE WHEN v_4_2 >= 10.0 THEN t_4_2 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP)),
          COALESCE(at_4_3, CAST('9999-12-31 00:00:00' AS TIMESTAMP))
        )
      END
    )
  END AS completed_at
FROM g0 AS leaves;
