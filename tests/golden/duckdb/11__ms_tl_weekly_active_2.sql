-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_weekly_active_2 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_weekly_active_2 AS
SELECT
  entity_id,
  COALESCE(
    MAX(
      CASE
        WHEN last_idx >= CAST(ROUND(
          (
            EPOCH_US(DATE_TRUNC('WEEK', CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP))) / 1000000.0 / 86400.0 - 4
          ) / 7.0
        ) AS BIGINT) - 1
        THEN len
      END
    ),
    0
  ) AS v,
  MAX(
    CASE
      WHEN last_idx >= CAST(ROUND(
        (
          EPOCH_US(DATE_TRUNC('WEEK', CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP))) / 1000000.0 / 86400.0 - 4
        ) / 7.0
      ) AS BIGINT) - 1
      AND len >= 4
      THEN pth
    END
  ) AS t
FROM (
  SELECT
    entity_id,
    COUNT(*) AS len,
    MAX(idx) AS last_idx,
    MAX(CASE WHEN k = 4 THEN qi END) AS pth
  FROM (
    SELECT
      entity_id,
      isl,
      idx,
      qi,
      ROW_NUMBER() OVER (PARTITION BY entity_id, isl ORDER BY idx) AS k
    FROM (
      SELECT
        entity_id,
        idx,
        qi,
        idx - ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY idx) AS isl
      FROM (
        SELECT
          entity_id,
          CAST(ROUND((
            EPOCH_US(ps) / 1000000.0 / 86400.0 - 4
          ) / 7.0) AS BIGINT) AS idx,
          qi
        FROM (
          SELECT
            entity_id,
            ps,
            COUNT(*) AS m,
            (
              MIN(ts, 3) FILTER(WHERE
                TRUE)
            )[3] AS qi
          FROM (
            SELECT
              entity_id,
              ts,
              w,
              DATE_TRUNC('WEEK', ts) AS ps
            FROM (
              SELECT
                ev.contact_id AS entity_id,
                ev.occurred_at AS ts,
                1 AS w
              FROM temp.main._ms_events AS ev
              WHERE
                NOT ev.contact_id IS NULL AND ev.event_code IN (2 /* created_task */)
            ) AS q
          ) AS p
          GROUP BY
            entity_id,
            ps
        ) AS pp
        WHERE
          m >= 3.0
      ) AS qp
    ) AS mk
  ) AS nb
  GROUP BY
    entity_id,
    isl
) AS il
GROUP BY
  entity_id;
