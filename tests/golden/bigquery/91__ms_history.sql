-- golden: tests/test_golden.py::test_golden_sql[bigquery]
CREATE OR REPLACE TABLE acme.milestones._ms_history AS
SELECT
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) AS as_of,
  l.milestone,
  l.entity_level,
  CAST(COALESCE(k.entities, CAST(0 AS INT64)) AS INT64) AS entities,
  CAST(COALESCE(k.complete, CAST(0 AS INT64)) AS INT64) AS complete,
  CAST(COALESCE(k.overdue, CAST(0 AS INT64)) AS INT64) AS overdue,
  CAST(k.avg_progress AS FLOAT64) AS avg_progress
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
    COUNTIF(is_complete) AS complete,
    COUNTIF(is_overdue) AS overdue,
    AVG(progress) AS avg_progress
  FROM acme.milestones._ms_snapshot
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
