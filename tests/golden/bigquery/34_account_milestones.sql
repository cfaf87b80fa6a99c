-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- account_milestones (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.account_milestones AS
SELECT
  en.entity_id,
  CAST(CASE WHEN s1.is_met_1 THEN 1 ELSE 0 END AS FLOAT64) / 1 AS trial_started_progress,
  s1.completed_at AS trial_started_completed_at,
  CAST(CASE WHEN s2.is_met_1 THEN 1 ELSE 0 END + CASE WHEN s2.is_met_2 THEN 1 ELSE 0 END + CASE WHEN s2.is_met_3 THEN 1 ELSE 0 END AS FLOAT64) / 3 AS onboarded_progress,
  s2.completed_at AS onboarded_completed_at,
  COALESCE(
    NOT s2.due_at IS NULL
    AND NOT s2.is_complete
    AND CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) > s2.due_at,
    FALSE
  ) AS onboarded_is_overdue,
  CAST(CASE WHEN s3.is_met_1 THEN 1 ELSE 0 END + CASE WHEN s3.is_met_2 THEN 1 ELSE 0 END + CASE WHEN s3.is_met_3 THEN 1 ELSE 0 END + CASE WHEN s3.is_met_4 THEN 1 ELSE 0 END + CASE WHEN s3.is_met_5 THEN 1 ELSE 0 END AS FLOAT64) / 5 AS pql_progress,
  s3.completed_at AS pql_completed_at,
  CAST(CASE WHEN s4.is_met_1 THEN 1 ELSE 0 END AS FLOAT64) / 1 AS transacted_progress,
  s4.completed_at AS transacted_completed_at,
  CAST(CASE WHEN s5.is_met_1 THEN 1 ELSE 0 END + CASE WHEN s5.is_met_2 THEN 1 ELSE 0 END + CASE WHEN s5.is_met_3 THEN 1 ELSE 0 END + CASE WHEN s5.is_met_4 THEN 1 ELSE 0 END AS FLOAT64) / 4 AS eql_progress,
  s5.completed_at AS eql_completed_at,
  CASE
    WHEN s5.is_complete
    THEN 'eql'
    WHEN s4.is_complete
    THEN 'transacted'
    WHEN s3.is_complete
    THEN 'pql'
    WHEN s2.is_complete
    THEN 'onboarded'
    WHEN s1.is_complete
    THEN 'trial_started'
  END AS current_milestone,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) AS as_of
FROM acme.milestones._ms_entities AS en
LEFT JOIN acme.milestones._ms_m_trial_started AS s1
  ON s1.entity_id = en.entity_id
LEFT JOIN acme.milestones._ms_m_onboarded AS s2
  ON s2.entity_id = en.entity_id
LEFT JOIN acme.milestones._ms_m_pql AS s3
  ON s3.entity_id = en.entity_id
LEFT JOIN acme.milestones._ms_m_transacted AS s4
  ON s4.entity_id = en.entity_id
LEFT JOIN acme.milestones._ms_m_eql AS s5
  ON s5.entity_id = en.entity_id
WHERE
  en.entity_level = 'account';
