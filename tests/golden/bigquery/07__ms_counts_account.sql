-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_counts_account (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_counts_account AS
SELECT
  account_id AS entity_id,
  COUNTIF(event_code IN (1 /* created_project */)) AS v_onboarded_2,
  MIN(IF(event_code IN (1 /* created_project */), occurred_at, NULL)) AS t_onboarded_2,
  COUNTIF(event_code IN (3 /* invited_user */)) AS v_onboarded_3_1,
  MIN(IF(event_code IN (3 /* invited_user */), occurred_at, NULL)) AS t_onboarded_3_1,
  COUNTIF(event_code IN (2, /* created_task */6 /* sent_message */)) AS v_onboarded_3_2,
  ARRAY_AGG(
    IF(event_code IN (2, /* created_task */6 /* sent_message */), occurred_at, NULL) IGNORE NULLS ORDER BY IF(event_code IN (2, /* created_task */6 /* sent_message */), occurred_at, NULL) IS NULL, IF(event_code IN (2, /* created_task */6 /* sent_message */), occurred_at, NULL)
    LIMIT 3
  )[SAFE_OFFSET(2)] AS t_onboarded_3_2,
  COUNTIF(
    event_code IN (3 /* invited_user */)
    AND p_6 = 'admin'
    AND CASE
      WHEN NOT REGEXP_CONTAINS(p_7, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(SAFE_CAST(p_7 AS FLOAT64)) < 1e29
      THEN SAFE_CAST(p_7 AS FLOAT64)
    END >= 2
  ) AS v_pql_3,
  MIN(
    IF(
      event_code IN (3 /* invited_user */)
      AND p_6 = 'admin'
      AND CASE
        WHEN NOT REGEXP_CONTAINS(p_7, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
        THEN NULL
        WHEN ABS(SAFE_CAST(p_7 AS FLOAT64)) < 1e29
        THEN SAFE_CAST(p_7 AS FLOAT64)
      END >= 2,
      occurred_at,
      NULL
    )
  ) AS t_pql_3,
  COUNTIF(
    event_code IN (4 /* payment_succeeded */)
    AND (
      p_2 = 'USD' OR p_2 = 'EUR'
    )
    AND CASE
      WHEN NOT REGEXP_CONTAINS(p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(SAFE_CAST(p_1 AS FLOAT64)) < 1e29
      THEN SAFE_CAST(p_1 AS FLOAT64)
    END > 0
  ) AS v_transacted_1,
  MIN(
    IF(
      event_code IN (4 /* payment_succeeded */)
      AND (
        p_2 = 'USD' OR p_2 = 'EUR'
      )
      AND CASE
        WHEN NOT REGEXP_CONTAINS(p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
        THEN NULL
        WHEN ABS(SAFE_CAST(p_1 AS FLOAT64)) < 1e29
        THEN SAFE_CAST(p_1 AS FLOAT64)
      END > 0,
      occurred_at,
      NULL
    )
  ) AS t_transacted_1,
  COUNTIF(
    event_code IN (8 /* used_feature */)
    AND (
      p_4 = 'sso' OR p_4 = 'api'
    )
    AND p_5 <> 'free'
  ) AS v_eql_4_3_1,
  MIN(
    IF(
      event_code IN (8 /* used_feature */)
      AND (
        p_4 = 'sso' OR p_4 = 'api'
      )
      AND p_5 <> 'free',
      occurred_at,
      NULL
    )
  ) AS t_eql_4_3_1
FROM acme.milestones._ms_events
WHERE
  NOT account_id IS NULL
  AND event_code IN (
    1, /* created_project */
    2, /* created_task */
    3, /* invited_user */
    4, /* payment_succeeded */
    6, /* sent_message */
    8 /* used_feature */
  )
GROUP BY
  account_id;
