-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- milestone_events (output), target duckdb (duckdb)
CREATE OR REPLACE TABLE main.milestone_events AS
SELECT
  entity_level,
  entity_id,
  milestone,
  'milestone_updated' AS event_type,
  criterion_id,
  met_at AS occurred_at,
  CAST(COUNT(*) OVER (PARTITION BY entity_level, entity_id, milestone ORDER BY met_at) AS DOUBLE) / n_total AS progress
FROM (
  SELECT
    *,
    COUNT(*) OVER (PARTITION BY entity_level, entity_id, milestone) AS n_total
  FROM (
    SELECT
      *
    FROM main.milestone_criteria
    WHERE
      STRPOS(criterion_id, '.') = 0
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
  CAST(NULL AS TEXT) AS criterion_id,
  completed_at AS occurred_at,
  CAST(1 AS DOUBLE) AS progress
FROM main.milestone_state
WHERE
  is_complete;
