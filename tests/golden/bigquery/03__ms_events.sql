-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_events (internal), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_events AS
SELECT
  event_name,
  occurred_at,
  contact_id,
  p_1,
  p_2,
  p_3,
  p_4,
  p_5,
  p_6,
  p_7,
  p_8,
  p_9,
  COALESCE(own_account_id, contact_account_id) AS account_id,
  contact_account_id
FROM (
  SELECT
    event_name,
    occurred_at,
    contact_id,
    p_1,
    p_2,
    p_3,
    p_4,
    p_5,
    p_6,
    p_7,
    p_8,
    p_9,
    own_account_id,
    CASE
      WHEN NOT contact_id IS NULL
      THEN FIRST_VALUE(own_account_id) OVER (
        PARTITION BY contact_id
        ORDER BY CASE WHEN own_account_id IS NULL THEN 1 ELSE 0 END, occurred_at DESC, own_account_id DESC
      )
    END AS contact_account_id
  FROM (
    SELECT
      *
    FROM (
      SELECT
        *,
        ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY occurred_at) AS copy_no
      FROM (
        SELECT
          CAST(event_name AS STRING) AS event_name,
          CAST(occurred_at AS TIMESTAMP) AS occurred_at,
          CAST(user_id AS STRING) AS contact_id,
          CAST(account_id AS STRING) AS own_account_id,
          CAST(event_id AS STRING) AS event_id,
          JSON_VALUE(properties, '$."amount"') AS p_1,
          JSON_VALUE(properties, '$."currency"') AS p_2,
          JSON_VALUE(properties, '$."email"') AS p_3,
          JSON_VALUE(properties, '$."feature"') AS p_4,
          CAST(plan AS STRING) AS p_5,
          JSON_VALUE(properties, '$."role"') AS p_6,
          JSON_VALUE(properties, '$."seats"') AS p_7,
          JSON_VALUE(properties, '$."source"') AS p_8,
          JSON_VALUE(properties, '$."user"."role"') AS p_9
        FROM acme.milestones.stg_events
        WHERE
          NOT event_name IS NULL
          AND NOT occurred_at IS NULL
          AND CAST(occurred_at AS TIMESTAMP) <= CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
      ) AS raw
    ) AS dedup
    WHERE
      event_id IS NULL OR copy_no = 1
  ) AS e
) AS r;
