-- The events relation the milestones read (source.events in milestones/source.yml).
SELECT
    event_id,
    event_name,
    occurred_at,
    user_id,
    account_id,
    plan,
    CAST(properties AS JSON) AS properties
FROM {{ ref('raw_events') }}
