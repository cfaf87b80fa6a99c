-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- milestone_criteria (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.milestone_criteria AS
WITH accounts AS (
  SELECT
    entity_id,
    account_id
  FROM acme.milestones._ms_entities
  WHERE
    entity_level = 'account'
), contacts AS (
  SELECT
    entity_id,
    account_id
  FROM acme.milestones._ms_entities
  WHERE
    entity_level = 'contact'
), counts_account AS (
  SELECT
    account_id AS entity_id,
    COUNTIF(event_name IN ('created_project')) AS v_onboarded_2,
    ARRAY_AGG(
      IF(event_name IN ('created_project'), occurred_at, NULL) IGNORE NULLS ORDER BY IF(event_name IN ('created_project'), occurred_at, NULL) IS NULL, IF(event_name IN ('created_project'), occurred_at, NULL)
      LIMIT 1
    )[SAFE_OFFSET(0)] AS t_onboarded_2,
    COUNTIF(event_name IN ('invited_user')) AS v_onboarded_3_1,
    ARRAY_AGG(
      IF(event_name IN ('invited_user'), occurred_at, NULL) IGNORE NULLS ORDER BY IF(event_name IN ('invited_user'), occurred_at, NULL) IS NULL, IF(event_name IN ('invited_user'), occurred_at, NULL)
      LIMIT 1
    )[SAFE_OFFSET(0)] AS t_onboarded_3_1,
    COUNTIF(event_name IN ('created_task', 'sent_message')) AS v_onboarded_3_2,
    ARRAY_AGG(
      IF(event_name IN ('created_task', 'sent_message'), occurred_at, NULL) IGNORE NULLS ORDER BY IF(event_name IN ('created_task', 'sent_message'), occurred_at, NULL) IS NULL, IF(event_name IN ('created_task', 'sent_message'), occurred_at, NULL)
      LIMIT 3
    )[SAFE_OFFSET(2)] AS t_onboarded_3_2,
    COUNTIF(
      event_name IN ('invited_user')
      AND p_6 = 'admin'
      AND SAFE_CAST(p_7 AS FLOAT64) >= 2
    ) AS v_pql_3,
    ARRAY_AGG(
      IF(
        event_name IN ('invited_user')
        AND p_6 = 'admin'
        AND SAFE_CAST(p_7 AS FLOAT64) >= 2,
        occurred_at,
        NULL
      ) IGNORE NULLS ORDER BY IF(
        event_name IN ('invited_user')
        AND p_6 = 'admin'
        AND SAFE_CAST(p_7 AS FLOAT64) >= 2,
        occurred_at,
        NULL
      ) IS NULL, IF(
        event_name IN ('invited_user')
        AND p_6 = 'admin'
        AND SAFE_CAST(p_7 AS FLOAT64) >= 2,
        occurred_at,
        NULL
      )
      LIMIT 1
    )[SAFE_OFFSET(0)] AS t_pql_3,
    COUNTIF(
      event_name IN ('payment_succeeded')
      AND (
        p_2 = 'USD' OR p_2 = 'EUR'
      )
      AND SAFE_CAST(p_1 AS FLOAT64) > 0
    ) AS v_transacted_1,
    ARRAY_AGG(
      IF(
        event_name IN ('payment_succeeded')
        AND (
          p_2 = 'USD' OR p_2 = 'EUR'
        )
        AND SAFE_CAST(p_1 AS FLOAT64) > 0,
        occurred_at,
        NULL
      ) IGNORE NULLS ORDER BY IF(
        event_name IN ('payment_succeeded')
        AND (
          p_2 = 'USD' OR p_2 = 'EUR'
        )
        AND SAFE_CAST(p_1 AS FLOAT64) > 0,
        occurred_at,
        NULL
      ) IS NULL, IF(
        event_name IN ('payment_succeeded')
        AND (
          p_2 = 'USD' OR p_2 = 'EUR'
        )
        AND SAFE_CAST(p_1 AS FLOAT64) > 0,
        occurred_at,
        NULL
      )
      LIMIT 1
    )[SAFE_OFFSET(0)] AS t_transacted_1,
    COUNTIF(
      event_name IN ('used_feature')
      AND (
        p_4 = 'sso' OR p_4 = 'api'
      )
      AND p_5 <> 'free'
    ) AS v_eql_3_2_1,
    ARRAY_AGG(
      IF(
        event_name IN ('used_feature')
        AND (
          p_4 = 'sso' OR p_4 = 'api'
        )
        AND p_5 <> 'free',
        occurred_at,
        NULL
      ) IGNORE NULLS ORDER BY IF(
        event_name IN ('used_feature')
        AND (
          p_4 = 'sso' OR p_4 = 'api'
        )
        AND p_5 <> 'free',
        occurred_at,
        NULL
      ) IS NULL, IF(
        event_name IN ('used_feature')
        AND (
          p_4 = 'sso' OR p_4 = 'api'
        )
        AND p_5 <> 'free',
        occurred_at,
        NULL
      )
      LIMIT 1
    )[SAFE_OFFSET(0)] AS t_eql_3_2_1
  FROM acme.milestones._ms_events
  WHERE
    NOT account_id IS NULL
    AND event_name IN (
      'created_project',
      'created_task',
      'invited_user',
      'payment_succeeded',
      'sent_message',
      'used_feature'
    )
  GROUP BY
    account_id
), counts_contact AS (
  SELECT
    contact_id AS entity_id,
    COUNTIF(event_name IN ('signed_up')) AS v_signed_up_1,
    ARRAY_AGG(
      IF(event_name IN ('signed_up'), occurred_at, NULL) IGNORE NULLS ORDER BY IF(event_name IN ('signed_up'), occurred_at, NULL) IS NULL, IF(event_name IN ('signed_up'), occurred_at, NULL)
      LIMIT 1
    )[SAFE_OFFSET(0)] AS t_signed_up_1
  FROM acme.milestones._ms_events
  WHERE
    NOT contact_id IS NULL AND event_name IN ('signed_up')
  GROUP BY
    contact_id
), tl_activated_user_2 AS (
  SELECT
    entity_id,
    MAX(f) AS v,
    MIN(CASE WHEN ph = 0 AND f >= 5.0 THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
    FROM (
      SELECT
        entity_id,
        ts AS t,
        0 AS ph,
        w AS d
      FROM (
        SELECT
          ev.contact_id AS entity_id,
          ev.occurred_at AS ts,
          1 AS w
        FROM acme.milestones._ms_events AS ev
        WHERE
          NOT ev.contact_id IS NULL AND ev.event_name IN ('created_task')
      ) AS r
      UNION ALL
      SELECT
        entity_id,
        ts + INTERVAL '604800' SECOND AS t,
        1 AS ph,
        -w AS d
      FROM (
        SELECT
          ev.contact_id AS entity_id,
          ev.occurred_at AS ts,
          1 AS w
        FROM acme.milestones._ms_events AS ev
        WHERE
          NOT ev.contact_id IS NULL AND ev.event_name IN ('created_task')
      ) AS r
    ) AS deltas
  ) AS run
  GROUP BY
    entity_id
), tl_activated_user_3 AS (
  SELECT
    entity_id,
    SUM(d) AS v,
    MIN(CASE WHEN f >= 2.0 THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
    FROM (
      SELECT
        entity_id,
        ts AS t,
        0 AS ph,
        w AS d
      FROM (
        SELECT
          entity_id,
          MIN(ts) AS ts,
          1 AS w
        FROM (
          SELECT
            ev.contact_id AS entity_id,
            ev.occurred_at AS ts,
            ev.p_4 AS val
          FROM acme.milestones._ms_events AS ev
          WHERE
            NOT ev.contact_id IS NULL
            AND ev.event_name IN ('used_feature')
            AND NOT ev.p_4 IS NULL
        ) AS q
        GROUP BY
          entity_id,
          val
      ) AS r
    ) AS deltas
  ) AS run
  GROUP BY
    entity_id
), tl_pql_4_1 AS (
  SELECT
    entity_id,
    SUM(
      CASE
        WHEN ph = 0 OR t < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
        THEN d
        ELSE 0
      END
    ) AS v,
    MIN(CASE WHEN ph = 0 AND (
      low_t IS NULL OR t > low_t
    ) THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      MAX(
        CASE
          WHEN f < 10.0 AND (
            ph = 0 OR t < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
          )
          THEN t
        END
      ) OVER (PARTITION BY entity_id) AS low_t
    FROM (
      SELECT
        entity_id,
        t,
        ph,
        d,
        SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
      FROM (
        SELECT
          entity_id,
          ts AS t,
          0 AS ph,
          w AS d
        FROM (
          SELECT
            ev.account_id AS entity_id,
            ev.occurred_at AS ts,
            1 AS w
          FROM acme.milestones._ms_events AS ev
          WHERE
            NOT ev.account_id IS NULL AND ev.event_name IN ('created_task')
        ) AS r
        UNION ALL
        SELECT
          entity_id,
          ts + INTERVAL '2592000' SECOND AS t,
          1 AS ph,
          -w AS d
        FROM (
          SELECT
            ev.account_id AS entity_id,
            ev.occurred_at AS ts,
            1 AS w
          FROM acme.milestones._ms_events AS ev
          WHERE
            NOT ev.account_id IS NULL AND ev.event_name IN ('created_task')
        ) AS r
      ) AS deltas
    ) AS run
  ) AS mk
  GROUP BY
    entity_id
), tl_pql_4_2 AS (
  SELECT
    entity_id,
    MAX(f) AS v,
    MIN(CASE WHEN ph = 0 AND f >= 15.0 THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
    FROM (
      SELECT
        entity_id,
        ts AS t,
        0 AS ph,
        w AS d
      FROM (
        SELECT
          ev.account_id AS entity_id,
          ev.occurred_at AS ts,
          1 AS w
        FROM acme.milestones._ms_events AS ev
        WHERE
          NOT ev.account_id IS NULL AND ev.event_name IN ('sent_message')
      ) AS r
      UNION ALL
      SELECT
        entity_id,
        ts + INTERVAL '604800' SECOND AS t,
        1 AS ph,
        -w AS d
      FROM (
        SELECT
          ev.account_id AS entity_id,
          ev.occurred_at AS ts,
          1 AS w
        FROM acme.milestones._ms_events AS ev
        WHERE
          NOT ev.account_id IS NULL AND ev.event_name IN ('sent_message')
      ) AS r
    ) AS deltas
  ) AS run
  GROUP BY
    entity_id
), tl_pql_4_3 AS (
  SELECT
    entity_id,
    SUM(d) AS v,
    MIN(CASE WHEN f >= 3.0 THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
    FROM (
      SELECT
        entity_id,
        ts AS t,
        0 AS ph,
        w AS d
      FROM (
        SELECT
          entity_id,
          MIN(ts) AS ts,
          1 AS w
        FROM (
          SELECT
            ev.account_id AS entity_id,
            ev.occurred_at AS ts,
            ev.contact_id AS val
          FROM acme.milestones._ms_events AS ev
          WHERE
            NOT ev.account_id IS NULL
            AND ev.event_name IN ('created_task')
            AND NOT ev.contact_id IS NULL
        ) AS q
        GROUP BY
          entity_id,
          val
      ) AS r
    ) AS deltas
  ) AS run
  GROUP BY
    entity_id
), tl_eql_2 AS (
  SELECT
    entity_id,
    SUM(d) AS v,
    MIN(CASE WHEN f >= 1000.0 THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
    FROM (
      SELECT
        entity_id,
        ts AS t,
        0 AS ph,
        w AS d
      FROM (
        SELECT
          ev.account_id AS entity_id,
          ev.occurred_at AS ts,
          CAST(SAFE_CAST(ev.p_1 AS FLOAT64) AS BIGNUMERIC) AS w
        FROM acme.milestones._ms_events AS ev
        WHERE
          NOT ev.account_id IS NULL
          AND ev.event_name IN ('payment_succeeded')
          AND SAFE_CAST(ev.p_1 AS FLOAT64) > 0
      ) AS r
    ) AS deltas
  ) AS run
  GROUP BY
    entity_id
), tl_eql_3_2_2 AS (
  SELECT
    entity_id,
    SUM(
      CASE
        WHEN ph = 0 OR t < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
        THEN d
        ELSE 0
      END
    ) AS v,
    MIN(CASE WHEN ph = 0 AND (
      low_t IS NULL OR t > low_t
    ) THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      MAX(
        CASE
          WHEN f < 5.0 AND (
            ph = 0 OR t < CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)
          )
          THEN t
        END
      ) OVER (PARTITION BY entity_id) AS low_t
    FROM (
      SELECT
        entity_id,
        t,
        ph,
        d,
        SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
      FROM (
        SELECT
          entity_id,
          ts AS t,
          0 AS ph,
          w AS d
        FROM (
          SELECT
            ev.account_id AS entity_id,
            ev.occurred_at AS ts,
            1 AS w
          FROM acme.milestones._ms_events AS ev
          WHERE
            NOT ev.account_id IS NULL
            AND (
              ev.event_name IN ('created_task') AND ev.p_8 = 'api' AND NOT ev.p_9 IS NULL
            )
        ) AS r
        UNION ALL
        SELECT
          entity_id,
          ts + INTERVAL '7776000' SECOND AS t,
          1 AS ph,
          -w AS d
        FROM (
          SELECT
            ev.account_id AS entity_id,
            ev.occurred_at AS ts,
            1 AS w
          FROM acme.milestones._ms_events AS ev
          WHERE
            NOT ev.account_id IS NULL
            AND (
              ev.event_name IN ('created_task') AND ev.p_8 = 'api' AND NOT ev.p_9 IS NULL
            )
        ) AS r
      ) AS deltas
    ) AS run
  ) AS mk
  GROUP BY
    entity_id
), m_signed_up AS (
  SELECT
    entity_id,
    account_id,
    CAST(v_1 AS FLOAT64) AS value_1,
    CAST(1.0 AS FLOAT64) AS threshold_1,
    CASE WHEN v_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_1 AS FLOAT64) / 1.0, 1.0) END AS progress_1,
    COALESCE(v_1 >= 1.0, FALSE) AS is_met_1,
    CASE WHEN v_1 >= 1.0 THEN t_1 END AS met_at_1,
    COALESCE(v_1 >= 1.0, FALSE) AS is_complete,
    CASE WHEN COALESCE(v_1 >= 1.0, FALSE) THEN CASE WHEN v_1 >= 1.0 THEN t_1 END END AS completed_at
  FROM (
    SELECT
      e.entity_id,
      e.account_id,
      COALESCE(counts_contact.v_signed_up_1, 0) AS v_1,
      counts_contact.t_signed_up_1 AS t_1
    FROM contacts AS e
    LEFT JOIN counts_contact
      ON counts_contact.entity_id = e.entity_id
  ) AS leaves
), m_transacted AS (
  SELECT
    entity_id,
    account_id,
    CAST(v_1 AS FLOAT64) AS value_1,
    CAST(1.0 AS FLOAT64) AS threshold_1,
    CASE WHEN v_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_1 AS FLOAT64) / 1.0, 1.0) END AS progress_1,
    COALESCE(v_1 >= 1.0, FALSE) AS is_met_1,
    CASE WHEN v_1 >= 1.0 THEN t_1 END AS met_at_1,
    COALESCE(v_1 >= 1.0, FALSE) AS is_complete,
    CASE WHEN COALESCE(v_1 >= 1.0, FALSE) THEN CASE WHEN v_1 >= 1.0 THEN t_1 END END AS completed_at
  FROM (
    SELECT
      e.entity_id,
      e.account_id,
      COALESCE(counts_account.v_transacted_1, 0) AS v_1,
      counts_account.t_transacted_1 AS t_1
    FROM accounts AS e
    LEFT JOIN counts_account
      ON counts_account.entity_id = e.entity_id
  ) AS leaves
), x_onboarded_1 AS (
  SELECT
    account_id AS entity_id,
    COUNTIF(is_complete) AS v,
    ARRAY_AGG(
      IF(is_complete, completed_at, NULL) IGNORE NULLS ORDER BY IF(is_complete, completed_at, NULL) IS NULL, IF(is_complete, completed_at, NULL)
      LIMIT 1
    )[SAFE_OFFSET(0)] AS t
  FROM m_signed_up
  WHERE
    NOT account_id IS NULL
  GROUP BY
    account_id
), m_onboarded AS (
  SELECT
    entity_id,
    account_id,
    CAST(v_1 AS FLOAT64) AS value_1,
    CAST(1 AS FLOAT64) AS threshold_1,
    CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS FLOAT64) / 1.0, 1.0) END AS progress_1,
    COALESCE(v_1 >= 1, FALSE) AS is_met_1,
    CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
    CAST(v_2 AS FLOAT64) AS value_2,
    CAST(1.0 AS FLOAT64) AS threshold_2,
    CASE WHEN v_2 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_2 AS FLOAT64) / 1.0, 1.0) END AS progress_2,
    COALESCE(v_2 >= 1.0, FALSE) AS is_met_2,
    CASE WHEN v_2 >= 1.0 THEN t_2 END AS met_at_2,
    CAST(NULL AS FLOAT64) AS value_3,
    CAST(NULL AS FLOAT64) AS threshold_3,
    (
      CASE WHEN v_3_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_3_1 AS FLOAT64) / 1.0, 1.0) END + CASE WHEN v_3_2 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_3_2 AS FLOAT64) / 3.0, 1.0) END
    ) / 2.0 AS progress_3,
    COALESCE(v_3_1 >= 1.0 AND v_3_2 >= 3.0, FALSE) AS is_met_3,
    CASE
      WHEN v_3_1 >= 1.0 AND v_3_2 >= 3.0
      THEN GREATEST(CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END, CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END)
    END AS met_at_3,
    CAST(v_3_1 AS FLOAT64) AS value_3_1,
    CAST(1.0 AS FLOAT64) AS threshold_3_1,
    CASE WHEN v_3_1 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_3_1 AS FLOAT64) / 1.0, 1.0) END AS progress_3_1,
    COALESCE(v_3_1 >= 1.0, FALSE) AS is_met_3_1,
    CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END AS met_at_3_1,
    CAST(v_3_2 AS FLOAT64) AS value_3_2,
    CAST(3.0 AS FLOAT64) AS threshold_3_2,
    CASE WHEN v_3_2 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_3_2 AS FLOAT64) / 3.0, 1.0) END AS progress_3_2,
    COALESCE(v_3_2 >= 3.0, FALSE) AS is_met_3_2,
    CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END AS met_at_3_2,
    COALESCE(v_1 >= 1 AND v_2 >= 1.0 AND (
      v_3_1 >= 1.0 AND v_3_2 >= 3.0
    ), FALSE) AS is_complete,
    CASE
      WHEN COALESCE(v_1 >= 1 AND v_2 >= 1.0 AND (
        v_3_1 >= 1.0 AND v_3_2 >= 3.0
      ), FALSE)
      THEN GREATEST(
        CASE WHEN v_1 >= 1 THEN t_1 END,
        CASE WHEN v_2 >= 1.0 THEN t_2 END,
        CASE
          WHEN v_3_1 >= 1.0 AND v_3_2 >= 3.0
          THEN GREATEST(CASE WHEN v_3_1 >= 1.0 THEN t_3_1 END, CASE WHEN v_3_2 >= 3.0 THEN t_3_2 END)
        END
      )
    END AS completed_at
  FROM (
    SELECT
      e.entity_id,
      e.account_id,
      COALESCE(x_onboarded_1.v, 0) AS v_1,
      x_onboarded_1.t AS t_1,
      COALESCE(counts_account.v_onboarded_2, 0) AS v_2,
      counts_account.t_onboarded_2 AS t_2,
      COALESCE(counts_account.v_onboarded_3_1, 0) AS v_3_1,
      counts_account.t_onboarded_3_1 AS t_3_1,
      COALESCE(counts_account.v_onboarded_3_2, 0) AS v_3_2,
      counts_account.t_onboarded_3_2 AS t_3_2
    FROM accounts AS e
    LEFT JOIN x_onboarded_1 AS x_onboarded_1
      ON x_onboarded_1.entity_id = e.entity_id
    LEFT JOIN counts_account
      ON counts_account.entity_id = e.entity_id
  ) AS leaves
), tl_eql_3_1 AS (
  SELECT
    entity_id,
    SUM(d) AS v,
    MIN(CASE WHEN f >= 10.0 THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
    FROM (
      SELECT
        entity_id,
        ts AS t,
        0 AS ph,
        w AS d
      FROM (
        SELECT
          entity_id,
          MIN(ts) AS ts,
          1 AS w
        FROM (
          SELECT
            ev.account_id AS entity_id,
            ev.occurred_at AS ts,
            ev.p_3 AS val
          FROM acme.milestones._ms_events AS ev
          JOIN m_transacted AS anc
            ON anc.entity_id = ev.account_id AND anc.is_complete
          WHERE
            NOT ev.account_id IS NULL
            AND ev.event_name IN ('invited_user')
            AND NOT ev.p_3 IS NULL
            AND ev.occurred_at >= anc.completed_at
        ) AS q
        GROUP BY
          entity_id,
          val
      ) AS r
    ) AS deltas
  ) AS run
  GROUP BY
    entity_id
), m_eql AS (
  SELECT
    entity_id,
    account_id,
    CAST(v_1 AS FLOAT64) AS value_1,
    CAST(1 AS FLOAT64) AS threshold_1,
    CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS FLOAT64) / 1.0, 1.0) END AS progress_1,
    COALESCE(v_1 >= 1, FALSE) AS is_met_1,
    CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
    CAST(v_2 AS FLOAT64) AS value_2,
    CAST(1000.0 AS FLOAT64) AS threshold_2,
    CASE WHEN v_2 >= 1000.0 THEN 1.0 ELSE LEAST(CAST(v_2 AS FLOAT64) / 1000.0, 1.0) END AS progress_2,
    COALESCE(v_2 >= 1000.0, FALSE) AS is_met_2,
    CASE WHEN v_2 >= 1000.0 THEN t_2 END AS met_at_2,
    CAST(NULL AS FLOAT64) AS value_3,
    CAST(NULL AS FLOAT64) AS threshold_3,
    GREATEST(
      CASE WHEN v_3_1 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_3_1 AS FLOAT64) / 10.0, 1.0) END,
      (
        CASE
          WHEN v_3_2_1 >= 1.0
          THEN 1.0
          ELSE LEAST(CAST(v_3_2_1 AS FLOAT64) / 1.0, 1.0)
        END + CASE
          WHEN v_3_2_2 >= 5.0
          THEN 1.0
          ELSE LEAST(CAST(v_3_2_2 AS FLOAT64) / 5.0, 1.0)
        END
      ) / 2.0
    ) AS progress_3,
    COALESCE(v_3_1 >= 10.0 OR (
      v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
    ), FALSE) AS is_met_3,
    CASE
      WHEN v_3_1 >= 10.0 OR (
        v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
      )
      THEN LEAST(
        COALESCE(CASE WHEN v_3_1 >= 10.0 THEN t_3_1 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP)),
        COALESCE(
          CASE
            WHEN v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
            THEN GREATEST(
              CASE WHEN v_3_2_1 >= 1.0 THEN t_3_2_1 END,
              CASE WHEN v_3_2_2 >= 5.0 THEN t_3_2_2 END
            )
          END,
          CAST('9999-12-31 00:00:00' AS TIMESTAMP)
        )
      )
    END AS met_at_3,
    CAST(v_3_1 AS FLOAT64) AS value_3_1,
    CAST(10.0 AS FLOAT64) AS threshold_3_1,
    CASE WHEN v_3_1 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_3_1 AS FLOAT64) / 10.0, 1.0) END AS progress_3_1,
    COALESCE(v_3_1 >= 10.0, FALSE) AS is_met_3_1,
    CASE WHEN v_3_1 >= 10.0 THEN t_3_1 END AS met_at_3_1,
    CAST(NULL AS FLOAT64) AS value_3_2,
    CAST(NULL AS FLOAT64) AS threshold_3_2,
    (
      CASE
        WHEN v_3_2_1 >= 1.0
        THEN 1.0
        ELSE LEAST(CAST(v_3_2_1 AS FLOAT64) / 1.0, 1.0)
      END + CASE
        WHEN v_3_2_2 >= 5.0
        THEN 1.0
        ELSE LEAST(CAST(v_3_2_2 AS FLOAT64) / 5.0, 1.0)
      END
    ) / 2.0 AS progress_3_2,
    COALESCE(v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0, FALSE) AS is_met_3_2,
    CASE
      WHEN v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
      THEN GREATEST(
        CASE WHEN v_3_2_1 >= 1.0 THEN t_3_2_1 END,
        CASE WHEN v_3_2_2 >= 5.0 THEN t_3_2_2 END
      )
    END AS met_at_3_2,
    CAST(v_3_2_1 AS FLOAT64) AS value_3_2_1,
    CAST(1.0 AS FLOAT64) AS threshold_3_2_1,
    CASE
      WHEN v_3_2_1 >= 1.0
      THEN 1.0
      ELSE LEAST(CAST(v_3_2_1 AS FLOAT64) / 1.0, 1.0)
    END AS progress_3_2_1,
    COALESCE(v_3_2_1 >= 1.0, FALSE) AS is_met_3_2_1,
    CASE WHEN v_3_2_1 >= 1.0 THEN t_3_2_1 END AS met_at_3_2_1,
    CAST(v_3_2_2 AS FLOAT64) AS value_3_2_2,
    CAST(5.0 AS FLOAT64) AS threshold_3_2_2,
    CASE
      WHEN v_3_2_2 >= 5.0
      THEN 1.0
      ELSE LEAST(CAST(v_3_2_2 AS FLOAT64) / 5.0, 1.0)
    END AS progress_3_2_2,
    COALESCE(v_3_2_2 >= 5.0, FALSE) AS is_met_3_2_2,
    CASE WHEN v_3_2_2 >= 5.0 THEN t_3_2_2 END AS met_at_3_2_2,
    COALESCE(
      v_1 >= 1
      AND v_2 >= 1000.0
      AND (
        v_3_1 >= 10.0 OR (
          v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
        )
      ),
      FALSE
    ) AS is_complete,
    CASE
      WHEN COALESCE(
        v_1 >= 1
        AND v_2 >= 1000.0
        AND (
          v_3_1 >= 10.0 OR (
            v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
          )
        ),
        FALSE
      )
      THEN GREATEST(
        CASE WHEN v_1 >= 1 THEN t_1 END,
        CASE WHEN v_2 >= 1000.0 THEN t_2 END,
        CASE
          WHEN v_3_1 >= 10.0 OR (
            v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
          )
          THEN LEAST(
            COALESCE(CASE WHEN v_3_1 >= 10.0 THEN t_3_1 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP)),
            COALESCE(
              CASE
                WHEN v_3_2_1 >= 1.0 AND v_3_2_2 >= 5.0
                THEN GREATEST(
                  CASE WHEN v_3_2_1 >= 1.0 THEN t_3_2_1 END,
                  CASE WHEN v_3_2_2 >= 5.0 THEN t_3_2_2 END
                )
              END,
              CAST('9999-12-31 00:00:00' AS TIMESTAMP)
            )
          )
        END
      )
    END AS completed_at
  FROM (
    SELECT
      e.entity_id,
      e.account_id,
      CASE WHEN d_1.is_complete THEN 1 ELSE 0 END AS v_1,
      d_1.completed_at AS t_1,
      COALESCE(tl_eql_2.v, 0) AS v_2,
      tl_eql_2.t AS t_2,
      COALESCE(tl_eql_3_1.v, 0) AS v_3_1,
      tl_eql_3_1.t AS t_3_1,
      COALESCE(counts_account.v_eql_3_2_1, 0) AS v_3_2_1,
      counts_account.t_eql_3_2_1 AS t_3_2_1,
      COALESCE(tl_eql_3_2_2.v, 0) AS v_3_2_2,
      tl_eql_3_2_2.t AS t_3_2_2
    FROM accounts AS e
    LEFT JOIN m_transacted AS d_1
      ON d_1.entity_id = e.entity_id
    LEFT JOIN tl_eql_2
      ON tl_eql_2.entity_id = e.entity_id
    LEFT JOIN tl_eql_3_1
      ON tl_eql_3_1.entity_id = e.entity_id
    LEFT JOIN counts_account
      ON counts_account.entity_id = e.entity_id
    LEFT JOIN tl_eql_3_2_2
      ON tl_eql_3_2_2.entity_id = e.entity_id
  ) AS leaves
), m_activated_user AS (
  SELECT
    entity_id,
    account_id,
    CAST(v_1 AS FLOAT64) AS value_1,
    CAST(1 AS FLOAT64) AS threshold_1,
    CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS FLOAT64) / 1.0, 1.0) END AS progress_1,
    COALESCE(v_1 >= 1, FALSE) AS is_met_1,
    CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
    CAST(v_2 AS FLOAT64) AS value_2,
    CAST(5.0 AS FLOAT64) AS threshold_2,
    CASE WHEN NOT t_2 IS NULL THEN 1.0 ELSE LEAST(CAST(v_2 AS FLOAT64) / 5.0, 1.0) END AS progress_2,
    COALESCE(NOT t_2 IS NULL, FALSE) AS is_met_2,
    CASE WHEN NOT t_2 IS NULL THEN t_2 END AS met_at_2,
    CAST(v_3 AS FLOAT64) AS value_3,
    CAST(2.0 AS FLOAT64) AS threshold_3,
    CASE WHEN v_3 >= 2.0 THEN 1.0 ELSE LEAST(CAST(v_3 AS FLOAT64) / 2.0, 1.0) END AS progress_3,
    COALESCE(v_3 >= 2.0, FALSE) AS is_met_3,
    CASE WHEN v_3 >= 2.0 THEN t_3 END AS met_at_3,
    COALESCE(v_1 >= 1 AND NOT t_2 IS NULL AND v_3 >= 2.0, FALSE) AS is_complete,
    CASE
      WHEN COALESCE(v_1 >= 1 AND NOT t_2 IS NULL AND v_3 >= 2.0, FALSE)
      THEN GREATEST(
        CASE WHEN v_1 >= 1 THEN t_1 END,
        CASE WHEN NOT t_2 IS NULL THEN t_2 END,
        CASE WHEN v_3 >= 2.0 THEN t_3 END
      )
    END AS completed_at
  FROM (
    SELECT
      e.entity_id,
      e.account_id,
      CASE WHEN d_1.is_complete THEN 1 ELSE 0 END AS v_1,
      d_1.completed_at AS t_1,
      COALESCE(tl_activated_user_2.v, 0) AS v_2,
      tl_activated_user_2.t AS t_2,
      COALESCE(tl_activated_user_3.v, 0) AS v_3,
      tl_activated_user_3.t AS t_3
    FROM contacts AS e
    LEFT JOIN m_onboarded AS d_1
      ON d_1.entity_id = e.account_id
    LEFT JOIN tl_activated_user_2
      ON tl_activated_user_2.entity_id = e.entity_id
    LEFT JOIN tl_activated_user_3
      ON tl_activated_user_3.entity_id = e.entity_id
  ) AS leaves
), tl_pql_5 AS (
  SELECT
    entity_id,
    SUM(d) AS v,
    MIN(CASE WHEN f >= 3.0 THEN t END) AS t
  FROM (
    SELECT
      entity_id,
      t,
      ph,
      d,
      SUM(d) OVER (PARTITION BY entity_id ORDER BY t, ph) AS f
    FROM (
      SELECT
        entity_id,
        ts AS t,
        0 AS ph,
        w AS d
      FROM (
        SELECT
          ev.account_id AS entity_id,
          ev.occurred_at AS ts,
          1 AS w
        FROM acme.milestones._ms_events AS ev
        JOIN m_onboarded AS anc
          ON anc.entity_id = ev.account_id AND anc.is_complete
        WHERE
          NOT ev.account_id IS NULL
          AND ev.event_name IN ('search')
          AND ev.occurred_at >= anc.completed_at
          AND ev.occurred_at <= anc.completed_at + INTERVAL '1209600' SECOND
      ) AS r
    ) AS deltas
  ) AS run
  GROUP BY
    entity_id
), x_pql_2 AS (
  SELECT
    account_id AS entity_id,
    COUNTIF(is_complete) AS v,
    ARRAY_AGG(
      IF(is_complete, completed_at, NULL) IGNORE NULLS ORDER BY IF(is_complete, completed_at, NULL) IS NULL, IF(is_complete, completed_at, NULL)
      LIMIT 2
    )[SAFE_OFFSET(1)] AS t
  FROM m_activated_user
  WHERE
    NOT account_id IS NULL
  GROUP BY
    account_id
), m_pql AS (
  SELECT
    entity_id,
    account_id,
    CAST(v_1 AS FLOAT64) AS value_1,
    CAST(1 AS FLOAT64) AS threshold_1,
    CASE WHEN v_1 >= 1 THEN 1.0 ELSE LEAST(CAST(v_1 AS FLOAT64) / 1.0, 1.0) END AS progress_1,
    COALESCE(v_1 >= 1, FALSE) AS is_met_1,
    CASE WHEN v_1 >= 1 THEN t_1 END AS met_at_1,
    CAST(v_2 AS FLOAT64) AS value_2,
    CAST(2 AS FLOAT64) AS threshold_2,
    CASE WHEN v_2 >= 2 THEN 1.0 ELSE LEAST(CAST(v_2 AS FLOAT64) / 2.0, 1.0) END AS progress_2,
    COALESCE(v_2 >= 2, FALSE) AS is_met_2,
    CASE WHEN v_2 >= 2 THEN t_2 END AS met_at_2,
    CAST(v_3 AS FLOAT64) AS value_3,
    CAST(1.0 AS FLOAT64) AS threshold_3,
    CASE WHEN v_3 >= 1.0 THEN 1.0 ELSE LEAST(CAST(v_3 AS FLOAT64) / 1.0, 1.0) END AS progress_3,
    COALESCE(v_3 >= 1.0, FALSE) AS is_met_3,
    CASE WHEN v_3 >= 1.0 THEN t_3 END AS met_at_3,
    CAST(NULL AS FLOAT64) AS value_4,
    CAST(NULL AS FLOAT64) AS threshold_4,
    GREATEST(
      CASE WHEN v_4_1 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_4_1 AS FLOAT64) / 10.0, 1.0) END,
      CASE
        WHEN NOT t_4_2 IS NULL
        THEN 1.0
        ELSE LEAST(CAST(v_4_2 AS FLOAT64) / 15.0, 1.0)
      END,
      CASE WHEN v_4_3 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_4_3 AS FLOAT64) / 3.0, 1.0) END
    ) AS progress_4,
    COALESCE(v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0, FALSE) AS is_met_4,
    CASE
      WHEN v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
      THEN LEAST(
        COALESCE(CASE WHEN v_4_1 >= 10.0 THEN t_4_1 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP)),
        COALESCE(
          CASE WHEN NOT t_4_2 IS NULL THEN t_4_2 END,
          CAST('9999-12-31 00:00:00' AS TIMESTAMP)
        ),
        COALESCE(CASE WHEN v_4_3 >= 3.0 THEN t_4_3 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP))
      )
    END AS met_at_4,
    CAST(v_4_1 AS FLOAT64) AS value_4_1,
    CAST(10.0 AS FLOAT64) AS threshold_4_1,
    CASE WHEN v_4_1 >= 10.0 THEN 1.0 ELSE LEAST(CAST(v_4_1 AS FLOAT64) / 10.0, 1.0) END AS progress_4_1,
    COALESCE(v_4_1 >= 10.0, FALSE) AS is_met_4_1,
    CASE WHEN v_4_1 >= 10.0 THEN t_4_1 END AS met_at_4_1,
    CAST(v_4_2 AS FLOAT64) AS value_4_2,
    CAST(15.0 AS FLOAT64) AS threshold_4_2,
    CASE
      WHEN NOT t_4_2 IS NULL
      THEN 1.0
      ELSE LEAST(CAST(v_4_2 AS FLOAT64) / 15.0, 1.0)
    END AS progress_4_2,
    COALESCE(NOT t_4_2 IS NULL, FALSE) AS is_met_4_2,
    CASE WHEN NOT t_4_2 IS NULL THEN t_4_2 END AS met_at_4_2,
    CAST(v_4_3 AS FLOAT64) AS value_4_3,
    CAST(3.0 AS FLOAT64) AS threshold_4_3,
    CASE WHEN v_4_3 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_4_3 AS FLOAT64) / 3.0, 1.0) END AS progress_4_3,
    COALESCE(v_4_3 >= 3.0, FALSE) AS is_met_4_3,
    CASE WHEN v_4_3 >= 3.0 THEN t_4_3 END AS met_at_4_3,
    CAST(v_5 AS FLOAT64) AS value_5,
    CAST(3.0 AS FLOAT64) AS threshold_5,
    CASE WHEN v_5 >= 3.0 THEN 1.0 ELSE LEAST(CAST(v_5 AS FLOAT64) / 3.0, 1.0) END AS progress_5,
    COALESCE(v_5 >= 3.0, FALSE) AS is_met_5,
    CASE WHEN v_5 >= 3.0 THEN t_5 END AS met_at_5,
    COALESCE(
      v_1 >= 1
      AND v_2 >= 2
      AND v_3 >= 1.0
      AND (
        v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
      )
      AND v_5 >= 3.0,
      FALSE
    ) AS is_complete,
    CASE
      WHEN COALESCE(
        v_1 >= 1
        AND v_2 >= 2
        AND v_3 >= 1.0
        AND (
          v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
        )
        AND v_5 >= 3.0,
        FALSE
      )
      THEN GREATEST(
        CASE WHEN v_1 >= 1 THEN t_1 END,
        CASE WHEN v_2 >= 2 THEN t_2 END,
        CASE WHEN v_3 >= 1.0 THEN t_3 END,
        CASE
          WHEN v_4_1 >= 10.0 OR NOT t_4_2 IS NULL OR v_4_3 >= 3.0
          THEN LEAST(
            COALESCE(CASE WHEN v_4_1 >= 10.0 THEN t_4_1 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP)),
            COALESCE(
              CASE WHEN NOT t_4_2 IS NULL THEN t_4_2 END,
              CAST('9999-12-31 00:00:00' AS TIMESTAMP)
            ),
            COALESCE(CASE WHEN v_4_3 >= 3.0 THEN t_4_3 END, CAST('9999-12-31 00:00:00' AS TIMESTAMP))
          )
        END,
        CASE WHEN v_5 >= 3.0 THEN t_5 END
      )
    END AS completed_at
  FROM (
    SELECT
      e.entity_id,
      e.account_id,
      CASE WHEN d_1.is_complete THEN 1 ELSE 0 END AS v_1,
      d_1.completed_at AS t_1,
      COALESCE(x_pql_2.v, 0) AS v_2,
      x_pql_2.t AS t_2,
      COALESCE(counts_account.v_pql_3, 0) AS v_3,
      counts_account.t_pql_3 AS t_3,
      COALESCE(tl_pql_4_1.v, 0) AS v_4_1,
      tl_pql_4_1.t AS t_4_1,
      COALESCE(tl_pql_4_2.v, 0) AS v_4_2,
      tl_pql_4_2.t AS t_4_2,
      COALESCE(tl_pql_4_3.v, 0) AS v_4_3,
      tl_pql_4_3.t AS t_4_3,
      COALESCE(tl_pql_5.v, 0) AS v_5,
      tl_pql_5.t AS t_5
    FROM accounts AS e
    LEFT JOIN m_onboarded AS d_1
      ON d_1.entity_id = e.entity_id
    LEFT JOIN x_pql_2 AS x_pql_2
      ON x_pql_2.entity_id = e.entity_id
    LEFT JOIN counts_account
      ON counts_account.entity_id = e.entity_id
    LEFT JOIN tl_pql_4_1
      ON tl_pql_4_1.entity_id = e.entity_id
    LEFT JOIN tl_pql_4_2
      ON tl_pql_4_2.entity_id = e.entity_id
    LEFT JOIN tl_pql_4_3
      ON tl_pql_4_3.entity_id = e.entity_id
    LEFT JOIN tl_pql_5
      ON tl_pql_5.entity_id = e.entity_id
  ) AS leaves
)
SELECT
  'contact' AS entity_level,
  entity_id,
  'signed_up' AS milestone,
  '1' AS criterion_id,
  'signed_up >= 1' AS criterion_label,
  value_1 AS value,
  threshold_1 AS threshold,
  progress_1 AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM m_signed_up
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '1' AS criterion_id,
  'milestone signed_up' AS criterion_label,
  value_1 AS value,
  threshold_1 AS threshold,
  progress_1 AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '2' AS criterion_id,
  'created_project >= 1' AS criterion_label,
  value_2 AS value,
  threshold_2 AS threshold,
  progress_2 AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '3' AS criterion_id,
  'all of 2' AS criterion_label,
  value_3 AS value,
  threshold_3 AS threshold,
  progress_3 AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '3.1' AS criterion_id,
  'invited_user >= 1' AS criterion_label,
  value_3_1 AS value,
  threshold_3_1 AS threshold,
  progress_3_1 AS progress,
  is_met_3_1 AS is_met,
  met_at_3_1 AS met_at
