"""The spec: milestone YAML read with line numbers (yamlio), validated with every problem
collected (validate, criteria, base), into frozen IR dataclasses (ir); the JSON Schema of
the same language (schema) and the criterion labels (labels)."""
