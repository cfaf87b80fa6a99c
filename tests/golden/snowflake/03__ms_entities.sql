-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_entities (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_entities AS
WITH normalized AS (
  SELECT
    event_name,
    occurred_at,
    contact_id,
    own_account_id,
    event_id
  FROM (
    SELECT
      *,
      ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY occurred_at) AS copy_no
    FROM (
      SELECT
        CAST(event_name AS VARCHAR) AS event_name,
        CAST(occurred_at AS TIMESTAMPNTZ) AS occurred_at,
        CAST(user_id AS VARCHAR) AS contact_id,
        CAST(account_id AS VARCHAR) AS own_account_id,
        CAST(event_id AS VARCHAR) AS event_id
      FROM analytics.milestones.stg_events
      WHERE
        NOT event_name IS NULL
        AND NOT CAST(occurred_at AS TIMESTAMPNTZ) IS NULL
        AND CAST(occurred_at AS TIMESTAMPNTZ) <= CAST('2026-06-30 00:00:00.000000' AS TIMESTAMPNTZ)
    ) AS raw
  ) AS numbered
  WHERE
    event_id IS NULL OR copy_no = 1
), pairs AS (
  SELECT
    contact_id,
    own_account_id,
    MAX(occurred_at) AS last_at
  FROM normalized
  GROUP BY
    contact_id,
    own_account_id
), contacts AS (
  SELECT
    contact_id,
    SUBSTRING(
      MAX(
        LPAD(CAST(DATE_PART(EPOCH_MICROSECOND, last_at) AS VARCHAR), 20, '0') || own_account_id
      ),
      21
    ) AS account_id,
    MAX(CASE WHEN own_account_id IS NULL THEN 1 ELSE 0 END) AS unowned
  FROM pairs
  WHERE
    NOT contact_id IS NULL
  GROUP BY
    contact_id
)
SELECT
  *
FROM (
  SELECT
    'account' AS entity_level,
    own_account_id AS entity_id,
    own_account_id AS account_id
  FROM pairs
  WHERE
    NOT own_account_id IS NULL
  UNION
  SELECT
    'account' AS entity_level,
    account_id AS entity_id,
    account_id
  FROM contacts
  WHERE
    unowned = 1 AND NOT account_id IS NULL
) AS accounts
UNION ALL
SELECT
  'contact' AS entity_level,
  contact_id AS entity_id,
  account_id
FROM contacts;
