-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_snapshot (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_snapshot AS
SELECT
  'signed_up' AS milestone,
  'contact' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS FLOAT64) / 1 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  FALSE AS is_overdue,
  SUBSTRING(CASE WHEN is_met_1 THEN ',1' ELSE '' END, 2) AS met_criteria
FROM acme.milestones._ms_m_signed_up
UNION ALL
SELECT
  'trial_started' AS milestone,
  'account' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS FLOAT64) / 1 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  FALSE AS is_overdue,
  SUBSTRING(CASE WHEN is_met_1 THEN ',1' ELSE '' END, 2) AS met_criteria
FROM acme.milestones._ms_m_trial_started
UNION ALL
SELECT
  'onboarded' AS milestone,
  'account' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END AS FLOAT64) / 3 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  COALESCE(
    NOT due_at IS NULL
    AND NOT is_complete
    AND CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) > due_at,
    FALSE
  ) AS is_overdue,
  SUBSTRING(
    CASE WHEN is_met_1 THEN ',1' ELSE '' END || CASE WHEN is_met_2 THEN ',2' ELSE '' END || CASE WHEN is_met_3 THEN ',3' ELSE '' END,
    2
  ) AS met_criteria
FROM acme.milestones._ms_m_onboarded
UNION ALL
SELECT
  'activated_user' AS milestone,
  'contact' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END AS FLOAT64) / 3 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  FALSE AS is_overdue,
  SUBSTRING(
    CASE WHEN is_met_1 THEN ',1' ELSE '' END || CASE WHEN is_met_2 THEN ',2' ELSE '' END || CASE WHEN is_met_3 THEN ',3' ELSE '' END,
    2
  ) AS met_criteria
FROM acme.milestones._ms_m_activated_user
UNION ALL
SELECT
  'weekly_active' AS milestone,
  'contact' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END AS FLOAT64) / 2 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  FALSE AS is_overdue,
  SUBSTRING(
    CASE WHEN is_met_1 THEN ',1' ELSE '' END || CASE WHEN is_met_2 THEN ',2' ELSE '' END,
    2
  ) AS met_criteria
FROM acme.milestones._ms_m_weekly_active
UNION ALL
SELECT
  'pql' AS milestone,
  'account' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END + CASE WHEN is_met_4 THEN 1 ELSE 0 END + CASE WHEN is_met_5 THEN 1 ELSE 0 END AS FLOAT64) / 5 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  FALSE AS is_overdue,
  SUBSTRING(
    CASE WHEN is_met_1 THEN ',1' ELSE '' END || CASE WHEN is_met_2 THEN ',2' ELSE '' END || CASE WHEN is_met_3 THEN ',3' ELSE '' END || CASE WHEN is_met_4 THEN ',4' ELSE '' END || CASE WHEN is_met_5 THEN ',5' ELSE '' END,
    2
  ) AS met_criteria
FROM acme.milestones._ms_m_pql
UNION ALL
SELECT
  'transacted' AS milestone,
  'account' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END AS FLOAT64) / 1 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  FALSE AS is_overdue,
  SUBSTRING(CASE WHEN is_met_1 THEN ',1' ELSE '' END, 2) AS met_criteria
FROM acme.milestones._ms_m_transacted
UNION ALL
SELECT
  'eql' AS milestone,
  'account' AS entity_level,
  entity_id,
  account_id,
  CAST(CAST(CASE WHEN is_met_1 THEN 1 ELSE 0 END + CASE WHEN is_met_2 THEN 1 ELSE 0 END + CASE WHEN is_met_3 THEN 1 ELSE 0 END + CASE WHEN is_met_4 THEN 1 ELSE 0 END AS FLOAT64) / 4 AS FLOAT64) AS progress,
  is_complete,
  completed_at,
  FALSE AS is_overdue,
  SUBSTRING(
    CASE WHEN is_met_1 THEN ',1' ELSE '' END || CASE WHEN is_met_2 THEN ',2' ELSE '' END || CASE WHEN is_met_3 THEN ',3' ELSE '' END || CASE WHEN is_met_4 THEN ',4' ELSE '' END,
    2
  ) AS met_criteria
FROM acme.milestones._ms_m_eql;