FROM m_onboarded
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'onboarded' AS milestone,
  '3.2' AS criterion_id,
  'created_task | sent_message >= 3' AS criterion_label,
  value_3_2 AS value,
  threshold_3_2 AS threshold,
  progress_3_2 AS progress,
  is_met_3_2 AS is_met,
  met_at_3_2 AS met_at
FROM m_onboarded
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  '1' AS criterion_id,
  'milestone onboarded' AS criterion_label,
  value_1 AS value,
  threshold_1 AS threshold,
  progress_1 AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM m_activated_user
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  '2' AS criterion_id,
  'created_task >= 5 in any 604800s' AS criterion_label,
  value_2 AS value,
  threshold_2 AS threshold,
  progress_2 AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM m_activated_user
UNION ALL
SELECT
  'contact' AS entity_level,
  entity_id,
  'activated_user' AS milestone,
  '3' AS criterion_id,
  'distinct feature of used_feature >= 2' AS criterion_label,
  value_3 AS value,
  threshold_3 AS threshold,
  progress_3 AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM m_activated_user
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '1' AS criterion_id,
  'milestone onboarded' AS criterion_label,
  value_1 AS value,
  threshold_1 AS threshold,
  progress_1 AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '2' AS criterion_id,
  'milestone activated_user >= 2 contacts' AS criterion_label,
  value_2 AS value,
  threshold_2 AS threshold,
  progress_2 AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '3' AS criterion_id,
  'invited_user (role eq admin, seats gte 2) >= 1' AS criterion_label,
  value_3 AS value,
  threshold_3 AS threshold,
  progress_3 AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4' AS criterion_id,
  'any of 3' AS criterion_label,
  value_4 AS value,
  threshold_4 AS threshold,
  progress_4 AS progress,
  is_met_4 AS is_met,
  met_at_4 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4.1' AS criterion_id,
  'created_task >= 10 in last 2592000s' AS criterion_label,
  value_4_1 AS value,
  threshold_4_1 AS threshold,
  progress_4_1 AS progress,
  is_met_4_1 AS is_met,
  met_at_4_1 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4.2' AS criterion_id,
  'sent_message >= 15 in any 604800s' AS criterion_label,
  value_4_2 AS value,
  threshold_4_2 AS threshold,
  progress_4_2 AS progress,
  is_met_4_2 AS is_met,
  met_at_4_2 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '4.3' AS criterion_id,
  'distinct contact of created_task >= 3' AS criterion_label,
  value_4_3 AS value,
  threshold_4_3 AS threshold,
  progress_4_3 AS progress,
  is_met_4_3 AS is_met,
  met_at_4_3 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'pql' AS milestone,
  '5' AS criterion_id,
  'search >= 3 after onboarded within 1209600s' AS criterion_label,
  value_5 AS value,
  threshold_5 AS threshold,
  progress_5 AS progress,
  is_met_5 AS is_met,
  met_at_5 AS met_at
