-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- contact_milestones (output), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones.contact_milestones AS
SELECT
  en.entity_id,
  MAX(CASE WHEN s.milestone = 'signed_up' THEN s.progress END) AS signed_up_progress,
  MAX(CASE WHEN s.milestone = 'signed_up' THEN s.completed_at END) AS signed_up_completed_at,
  MAX(CASE WHEN s.milestone = 'activated_user' THEN s.progress END) AS activated_user_progress,
  MAX(CASE WHEN s.milestone = 'activated_user' THEN s.completed_at END) AS activated_user_completed_at,
  CASE
    WHEN MAX(CASE WHEN s.milestone = 'activated_user' AND s.is_complete THEN 1 ELSE 0 END) = 1
    THEN 'activated_user'
    WHEN MAX(CASE WHEN s.milestone = 'signed_up' AND s.is_complete THEN 1 ELSE 0 END) = 1
    THEN 'signed_up'
  END AS current_milestone,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of
FROM analytics.milestones._ms_entities AS en
LEFT JOIN analytics.milestones.milestone_state AS s
  ON s.entity_level = 'contact' AND s.entity_id = en.entity_id
WHERE
  en.entity_level = 'contact'
GROUP BY
  en.entity_id;
