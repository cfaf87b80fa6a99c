-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_pql_4_1 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_pql_4_1 AS
SELECT
  entity_id,
  COUNT(*) FILTER(WHERE
    ts >= CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP) - INTERVAL '2592000' SECOND) AS v,
  MAX(
    CASE
      WHEN p >= ts - INTERVAL '2592000' SECOND
      AND (
        prev_p IS NULL OR ts > prev_p + INTERVAL '2592000' SECOND
      )
      THEN ts
    END
  ) AS t
FROM (
  SELECT
    entity_id,
    ts,
    p,
    MAX(CASE WHEN p >= ts - INTERVAL '2592000' SECOND THEN p END) OVER (
      PARTITION BY entity_id
      ORDER BY ts
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS prev_p
  FROM (
    SELECT
      entity_id,
      ts,
      LAG(ts, 9) OVER (PARTITION BY entity_id ORDER BY ts) AS p
    FROM (
      SELECT
        ev.account_id AS entity_id,
        ev.occurred_at AS ts,
        1 AS w
      FROM temp.main._ms_events AS ev
      WHERE
        NOT ev.account_id IS NULL AND ev.event_code IN (2 /* created_task */)
    ) AS q
  ) AS l
) AS mk
GROUP BY
  entity_id;
