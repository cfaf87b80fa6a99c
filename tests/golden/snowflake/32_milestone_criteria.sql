-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- milestone_criteria (output), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones.milestone_criteria AS
SELECT
  'contact' AS entity_level,
  entity_id,
  'signed_up' AS milestone,
  '1' AS criterion_id,
  'signed_up >= 1' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1.0 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_signed_up AS m_signed_up
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'trial_started' AS milestone,
  '1' AS criterion_id,
  'milestone signed_up' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_trial_started AS m_trial_started
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '1' AS criterion_id,
  'milestone signed_up' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_onboarded AS m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '2' AS criterion_id,
  'created_project >= 1' AS criterion_label,
  CAST(v_2 AS DOUBLE) AS value,
  CAST(1.0 AS DOUBLE) AS threshold,
  CASE WHEN v_2 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_2 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM analytics.milestones._ms_m_onboarded AS m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '3' AS criterion_id,
  'all of 2' AS criterion_label,
  CAST(NULL AS DOUBLE) AS value,
  CAST(NULL AS DOUBLE) AS threshold,
  (
    CASE WHEN v_3_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_3_1 AS DOUBLE) / 1.0, 1.0) END + CASE WHEN v_3_2 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_3_2 AS DOUBLE) / 3.0, 1.0) END
  ) / 2.0 AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM analytics.milestones._ms_m_onboarded AS m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '3.1' AS criterion_id,
  'invited_user >= 1' AS criterion_label,
  CAST(v_3_1 AS DOUBLE) AS value,
  CAST(1.0 AS DOUBLE) AS threshold,
  CASE WHEN v_3_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_3_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  COALESCE(v_3_1 >= 1.0, FALSE) AS is_met,
  CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END AS met_at
FROM analytics.milestones._ms_m_onboarded AS m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '3.2' AS criterion_id,
  'created_task | sent_message >= 3' AS criterion_label,
  CAST(v_3_2 AS DOUBLE) AS value,
  CAST(3.0 AS DOUBLE) AS threshold,
  CASE WHEN v_3_2 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_3_2 AS DOUBLE) / 3.0, 1.0) END AS progress,
  COALESCE(v_3_2 >= 3.0, FALSE) AS is_met,
  CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END AS met_at
