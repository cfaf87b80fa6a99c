-- golden: tests/test_golden.py::test_golden_sql[bigquery]
-- milestone_distribution (output), target bigquery (bigquery)
CREATE OR REPLACE TABLE acme.milestones.milestone_distribution AS
SELECT
  milestone,
  criteria_met,
  met_criteria,
  COUNT(*) AS entities
FROM (
  SELECT
    c.milestone,
    COUNTIF(c.is_met) AS criteria_met,
    COALESCE(
      STRING_AGG(
        CASE WHEN c.is_met THEN c.criterion_id END, ','
        ORDER BY
          CAST(c.criterion_id AS INT64)
      ),
      ''
    ) AS met_criteria
  FROM acme.milestones.milestone_criteria AS c
  JOIN acme.milestones.milestone_state AS s
    ON s.entity_level = c.entity_level
    AND s.entity_id = c.entity_id
    AND s.milestone = c.milestone
  WHERE
    INSTR(c.criterion_id, '.') = 0 AND NOT s.is_complete
  GROUP BY
    c.entity_level,
    c.entity_id,
    c.milestone
) AS e
GROUP BY
  milestone,
  criteria_met,
  met_criteria;
