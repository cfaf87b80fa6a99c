-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_tl_eql_4_2 (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_tl_eql_4_2 AS
SELECT
  entity_id,
  COUNT(*) AS v,
  (
    MIN(ts, 10) FILTER(WHERE
      TRUE)
  )[10] AS t
FROM (
  SELECT
    entity_id,
    MIN(ts) AS ts
  FROM (
    SELECT
      ev.account_id AS entity_id,
      ev.occurred_at AS ts,
      ev.p_3 AS val
    FROM temp.main._ms_events AS ev
    JOIN temp.main._ms_m_transacted AS anc
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
