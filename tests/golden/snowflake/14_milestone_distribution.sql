-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- milestone_distribution (output), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones.milestone_distribution AS
SELECT
  milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    c.milestone,
    COUNT_IF(c.is_met) AS criteria_met,
    COALESCE(
      LISTAGG(CASE WHEN c.is_met THEN c.criterion_id END, ',') WITHIN GROUP (ORDER BY
        CAST(c.criterion_id AS INT)),
      ''
    ) AS met_criteria
  FROM analytics.milestones.milestone_criteria AS c
  JOIN analytics.milestones.milestone_state AS s
    ON s.entity_level = c.entity_level
    AND s.entity_id = c.entity_id
    AND s.milestone = c.milestone
  WHERE
    CHARINDEX('.', c.criterion_id) = 0 AND NOT s.is_complete
  GROUP BY
    c.entity_level,
    c.entity_id,
    c.milestone
) AS e
GROUP BY
  milestone,
  criteria_met,
  met_criteria;
