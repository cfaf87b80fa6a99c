-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- contact_milestones (output), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones.contact_milestones AS
SELECT
  en.entity_id,
  CAST(CASE WHEN s1.is_met_1 THEN 1 ELSE 0 END AS DOUBLE) / 1 AS signed_up_progress,
  s1.completed_at AS signed_up_completed_at,
  CAST(CASE WHEN s2.is_met_1 THEN 1 ELSE 0 END + CASE WHEN s2.is_met_2 THEN 1 ELSE 0 END + CASE WHEN s2.is_met_3 THEN 1 ELSE 0 END AS DOUBLE) / 3 AS activated_user_progress,
  s2.completed_at AS activated_user_completed_at,
  CAST(CASE WHEN s3.is_met_1 THEN 1 ELSE 0 END + CASE WHEN s3.is_met_2 THEN 1 ELSE 0 END AS DOUBLE) / 2 AS weekly_active_progress,
  s3.completed_at AS weekly_active_completed_at,
  CASE
    WHEN s3.is_complete
    THEN 'weekly_active'
    WHEN s2.is_complete
    THEN 'activated_user'
    WHEN s1.is_complete
    THEN 'signed_up'
  END AS current_milestone,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ) AS as_of
FROM analytics.milestones._ms_entities AS en
LEFT JOIN analytics.milestones._ms_m_signed_up AS s1
  ON s1.entity_id = en.entity_id
LEFT JOIN analytics.milestones._ms_m_activated_user AS s2
  ON s2.entity_id = en.entity_id
LEFT JOIN analytics.milestones._ms_m_weekly_active AS s3
  ON s3.entity_id = en.entity_id
WHERE
  en.entity_level = 'contact';
