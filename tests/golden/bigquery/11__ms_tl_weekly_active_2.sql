-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_tl_weekly_active_2 (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_tl_weekly_active_2 AS
SELECT
  entity_id,
  COALESCE(
    MAX(
      CASE
        WHEN last_idx >= CAST(ROUND(
          (
            UNIX_MICROS(TIMESTAMP_TRUNC(CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP), ISOWEEK)) / 1000000.0 / 86400.0 - 4
          ) / 7.0
        ) AS INT64) - 1
        THEN len
      END
    ),
    0
  ) AS v,
  MAX(
    CASE
      WHEN last_idx >= CAST(ROUND(
        (
          UNIX_MICROS(TIMESTAMP_TRUNC(CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP), ISOWEEK)) / 1000000.0 / 86400.0 - 4
        ) / 7.0
      ) AS INT64) - 1
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
            UNIX_MICROS(ps) / 1000000.0 / 86400.0 - 4
          ) / 7.0) AS INT64) AS idx,
          qi
        FROM (
          SELECT
            entity_id,
            ps,
            COUNT(*) AS m,
            ARRAY_AGG(
              IF(TRUE, ts, NULL) IGNORE NULLS ORDER BY IF(TRUE, ts, NULL) IS NULL, IF(TRUE, ts, NULL)
              LIMIT 3
            )[SAFE_OFFSET(2)] AS qi
          FROM (
            SELECT
              entity_id,
              ts,
              w,
              TIMESTAMP_TRUNC(ts, ISOWEEK) AS ps
            FROM (
              SELECT
                ev.contact_id AS entity_id,
                ev.occurred_at AS ts,
                1 AS w
              FROM acme.milestones._ms_events AS ev
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
