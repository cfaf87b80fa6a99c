-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_events (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_events AS
SELECT
  ty.event_code,
  e.occurred_at,
  e.contact_id,
  e.p_1,
  e.p_2,
  e.p_3,
  e.p_4,
  e.p_5,
  e.p_6,
  e.p_7,
  e.p_8,
  e.p_9,
  COALESCE(e.own_account_id, en.account_id) AS account_id
FROM (
  SELECT
    event_name,
    occurred_at,
    contact_id,
    own_account_id,
    p_1,
    p_2,
    p_3,
    p_4,
    p_5,
    p_6,
    p_7,
    p_8,
    p_9,
    event_id
  FROM (
    SELECT
      *,
      ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY occurred_at) AS copy_no
    FROM (
      SELECT
        CAST(event_name AS TEXT) AS event_name,
        CAST(occurred_at AS TIMESTAMP) AS occurred_at,
        CAST(user_id AS TEXT) AS contact_id,
        CAST(account_id AS TEXT) AS own_account_id,
        CASE
          WHEN event_name IN ('payment_succeeded')
          THEN TRY(JSON_EXTRACT_STRING(properties, '$."amount"'))
        END AS p_1,
        CASE
          WHEN event_name IN ('payment_succeeded')
          THEN TRY(JSON_EXTRACT_STRING(properties, '$."currency"'))
        END AS p_2,
        CASE
          WHEN event_name IN ('invited_user')
          THEN TRY(JSON_EXTRACT_STRING(properties, '$."email"'))
        END AS p_3,
        CASE
          WHEN event_name IN ('used_feature')
          THEN TRY(JSON_EXTRACT_STRING(properties, '$."feature"'))
        END AS p_4,
        CAST(plan AS TEXT) AS p_5,
        TRY(JSON_EXTRACT_STRING(properties, '$."role"')) AS p_6,
        CASE
          WHEN event_name IN ('invited_user')
          THEN TRY(JSON_EXTRACT_STRING(properties, '$."seats"'))
        END AS p_7,
        CASE
          WHEN event_name IN ('created_task')
          THEN TRY(JSON_EXTRACT_STRING(properties, '$."source"'))
        END AS p_8,
        CASE
          WHEN event_name IN ('created_task')
          THEN TRY(JSON_EXTRACT_STRING(properties, '$."user"."role"'))
        END AS p_9,
        CAST(event_id AS TEXT) AS event_id
      FROM main.stg_events
      WHERE
        NOT event_name IS NULL
        AND NOT CAST(occurred_at AS TIMESTAMP) IS NULL
        AND CAST(occurred_at AS TIMESTAMP) <= CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
    ) AS raw
  ) AS numbered
  WHERE
    event_id IS NULL OR copy_no = 1
) AS e
LEFT JOIN (VALUES
  ('created_project', 1),
  ('created_task', 2),
  ('invited_user', 3),
  ('payment_succeeded', 4),
  ('search', 5),
  ('sent_message', 6),
  ('signed_up', 7),
  ('used_feature', 8)) AS ty(event_name, event_code)
  ON ty.event_name = e.event_name
LEFT JOIN temp.main._ms_entities AS en
  ON en.entity_level = 'contact' AND en.entity_id = e.contact_id;
