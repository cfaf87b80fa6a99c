-- Account attributes (source.accounts): funnels can segment by any of these columns.
SELECT
    account_id,
    max(plan) AS plan,
    min(occurred_at) AS first_seen_at
FROM {{ ref('raw_events') }}
WHERE account_id IS NOT NULL
GROUP BY account_id
