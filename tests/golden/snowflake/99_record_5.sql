-- golden: tests/test_golden.py::test_golden_sql[snowflake]
DELETE FROM analytics.milestones._ms_comparison_base
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
  )
  AND run_id <> 'run-2';
