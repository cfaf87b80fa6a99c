-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_pql_5 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_pql_5 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  (
    MIN(ts, 3) FILTER(WHERE
      TRUE)
  )[3] AS t
FROM (
  SELECT
    ev.account_id AS entity_id,
    ev.occurred_at AS ts,
    1 AS w
  FROM temp.main._ms_events AS ev
  JOIN temp.main._ms_m_onboarded AS anc
    ON anc.entity_id = ev.account_id AND anc.is_complete
  WHERE
    NOT ev.account_id IS NULL
    AND ev.event_code IN (5 /* search */)
    AND ev.occurred_at >= anc.completed_at
    AND ev.occurred_at <= anc.completed_at + INTERVAL '1209600' SECOND
) AS r
GROUP BY
  entity_id;
