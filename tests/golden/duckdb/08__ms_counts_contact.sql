-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_counts_contact (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_counts_contact AS
SELECT
  contact_id AS entity_id,
  COUNT(*) FILTER(WHERE
    event_code IN (7 /* signed_up */)) AS v_signed_up_1,
  MIN(occurred_at) FILTER(WHERE
    event_code IN (7 /* signed_up */)) AS t_signed_up_1
FROM temp.main._ms_events
WHERE
  NOT contact_id IS NULL AND event_code IN (7 /* signed_up */)
GROUP BY
  contact_id;
