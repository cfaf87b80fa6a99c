-- golden: tests/test_golden.py::test_golden_sql[bigquery]
INSERT INTO acme.milestones.milestone_history (
  run_id,
  as_of,
  milestone,
  entity_level,
  entities,
  complete,
  overdue,
  avg_progress
)
SELECT
  'run-2',
  as_of,
  milestone,
  entity_level,
  entities,
  complete,
  overdue,
  avg_progress
FROM acme.milestones._ms_history;
