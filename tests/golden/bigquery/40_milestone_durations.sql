-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- milestone_durations (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.milestone_durations AS
SELECT
  funnel,
  entity_id,
  step,
  milestone,
  entered_at,
  exited_at,
  seconds_in_step,
  is_current,
  CASE WHEN n_exited > 0 THEN CAST(n_at_or_below AS FLOAT64) / n_exited END AS percentile,
  COALESCE(
    is_current
    AND step < steps
    AND seconds_in_step > COALESCE(CASE WHEN funnel = 'plg' AND step = 2 THEN 2592000 END, p75_exited),
    FALSE
  ) AS is_stalled
FROM (
  SELECT
    *,
    SUM(CASE WHEN NOT is_current THEN 1 ELSE 0 END) OVER (PARTITION BY funnel, step) AS n_exited,
    SUM(CASE WHEN NOT is_current THEN 1 ELSE 0 END) OVER (PARTITION BY funnel, step ORDER BY seconds_in_step) AS n_at_or_below,
    MAX(
      CASE
        WHEN NOT exited_seconds IS NULL AND rank_no = FLOOR(1 + 0.75 * (
          n_values - 1
        ))
        THEN exited_seconds
      END
    ) OVER (PARTITION BY funnel, step) + (
      MAX(1 + 0.75 * (
        n_values - 1
      )) OVER (PARTITION BY funnel, step) - MAX(FLOOR(1 + 0.75 * (
        n_values - 1
      ))) OVER (PARTITION BY funnel, step)
    ) * (
      MAX(
        CASE
          WHEN NOT exited_seconds IS NULL AND rank_no = CEIL(1 + 0.75 * (
            n_values - 1
          ))
          THEN exited_seconds
        END
      ) OVER (PARTITION BY funnel, step) - MAX(
        CASE
          WHEN NOT exited_seconds IS NULL AND rank_no = FLOOR(1 + 0.75 * (
            n_values - 1
          ))
          THEN exited_seconds
        END
      ) OVER (PARTITION BY funnel, step)
    ) AS p75_exited
  FROM (
    SELECT
      *,
      ROW_NUMBER() OVER (
        PARTITION BY funnel, step, CASE WHEN exited_seconds IS NULL THEN 1 ELSE 0 END
        ORDER BY exited_seconds
      ) AS rank_no,
      COUNT(exited_seconds) OVER (PARTITION BY funnel, step) AS n_values
    FROM (
      SELECT
        funnel,
        entity_id,
        step,
        steps,
        milestone,
        completed_at AS entered_at,
        next_completed_at AS exited_at,
        CASE
          WHEN next_completed_at IS NULL
          THEN UNIX_MICROS(CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)) / 1000000.0 - UNIX_MICROS(completed_at) / 1000000.0
          ELSE GREATEST(
            0.0,
            UNIX_MICROS(next_completed_at) / 1000000.0 - UNIX_MICROS(completed_at) / 1000000.0
          )
        END AS seconds_in_step,
        next_completed_at IS NULL AS is_current,
        CASE
          WHEN NOT next_completed_at IS NULL
          THEN CASE
            WHEN next_completed_at IS NULL
            THEN UNIX_MICROS(CAST('2026-06-30 00:00:00.000000' AS TIMESTAMP)) / 1000000.0 - UNIX_MICROS(completed_at) / 1000000.0
            ELSE GREATEST(
              0.0,
              UNIX_MICROS(next_completed_at) / 1000000.0 - UNIX_MICROS(completed_at) / 1000000.0
            )
          END
        END AS exited_seconds
      FROM acme.milestones._ms_funnel_steps
      WHERE
        NOT completed_at IS NULL
    ) AS `rows`
  ) AS ranked
) AS measured;
