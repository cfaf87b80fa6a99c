-- golden: tests/test_golden.py::test_golden_sql[duckdb]
INSERT INTO main.milestone_history (
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
FROM temp.main._ms_history;
