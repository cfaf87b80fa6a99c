-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- milestone_state (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.milestone_state AS
SELECT
  c.entity_level,
  c.entity_id,
  MAX(en.account_id) AS account_id,
  c.milestone,
  MAX(
    CASE milestone
      WHEN 'signed_up'
      THEN 'Signed Up'
      WHEN 'onboarded'
      THEN 'Onboarded'
      WHEN 'activated_user'
      THEN 'Activated User'
      WHEN 'pql'
      THEN 'Product Qualified'
      WHEN 'transacted'
      THEN 'Transacted'
      WHEN 'eql'
      THEN 'Expansion Qualified'
    END
  ) AS milestone_label,
  MAX(
    CASE milestone
      WHEN 'signed_up'
      THEN 1
      WHEN 'onboarded'
      THEN 2
      WHEN 'activated_user'
      THEN 3
      WHEN 'pql'
      THEN 4
      WHEN 'transacted'
      THEN 5
      WHEN 'eql'
      THEN 6
    END
  ) AS milestone_order,
  COUNTIF(is_met) AS criteria_met,
  COUNT(*) AS criteria_total,
  CAST(COUNTIF(is_met) AS FLOAT64) / COUNT(*) AS progress,
  MIN(CASE WHEN is_met THEN 1 ELSE 0 END) = 1 AS is_complete,
  CASE WHEN MIN(CASE WHEN is_met THEN 1 ELSE 0 END) = 1 THEN MAX(c.met_at) END AS completed_at,
  CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) AS as_of
FROM (
  SELECT
    *
  FROM acme.milestones.milestone_criteria
  WHERE
    INSTR(criterion_id, '.') = 0
) AS c
LEFT JOIN acme.milestones._ms_entities AS en
  ON en.entity_level = c.entity_level AND en.entity_id = c.entity_id
GROUP BY
  c.entity_level,
  c.entity_id,
  c.milestone;
