-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- account_milestones (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.account_milestones AS
SELECT
  en.entity_id,
  MAX(CASE WHEN s.milestone = 'onboarded' THEN s.progress END) AS onboarded_progress,
  MAX(CASE WHEN s.milestone = 'onboarded' THEN s.completed_at END) AS onboarded_completed_at,
  MAX(CASE WHEN s.milestone = 'pql' THEN s.progress END) AS pql_progress,
  MAX(CASE WHEN s.milestone = 'pql' THEN s.completed_at END) AS pql_completed_at,
  MAX(CASE WHEN s.milestone = 'transacted' THEN s.progress END) AS transacted_progress,
  MAX(CASE WHEN s.milestone = 'transacted' THEN s.completed_at END) AS transacted_completed_at,
  MAX(CASE WHEN s.milestone = 'eql' THEN s.progress END) AS eql_progress,
  MAX(CASE WHEN s.milestone = 'eql' THEN s.completed_at END) AS eql_completed_at,
  CASE
    WHEN MAX(CASE WHEN s.milestone = 'eql' AND s.is_complete THEN 1 ELSE 0 END) = 1
    THEN 'eql'
    WHEN MAX(CASE WHEN s.milestone = 'transacted' AND s.is_complete THEN 1 ELSE 0 END) = 1
    THEN 'transacted'
    WHEN MAX(CASE WHEN s.milestone = 'pql' AND s.is_complete THEN 1 ELSE 0 END) = 1
    THEN 'pql'
    WHEN MAX(CASE WHEN s.milestone = 'onboarded' AND s.is_complete THEN 1 ELSE 0 END) = 1
    THEN 'onboarded'
  END AS current_milestone,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) AS as_of
FROM acme.milestones._ms_entities AS en
LEFT JOIN acme.milestones.milestone_state AS s
  ON s.entity_level = 'account' AND s.entity_id = en.entity_id
WHERE
  en.entity_level = 'account'
GROUP BY
  en.entity_id;
