-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- milestone_events (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.milestone_events AS
SELECT
  entity_level,
  entity_id,
  milestone,
  'milestone_updated' AS event_type,
  criterion_id,
  met_at AS occurred_at,
  CAST(COUNT(*) OVER (PARTITION BY entity_level, entity_id, milestone ORDER BY met_at) AS FLOAT64) / n_total AS progress
FROM (
  SELECT
    *,
    COUNT(*) OVER (PARTITION BY entity_level, entity_id, milestone) AS n_total
  FROM (
    SELECT
      *
    FROM acme.milestones.milestone_criteria
    WHERE
      INSTR(criterion_id, '.') = 0
  ) AS t
) AS tops
WHERE
  is_met
UNION ALL
SELECT
  entity_level,
  entity_id,
  milestone,
  'milestone_completed' AS event_type,
  CAST(NULL AS STRING) AS criterion_id,
  completed_at AS occurred_at,
  CAST(1 AS FLOAT64) AS progress
FROM acme.milestones.milestone_state
WHERE
  is_complete;
