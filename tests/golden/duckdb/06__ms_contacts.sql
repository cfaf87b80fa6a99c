-- golden: tests/test_golden.py::test_golden_sql[duckdb]
-- _ms_contacts (stage), target duckdb (duckdb)
CREATE OR REPLACE TEMPORARY TABLE temp.main._ms_contacts AS
SELECT
  entity_id,
  account_id
FROM temp.main._ms_entities
WHERE
  entity_level = 'contact';
