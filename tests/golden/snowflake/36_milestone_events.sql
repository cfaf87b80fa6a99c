-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- milestone_events (output), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones.milestone_events AS
SELECT
  'contact' AS entity_level,
  entity_id,
  'signed_up' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 1 AS progress
FROM analytics.milestones._ms_m_signed_up
WHERE
  is_met_1
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'trial_started' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 1 AS progress
FROM analytics.milestones._ms_m_trial_started
WHERE
  is_met_1
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress
FROM analytics.milestones._ms_m_onboarded
WHERE
  is_met_1
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  'milestone_updated' AS event_type,
  '2' AS criterion_id,
  met_at_2 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_2 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress
FROM analytics.milestones._ms_m_onboarded
WHERE
  is_met_2
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  'milestone_updated' AS event_type,
  '3' AS criterion_id,
  met_at_3 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_3 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress
FROM analytics.milestones._ms_m_onboarded
WHERE
  is_met_3
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress
FROM analytics.milestones._ms_m_activated_user
WHERE
  is_met_1
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  'milestone_updated' AS event_type,
  '2' AS criterion_id,
  met_at_2 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_2 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress
FROM analytics.milestones._ms_m_activated_user
WHERE
  is_met_2
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  'milestone_updated' AS event_type,
  '3' AS criterion_id,
  met_at_3 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_3 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress
FROM analytics.milestones._ms_m_activated_user
WHERE
  is_met_3
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'weekly_active' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 2 AS progress
FROM analytics.milestones._ms_m_weekly_active
WHERE
  is_met_1
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'weekly_active' AS milestone,
  'milestone_updated' AS event_type,
  '2' AS criterion_id,
  met_at_2 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_2 THEN 1 ELSE 0 END AS DOUBLE) / 2 AS progress
FROM analytics.milestones._ms_m_weekly_active
WHERE
  is_met_2
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_5 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 5 AS progress
FROM analytics.milestones._ms_m_pql
WHERE
  is_met_1
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  'milestone_updated' AS event_type,
  '2' AS criterion_id,
  met_at_2 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_5 <= met_at_2 THEN 1 ELSE 0 END AS DOUBLE) / 5 AS progress
FROM analytics.milestones._ms_m_pql
WHERE
  is_met_2
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  'milestone_updated' AS event_type,
  '3' AS criterion_id,
  met_at_3 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_5 <= met_at_3 THEN 1 ELSE 0 END AS DOUBLE) / 5 AS progress
FROM analytics.milestones._ms_m_pql
WHERE
  is_met_3
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  'milestone_updated' AS event_type,
  '4' AS criterion_id,
  met_at_4 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_4 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_4 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_4 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_4 THEN 1 ELSE 0 END + CASE WHEN met_at_5 <= met_at_4 THEN 1 ELSE 0 END AS DOUBLE) / 5 AS progress
FROM analytics.milestones._ms_m_pql
WHERE
  is_met_4
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  'milestone_updated' AS event_type,
  '5' AS criterion_id,
  met_at_5 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_5 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_5 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_5 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_5 THEN 1 ELSE 0 END + CASE WHEN met_at_5 <= met_at_5 THEN 1 ELSE 0 END AS DOUBLE) / 5 AS progress
FROM analytics.milestones._ms_m_pql
WHERE
  is_met_5
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'transacted' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 1 AS progress
FROM analytics.milestones._ms_m_transacted
WHERE
  is_met_1
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  'milestone_updated' AS event_type,
  '1' AS criterion_id,
  met_at_1 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_1 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_1 THEN 1 ELSE 0 END AS DOUBLE) / 4 AS progress
FROM analytics.milestones._ms_m_eql
WHERE
  is_met_1
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  'milestone_updated' AS event_type,
  '2' AS criterion_id,
  met_at_2 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_2 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_2 THEN 1 ELSE 0 END AS DOUBLE) / 4 AS progress
FROM analytics.milestones._ms_m_eql
WHERE
  is_met_2
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  'milestone_updated' AS event_type,
  '3' AS criterion_id,
  met_at_3 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_3 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_3 THEN 1 ELSE 0 END AS DOUBLE) / 4 AS progress
FROM analytics.milestones._ms_m_eql
WHERE
  is_met_3
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  'milestone_updated' AS event_type,
  '4' AS criterion_id,
  met_at_4 AS occurred_at,
  CAST(CASE WHEN met_at_1 <= met_at_4 THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= met_at_4 THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= met_at_4 THEN 1 ELSE 0 END + CASE WHEN met_at_4 <= met_at_4 THEN 1 ELSE 0 END AS DOUBLE) / 4 AS progress
FROM analytics.milestones._ms_m_eql
WHERE
  is_met_4
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  'milestone_overdue' AS event_type,
  CAST(NULL AS VARCHAR) AS criterion_id,
  due_at AS occurred_at,
  CAST(CASE WHEN met_at_1 <= due_at THEN 1 ELSE 0 END + CASE WHEN met_at_2 <= due_at THEN 1 ELSE 0 END + CASE WHEN met_at_3 <= due_at THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress
FROM analytics.milestones._ms_m_onboarded
WHERE
  due_at < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ)
  AND (
    completed_at IS NULL OR completed_at > due_at
  )
UNION ALL
SELECT
  entity_level,
  entity_id,
  milestone,
  'milestone_completed' AS event_type,
  CAST(NULL AS VARCHAR) AS criterion_id,
  completed_at AS occurred_at,
  CAST(1 AS DOUBLE) AS progress
FROM analytics.milestones.milestone_state
WHERE
  is_complete;
