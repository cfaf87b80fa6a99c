"""Large specs (issue #13): deep nesting evaluates correctly and compiles to SQL linear in
the number of criterion nodes; specs beyond the documented limits, and YAML that expands
without bound, are refused with a clear error. (Compile time is measured by
`python -m bench.compile`, not asserted here.)"""

from __future__ import annotations

import textwrap
from datetime import datetime

import pytest
import yaml
from click.testing import CliRunner
from conftest import ev

from compiler.cli import main
from compiler.project import Project
from compiler.spec.validate import MAX_DEPTH, MAX_NODES
from compiler.warehouse.runner import compile_project


def chain(depth: int, kinds: tuple[str, ...]) -> dict[str, object]:
    """Level i (1 = outermost) is a group of kinds[i % len(kinds)] holding event `e<i>` and
    the next level; the innermost group holds `e<depth>` and `deep`."""
    node: dict[str, object] = {"event": "deep"}
    for level in range(depth, 0, -1):
        node = {kinds[level % len(kinds)]: [{"event": f"e{level}"}, node]}
    return node


def group_id(level: int) -> str:
    """Criterion id of the group at `level` (1-based): 1, 1.2, 1.2.2, ..."""
    return ".".join(["1"] + ["2"] * (level - 1))


def test_twenty_nested_all_groups_evaluate_on_duckdb(build):
    depth = 20
    spec = {"milestones": [{"name": "deep", "criteria": [chain(depth, ("all",))]}]}
    # every e<i> on day i, `deep` on day 25 -- except e7, which never happens
    events = [ev(f"e{i}", f"2024-01-{i:02d}") for i in range(1, depth + 1) if i != 7]
    events.append(ev("deep", "2024-01-25"))
    b = build(yaml.safe_dump(spec), events)
    rows = b.criteria("a1", "deep")
    assert len(rows) == 2 * depth + 1
    for level in range(1, depth + 1):
        value, threshold, progress, met, met_at = rows[group_id(level)]
        # groups inside level 7 hold (met at the latest of their events: day 25, `deep`)
        if level > 7:
            assert (met, met_at) == (True, datetime(2024, 1, 25)), level
        else:
            assert (met, met_at) == (False, None), level
        assert value is None and threshold is None
    # level 7's group: e7 missing (progress 0), the inner group met (1) -> mean 0.5
    assert rows[group_id(7)][2] == pytest.approx(0.5)
    # level 6: e6 met (1), level 7 at 0.5 -> 0.75; and so on outwards
    assert rows[group_id(6)][2] == pytest.approx(0.75)
    assert rows[group_id(1)][2] == pytest.approx(1 - 0.5**7)
    assert b.state("a1", "deep")["is_complete"] is False


def test_twenty_nested_any_groups_take_the_earliest_met_child(build):
    depth = 20
    spec = {"milestones": [{"name": "deep", "criteria": [chain(depth, ("any",))]}]}
    # only the innermost events happen: e20 on day 20, deep on day 3
    b = build(yaml.safe_dump(spec), [ev("e20", "2024-01-20"), ev("deep", "2024-01-03")])
    rows = b.criteria("a1", "deep")
    for level in range(1, depth + 1):
        assert rows[group_id(level)][3:] == (True, datetime(2024, 1, 3)), level
    assert b.state("a1", "deep")["completed_at"] == datetime(2024, 1, 3)


def _compiled_bytes(tmp_path, depth: int) -> tuple[int, int]:
    root = tmp_path / f"d{depth}"
    (root / "milestones").mkdir(parents=True)
    spec = {
        "source": {"events": "raw.events"},
        "milestones": [{"name": "deep", "criteria": [chain(depth, ("any", "all"))]}],
    }
    (root / "milestones" / "spec.yml").write_text(yaml.safe_dump(spec))
    files = compile_project(Project(root, as_of=datetime(2026, 6, 30)), root / "out")
    return sum(p.stat().st_size for p in files), 2 * depth + 1


def test_compiled_sql_grows_linearly_with_nesting(tmp_path):
    # (sizes, not times: time is the compile benchmark's to measure)
    small, small_nodes = _compiled_bytes(tmp_path, 10)
    large, large_nodes = _compiled_bytes(tmp_path, 30)
    assert large / large_nodes < 1.25 * small / small_nodes
    assert large < 200_000


def _validate(tmp_path, milestones_yaml: str):
    (tmp_path / "milestones").mkdir(exist_ok=True)
    (tmp_path / "milestones" / "m.yml").write_text("source: {events: raw.events}\n" + milestones_yaml)
    return CliRunner().invoke(main, ["validate", "--project-dir", str(tmp_path)])


def test_nesting_beyond_the_limit_is_refused(tmp_path):
    spec = {"milestones": [{"name": "deep", "criteria": [chain(MAX_DEPTH + 5, ("any", "all"))]}]}
    result = _validate(tmp_path, yaml.safe_dump(spec))
    assert result.exit_code == 2
    assert f"milestone 'deep': criteria nested more than {MAX_DEPTH} groups deep (the limit)" in result.output
    assert result.output.count("groups deep") == 1


def test_too_many_criteria_in_one_milestone_is_refused(tmp_path):
    criteria = "\n".join(f"      - {{event: e{i}}}" for i in range(MAX_NODES + 10))
    result = _validate(tmp_path, f"milestones:\n  - name: wide\n    criteria:\n{criteria}\n")
    assert result.exit_code == 2
    assert f"milestones/m.yml:{5 + MAX_NODES}: milestone 'wide': more than {MAX_NODES} criteria" in result.output


def test_yaml_that_expands_without_bound_is_refused(tmp_path):
    bomb = textwrap.dedent("""\
        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
        milestones: [{name: m, criteria: *f}]
    """)
    result = _validate(tmp_path, bomb)
    assert result.exit_code == 2 and "expands to more than" in result.output
    deep = "milestones: " + "[" * 3000 + "]" * 3000 + "\n"
    result = _validate(tmp_path, deep)
    assert result.exit_code == 2 and "nested too deeply" in result.output and "Traceback" not in result.output


def test_sum_thresholds_must_stay_below_the_cap(tmp_path):
    result = _validate(
        tmp_path, "milestones:\n  - name: m\n    criteria:\n      - {event: pay, sum: amount, at_least: 1.0e+21}\n"
    )
    assert result.exit_code == 2 and "at_least for a sum must be below 1e20" in result.output
