-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_tl_eql_4_2 (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_tl_eql_4_2 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  ARRAY_AGG(
    IF(TRUE, ts, NULL) IGNORE NULLS ORDER BY IF(TRUE, ts, NULL) IS NULL, IF(TRUE, ts, NULL)
    LIMIT 10
  )[SAFE_OFFSET(9)] AS t
FROM (
  SELECT
    entity_id,
    MIN(ts) AS ts
  FROM (
    SELECT
      ev.account_id AS entity_id,
      ev.occurred_at AS ts,
      ev.p_3 AS val
    FROM acme.milestones._ms_events AS ev
    JOIN acme.milestones._ms_m_transacted AS anc
      ON anc.entity_id = ev.account_id AND anc.is_complete
    WHERE
      NOT ev.account_id IS NULL
      AND ev.event_code IN (3 /* invited_user */)
      AND NOT ev.p_3 IS NULL
      AND ev.occurred_at >= anc.completed_at
  ) AS q
  GROUP BY
    entity_id,
    val
) AS r
GROUP BY
  entity_id;
