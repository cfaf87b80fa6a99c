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
        CAST(SAFE_CAST(ev.p_1 AS FLOAT64) AS BIGNUMERIC) AS w
      FROM acme.milestones._ms_events AS ev
      WHERE
        NOT ev.account_id IS NULL
        AND ev.event_code IN (4 /* payment_succeeded */)
        AND SAFE_CAST(ev.p_1 AS FLOAT64) > 0
    ) AS r
  ) AS deltas
) AS run
GROUP BY
  entity_id;
