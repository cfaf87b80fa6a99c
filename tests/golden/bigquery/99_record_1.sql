-- golden: tests/test_golden.py::test_golden_sql[bigquery]
INSERT INTO acme.milestones.milestone_transitions (
  transition_id,
  run_id,
  previous_run_id,
  previous_as_of,
  entity_level,
  entity_id,
  account_id,
  milestone,
  transition,
  from_progress,
  to_progress,
  new_criteria,
  completed_at,
  as_of
)
SELECT
  transition_id,
  'run-2',
  previous_run_id,
  previous_as_of,
  entity_level,
  entity_id,
  account_id,
  milestone,
  transition,
  from_progress,
  to_progress,
  new_criteria,
  completed_at,
  as_of
FROM acme.milestones._ms_transitions;
