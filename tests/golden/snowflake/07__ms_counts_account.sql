-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_counts_account (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_counts_account AS
SELECT
  account_id AS entity_id,
  COUNT_IF(event_code IN (1 /* created_project */)) AS v_onboarded_2,
  MIN(IFF(event_code IN (1 /* created_project */), occurred_at, NULL)) AS t_onboarded_2,
  COUNT_IF(event_code IN (3 /* invited_user */)) AS v_onboarded_3_1,
  MIN(IFF(event_code IN (3 /* invited_user */), occurred_at, NULL)) AS t_onboarded_3_1,
  COUNT_IF(event_code IN (2, /* created_task */6 /* sent_message */)) AS v_onboarded_3_2,
  CAST(MIN_BY(
    IFF(event_code IN (2, /* created_task */6 /* sent_message */), occurred_at, NULL),
    IFF(event_code IN (2, /* created_task */6 /* sent_message */), occurred_at, NULL),
    3
  )[2] AS TIMESTAMPNTZ) AS t_onboarded_3_2,
  COUNT_IF(
    event_code IN (3 /* invited_user */)
    AND p_6 = 'admin'
    AND CASE
      WHEN NOT REGEXP_LIKE(p_7, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(TRY_TO_DOUBLE(p_7)) < 1e29
      THEN TRY_TO_DOUBLE(p_7)
    END >= 2
  ) AS v_pql_3,
  MIN(
    IFF(
      event_code IN (3 /* invited_user */)
      AND p_6 = 'admin'
      AND CASE
        WHEN NOT REGEXP_LIKE(p_7, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
        THEN NULL
        WHEN ABS(TRY_TO_DOUBLE(p_7)) < 1e29
        THEN TRY_TO_DOUBLE(p_7)
      END >= 2,
      occurred_at,
      NULL
    )
  ) AS t_pql_3,
  COUNT_IF(
    event_code IN (4 /* payment_succeeded */)
    AND (
      p_2 = 'USD' OR p_2 = 'EUR'
    )
    AND CASE
      WHEN NOT REGEXP_LIKE(p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
      THEN NULL
      WHEN ABS(TRY_TO_DOUBLE(p_1)) < 1e29
      THEN TRY_TO_DOUBLE(p_1)
    END > 0
  ) AS v_transacted_1,
  MIN(
    IFF(
      event_code IN (4 /* payment_succeeded */)
      AND (
        p_2 = 'USD' OR p_2 = 'EUR'
      )
      AND CASE
        WHEN NOT REGEXP_LIKE(p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
        THEN NULL
        WHEN ABS(TRY_TO_DOUBLE(p_1)) < 1e29
        THEN TRY_TO_DOUBLE(p_1)
      END > 0,
      occurred_at,
      NULL
    )
  ) AS t_transacted_1,
  COUNT_IF(
    event_code IN (8 /* used_feature */)
    AND (
      p_4 = 'sso' OR p_4 = 'api'
    )
    AND p_5 <> 'free'
  ) AS v_eql_4_3_1,
  MIN(
    IFF(
      event_code IN (8 /* used_feature */)
      AND (
        p_4 = 'sso' OR p_4 = 'api'
      )
      AND p_5 <> 'free',
      occurred_at,
      NULL
    )
  ) AS t_eql_4_3_1
FROM analytics.milestones._ms_events
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
