-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_tl_pql_4_3 (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_tl_pql_4_3 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  ARRAY_AGG(
    IF(TRUE, ts, NULL) IGNORE NULLS ORDER BY IF(TRUE, ts, NULL) IS NULL, IF(TRUE, ts, NULL)
    LIMIT 3
  )[SAFE_OFFSET(2)] AS t
FROM (
  SELECT
    entity_id,
    MIN(ts) AS ts
  FROM (
    SELECT
      ev.account_id AS entity_id,
      ev.occurred_at AS ts,
      ev.contact_id AS val
    FROM acme.milestones._ms_events AS ev
    WHERE
      NOT ev.account_id IS NULL
      AND ev.event_code IN (2 /* created_task */)
      AND NOT ev.contact_id IS NULL
  ) AS q
  GROUP BY
    entity_id,
    val
) AS r
GROUP BY
  entity_id;
