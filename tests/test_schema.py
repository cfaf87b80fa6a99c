"""`milestones schema`: the JSON Schema accepts every milestone YAML file in the repository
(the example, the benchmark, every conformance scenario's spec) and rejects broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from compiler.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def documents() -> list[tuple[str, object]]:
    out = []
    for folder in (ROOT / "milestones", ROOT / "bench" / "project" / "milestones"):
        for path in sorted(folder.glob("*.yml")):
            out.append((str(path.relative_to(ROOT)), yaml.safe_load(path.read_text())))
    for path in sorted((ROOT / "milestones" / "tests").glob("*.yml")):  # unit tests
        out.append((str(path.relative_to(ROOT)), yaml.safe_load(path.read_text())))
    for path in sorted((ROOT / "tests" / "conformance").glob("*.yml")):
        scenario = yaml.safe_load(path.read_text())
        out.append((f"{path.relative_to(ROOT)}:spec", yaml.safe_load(scenario["spec"])))
        if "source" in scenario:
            out.append((f"{path.relative_to(ROOT)}:source", yaml.safe_load(scenario["source"])))
    return out


@pytest.mark.parametrize(("name", "doc"), documents(), ids=[n for n, _ in documents()])
def test_the_schema_accepts_every_milestone_file_in_the_repository(validator, name, doc):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == [], name


BROKEN = {
    "unknown top-level key": {"milestone": []},
    "unknown milestone key": {"milestones": [{"name": "a", "criteria": [{"event": "x"}], "lable": "A"}]},
    "bad name": {"milestones": [{"name": "Not Valid", "criteria": [{"event": "x"}]}]},
    "no criteria": {"milestones": [{"name": "a"}]},
    "bad level": {"milestones": [{"name": "a", "level": "team", "criteria": [{"event": "x"}]}]},
    "zero threshold": {"milestones": [{"name": "a", "criteria": [{"event": "x", "at_least": 0}]}]},
    "two kinds": {"milestones": [{"name": "a", "criteria": [{"event": "x", "milestone": "b"}]}]},
    "bad duration": {"milestones": [{"name": "a", "criteria": [{"event": "x", "window": {"last": "a month"}}]}]},
    "bad operator": {"milestones": [{"name": "a", "criteria": [{"event": "x", "where": {"role": {"equals": "a"}}}]}]},
    "bad period": {"milestones": [{"name": "a", "criteria": [{"event": "x", "every": "year"}]}]},
    "rate without at_least": {"milestones": [{"name": "a", "criteria": [{"rate": {"numerator": {"event": "a"}, "denominator": {"event": "b"}}}]}]},
    "empty group": {"milestones": [{"name": "a", "criteria": [{"any": []}]}]},
    "due without within": {"milestones": [{"name": "a", "due": {"after": "b"}, "criteria": [{"event": "x"}]}]},
    "funnel cohort": {"funnels": [{"name": "f", "steps": ["a"], "cohort": "year"}]},
    "source column key": {"source": {"columns": {"user": "user_id"}}},
    "unit test input": {"unit_tests": [{"name": "t", "given": [{"input": "evnts", "rows": []}], "expect": [{"table": "milestone_state"}]}]},
    "unit test table": {"unit_tests": [{"name": "t", "expect": [{"table": "state", "rows": []}]}]},
    "unit tests beside milestones": {"unit_tests": [], "milestones": []},
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_schema_rejects_broken_files(validator, case):
    assert list(validator.iter_errors(BROKEN[case])), case
