{{ config(materialized='table') }}
{#- Sample SaaS product events, generated deterministically (no files to download).
    Accounts sign up over a year; each has 1-8 contacts; activity is heavy-tailed. -#}
WITH accounts AS (
    SELECT
        a AS n,
        'acct_' || lpad(CAST(a AS VARCHAR), 5, '0') AS account_id,
        TIMESTAMP '2025-07-01' + to_seconds(CAST(floor({{ prand('a', 1) }} * 330 * 86400) AS BIGINT)) AS created_at,
        CASE WHEN {{ prand('a', 2) }} < 0.55 THEN 'free' WHEN {{ prand('a', 2) }} < 0.85 THEN 'team' ELSE 'business' END AS plan,
        power({{ prand('a', 3) }}, 1.5) AS engagement
    FROM range(1, {{ var('sample_accounts', 3000) }} + 1) AS t(a)
),
contacts AS (
    SELECT
        a.*,
        a.n * 16 + c AS g,
        a.account_id || '_u' || CAST(c AS VARCHAR) AS user_id,
        a.created_at + to_seconds(CAST(floor(CASE WHEN c = 1 THEN 0 ELSE {{ prand('a.n * 16 + c', 4) }} * 40 * 86400 END) AS BIGINT)) AS joined_at,
        CASE WHEN c = 1 OR {{ prand('a.n * 16 + c', 5) }} < 0.3 THEN 'admin' ELSE 'member' END AS role
    FROM accounts AS a
    CROSS JOIN range(1, 9) AS t(c)
    WHERE c <= 1 + floor(a.engagement * 8)
),
activity AS (
    SELECT
        c.*,
        i,
        c.g * 1024 + i AS k,
        c.joined_at + to_seconds(CAST(floor(power({{ prand('c.g * 1024 + i', 6) }}, 2) * 240 * 86400) AS BIGINT)) AS ts,
        {{ prand('c.g * 1024 + i', 7) }} AS r
    FROM contacts AS c
    CROSS JOIN range(0, 400) AS t(i)
    WHERE i < 2 + floor(power({{ prand('c.g', 8) }}, 2) * 380 * c.engagement)
),
typed AS (
    SELECT
        *,
        CASE
            WHEN r < 0.30 THEN 'created_task'
            WHEN r < 0.52 THEN 'sent_message'
            WHEN r < 0.67 THEN 'viewed_dashboard'
            WHEN r < 0.77 THEN 'search'
            WHEN r < 0.85 THEN 'used_feature'
            WHEN r < 0.90 THEN 'invited_user'
            WHEN r < 0.94 THEN 'created_project'
            WHEN r < 0.97 THEN 'connected_integration'
            ELSE 'payment_succeeded'
        END AS event_name
    FROM activity
)
SELECT
    'e' || CAST(k AS VARCHAR) AS event_id,
    event_name,
    ts AS occurred_at,
    user_id,
    -- a fifth of client-side events carry no account: the contact's account is used
    CASE WHEN {{ prand('k', 9) }} < 0.2 AND event_name IN ('viewed_dashboard', 'search') THEN NULL ELSE account_id END AS account_id,
    plan,
    CASE event_name
        WHEN 'invited_user' THEN json_object(
            'role', CASE WHEN {{ prand('k', 10) }} < 0.35 THEN 'admin' ELSE 'member' END,
            'seats', 1 + CAST(floor({{ prand('k', 11) }} * 5) AS INTEGER),
            'email', 'person' || CAST(CAST(floor({{ prand('k', 12) }} * 40) AS INTEGER) AS VARCHAR) || '@' || account_id || '.example')
        WHEN 'used_feature' THEN json_object(
            'feature', ['reports', 'automations', 'api', 'sso', 'exports', 'dashboards'][1 + CAST(floor({{ prand('k', 13) }} * 6) AS INTEGER)])
        WHEN 'payment_succeeded' THEN json_object(
            'amount', round(20 + {{ prand('k', 14) }} * CASE plan WHEN 'business' THEN 900 WHEN 'team' THEN 200 ELSE 40 END, 2),
            'currency', 'USD')
        WHEN 'search' THEN json_object('query', 'q' || CAST(CAST(floor({{ prand('k', 15) }} * 25) AS INTEGER) AS VARCHAR))
        WHEN 'created_task' THEN json_object('source', CASE WHEN {{ prand('k', 16) }} < 0.2 THEN 'api' ELSE 'web' END, 'user', json_object('role', role))
        ELSE json_object()
    END AS properties
FROM typed
UNION ALL
SELECT 's' || CAST(g AS VARCHAR), 'signed_up', joined_at, user_id, account_id, plan, json_object('role', role)
FROM contacts
UNION ALL
-- a few broken rows, as real pipelines have: they are ignored and counted
SELECT 'x' || CAST(n AS VARCHAR), NULL, created_at, NULL, account_id, plan, json_object()
FROM accounts WHERE n % 97 = 0