FROM analytics.milestones._ms_m_onboarded AS m_onboarded
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  '1' AS criterion_id,
  'milestone onboarded' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_activated_user AS m_activated_user
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  '2' AS criterion_id,
  'created_task >= 5 in any 7d' AS criterion_label,
  CAST(v_2 AS DOUBLE) AS value,
  CAST(5.0 AS DOUBLE) AS threshold,
  CASE WHEN NOT t_2 IS NULL THEN 1.0 ELSE LEAST(CAST(v_2 AS DOUBLE) / 5.0, 1.0) END AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM analytics.milestones._ms_m_activated_user AS m_activated_user
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  '3' AS criterion_id,
  'distinct feature of used_feature >= 2' AS criterion_label,
  CAST(v_3 AS DOUBLE) AS value,
  CAST(2.0 AS DOUBLE) AS threshold,
  CASE WHEN v_3 >= 2.0 THEN 1.0 ELSE LEAST(CAST(v_3 AS DOUBLE) / 2.0, 1.0) END AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM analytics.milestones._ms_m_activated_user AS m_activated_user
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'weekly_active' AS milestone,
  '1' AS criterion_id,
  'milestone activated_user' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_weekly_active AS m_weekly_active
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'weekly_active' AS milestone,
  '2' AS criterion_id,
  'created_task >= 3 per week, 4 weeks running (ongoing)' AS criterion_label,
  CAST(v_2 AS DOUBLE) AS value,
  CAST(4 AS DOUBLE) AS threshold,
  CASE WHEN v_2 >= 4 THEN 1.0 ELSE LEAST(CAST(v_2 AS DOUBLE) / 4.0, 1.0) END AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM analytics.milestones._ms_m_weekly_active AS m_weekly_active
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '1' AS criterion_id,
  'milestone onboarded' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '2' AS criterion_id,
  'milestone activated_user >= 2 contacts' AS criterion_label,
  CAST(v_2 AS DOUBLE) AS value,
  CAST(2 AS DOUBLE) AS threshold,
  CASE WHEN v_2 >= 2 THEN 1.0 ELSE LEAST(CAST(v_2 AS DOUBLE) / 2.0, 1.0) END AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '3' AS criterion_id,
  'invited_user (role eq admin, seats gte 2) >= 1' AS criterion_label,
  CAST(v_3 AS DOUBLE) AS value,
  CAST(1.0 AS DOUBLE) AS threshold,
  CASE WHEN v_3 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_3 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4' AS criterion_id,
  'any of 3' AS criterion_label,
  CAST(NULL AS DOUBLE) AS value,
  CAST(NULL AS DOUBLE) AS threshold,
  GREATEST(
    CASE WHEN v_4_1 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_4_1 AS DOUBLE) / 10.0, 1.0) END,
    CASE
      WHEN NOT t_4_2 IS NULL
      THEN 1.0
      ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 15.0, 1.0)
    END,
    CASE WHEN v_4_3 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_4_3 AS DOUBLE) / 3.0, 1.0) END
  ) AS progress,
  is_met_4 AS is_met,
  met_at_4 AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4.1' AS criterion_id,
  'created_task >= 10 in last 30d' AS criterion_label,
  CAST(v_4_1 AS DOUBLE) AS value,
  CAST(10.0 AS DOUBLE) AS threshold,
  CASE WHEN v_4_1 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_4_1 AS DOUBLE) / 10.0, 1.0) END AS progress,
  COALESCE(v_4_1 >= 10.0, FALSE) AS is_met,
  CASE WHEN v_4_1 >= 10.0 THEN t_4_1 END AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4.2' AS criterion_id,
  'sent_message >= 15 in any 7d' AS criterion_label,
  CAST(v_4_2 AS DOUBLE) AS value,
  CAST(15.0 AS DOUBLE) AS threshold,
  CASE
    WHEN NOT t_4_2 IS NULL
    THEN 1.0
    ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 15.0, 1.0)
  END AS progress,
  COALESCE(NOT t_4_2 IS NULL, FALSE) AS is_met,
  CASE WHEN NOT t_4_2 IS NULL THEN t_4_2 END AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4.3' AS criterion_id,
  'distinct contact of created_task >= 3' AS criterion_label,
  CAST(v_4_3 AS DOUBLE) AS value,
  CAST(3.0 AS DOUBLE) AS threshold,
  CASE WHEN v_4_3 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_4_3 AS DOUBLE) / 3.0, 1.0) END AS progress,
  COALESCE(v_4_3 >= 3.0, FALSE) AS is_met,
  CASE WHEN v_4_3 >= 3.0 THEN t_4_3 END AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '5' AS criterion_id,
  'search >= 3 after onboarded within 14d' AS criterion_label,
  CAST(v_5 AS DOUBLE) AS value,
  CAST(3.0 AS DOUBLE) AS threshold,
  CASE WHEN v_5 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_5 AS DOUBLE) / 3.0, 1.0) END AS progress,
  is_met_5 AS is_met,
  met_at_5 AS met_at
