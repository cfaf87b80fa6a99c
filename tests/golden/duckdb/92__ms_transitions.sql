-- golden: tests/test_golden.py::test_golden_sql[duckdb]
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_transitions AS
WITH j AS (
  SELECT
    COALESCE(c.milestone, b.milestone) AS milestone,
    COALESCE(c.entity_level, b.entity_level) AS entity_level,
    COALESCE(c.entity_id, b.entity_id) AS entity_id,
    CASE WHEN c.entity_id IS NULL THEN b.account_id ELSE c.account_id END AS account_id,
    COALESCE(b.progress, CAST(0 AS DOUBLE)) AS from_progress,
    COALESCE(c.progress, CAST(0 AS DOUBLE)) AS to_progress,
    COALESCE(b.is_complete, FALSE) AS was_complete,
    COALESCE(c.is_complete, FALSE) AS is_complete,
    COALESCE(b.is_overdue, FALSE) AS was_overdue,
    COALESCE(c.is_overdue, FALSE) AS is_overdue,
    c.completed_at,
    COALESCE(c.met_criteria, '') AS now_met,
    COALESCE(b.met_criteria, '') AS base_met
  FROM (
    SELECT
      *
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
  ) AS c
  FULL JOIN (
    SELECT
      *
    FROM main._ms_comparison_base
    WHERE
      NOT entity_id IS NULL
      AND (
        (
          milestone = 'signed_up' AND run_id = 'run-1'
        )
        OR (
          milestone = 'trial_started' AND run_id = 'run-1'
        )
        OR (
          milestone = 'onboarded' AND run_id = 'run-1'
        )
        OR (
          milestone = 'activated_user' AND run_id = 'run-1'
        )
        OR (
          milestone = 'weekly_active' AND run_id = 'run-1'
        )
        OR (
          milestone = 'pql' AND run_id = 'run-1'
        )
        OR (
          milestone = 'transacted' AND run_id = 'run-1'
        )
      )
  ) AS b
    ON c.milestone = b.milestone
    AND c.entity_level = b.entity_level
    AND c.entity_id = b.entity_id
)
SELECT
  MD5(
    entity_level || '|' || milestone || '|' || transition || '|' || '2026-06-30 00:00:00.000000' || '|' || CASE milestone
      WHEN 'signed_up'
      THEN '2026-06-23 00:00:00.000000'
      WHEN 'trial_started'
      THEN '2026-06-23 00:00:00.000000'
      WHEN 'onboarded'
      THEN '2026-06-23 00:00:00.000000'
      WHEN 'activated_user'
      THEN '2026-06-23 00:00:00.000000'
      WHEN 'weekly_active'
      THEN '2026-06-23 00:00:00.000000'
      WHEN 'pql'
      THEN '2026-06-23 00:00:00.000000'
      WHEN 'transacted'
      THEN '2026-06-23 00:00:00.000000'
      WHEN 'eql'
      THEN '2026-06-23 00:00:00.000000'
    END || '|' || entity_id
  ) AS transition_id,
  CASE milestone
    WHEN 'signed_up'
    THEN 'run-1'
    WHEN 'trial_started'
    THEN 'run-1'
    WHEN 'onboarded'
    THEN 'run-1'
    WHEN 'activated_user'
    THEN 'run-1'
    WHEN 'weekly_active'
    THEN 'run-1'
    WHEN 'pql'
    THEN 'run-1'
    WHEN 'transacted'
    THEN 'run-1'
    WHEN 'eql'
    THEN 'run-1'
  END AS previous_run_id,
  CASE milestone
    WHEN 'signed_up'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
    WHEN 'trial_started'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
    WHEN 'onboarded'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
    WHEN 'activated_user'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
    WHEN 'weekly_active'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
    WHEN 'pql'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
    WHEN 'transacted'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
    WHEN 'eql'
    THEN CAST('2026-06-23 00:00:00.000000' AS TIMESTAMP)
  END AS previous_as_of,
  entity_level,
  entity_id,
  account_id,
  milestone,
  transition,
  from_progress,
  to_progress,
  CASE milestone
    WHEN 'signed_up'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END,
      2
    )
    WHEN 'trial_started'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END,
      2
    )
    WHEN 'onboarded'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',2,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',2,') > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',3,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',3,') > 0
        THEN ',3'
        ELSE ''
      END,
      2
    )
    WHEN 'activated_user'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',2,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',2,') > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',3,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',3,') > 0
        THEN ',3'
        ELSE ''
      END,
      2
    )
    WHEN 'weekly_active'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',2,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',2,') > 0
        THEN ',2'
        ELSE ''
      END,
      2
    )
    WHEN 'pql'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',2,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',2,') > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',3,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',3,') > 0
        THEN ',3'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',4,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',4,') > 0
        THEN ',4'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',5,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',5,') > 0
        THEN ',5'
        ELSE ''
      END,
      2
    )
    WHEN 'transacted'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END,
      2
    )
    WHEN 'eql'
    THEN SUBSTRING(
      CASE
        WHEN STRPOS(',' || now_met || ',', ',1,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',1,') > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',2,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',2,') > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',3,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',3,') > 0
        THEN ',3'
        ELSE ''
      END || CASE
        WHEN STRPOS(',' || now_met || ',', ',4,') > 0
        AND NOT STRPOS(',' || base_met || ',', ',4,') > 0
        THEN ',4'
        ELSE ''
      END,
      2
    )
  END AS new_criteria,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) AS as_of
FROM (
  SELECT
    *
  FROM (
    SELECT
      milestone,
      entity_level,
      entity_id,
      account_id,
      from_progress,
      to_progress,
      completed_at,
      now_met,
      base_met,
      CASE
        WHEN NOT was_complete AND is_complete
        THEN 'completed'
        WHEN was_complete AND NOT is_complete
        THEN 'lost'
        WHEN NOT was_complete AND to_progress > from_progress
        THEN 'progressed'
        WHEN NOT was_complete AND to_progress < from_progress
        THEN 'regressed'
      END AS transition
    FROM j
    UNION ALL
    SELECT
      milestone,
      entity_level,
      entity_id,
      account_id,
      from_progress,
      to_progress,
      completed_at,
      now_met,
      base_met,
      'overdue' AS transition
    FROM j
    WHERE
      NOT was_overdue AND is_overdue
  ) AS t
  WHERE
    NOT transition IS NULL
) AS r;
