-- golden: tests/test_golden.py::test_golden_sql[duckdb]
INSERT INTO main._ms_comparison_base (
  run_id,
  milestone,
  entity_level,
  entity_id,
  account_id,
  progress,
  is_complete,
  completed_at,
  is_overdue,
  met_criteria
)
SELECT
  'run-2',
  milestone,
  entity_level,
  entity_id,
  account_id,
  progress,
  is_complete,
  completed_at,
  is_overdue,
  met_criteria
FROM temp.main._ms_snapshot
WHERE
  milestone IN (
    'signed_up',
    'trial_started',
    'onboarded',
    'activated_user',
    'weekly_active',
    'pql',
    'transacted',
    'eql'
  );
