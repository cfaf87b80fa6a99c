-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_counts_account (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_counts_account AS
SELECT
  account_id AS entity_id,
  COUNT(*) FILTER(WHERE
    event_code IN (1 /* created_project */)) AS v_onboarded_2,
  MIN(occurred_at) FILTER(WHERE
    event_code IN (1 /* created_project */)) AS t_onboarded_2,
  COUNT(*) FILTER(WHERE
    event_code IN (3 /* invited_user */)) AS v_onboarded_3_1,
  MIN(occurred_at) FILTER(WHERE
    event_code IN (3 /* invited_user */)) AS t_onboarded_3_1,
  COUNT(*) FILTER(WHERE
    event_code IN (2, /* created_task */6 /* sent_message */)) AS v_onboarded_3_2,
  (
    MIN(occurred_at, 3) FILTER(WHERE
      event_code IN (2, /* created_task */6 /* sent_message */))
  )[3] AS t_onboarded_3_2,
  COUNT(*) FILTER(WHERE
    event_code IN (3 /* invited_user */)
    AND p_6 = 'admin'
    AND CASE
      WHEN NOT REGEXP_MATCHES(p_7, '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(TRY_CAST(p_7 AS DOUBLE)) < 1e29
      THEN TRY_CAST(p_7 AS DOUBLE)
    END >= 2) AS v_pql_3,
  MIN(occurred_at) FILTER(WHERE
    event_code IN (3 /* invited_user */)
    AND p_6 = 'admin'
    AND CASE
      WHEN NOT REGEXP_MATCHES(p_7, '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(TRY_CAST(p_7 AS DOUBLE)) < 1e29
      THEN TRY_CAST(p_7 AS DOUBLE)
    END >= 2) AS t_pql_3,
  COUNT(*) FILTER(WHERE
    event_code IN (4 /* payment_succeeded */)
    AND (
      p_2 = 'USD' OR p_2 = 'EUR'
    )
    AND CASE
      WHEN NOT REGEXP_MATCHES(p_1, '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(TRY_CAST(p_1 AS DOUBLE)) < 1e29
      THEN TRY_CAST(p_1 AS DOUBLE)
    END > 0) AS v_transacted_1,
  MIN(occurred_at) FILTER(WHERE
    event_code IN (4 /* payment_succeeded */)
    AND (
      p_2 = 'USD' OR p_2 = 'EUR'
    )
    AND CASE
      WHEN NOT REGEXP_MATCHES(p_1, '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(TRY_CAST(p_1 AS DOUBLE)) < 1e29
      THEN TRY_CAST(p_1 AS DOUBLE)
    END > 0) AS t_transacted_1,
  COUNT(*) FILTER(WHERE
    event_code IN (8 /* used_feature */)
    AND (
      p_4 = 'sso' OR p_4 = 'api'
    )
    AND p_5 <> 'free') AS v_eql_4_3_1,
  MIN(occurred_at) FILTER(WHERE
    event_code IN (8 /* used_feature */)
    AND (
      p_4 = 'sso' OR p_4 = 'api'
    )
    AND p_5 <> 'free') AS t_eql_4_3_1
FROM temp.main._ms_events
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
