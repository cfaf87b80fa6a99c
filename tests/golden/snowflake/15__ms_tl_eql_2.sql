-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_tl_eql_2 (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_tl_eql_2 AS
SELECT
  entity_id,
  SUM(d) AS v,
  MIN(CASE WHEN f >= 1000.0 THEN t END) AS t
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
        LEAST(
          CAST(CASE
            WHEN NOT REGEXP_LIKE(ev.p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
            THEN NULL
            WHEN ABS(TRY_TO_DOUBLE(ev.p_1)) < 1e29
            THEN TRY_TO_DOUBLE(ev.p_1)
          END AS DECIMAL(38, 9)),
          CAST('100000000000000000000' AS DECIMAL(38, 9))
        ) AS w
      FROM analytics.milestones._ms_events AS ev
      WHERE
        NOT ev.account_id IS NULL
        AND ev.event_code IN (4 /* payment_succeeded */)
        AND CASE
          WHEN NOT REGEXP_LIKE(ev.p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
          THEN NULL
          WHEN ABS(TRY_TO_DOUBLE(ev.p_1)) < 1e29
          THEN TRY_TO_DOUBLE(ev.p_1)
        END > 0
    ) AS r
  ) AS deltas
) AS run
GROUP BY
  entity_id;
