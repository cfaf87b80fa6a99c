-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- milestone_distribution (output), target duckdb (duckdb)
CREATE OR REPLACE TABLE main.milestone_distribution AS
SELECT
  'signed_up' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'signed_up' AND criterion_id IN ('1')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 1
GROUP BY
  criteria_met,
  met_criteria
UNION ALL
SELECT
  'trial_started' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'trial_started' AND criterion_id IN ('1')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 1
GROUP BY
  criteria_met,
  met_criteria
UNION ALL
SELECT
  'onboarded' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '2' AND is_met) > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '3' AND is_met) > 0
        THEN ',3'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'onboarded' AND criterion_id IN ('1', '2', '3')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 3
GROUP BY
  criteria_met,
  met_criteria
UNION ALL
SELECT
  'activated_user' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '2' AND is_met) > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '3' AND is_met) > 0
        THEN ',3'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'activated_user' AND criterion_id IN ('1', '2', '3')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 3
GROUP BY
  criteria_met,
  met_criteria
UNION ALL
SELECT
  'weekly_active' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '2' AND is_met) > 0
        THEN ',2'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'weekly_active' AND criterion_id IN ('1', '2')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 2
GROUP BY
  criteria_met,
  met_criteria
UNION ALL
SELECT
  'pql' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '2' AND is_met) > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '3' AND is_met) > 0
        THEN ',3'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '4' AND is_met) > 0
        THEN ',4'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '5' AND is_met) > 0
        THEN ',5'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'pql' AND criterion_id IN ('1', '2', '3', '4', '5')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 5
GROUP BY
  criteria_met,
  met_criteria
UNION ALL
SELECT
  'transacted' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'transacted' AND criterion_id IN ('1')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 1
GROUP BY
  criteria_met,
  met_criteria
UNION ALL
SELECT
  'eql' AS milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    COUNT(*) FILTER(WHERE
      is_met) AS criteria_met,
    SUBSTRING(
      CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '1' AND is_met) > 0
        THEN ',1'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '2' AND is_met) > 0
        THEN ',2'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '3' AND is_met) > 0
        THEN ',3'
        ELSE ''
      END || CASE
        WHEN COUNT(*) FILTER(WHERE
          criterion_id = '4' AND is_met) > 0
        THEN ',4'
        ELSE ''
      END,
      2
    ) AS met_criteria
  FROM main.milestone_criteria
  WHERE
    milestone = 'eql' AND criterion_id IN ('1', '2', '3', '4')
  GROUP BY
    entity_id
) AS e
WHERE
  criteria_met < 4
GROUP BY
  criteria_met,
  met_criteria;
