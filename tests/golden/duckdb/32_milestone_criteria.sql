-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- milestone_criteria (output), target duckdb (duckdb)
CREATE OR REPLACE TABLE main.milestone_criteria AS
SELECT
  'contact' AS entity_level,
  entity_id,
  'signed_up' AS milestone,
  UNNEST(['1']) AS criterion_id,
  UNNEST(['signed_up >= 1']) AS criterion_label,
  UNNEST([CAST(v_1 AS DOUBLE)]) AS value,
  UNNEST([CAST(1.0 AS DOUBLE)]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([is_met_1]) AS is_met,
  UNNEST([met_at_1]) AS met_at
FROM temp.main._ms_m_signed_up AS m_signed_up
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'trial_started' AS milestone,
  UNNEST(['1']) AS criterion_id,
  UNNEST(['milestone signed_up']) AS criterion_label,
  UNNEST([CAST(v_1 AS DOUBLE)]) AS value,
  UNNEST([CAST(1 AS DOUBLE)]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([is_met_1]) AS is_met,
  UNNEST([met_at_1]) AS met_at
FROM temp.main._ms_m_trial_started AS m_trial_started
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  UNNEST(['1', '2', '3', '3.1', '3.2']) AS criterion_id,
  UNNEST([
    'milestone signed_up',
    'created_project >= 1',
    'all of 2',
    'invited_user >= 1',
    'created_task | sent_message >= 3'
  ]) AS criterion_label,
  UNNEST([
    CAST(v_1 AS DOUBLE),
    CAST(v_2 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(v_3_1 AS DOUBLE),
    CAST(v_3_2 AS DOUBLE)
  ]) AS value,
  UNNEST([
    CAST(1 AS DOUBLE),
    CAST(1.0 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(1.0 AS DOUBLE),
    CAST(3.0 AS DOUBLE)
  ]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN v_2 >= 1.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_2 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_2 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    (
      CASE
        WHEN v_3_1 >= 1.0
        THEN 1.0
        ELSE CASE
          WHEN (
            CAST(v_3_1 AS DOUBLE) / 1.0
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(v_3_1 AS DOUBLE) / 1.0, 1.0)
        END
      END + CASE
        WHEN v_3_2 >= 3.0
        THEN 1.0
        ELSE CASE
          WHEN (
            CAST(v_3_2 AS DOUBLE) / 3.0
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(v_3_2 AS DOUBLE) / 3.0, 1.0)
        END
      END
    ) / 2.0,
    CASE
      WHEN v_3_1 >= 1.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_3_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_3_1 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN v_3_2 >= 3.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_3_2 AS DOUBLE) / 3.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_3_2 AS DOUBLE) / 3.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([
    is_met_1,
    is_met_2,
    is_met_3,
    COALESCE(v_3_1 >= 1.0, FALSE),
    COALESCE(v_3_2 >= 3.0, FALSE)
  ]) AS is_met,
  UNNEST([
    met_at_1,
    met_at_2,
    met_at_3,
    CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END,
    CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END
  ]) AS met_at
FROM temp.main._ms_m_onboarded AS m_onboarded
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  UNNEST(['1', '2', '3']) AS criterion_id,
  UNNEST([
    'milestone onboarded',
    'created_task >= 5 in any 7d',
    'distinct feature of used_feature >= 2'
  ]) AS criterion_label,
  UNNEST([CAST(v_1 AS DOUBLE), CAST(v_2 AS DOUBLE), CAST(v_3 AS DOUBLE)]) AS value,
  UNNEST([CAST(1 AS DOUBLE), CAST(5.0 AS DOUBLE), CAST(2.0 AS DOUBLE)]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN NOT t_2 IS NULL
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_2 AS DOUBLE) / 5.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_2 AS DOUBLE) / 5.0, 1.0)
      END
    END,
    CASE
      WHEN v_3 >= 2.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_3 AS DOUBLE) / 2.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_3 AS DOUBLE) / 2.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([is_met_1, is_met_2, is_met_3]) AS is_met,
  UNNEST([met_at_1, met_at_2, met_at_3]) AS met_at
