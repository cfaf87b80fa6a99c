-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_tl_eql_2 (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_tl_eql_2 AS
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
            WHEN NOT REGEXP_CONTAINS(ev.p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
            THEN NULL
            WHEN ABS(SAFE_CAST(ev.p_1 AS FLOAT64)) < 1e29
            THEN SAFE_CAST(ev.p_1 AS FLOAT64)
          END AS BIGNUMERIC),
          CAST('100000000000000000000' AS BIGNUMERIC)
        ) AS w
      FROM acme.milestones._ms_events AS ev
      WHERE
        NOT ev.account_id IS NULL
        AND ev.event_code IN (4 /* payment_succeeded */)
        AND CASE
          WHEN NOT REGEXP_CONTAINS(ev.p_1, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$')
          THEN NULL
          WHEN ABS(SAFE_CAST(ev.p_1 AS FLOAT64)) < 1e29
          THEN SAFE_CAST(ev.p_1 AS FLOAT64)
        END > 0
    ) AS r
  ) AS deltas
) AS run
GROUP BY
  entity_id;
