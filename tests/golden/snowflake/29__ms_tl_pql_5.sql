-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_tl_pql_5 (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_tl_pql_5 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  CAST(MIN_BY(IFF(TRUE, ts, NULL), IFF(TRUE, ts, NULL), 3)[2] AS TIMESTAMPNTZ) AS t
FROM (
  SELECT
    ev.account_id AS entity_id,
    ev.occurred_at AS ts,
    1 AS w
  FROM analytics.milestones._ms_events AS ev
  JOIN analytics.milestones._ms_m_onboarded AS anc
    ON anc.entity_id = ev.account_id AND anc.is_complete
  WHERE
    NOT ev.account_id IS NULL
    AND ev.event_code IN (5 /* search */)
    AND ev.occurred_at >= anc.completed_at
    AND ev.occurred_at <= anc.completed_at + INTERVAL '1209600 SECOND'
) AS r
GROUP BY
  entity_id;