FROM temp.main._ms_m_activated_user AS m_activated_user
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'weekly_active' AS milestone,
  UNNEST(['1', '2']) AS criterion_id,
  UNNEST([
    'milestone activated_user',
    'created_task >= 3 per week, 4 weeks running (ongoing)'
  ]) AS criterion_label,
  UNNEST([CAST(v_1 AS DOUBLE), CAST(v_2 AS DOUBLE)]) AS value,
  UNNEST([CAST(1 AS DOUBLE), CAST(4 AS DOUBLE)]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN v_2 >= 4
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_2 AS DOUBLE) / 4.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_2 AS DOUBLE) / 4.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([is_met_1, is_met_2]) AS is_met,
  UNNEST([met_at_1, met_at_2]) AS met_at
FROM temp.main._ms_m_weekly_active AS m_weekly_active
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  UNNEST(['1', '2', '3', '4', '4.1', '4.2', '4.3', '5']) AS criterion_id,
  UNNEST([
    'milestone onboarded',
    'milestone activated_user >= 2 contacts',
    'invited_user (role eq admin, seats gte 2) >= 1',
    'any of 3',
    'created_task >= 10 in last 30d',
    'sent_message >= 15 in any 7d',
    'distinct contact of created_task >= 3',
    'search >= 3 after onboarded within 14d'
  ]) AS criterion_label,
  UNNEST([
    CAST(v_1 AS DOUBLE),
    CAST(v_2 AS DOUBLE),
    CAST(v_3 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(v_4_1 AS DOUBLE),
    CAST(v_4_2 AS DOUBLE),
    CAST(v_4_3 AS DOUBLE),
    CAST(v_5 AS DOUBLE)
  ]) AS value,
  UNNEST([
    CAST(1 AS DOUBLE),
    CAST(2 AS DOUBLE),
    CAST(1.0 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(10.0 AS DOUBLE),
    CAST(15.0 AS DOUBLE),
    CAST(3.0 AS DOUBLE),
    CAST(3.0 AS DOUBLE)
  ]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN v_2 >= 2
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_2 AS DOUBLE) / 2.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_2 AS DOUBLE) / 2.0, 1.0)
      END
    END,
    CASE
      WHEN v_3 >= 1.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_3 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_3 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN CASE
        WHEN v_4_1 >= 10.0
        THEN 1.0
        ELSE CASE
          WHEN (
            CAST(v_4_1 AS DOUBLE) / 10.0
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(v_4_1 AS DOUBLE) / 10.0, 1.0)
        END
      END IS NULL
      OR CASE
        WHEN NOT t_4_2 IS NULL
        THEN 1.0
        ELSE CASE
          WHEN (
            CAST(v_4_2 AS DOUBLE) / 15.0
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 15.0, 1.0)
        END
      END IS NULL
      OR CASE
        WHEN v_4_3 >= 3.0
        THEN 1.0
        ELSE CASE
          WHEN (
            CAST(v_4_3 AS DOUBLE) / 3.0
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(v_4_3 AS DOUBLE) / 3.0, 1.0)
        END
      END IS NULL
      THEN NULL
      ELSE GREATEST(
        CASE
          WHEN v_4_1 >= 10.0
          THEN 1.0
          ELSE CASE
            WHEN (
              CAST(v_4_1 AS DOUBLE) / 10.0
            ) IS NULL OR 1.0 IS NULL
            THEN NULL
            ELSE LEAST(CAST(v_4_1 AS DOUBLE) / 10.0, 1.0)
          END
        END,
        CASE
          WHEN NOT t_4_2 IS NULL
          THEN 1.0
          ELSE CASE
            WHEN (
              CAST(v_4_2 AS DOUBLE) / 15.0
            ) IS NULL OR 1.0 IS NULL
            THEN NULL
            ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 15.0, 1.0)
          END
        END,
        CASE
          WHEN v_4_3 >= 3.0
          THEN 1.0
          ELSE CASE
            WHEN (
              CAST(v_4_3 AS DOUBLE) / 3.0
            ) IS NULL OR 1.0 IS NULL
            THEN NULL
            ELSE LEAST(CAST(v_4_3 AS DOUBLE) / 3.0, 1.0)
          END
        END
      )
    END,
    CASE
      WHEN v_4_1 >= 10.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_4_1 AS DOUBLE) / 10.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_4_1 AS DOUBLE) / 10.0, 1.0)
      END
    END,
    CASE
      WHEN NOT t_4_2 IS NULL
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_4_2 AS DOUBLE) / 15.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 15.0, 1.0)
      END
    END,
    CASE
      WHEN v_4_3 >= 3.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_4_3 AS DOUBLE) / 3.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_4_3 AS DOUBLE) / 3.0, 1.0)
      END
    END,
    CASE
      WHEN v_5 >= 3.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_5 AS DOUBLE) / 3.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_5 AS DOUBLE) / 3.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([
    is_met_1,
    is_met_2,
    is_met_3,
    is_met_4,
    COALESCE(v_4_1 >= 10.0, FALSE),
    COALESCE(NOT t_4_2 IS NULL, FALSE),
    COALESCE(v_4_3 >= 3.0, FALSE),
    is_met_5
  ]) AS is_met,
  UNNEST([
    met_at_1,
    met_at_2,
    met_at_3,
    met_at_4,
    CASE WHEN v_4_1 >= 10.0 THEN t_4_1 END,
    CASE WHEN NOT t_4_2 IS NULL THEN t_4_2 END,
    CASE WHEN v_4_3 >= 3.0 THEN t_4_3 END,
    met_at_5
  ]) AS met_at
