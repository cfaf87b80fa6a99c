-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_eql_3_2_2 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_eql_3_2_2 AS
SELECT
  entity_id,
  SUM(
    CASE
      WHEN ph = 0 OR t < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
      THEN d
      ELSE 0
    END
  ) AS v,
  MIN(CASE WHEN ph = 0 AND (
    low_t IS NULL OR t > low_t
  ) THEN t END) AS t
FROM (
  SELECT
    entity_id,
    t,
    ph,
    d,
    MAX(
      CASE
        WHEN f < 5.0 AND (
          ph = 0 OR t < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
        )
        THEN t
      END
    ) OVER (PARTITION BY entity_id) AS low_t
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
          ev.account_id AS entity_id,
          ev.occurred_at AS ts,
          1 AS w
        FROM temp.main._ms_events AS ev
        WHERE
          NOT ev.account_id IS NULL
          AND (
            ev.event_name IN ('created_task') AND ev.p_8 = 'api' AND NOT ev.p_9 IS NULL
          )
      ) AS r
      UNION ALL
      SELECT
        entity_id,
        ts + INTERVAL '7776000' SECOND AS t,
        1 AS ph,
        -w AS d
      FROM (
        SELECT
          ev.account_id AS entity_id,
          ev.occurred_at AS ts,
          1 AS w
        FROM temp.main._ms_events AS ev
        WHERE
          NOT ev.account_id IS NULL
          AND (
            ev.event_name IN ('created_task') AND ev.p_8 = 'api' AND NOT ev.p_9 IS NULL
          )
      ) AS r
    ) AS deltas
  ) AS run
) AS mk
GROUP BY
  entity_id;
