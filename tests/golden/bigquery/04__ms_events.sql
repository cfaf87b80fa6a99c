-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- _ms_events (stage), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones._ms_events AS
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
        CAST(event_name AS STRING) AS event_name,
        CAST(occurred_at AS TIMESTAMP) AS occurred_at,
        CAST(user_id AS STRING) AS contact_id,
        CAST(account_id AS STRING) AS own_account_id,
        CASE
          WHEN event_name IN ('payment_succeeded')
          THEN JSON_VALUE(properties, '$."amount"')
        END AS p_1,
        CASE
          WHEN event_name IN ('payment_succeeded')
          THEN JSON_VALUE(properties, '$."currency"')
        END AS p_2,
        CASE
          WHEN event_name IN ('invited_user')
          THEN JSON_VALUE(properties, '$."email"')
        END AS p_3,
        CASE
          WHEN event_name IN ('used_feature')
          THEN JSON_VALUE(properties, '$."feature"')
        END AS p_4,
        CAST(plan AS STRING) AS p_5,
        JSON_VALUE(properties, '$."role"') AS p_6,
        CASE
          WHEN event_name IN ('invited_user')
          THEN JSON_VALUE(properties, '$."seats"')
        END AS p_7,
        CASE
          WHEN event_name IN ('created_task')
          THEN JSON_VALUE(properties, '$."source"')
        END AS p_8,
        CASE
          WHEN event_name IN ('created_task')
          THEN JSON_VALUE(properties, '$."user"."role"')
        END AS p_9,
        CAST(event_id AS STRING) AS event_id
      FROM acme.milestones.stg_events
      WHERE
        NOT event_name IS NULL
        AND NOT CAST(occurred_at AS TIMESTAMP) IS NULL
        AND CAST(occurred_at AS TIMESTAMP) <= CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
    ) AS raw
  ) AS numbered
  WHERE
    event_id IS NULL OR copy_no = 1
) AS e
LEFT JOIN UNNEST([
  STRUCT('created_project' AS event_name, 1 AS event_code),
  STRUCT('created_task' AS event_name, 2 AS event_code),
  STRUCT('invited_user' AS event_name, 3 AS event_code),
  STRUCT('payment_succeeded' AS event_name, 4 AS event_code),
  STRUCT('search' AS event_name, 5 AS event_code),
  STRUCT('sent_message' AS event_name, 6 AS event_code),
  STRUCT('signed_up' AS event_name, 7 AS event_code),
  STRUCT('used_feature' AS event_name, 8 AS event_code)
]) AS ty
  ON ty.event_name = e.event_name
LEFT JOIN acme.milestones._ms_entities AS en
  ON en.entity_level = 'contact' AND en.entity_id = e.contact_id;
