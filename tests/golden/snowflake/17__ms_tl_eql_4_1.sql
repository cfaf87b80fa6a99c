-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_tl_eql_4_1 (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_tl_eql_4_1 AS
SELECT
  entity_id,
  CASE
    WHEN MAX(CASE WHEN seq = last_seq THEN d END) > 0
    THEN MAX(CASE WHEN seq = last_seq THEN n END) / MAX(CASE WHEN seq = last_seq THEN d END)
  END AS v,
  MIN(CASE WHEN seq > COALESCE(low_seq, 0) THEN t END) AS t,
  MAX(CASE WHEN seq = last_seq THEN d END) AS d
FROM (
  SELECT
    entity_id,
    t,
    n,
    d,
    seq,
    MAX(seq) OVER (PARTITION BY entity_id) AS last_seq,
    MAX(
      CASE
        WHEN CASE WHEN d >= 8.0 AND d > 0 AND n / d >= 0.25 THEN 0 ELSE 1 END = 1
        THEN seq
      END
    ) OVER (PARTITION BY entity_id) AS low_seq
  FROM (
    SELECT
      entity_id,
      t,
      SUM(dn) OVER (
        PARTITION BY entity_id
        ORDER BY t, ph
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS n,
      SUM(dd) OVER (
        PARTITION BY entity_id
        ORDER BY t, ph
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      ) AS d,
      ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY t, ph) AS seq
    FROM (
      SELECT
        entity_id,
        t,
        ph,
        SUM(dn) AS dn,
        SUM(dd) AS dd
      FROM (
        SELECT
          entity_id,
          first_ts AS t,
          0 AS ph,
          CAST(w AS DOUBLE) AS dn,
          CAST(0 AS DOUBLE) AS dd
        FROM (
          SELECT
            entity_id,
            MIN(ts) AS first_ts,
            MIN(ts) AS last_ts,
            1 AS w
          FROM (
            SELECT
              ev.account_id AS entity_id,
              ev.occurred_at AS ts,
              ev.contact_id AS val
            FROM analytics.milestones._ms_events AS ev
            WHERE
              NOT ev.account_id IS NULL
              AND ev.event_code IN (7 /* signed_up */)
              AND NOT ev.contact_id IS NULL
          ) AS q
          GROUP BY
            entity_id,
            val
        ) AS o
        UNION ALL
        SELECT
          entity_id,
          first_ts AS t,
          0 AS ph,
          CAST(0 AS DOUBLE) AS dn,
          CAST(w AS DOUBLE) AS dd
        FROM (
          SELECT
            entity_id,
            MIN(ts) AS first_ts,
            MIN(ts) AS last_ts,
            1 AS w
          FROM (
            SELECT
              ev.account_id AS entity_id,
              ev.occurred_at AS ts,
              ev.p_3 AS val
            FROM analytics.milestones._ms_events AS ev
            WHERE
              NOT ev.account_id IS NULL
              AND ev.event_code IN (3 /* invited_user */)
              AND NOT ev.p_3 IS NULL
          ) AS q
          GROUP BY
            entity_id,
            val
        ) AS o
      ) AS deltas
      GROUP BY
        entity_id,
        t,
        ph
    ) AS pts
    WHERE
      (
        ph = 0 AND t <= CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ)
      )
      OR t < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ)
  ) AS r
) AS mk
GROUP BY
  entity_id;
