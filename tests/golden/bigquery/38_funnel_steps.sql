-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- funnel_steps (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.funnel_steps AS
SELECT
  funnel,
  segment,
  step,
  milestone,
  entities,
  CASE WHEN step = 1 THEN entities ELSE converted END AS converted,
  CASE
    WHEN step = 1
    THEN NULL
    WHEN prev_entities = 0
    THEN NULL
    ELSE CAST(converted AS FLOAT64) / prev_entities
  END AS conversion_rate,
  CASE
    WHEN first_entities = 0
    THEN NULL
    ELSE CAST(entities AS FLOAT64) / first_entities
  END AS overall_rate,
  CASE WHEN step = 1 THEN NULL ELSE avg_seconds_from_previous END AS avg_seconds_from_previous,
  CASE WHEN step = 1 THEN NULL ELSE median_seconds_from_previous END AS median_seconds_from_previous,
  CASE WHEN step = 1 THEN NULL ELSE p90_seconds_from_previous END AS p90_seconds_from_previous
FROM (
  SELECT
    *,
    LAG(entities) OVER (PARTITION BY funnel, segment ORDER BY step) AS prev_entities,
    FIRST_VALUE(entities) OVER (PARTITION BY funnel, segment ORDER BY step) AS first_entities
  FROM (
    SELECT
      funnel,
      segment,
      step,
      MAX(milestone) AS milestone,
      COUNT(completed_at) AS entities,
      COUNTIF(converted) AS converted,
      AVG(seconds_from_previous) AS avg_seconds_from_previous,
      MAX(
        CASE
          WHEN NOT seconds_from_previous IS NULL
          AND rank_no = FLOOR(1 + 0.5 * (
            n_values - 1
          ))
          THEN seconds_from_previous
        END
      ) + (
        MAX(1 + 0.5 * (
          n_values - 1
        )) - MAX(FLOOR(1 + 0.5 * (
          n_values - 1
        )))
      ) * (
        MAX(
          CASE
            WHEN NOT seconds_from_previous IS NULL
            AND rank_no = CEIL(1 + 0.5 * (
              n_values - 1
            ))
            THEN seconds_from_previous
          END
        ) - MAX(
          CASE
            WHEN NOT seconds_from_previous IS NULL
            AND rank_no = FLOOR(1 + 0.5 * (
              n_values - 1
            ))
            THEN seconds_from_previous
          END
        )
      ) AS median_seconds_from_previous,
      MAX(
        CASE
          WHEN NOT seconds_from_previous IS NULL
          AND rank_no = FLOOR(1 + 0.9 * (
            n_values - 1
          ))
          THEN seconds_from_previous
        END
      ) + (
        MAX(1 + 0.9 * (
          n_values - 1
        )) - MAX(FLOOR(1 + 0.9 * (
          n_values - 1
        )))
      ) * (
        MAX(
          CASE
            WHEN NOT seconds_from_previous IS NULL
            AND rank_no = CEIL(1 + 0.9 * (
              n_values - 1
            ))
            THEN seconds_from_previous
          END
        ) - MAX(
          CASE
            WHEN NOT seconds_from_previous IS NULL
            AND rank_no = FLOOR(1 + 0.9 * (
              n_values - 1
            ))
            THEN seconds_from_previous
          END
        )
      ) AS p90_seconds_from_previous
    FROM (
      SELECT
        *,
        ROW_NUMBER() OVER (
          PARTITION BY funnel, segment, step, CASE WHEN seconds_from_previous IS NULL THEN 1 ELSE 0 END
          ORDER BY seconds_from_previous
        ) AS rank_no,
        COUNT(seconds_from_previous) OVER (PARTITION BY funnel, segment, step) AS n_values
      FROM (
        SELECT
          *
        FROM (
          SELECT
            funnel,
            step,
            milestone,
            completed_at,
            converted,
            seconds_from_previous,
            CAST(NULL AS STRING) AS segment
          FROM acme.milestones._ms_funnel_steps
          UNION ALL
          SELECT
            funnel,
            step,
            milestone,
            completed_at,
            converted,
            seconds_from_previous,
            segment
          FROM acme.milestones._ms_funnel_steps
          WHERE
            NOT segment IS NULL
        ) AS u
      ) AS `rows`
    ) AS ranked
    GROUP BY
      funnel,
      segment,
      step
  ) AS counted
) AS staged;
