-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_pql_4_3 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_pql_4_3 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  (
    MIN(ts, 3) FILTER(WHERE
      TRUE)
  )[3] AS t
FROM (
  SELECT
    entity_id,
    MIN(ts) AS ts
  FROM (
    SELECT
      ev.account_id AS entity_id,
      ev.occurred_at AS ts,
      ev.contact_id AS val
    FROM temp.main._ms_events AS ev
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
