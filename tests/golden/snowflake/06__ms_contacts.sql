-- golden: tests/test_golden.py::test_golden_sql[snowflake]
-- _ms_contacts (stage), target snowflake (snowflake)
CREATE OR REPLACE TABLE analytics.milestones._ms_contacts AS
SELECT
  entity_id,
  account_id
FROM analytics.milestones._ms_entities
WHERE
  entity_level = 'contact';
