-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_x_pql_2 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_x_pql_2 AS
SELECT
  account_id AS entity_id,
  COUNT(*) FILTER(WHERE
    is_complete) AS v,
  (
    MIN(completed_at, 2) FILTER(WHERE
      is_complete)
  )[2] AS t
FROM temp.main._ms_m_activated_user AS m_activated_user
WHERE
  NOT account_id IS NULL
GROUP BY
  account_id;
