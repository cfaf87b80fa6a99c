-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_pql_4_2 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_pql_4_2 AS
SELECT
  entity_id,
  MAX(f) AS v,
  MIN(CASE WHEN f >= 15.0 THEN ts END) AS t
FROM (
  SELECT
    entity_id,
    ts,
    SUM(w) OVER (
      PARTITION BY entity_id
      ORDER BY EPOCH_US(ts)
      RANGE BETWEEN 604800000000 PRECEDING AND CURRENT ROW
    ) AS f
  FROM (
    SELECT
      ev.account_id AS entity_id,
      ev.occurred_at AS ts,
      1 AS w
    FROM temp.main._ms_events AS ev
    WHERE
      NOT ev.account_id IS NULL AND ev.event_code IN (6 /* sent_message */)
  ) AS q
) AS s
GROUP BY
  entity_id;