FROM temp.main._ms_m_pql AS m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'transacted' AS milestone,
  UNNEST(['1']) AS criterion_id,
  UNNEST(['payment_succeeded (currency in USD, EUR, amount gt 0) >= 1']) AS criterion_label,
  UNNEST([CAST(v_1 AS DOUBLE)]) AS value,
  UNNEST([CAST(1.0 AS DOUBLE)]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([is_met_1]) AS is_met,
  UNNEST([met_at_1]) AS met_at
FROM temp.main._ms_m_transacted AS m_transacted
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  UNNEST(['1', '2', '3', '4', '4.1', '4.2', '4.3', '4.3.1', '4.3.2']) AS criterion_id,
  UNNEST([
    'milestone transacted',
    'sum amount of payment_succeeded >= 1000',
    'created_task 30d / previous 30d >= 1.2 (previous >= 10)',
    'any of 3',
    'distinct contact of signed_up / distinct email of invited_user >= 25% (n >= 8)',
    'distinct email of invited_user >= 10 after transacted',
    'all of 2',
    'used_feature (feature in sso, api, plan ne free) >= 1',
    'created_task (source eq api, user.role exists True) >= 5 in last 90d'
  ]) AS criterion_label,
  UNNEST([
    CAST(v_1 AS DOUBLE),
    CAST(v_2 AS DOUBLE),
    CAST(v_3 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(v_4_1 AS DOUBLE),
    CAST(v_4_2 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(v_4_3_1 AS DOUBLE),
    CAST(v_4_3_2 AS DOUBLE)
  ]) AS value,
  UNNEST([
    CAST(1 AS DOUBLE),
    CAST(1000.0 AS DOUBLE),
    CAST(1.2 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(0.25 AS DOUBLE),
    CAST(10.0 AS DOUBLE),
    CAST(NULL AS DOUBLE),
    CAST(1.0 AS DOUBLE),
    CAST(5.0 AS DOUBLE)
  ]) AS threshold,
  UNNEST([
    CASE
      WHEN v_1 >= 1
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_1 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN v_2 >= 1000.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_2 AS DOUBLE) / 1000.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_2 AS DOUBLE) / 1000.0, 1.0)
      END
    END,
    CASE
      WHEN d_3 >= 10.0 AND v_3 >= 1.2
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(COALESCE(v_3, 0) AS DOUBLE) / 1.2
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(COALESCE(v_3, 0) AS DOUBLE) / 1.2, 1.0)
      END * CASE
        WHEN (
          CAST(d_3 AS DOUBLE) / 10.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(d_3 AS DOUBLE) / 10.0, 1.0)
      END
    END,
    CASE
      WHEN CASE
        WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25
        THEN 1.0
        ELSE CASE
          WHEN (
            CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25, 1.0)
        END * CASE
          WHEN (
            CAST(d_4_1 AS DOUBLE) / 8.0
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(d_4_1 AS DOUBLE) / 8.0, 1.0)
        END
      END IS NULL
      OR CASE
        WHEN v_4_2 >= 10.0
        THEN 1.0
        ELSE CASE
          WHEN (
            CAST(v_4_2 AS DOUBLE) / 10.0
          ) IS NULL OR 1.0 IS NULL
          THEN NULL
          ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 10.0, 1.0)
        END
      END IS NULL
      OR pr_4_3 IS NULL
      THEN NULL
      ELSE GREATEST(
        CASE
          WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25
          THEN 1.0
          ELSE CASE
            WHEN (
              CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25
            ) IS NULL OR 1.0 IS NULL
            THEN NULL
            ELSE LEAST(CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25, 1.0)
          END * CASE
            WHEN (
              CAST(d_4_1 AS DOUBLE) / 8.0
            ) IS NULL OR 1.0 IS NULL
            THEN NULL
            ELSE LEAST(CAST(d_4_1 AS DOUBLE) / 8.0, 1.0)
          END
        END,
        CASE
          WHEN v_4_2 >= 10.0
          THEN 1.0
          ELSE CASE
            WHEN (
              CAST(v_4_2 AS DOUBLE) / 10.0
            ) IS NULL OR 1.0 IS NULL
            THEN NULL
            ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 10.0, 1.0)
          END
        END,
        pr_4_3
      )
    END,
    CASE
      WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(COALESCE(v_4_1, 0) AS DOUBLE) / 0.25, 1.0)
      END * CASE
        WHEN (
          CAST(d_4_1 AS DOUBLE) / 8.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(d_4_1 AS DOUBLE) / 8.0, 1.0)
      END
    END,
    CASE
      WHEN v_4_2 >= 10.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_4_2 AS DOUBLE) / 10.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_4_2 AS DOUBLE) / 10.0, 1.0)
      END
    END,
    pr_4_3,
    CASE
      WHEN v_4_3_1 >= 1.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_4_3_1 AS DOUBLE) / 1.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_4_3_1 AS DOUBLE) / 1.0, 1.0)
      END
    END,
    CASE
      WHEN v_4_3_2 >= 5.0
      THEN 1.0
      ELSE CASE
        WHEN (
          CAST(v_4_3_2 AS DOUBLE) / 5.0
        ) IS NULL OR 1.0 IS NULL
        THEN NULL
        ELSE LEAST(CAST(v_4_3_2 AS DOUBLE) / 5.0, 1.0)
      END
    END
  ]) AS progress,
  UNNEST([
    is_met_1,
    is_met_2,
    is_met_3,
    is_met_4,
    COALESCE(d_4_1 >= 8.0 AND v_4_1 >= 0.25, FALSE),
    COALESCE(v_4_2 >= 10.0, FALSE),
    COALESCE(ok_4_3, FALSE),
    COALESCE(v_4_3_1 >= 1.0, FALSE),
    COALESCE(v_4_3_2 >= 5.0, FALSE)
  ]) AS is_met,
  UNNEST([
    met_at_1,
    met_at_2,
    met_at_3,
    met_at_4,
    CASE WHEN d_4_1 >= 8.0 AND v_4_1 >= 0.25 THEN t_4_1 END,
    CASE WHEN v_4_2 >= 10.0 THEN t_4_2 END,
    at_4_3,
    CASE WHEN v_4_3_1 >= 1.0 THEN t_4_3_1 END,
    CASE WHEN v_4_3_2 >= 5.0 THEN t_4_3_2 END
  ]) AS met_at
FROM temp.main._ms_m_eql AS m_eql;
