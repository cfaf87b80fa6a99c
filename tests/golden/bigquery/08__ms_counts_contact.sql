-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_counts_contact (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_counts_contact AS
SELECT
  contact_id AS entity_id,
  COUNTIF(event_code IN (7 /* signed_up */)) AS v_signed_up_1,
  MIN(IF(event_code IN (7 /* signed_up */), occurred_at, NULL)) AS t_signed_up_1
FROM acme.milestones._ms_events
WHERE
  NOT contact_id IS NULL AND event_code IN (7 /* signed_up */)
GROUP BY
  contact_id;
