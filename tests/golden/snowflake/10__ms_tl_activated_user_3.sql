-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_tl_activated_user_3 (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_tl_activated_user_3 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  CAST(MIN_BY(IFF(TRUE, ts, NULL), IFF(TRUE, ts, NULL), 2)[1] AS TIMESTAMPNTZ) AS t
FROM (
  SELECT
    entity_id,
    MIN(ts) AS ts
  FROM (
    SELECT
      ev.contact_id AS entity_id,
      ev.occurred_at AS ts,
      ev.p_4 AS val
    FROM analytics.milestones._ms_events AS ev
    WHERE
      NOT ev.contact_id IS NULL
      AND ev.event_code IN (8 /* used_feature */)
      AND NOT ev.p_4 IS NULL
  ) AS q
  GROUP BY
    entity_id,
    val
) AS r
GROUP BY
  entity_id;
