"""Bad input: every problem collected, with file, line, milestone and a suggestion,
exit code 2, before any SQL runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main


def validate(tmp_path: Path, files: dict[str, str], *args: str):
    (tmp_path / "milestones").mkdir(exist_ok=True)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    if "profiles.yml" not in files:
        (tmp_path / "profiles.yml").write_text("target: dev\noutputs:\n  dev: {type: duckdb, path: t.duckdb}\n")
    return CliRunner().invoke(main, ["validate", "--project-dir", str(tmp_path), *args])


SOURCE = "source:\n  events: raw.events\n"

CASES = [
    (
        "unknown milestone",
        """
        milestones:
          - name: onboarded
            criteria: [{event: a}]
          - name: pql
            criteria:
              - milestone: onbaorded
        """,
        "milestones/m.yml:7: milestone 'pql': unknown milestone 'onbaorded' (did you mean 'onboarded'?)",
    ),
    (
        "cycle",
        """
        milestones:
          - name: a
            criteria: [{milestone: b}]
          - name: b
            criteria: [{milestone: c}]
          - name: c
            criteria: [{milestone: a}]
        """,
        "dependency cycle: a -> b -> c -> a",
    ),
    (
        "cycle through an anchor",
        """
        milestones:
          - name: a
            criteria: [{event: x, window: {after: b}}]
          - name: b
            criteria: [{milestone: a}]
        """,
        "dependency cycle: a -> b -> a",
    ),
    (
        "bad name",
        """
        milestones:
          - name: Bad-Name
            criteria: [{event: a}]
        """,
        "milestones/m.yml:3: bad milestone name 'Bad-Name'",
    ),
    (
        "unknown key",
        """
        milestones:
          - name: pql
            criteria:
              - event: a
                wehre: {role: admin}
        """,
        "milestones/m.yml:6: milestone 'pql': unknown key 'wehre' in criterion 1 (did you mean 'where'?)",
    ),
    (
        "unknown milestone key",
        """
        milestones:
          - name: pql
            lvel: contact
            criteria: [{event: a}]
        """,
        "milestones/m.yml:4: milestone 'pql': unknown key 'lvel' in milestone (did you mean 'level'?)",
    ),
    (
        "wrong type",
        """
        milestones:
          - name: pql
            criteria:
              - event: a
                at_least: "3"
        """,
        "milestones/m.yml:6: milestone 'pql': criterion 1: at_least must be an integer >= 1, not '3'",
    ),
    (
        "zero threshold",
        """
        milestones:
          - name: pql
            criteria:
              - event: a
                at_least: 0
        """,
        "milestones/m.yml:6: milestone 'pql': criterion 1: at_least must be an integer >= 1, not 0",
    ),
    (
        "negative sum threshold",
        """
        milestones:
          - name: pql
            criteria:
              - {event: a, sum: amount, at_least: -5}
        """,
        "milestones/m.yml:5: milestone 'pql': criterion 1: at_least for a sum must be a number > 0, not -5",
    ),
    (
        "impossible level crossing",
        """
        milestones:
          - name: person
            level: contact
            criteria: [{event: a}]
          - name: acct
            criteria:
              - event: a
                window: {after: person}
        """,
        "milestones/m.yml:9: milestone 'acct': criterion 1: an account-level criterion cannot be anchored on contact milestone 'person'",
    ),
    (
        "at_least on a same-level milestone",
        """
        milestones:
          - name: a
            criteria: [{event: x}]
          - name: b
            criteria: [{milestone: a, at_least: 2}]
        """,
        "milestone 'b': criterion 1: at_least on a milestone criterion only applies",
    ),
    (
        "distinct with a sliding window",
        """
        milestones:
          - name: pql
            criteria:
              - {event: a, distinct: page, window: {any: 7d}}
        """,
        "criterion 1: distinct cannot use an `any:` window",
    ),
    (
        "bad duration",
        """
        milestones:
          - name: pql
            criteria:
              - {event: a, window: {last: 7 fortnights}}
        """,
        "bad duration '7 fortnights'",
    ),
    (
        "unknown operator",
        """
        milestones:
          - name: pql
            criteria:
              - event: a
                where:
                  seats: {gtt: 3}
        """,
        "milestones/m.yml:7: milestone 'pql': criterion 1: filter on 'seats': unknown operator 'gtt' (did you mean 'gt'?)",
    ),
    (
        "anchor on a status milestone",
        """
        milestones:
          - name: active
            criteria: [{event: a, window: {last: 7d}}]
          - name: b
            criteria: [{event: c, window: {after: active}}]
        """,
        "anchor 'active' is a status milestone",
    ),
    (
        "unknown level",
        """
        milestones:
          - name: a
            level: workspace
            criteria: [{event: x}]
        """,
        "milestones/m.yml:4: milestone 'a': level must be 'account' or 'contact', not 'workspace'",
    ),
]


@pytest.mark.parametrize("files_text, expected", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_each_validation_error_is_reported_with_exit_2(tmp_path, files_text, expected):
    result = validate(tmp_path, {"milestones/source.yml": SOURCE, "milestones/m.yml": files_text})
    assert result.exit_code == 2, result.output
    assert expected in result.output


def test_all_problems_are_collected_in_one_report(tmp_path):
    text = "\n".join(textwrap.dedent(c[1]).replace("milestones:\n", "") for c in CASES[3:8])
    result = validate(tmp_path, {"milestones/source.yml": SOURCE, "milestones/m.yml": "milestones:\n" + text})
    assert result.exit_code == 2
    assert result.output.count("error: ") >= 4
    assert "nothing was run" in result.output


def test_duplicate_milestone_names_both_files(tmp_path):
    one = "milestones:\n  - name: pql\n    criteria: [{event: a}]\n"
    result = validate(tmp_path, {"milestones/source.yml": SOURCE, "milestones/a.yml": one, "milestones/b.yml": one})
    assert result.exit_code == 2
    assert (
        "milestones/b.yml:2: milestone 'pql': duplicate milestone name (also defined at milestones/a.yml:2)"
        in result.output
    )


def test_invalid_yaml_reports_the_line(tmp_path):
    result = validate(tmp_path, {"milestones/m.yml": "milestones:\n  - name: a\n    criteria: [\n"})
    assert result.exit_code == 2
    assert "milestones/m.yml:" in result.output and "invalid YAML" in result.output


def test_no_sql_runs_when_invalid(tmp_path):
    files = {"milestones/source.yml": SOURCE, "milestones/m.yml": CASES[0][1]}
    validate(tmp_path, files)
    result = CliRunner().invoke(main, ["run", "--project-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert not (tmp_path / "t.duckdb").exists()


def test_unknown_target_lists_valid_ones(tmp_path):
    files = {"milestones/m.yml": "milestones:\n  - name: a\n    criteria: [{event: x}]\n"}
    result = validate(tmp_path, files, "--target", "prod")
    assert result.exit_code == 2
    assert "unknown target 'prod' (valid targets: dev)" in result.output


def test_missing_env_var_is_named_and_only_the_selected_target_renders(tmp_path, monkeypatch):
    monkeypatch.delenv("MS_TEST_SECRET", raising=False)
    profiles = """
    my_profile:
      target: dev
      outputs:
        dev: {type: duckdb, path: t.duckdb}
        prod:
          type: snowflake
          password: "{{ env_var('MS_TEST_SECRET') }}"
    """
    files = {
        "profiles.yml": profiles,
        "milestones/m.yml": "source: {events: raw.events}\nmilestones:\n  - name: a\n    criteria: [{event: x}]\n",
    }
    assert validate(tmp_path, files).exit_code == 0  # dbt's wrapped form; prod not rendered
    result = validate(tmp_path, files, "--target", "prod")
    assert result.exit_code == 2
    assert "environment variable 'MS_TEST_SECRET' is not set" in result.output


def test_unknown_select_suggests(tmp_path):
    files = {
        "milestones/m.yml": "source: {events: raw.events}\nmilestones:\n  - name: onboarded\n    criteria: [{event: x}]\n"
    }
    result = validate(tmp_path, files, "--select", "onboard")
    assert result.exit_code == 2
    assert "unknown milestone 'onboard' (did you mean 'onboarded'?)" in result.output


def test_bad_as_of_is_a_usage_error(tmp_path):
    files = {"milestones/m.yml": "source: {events: raw.events}\nmilestones:\n  - name: a\n    criteria: [{event: x}]\n"}
    result = validate(tmp_path, files, "--as-of", "yesterday")
    assert result.exit_code == 2
    assert "ISO 8601" in result.output


def test_model_ref_typo_and_cycle(tmp_path):
    files = {
        "milestones/m.yml": "source: {events: stg}\nmilestones:\n  - name: a\n    criteria: [{event: x}]\n",
        "models/stg.sql": "select * from {{ ref('raww') }}",
        "models/raw.sql": "select * from {{ ref('stg') }}",
    }
    result = validate(tmp_path, files)
    assert result.exit_code == 2
    assert "models/stg.sql: ref('raww'): no such model (did you mean 'raw'?)" in result.output
    files["models/stg.sql"] = "select * from {{ ref('raw') }}"
    result = validate(tmp_path, files)
    assert result.exit_code == 2
    assert "model dependency cycle:" in result.output
    assert "raw -> stg -> raw" in result.output or "stg -> raw -> stg" in result.output
