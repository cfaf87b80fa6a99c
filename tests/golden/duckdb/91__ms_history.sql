-- golden: tests/test_golden.py::test_golden_sql[duckdb]
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_history AS
SELECT
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) AS as_of,
  l.milestone,
  l.entity_level,
  CAST(COALESCE(k.entities, CAST(0 AS BIGINT)) AS BIGINT) AS entities,
  CAST(COALESCE(k.complete, CAST(0 AS BIGINT)) AS BIGINT) AS complete,
  CAST(COALESCE(k.overdue, CAST(0 AS BIGINT)) AS BIGINT) AS overdue,
  CAST(k.avg_progress AS DOUBLE) AS avg_progress
FROM (
  SELECT
    'signed_up' AS milestone,
    'contact' AS entity_level
  UNION ALL
  SELECT
    'trial_started' AS milestone,
    'account' AS entity_level
  UNION ALL
  SELECT
    'onboarded' AS milestone,
    'account' AS entity_level
  UNION ALL
  SELECT
    'activated_user' AS milestone,
    'contact' AS entity_level
  UNION ALL
  SELECT
    'weekly_active' AS milestone,
    'contact' AS entity_level
  UNION ALL
  SELECT
    'pql' AS milestone,
    'account' AS entity_level
  UNION ALL
  SELECT
    'transacted' AS milestone,
    'account' AS entity_level
  UNION ALL
  SELECT
    'eql' AS milestone,
    'account' AS entity_level
) AS l
LEFT JOIN (
  SELECT
    milestone,
    COUNT(*) AS entities,
    COUNT(*) FILTER(WHERE
      is_complete) AS complete,
    COUNT(*) FILTER(WHERE
      is_overdue) AS overdue,
    AVG(progress) AS avg_progress
  FROM temp.main._ms_snapshot
  WHERE
    milestone IN (
      'signed_up',
      'trial_started',
      'onboarded',
      'activated_user',
      'weekly_active',
      'pql',
      'transacted',
      'eql'
    )
  GROUP BY
    milestone
) AS k
  ON l.milestone = k.milestone;
