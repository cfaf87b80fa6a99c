-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_activated_user_2 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_activated_user_2 AS
SELECT
  entity_id,
  MAX(f) AS v,
  MIN(CASE WHEN ph = 0 AND f >= 5.0 THEN t END) AS t
FROM (
  SELECT
    entity_id,
    t,
    ph,
    d,
    SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
  FROM (
    SELECT
      entity_id,
      ts AS t,
      0 AS ph,
      w AS d
    FROM (
      SELECT
        ev.contact_id AS entity_id,
        ev.occurred_at AS ts,
        1 AS w
      FROM temp.main._ms_events AS ev
      WHERE
        NOT ev.contact_id IS NULL AND ev.event_name IN ('created_task')
    ) AS r
    UNION ALL
    SELECT
      entity_id,
      ts + INTERVAL '604800' SECOND AS t,
      1 AS ph,
      -w AS d
    FROM (
      SELECT
        ev.contact_id AS entity_id,
        ev.occurred_at AS ts,
        1 AS w
      FROM temp.main._ms_events AS ev
      WHERE
        NOT ev.contact_id IS NULL AND ev.event_name IN ('created_task')
    ) AS r
  ) AS deltas
) AS run
GROUP BY
  entity_id;
