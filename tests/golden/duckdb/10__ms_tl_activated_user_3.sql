-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_activated_user_3 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_activated_user_3 AS
SELECT
  entity_id,
  SUM(d) AS v,
  MIN(CASE WHEN f >= 2.0 THEN t END) AS t
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
        entity_id,
        MIN(ts) AS ts,
        1 AS w
      FROM (
        SELECT
          ev.contact_id AS entity_id,
          ev.occurred_at AS ts,
          ev.p_4 AS val
        FROM temp.main._ms_events AS ev
        WHERE
          NOT ev.contact_id IS NULL
          AND ev.event_name IN ('used_feature')
          AND NOT ev.p_4 IS NULL
      ) AS q
      GROUP BY
        entity_id,
        val
    ) AS r
  ) AS deltas
) AS run
GROUP BY
  entity_id;