FROM analytics.milestones._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'transacted' AS milestone,
  '1' AS criterion_id,
  'payment_succeeded (currency in USD, EUR, amount gt 0) >= 1' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1.0 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_transacted AS m_transacted
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '1' AS criterion_id,
  'milestone transacted' AS criterion_label,
  CAST(v_1 AS DOUBLE) AS value,
  CAST(1 AS DOUBLE) AS threshold,
  CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '2' AS criterion_id,
  'sum amount of payment_succeeded >= 1000' AS criterion_label,
  CAST(v_2 AS DOUBLE) AS value,
  CAST(1000.0 AS DOUBLE) AS threshold,
  CASE WHEN v_2 >= 1000.0 THEN 1.0 ELSE LEAST(CAST(v_2 AS DOUBLE) / 1000.0, 1.0) END AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '3' AS criterion_id,
  'created_task 30d / previous 30d >= 1.2 (previous >= 10)' AS criterion_label,
  CAST(v_3 AS DOUBLE) AS value,
  CAST(1.2 AS DOUBLE) AS threshold,
  CASE
    WHEN d_3 >= 10.0 AND v_3 >= 1.2
    THEN 1.0
    ELSE LEAST(CAST(COALESCE(v_3, 0) AS DOUBLE) / 1.2, 1.0) * LEAST(CAST(d_3 AS DOUBLE) / 10.0, 1.0)
  END AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '4' AS criterion_id,
  'any of 3' AS criterion_label,
  CAST(NULL AS DOUBLE) AS value,
  CAST(NULL AS DOUBLE) AS threshold,
  GREATEST(
    CASE
      WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25
      THEN 1.0
      ELSE LEAST(CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25, 1.0) * LEAST(CAST(d_4_1 AS DOUBLE) / 8.0, 1.0)
    END,
    CASE WHEN v_4_2 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 10.0, 1.0) END,
    pr_4_3
  ) AS progress,
  is_met_4 AS is_met,
  met_at_4 AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '4.1' AS criterion_id,
  'distinct contact of signed_up / distinct email of invited_user >= 25% (n >= 8)' AS criterion_label,
  CAST(v_4_1 AS DOUBLE) AS value,
  CAST(0.25 AS DOUBLE) AS threshold,
  CASE
    WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25
    THEN 1.0
    ELSE LEAST(CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25, 1.0) * LEAST(CAST(d_4_1 AS DOUBLE) / 8.0, 1.0)
  END AS progress,
  COALESCE(d_4_1 >= 8.0 AND v_4_1 >= 0.25, FALSE) AS is_met,
  CASE WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25 THEN t_4_1 END AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '4.2' AS criterion_id,
  'distinct email of invited_user >= 10 after transacted' AS criterion_label,
  CAST(v_4_2 AS DOUBLE) AS value,
  CAST(10.0 AS DOUBLE) AS threshold,
  CASE WHEN v_4_2 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 10.0, 1.0) END AS progress,
  COALESCE(v_4_2 >= 10.0, FALSE) AS is_met,
  CASE WHEN v_4_2 >= 10.0 THEN t_4_2 END AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '4.3' AS criterion_id,
  'all of 2' AS criterion_label,
  CAST(NULL AS DOUBLE) AS value,
  CAST(NULL AS DOUBLE) AS threshold,
  pr_4_3 AS progress,
  COALESCE(ok_4_3, FALSE) AS is_met,
  at_4_3 AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '4.3.1' AS criterion_id,
  'used_feature (feature in sso, api, plan ne free) >= 1' AS criterion_label,
  CAST(v_4_3_1 AS DOUBLE) AS value,
  CAST(1.0 AS DOUBLE) AS threshold,
  CASE WHEN v_4_3_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_4_3_1 AS DOUBLE) / 1.0, 1.0) END AS progress,
  COALESCE(v_4_3_1 >= 1.0, FALSE) AS is_met,
  CASE WHEN v_4_3_1 >= 1.0 THEN t_4_3_1 END AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '4.3.2' AS criterion_id,
  'created_task (source eq api, user.role exists True) >= 5 in last 90d' AS criterion_label,
  CAST(v_4_3_2 AS DOUBLE) AS value,
  CAST(5.0 AS DOUBLE) AS threshold,
  CASE WHEN v_4_3_2 >= 5.0 THEN 1.0 ELSE LEAST(CAST(v_4_3_2 AS DOUBLE) / 5.0, 1.0) END AS progress,
  COALESCE(v_4_3_2 >= 5.0, FALSE) AS is_met,
  CASE WHEN v_4_3_2 >= 5.0 THEN t_4_3_2 END AS met_at
FROM analytics.milestones._ms_m_eql AS m_eql;
