-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_funnel_steps (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_funnel_steps AS
WITH p1 AS (
  SELECT
    entity_id,
    MAX(account_id) AS account_id,
    MAX(CASE WHEN milestone = 'trial_started' THEN completed_at END) AS c1,
    MAX(CASE WHEN milestone = 'onboarded' THEN completed_at END) AS c2,
    MAX(CASE WHEN milestone = 'pql' THEN completed_at END) AS c3,
    MAX(CASE WHEN milestone = 'eql' THEN completed_at END) AS c4
  FROM acme.milestones.milestone_state
  WHERE
    entity_level = 'account'
    AND milestone IN ('trial_started', 'onboarded', 'pql', 'eql')
  GROUP BY
    entity_id
), s1 AS (
  SELECT
    CAST(account_id AS STRING) AS seg_key,
    MAX(CAST(plan AS STRING)) AS segment
  FROM acme.milestones.accounts
  GROUP BY
    CAST(account_id AS STRING)
), p2 AS (
  SELECT
    entity_id,
    MAX(account_id) AS account_id,
    MAX(CASE WHEN milestone = 'signed_up' THEN completed_at END) AS c1,
    MAX(CASE WHEN milestone = 'activated_user' THEN completed_at END) AS c2
  FROM acme.milestones.milestone_state
  WHERE
    entity_level = 'contact' AND milestone IN ('signed_up', 'activated_user')
  GROUP BY
    entity_id
), s2 AS (
  SELECT
    seg_key,
    MIN(segment) AS segment
  FROM (
    SELECT
      contact_id AS seg_key,
      p_6 AS segment,
      occurred_at,
      MIN(occurred_at) OVER (PARTITION BY contact_id) AS first_at
    FROM acme.milestones._ms_events
    WHERE
      NOT contact_id IS NULL
  ) AS r
  WHERE
    occurred_at = first_at
  GROUP BY
    seg_key
)
SELECT
  'plg' AS funnel,
  'account' AS entity_level,
  p.entity_id,
  s.segment AS segment,
  1 AS step,
  4 AS steps,
  'trial_started' AS milestone,
  p.c1 AS completed_at,
  CAST(NULL AS TIMESTAMP) AS prev_completed_at,
  p.c2 AS next_completed_at,
  CASE WHEN NOT p.c1 IS NULL THEN TIMESTAMP_TRUNC(p.c1, MONTH) END AS cohort_start,
  COALESCE(NOT p.c1 IS NULL, FALSE) AS converted,
  CAST(NULL AS FLOAT64) AS seconds_from_previous
FROM p1 AS p
LEFT JOIN s1 AS s
  ON s.seg_key = p.account_id
UNION ALL
SELECT
  'plg' AS funnel,
  'account' AS entity_level,
  p.entity_id,
  s.segment AS segment,
  2 AS step,
  4 AS steps,
  'onboarded' AS milestone,
  p.c2 AS completed_at,
  p.c1 AS prev_completed_at,
  p.c3 AS next_completed_at,
  CASE WHEN NOT p.c1 IS NULL THEN TIMESTAMP_TRUNC(p.c1, MONTH) END AS cohort_start,
  COALESCE(
    NOT p.c2 IS NULL
    AND NOT p.c1 IS NULL
    AND UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0 >= 0,
    FALSE
  ) AS converted,
  CASE
    WHEN NOT p.c2 IS NULL
    AND NOT p.c1 IS NULL
    AND UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0 >= 0
    THEN UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0
  END AS seconds_from_previous
FROM p1 AS p
LEFT JOIN s1 AS s
  ON s.seg_key = p.account_id
UNION ALL
SELECT
  'plg' AS funnel,
  'account' AS entity_level,
  p.entity_id,
  s.segment AS segment,
  3 AS step,
  4 AS steps,
  'pql' AS milestone,
  p.c3 AS completed_at,
  p.c2 AS prev_completed_at,
  p.c4 AS next_completed_at,
  CASE WHEN NOT p.c1 IS NULL THEN TIMESTAMP_TRUNC(p.c1, MONTH) END AS cohort_start,
  COALESCE(
    NOT p.c3 IS NULL
    AND NOT p.c2 IS NULL
    AND UNIX_MICROS(p.c3) / 1000000.0 - UNIX_MICROS(p.c2) / 1000000.0 >= 0,
    FALSE
  ) AS converted,
  CASE
    WHEN NOT p.c3 IS NULL
    AND NOT p.c2 IS NULL
    AND UNIX_MICROS(p.c3) / 1000000.0 - UNIX_MICROS(p.c2) / 1000000.0 >= 0
    THEN UNIX_MICROS(p.c3) / 1000000.0 - UNIX_MICROS(p.c2) / 1000000.0
  END AS seconds_from_previous
FROM p1 AS p
LEFT JOIN s1 AS s
  ON s.seg_key = p.account_id
UNION ALL
SELECT
  'plg' AS funnel,
  'account' AS entity_level,
  p.entity_id,
  s.segment AS segment,
  4 AS step,
  4 AS steps,
  'eql' AS milestone,
  p.c4 AS completed_at,
  p.c3 AS prev_completed_at,
  CAST(NULL AS TIMESTAMP) AS next_completed_at,
  CASE WHEN NOT p.c1 IS NULL THEN TIMESTAMP_TRUNC(p.c1, MONTH) END AS cohort_start,
  COALESCE(
    NOT p.c4 IS NULL
    AND NOT p.c3 IS NULL
    AND UNIX_MICROS(p.c4) / 1000000.0 - UNIX_MICROS(p.c3) / 1000000.0 >= 0,
    FALSE
  ) AS converted,
  CASE
    WHEN NOT p.c4 IS NULL
    AND NOT p.c3 IS NULL
    AND UNIX_MICROS(p.c4) / 1000000.0 - UNIX_MICROS(p.c3) / 1000000.0 >= 0
    THEN UNIX_MICROS(p.c4) / 1000000.0 - UNIX_MICROS(p.c3) / 1000000.0
  END AS seconds_from_previous
FROM p1 AS p
LEFT JOIN s1 AS s
  ON s.seg_key = p.account_id
UNION ALL
SELECT
  'activation' AS funnel,
  'contact' AS entity_level,
  p.entity_id,
  s.segment AS segment,
  1 AS step,
  2 AS steps,
  'signed_up' AS milestone,
  p.c1 AS completed_at,
  CAST(NULL AS TIMESTAMP) AS prev_completed_at,
  p.c2 AS next_completed_at,
  CASE WHEN NOT p.c1 IS NULL THEN TIMESTAMP_TRUNC(p.c1, ISOWEEK) END AS cohort_start,
  COALESCE(NOT p.c1 IS NULL, FALSE) AS converted,
  CAST(NULL AS FLOAT64) AS seconds_from_previous
FROM p2 AS p
LEFT JOIN s2 AS s
  ON s.seg_key = p.entity_id
UNION ALL
SELECT
  'activation' AS funnel,
  'contact' AS entity_level,
  p.entity_id,
  s.segment AS segment,
  2 AS step,
  2 AS steps,
  'activated_user' AS milestone,
  p.c2 AS completed_at,
  p.c1 AS prev_completed_at,
  CAST(NULL AS TIMESTAMP) AS next_completed_at,
  CASE WHEN NOT p.c1 IS NULL THEN TIMESTAMP_TRUNC(p.c1, ISOWEEK) END AS cohort_start,
  COALESCE(
    NOT p.c2 IS NULL
    AND NOT p.c1 IS NULL
    AND UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0 >= 0
    AND UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0 <= 5184000,
    FALSE
  ) AS converted,
  CASE
    WHEN NOT p.c2 IS NULL
    AND NOT p.c1 IS NULL
    AND UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0 >= 0
    AND UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0 <= 5184000
    THEN UNIX_MICROS(p.c2) / 1000000.0 - UNIX_MICROS(p.c1) / 1000000.0
  END AS seconds_from_previous
FROM p2 AS p
LEFT JOIN s2 AS s
  ON s.seg_key = p.entity_id;
