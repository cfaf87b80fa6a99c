-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_x_trial_started_1 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_x_trial_started_1 AS
SELECT
  account_id AS entity_id,
  COUNT(*) FILTER(WHERE
    is_complete) AS v,
  MIN(completed_at) FILTER(WHERE
    is_complete) AS t
FROM temp.main._ms_m_signed_up AS m_signed_up
WHERE
  NOT account_id IS NULL
GROUP BY
  account_id;
