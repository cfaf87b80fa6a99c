-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- funnel_cohorts (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.funnel_cohorts AS
SELECT
  funnel,
  cohort_start,
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
  END AS overall_rate
FROM (
  SELECT
    *,
    LAG(entities) OVER (PARTITION BY funnel, cohort_start ORDER BY step) AS prev_entities,
    FIRST_VALUE(entities) OVER (PARTITION BY funnel, cohort_start ORDER BY step) AS first_entities
  FROM (
    SELECT
      funnel,
      cohort_start,
      step,
      MAX(milestone) AS milestone,
      COUNT(completed_at) AS entities,
      COUNTIF(converted) AS converted
    FROM acme.milestones._ms_funnel_steps
    WHERE
      NOT cohort_start IS NULL
    GROUP BY
      funnel,
      cohort_start,
      step
  ) AS counted
) AS staged;