FROM m_pql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'transacted' AS milestone,
  '1' AS criterion_id,
  'payment_succeeded (currency in USD, EUR, amount gt 0) >= 1' AS criterion_label,
  value_1 AS value,
  threshold_1 AS threshold,
  progress_1 AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM m_transacted
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '1' AS criterion_id,
  'milestone transacted' AS criterion_label,
  value_1 AS value,
  threshold_1 AS threshold,
  progress_1 AS progress,
  is_met_1 AS is_met,
  met_at_1 AS met_at
FROM m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '2' AS criterion_id,
  'sum amount of payment_succeeded >= 1000' AS criterion_label,
  value_2 AS value,
  threshold_2 AS threshold,
  progress_2 AS progress,
  is_met_2 AS is_met,
  met_at_2 AS met_at
FROM m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '3' AS criterion_id,
  'any of 2' AS criterion_label,
  value_3 AS value,
  threshold_3 AS threshold,
  progress_3 AS progress,
  is_met_3 AS is_met,
  met_at_3 AS met_at
FROM m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '3.1' AS criterion_id,
  'distinct email of invited_user >= 10 after transacted' AS criterion_label,
  value_3_1 AS value,
  threshold_3_1 AS threshold,
  progress_3_1 AS progress,
  is_met_3_1 AS is_met,
  met_at_3_1 AS met_at
FROM m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '3.2' AS criterion_id,
  'all of 2' AS criterion_label,
  value_3_2 AS value,
  threshold_3_2 AS threshold,
  progress_3_2 AS progress,
  is_met_3_2 AS is_met,
  met_at_3_2 AS met_at
FROM m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '3.2.1' AS criterion_id,
  'used_feature (feature in sso, api, plan ne free) >= 1' AS criterion_label,
  value_3_2_1 AS value,
  threshold_3_2_1 AS threshold,
  progress_3_2_1 AS progress,
  is_met_3_2_1 AS is_met,
  met_at_3_2_1 AS met_at
FROM m_eql
UNION ALL
SELECT
  'account' AS entity_level,
  entity_id,
  'eql' AS milestone,
  '3.2.2' AS criterion_id,
  'created_task (source eq api, user.role exists True) >= 5 in last 7776000s' AS criterion_label,
  value_3_2_2 AS value,
  threshold_3_2_2 AS threshold,
  progress_3_2_2 AS progress,
  is_met_3_2_2 AS is_met,
  met_at_3_2_2 AS met_at
FROM m_eql;
