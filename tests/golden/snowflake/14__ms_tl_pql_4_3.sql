-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_tl_pql_4_3 (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_tl_pql_4_3 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  CAST(MIN_BY(IFF(TRUE, ts, NULL), IFF(TRUE, ts, NULL), 3)[2] AS TIMESTAMPNTZ) AS t
FROM (
  SELECT
    entity_id,
    MIN(ts) AS ts
  FROM (
    SELECT
      ev.account_id AS entity_id,
      ev.occurred_at AS ts,
      ev.contact_id AS val
    FROM analytics.milestones._ms_events AS ev
    WHERE
      NOT ev.account_id IS NULL
      AND ev.event_code IN (2 /* created_task */)
      AND NOT ev.contact_id IS NULL
  ) AS q
  GROUP BY
    entity_id,
    val
) AS r
GROUP BY
  entity_id;
