-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- milestone_state (output), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones.milestone_state AS
SELECT
  'contact' AS entity_level,
  entity_id,
  account_id,
  'signed_up' AS milestone,
  'Signed Up' AS milestone_label,
  1 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(1 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS DOUBLE) / 1 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  CAST(NULL AS TIMESTAMPNTZ) AS due_at,
  FALSE AS is_overdue,
  CAST(NULL AS BOOLEAN) AS completed_on_time
FROM analytics.milestones._ms_m_signed_up
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  account_id,
  'trial_started' AS milestone,
  'Trial Started' AS milestone_label,
  2 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(1 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS DOUBLE) / 1 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  CAST(NULL AS TIMESTAMPNTZ) AS due_at,
  FALSE AS is_overdue,
  CAST(NULL AS BOOLEAN) AS completed_on_time
FROM analytics.milestones._ms_m_trial_started
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  account_id,
  'onboarded' AS milestone,
  'Onboarded' AS milestone_label,
  3 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(3 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  due_at AS due_at,
  COALESCE(
    NOT due_at IS NULL
    AND NOT is_complete
    AND CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) > due_at,
    FALSE
  ) AS is_overdue,
  CASE WHEN NOT due_at IS NULL AND is_complete THEN completed_at <= due_at END AS completed_on_time
FROM analytics.milestones._ms_m_onboarded
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  account_id,
  'activated_user' AS milestone,
  'Activated User' AS milestone_label,
  4 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(3 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  CAST(NULL AS TIMESTAMPNTZ) AS due_at,
  FALSE AS is_overdue,
  CAST(NULL AS BOOLEAN) AS completed_on_time
FROM analytics.milestones._ms_m_activated_user
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  account_id,
  'weekly_active' AS milestone,
  'Weekly Active' AS milestone_label,
  5 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(2 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END AS DOUBLE) / 2 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  CAST(NULL AS TIMESTAMPNTZ) AS due_at,
  FALSE AS is_overdue,
  CAST(NULL AS BOOLEAN) AS completed_on_time
FROM analytics.milestones._ms_m_weekly_active
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  account_id,
  'pql' AS milestone,
  'Product Qualified' AS milestone_label,
  6 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END + CASE WHEN is_met_4 THEN 1 ELSE 0 END + CASE WHEN is_met_5 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(5 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END + CASE WHEN is_met_4 THEN 1 ELSE 0 END + CASE WHEN is_met_5 THEN 1 ELSE 0 END AS DOUBLE) / 5 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  CAST(NULL AS TIMESTAMPNTZ) AS due_at,
  FALSE AS is_overdue,
  CAST(NULL AS BOOLEAN) AS completed_on_time
FROM analytics.milestones._ms_m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  account_id,
  'transacted' AS milestone,
  'Transacted' AS milestone_label,
  7 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(1 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS DOUBLE) / 1 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  CAST(NULL AS TIMESTAMPNTZ) AS due_at,
  FALSE AS is_overdue,
  CAST(NULL AS BOOLEAN) AS completed_on_time
FROM analytics.milestones._ms_m_transacted
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  account_id,
  'eql' AS milestone,
  'Expansion Qualified' AS milestone_label,
  8 AS milestone_order,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END + CASE WHEN is_met_4 THEN 1 ELSE 0 END AS BIGINT) AS criteria_met,
  CAST(4 AS BIGINT) AS criteria_total,
  CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END + CASE WHEN is_met_4 THEN 1 ELSE 0 END AS DOUBLE) / 4 AS progress,
  is_complete,
  completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of,
  CAST(NULL AS TIMESTAMPNTZ) AS due_at,
  FALSE AS is_overdue,
  CAST(NULL AS BOOLEAN) AS completed_on_time
FROM analytics.milestones._ms_m_eql;
