"""SPEC §9 on DuckDB: milestone_transitions, milestone_history and the comparison base
across runs, against hand-computed expectations. Each test runs the real CLI several
times over one database file, appending (and back-dating) events between runs."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import SNOWFLAKE_PROFILE, ev, fakesnow_events, load_events, write_project

from compiler.cli import main

SPEC = """
milestones:
  - name: signed_up
    criteria: [{event: signup}]
  - name: onboarded
    due: {after: signed_up, within: 7d}
    criteria:
      - {event: setup}
      - {event: invite, at_least: 2}
  - name: engaged
    criteria:
      - {event: use, window: {last: 7d}}
      - {event: login, window: {last: 7d}}
"""


def on(account: str, *pairs: tuple[str, str]) -> list[tuple[object, ...]]:
    return [ev(e, ts, user=f"{account}_u", account=account) for e, ts in pairs]


# known at T1 (2024-01-10)
PHASE1 = [
    # a1: onboarded 01-04; engaged at T1 (use 01-05, login 01-06), lapsed by T2
    *on("a1", ("signup", "2024-01-01"), ("setup", "2024-01-02"), ("invite", "2024-01-03"), ("invite", "2024-01-04")),
    *on("a1", ("use", "2024-01-05"), ("login", "2024-01-06")),
    # a2: signed up 01-05 (onboarded due 01-12), setup only; engaged half-way at T1 (use 01-09)
    *on("a2", ("signup", "2024-01-05"), ("setup", "2024-01-06"), ("use", "2024-01-09")),
    # a4: signed up 01-02 (due 01-09): overdue at T1
    *on("a4", ("signup", "2024-01-02")),
]
# appended before T2 (2024-01-20): a3 is new; a4's events arrive late (dated before T1)
PHASE2 = [
    *on("a3", ("signup", "2024-01-15"), ("setup", "2024-01-16")),
    *on("a4", ("setup", "2024-01-08"), ("invite", "2024-01-08"), ("invite", "2024-01-09")),
    *on("a2", ("invite", "2024-01-15")),
]
# appended before T3 (2024-01-30): a1 engaged again
PHASE3 = [*on("a1", ("use", "2024-01-25"), ("login", "2024-01-26"))]


class Target:
    def __init__(self, root: Path):
        self.root = root
        write_project(root, SPEC)

    def load(self, *phases: list[tuple[object, ...]]) -> None:
        load_events(self.root / "test.duckdb", [e for phase in phases for e in phase])

    def run(self, as_of: str, *args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["run", "--project-dir", str(self.root), "--as-of", as_of, *args])
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return result.output

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(self.root / "test.duckdb"), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def transitions(self, as_of: str) -> set[tuple[object, ...]]:
        return set(
            self.rows(
                "SELECT entity_id, milestone, transition, from_progress, to_progress, new_criteria, completed_at"
                f" FROM milestone_transitions WHERE as_of = TIMESTAMP '{as_of}'"
            )
        )

    def successful_runs(self) -> list[tuple[object, ...]]:
        return self.rows("SELECT run_id, as_of FROM milestone_runs WHERE status = 'success' ORDER BY finished_at")


@pytest.fixture
def target(tmp_path: Path) -> Target:
    return Target(tmp_path)


T2_EXPECTED = {
    ("a3", "signed_up", "completed", 0.0, 1.0, "1", datetime(2024, 1, 15)),
    ("a3", "onboarded", "progressed", 0.0, 0.5, "1", None),
    ("a4", "onboarded", "completed", 0.0, 1.0, "1,2", datetime(2024, 1, 9)),
    ("a2", "onboarded", "overdue", 0.5, 0.5, "", None),  # due 01-12, passed between T1 and T2
    ("a1", "engaged", "lost", 1.0, 0.0, "", None),
    ("a2", "engaged", "regressed", 0.5, 0.0, "", None),
}
T3_EXPECTED = {
    # regained after lapsing: completed again, met since the start of the current stretch
    ("a1", "engaged", "completed", 0.0, 1.0, "1,2", datetime(2024, 1, 26)),
    ("a3", "onboarded", "overdue", 0.5, 0.5, "", None),  # due 01-22
}


def test_baseline_then_each_transition_kind(target):
    target.load(PHASE1)
    out = target.run("2024-01-10")
    assert "Baseline run" in out
    assert target.rows("SELECT count(*) FROM milestone_transitions") == [(0,)]

    target.load(PHASE1, PHASE2)
    out = target.run("2024-01-20")
    assert target.transitions("2024-01-20") == T2_EXPECTED
    assert "Changes since the previous run (as_of 2024-01-10 00:00:00): 6 transition(s)" in out
    assert "engaged                  1 lost, 1 regressed" in out

    target.load(PHASE1, PHASE2, PHASE3)
    target.run("2024-01-30")
    assert target.transitions("2024-01-30") == T3_EXPECTED


def test_rows_carry_the_base_run_and_a_reproducible_id(target):
    target.load(PHASE1)
    target.run("2024-01-10")
    target.load(PHASE1, PHASE2)
    target.run("2024-01-20")
    (first, t1), (second, t2) = target.successful_runs()
    rows = target.rows(
        "SELECT transition_id, run_id, previous_run_id, previous_as_of, entity_level, entity_id, account_id,"
        " milestone, transition, as_of FROM milestone_transitions"
    )
    assert len(rows) == len(T2_EXPECTED)
    for tid, run_id, prev_id, prev_as_of, level, entity, account, milestone, transition, as_of in rows:
        assert (run_id, prev_id, prev_as_of, as_of) == (second, first, t1, t2)
        assert (level, account) == ("account", entity)
        # the documented recipe: md5 of level|milestone|transition|as_of|previous_as_of|entity_id
        text = (
            f"{level}|{milestone}|{transition}|{as_of:%Y-%m-%d %H:%M:%S.%f}|{prev_as_of:%Y-%m-%d %H:%M:%S.%f}|{entity}"
        )
        assert tid == hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - an id, not security
    assert len({r[0] for r in rows}) == len(rows)


def test_a_repeated_run_adds_nothing_and_history_has_a_row_per_milestone_per_run(target):
    target.load(PHASE1)
    target.run("2024-01-10")
    out = target.run("2024-01-10")
    assert target.rows("SELECT count(*) FROM milestone_transitions") == [(0,)]
    assert "0 transition(s)" in out and "no change: signed_up, onboarded, engaged" in out
    target.load(PHASE1, PHASE2)
    target.run("2024-01-20")
    target.run("2024-01-20")
    assert target.rows("SELECT count(*) FROM milestone_transitions") == [(len(T2_EXPECTED),)]
    history = target.rows(
        "SELECT as_of, milestone, entity_level, entities, complete, overdue, round(avg_progress, 6)"
        " FROM milestone_history ORDER BY as_of, milestone, run_id"
    )
    t1, t2 = datetime(2024, 1, 10), datetime(2024, 1, 20)
    at_t1 = [
        # a1 complete, a2 half (use only), a4 none
        (t1, "engaged", "account", 3, 1, 0, 0.5),
        # a1 complete, a2 setup only (not yet due), a4 nothing and overdue (due 01-09)
        (t1, "onboarded", "account", 3, 1, 1, 0.5),
        (t1, "signed_up", "account", 3, 3, 0, 1.0),
    ]
    at_t2 = [
        (t2, "engaged", "account", 4, 0, 0, 0.0),
        # a1, a4 complete; a2 (due 01-12) and a3 (due 01-22) half; a2 overdue
        (t2, "onboarded", "account", 4, 2, 1, 0.75),
        (t2, "signed_up", "account", 4, 4, 0, 1.0),
    ]
    assert history == sorted(at_t1 * 2 + at_t2 * 2)


def test_an_earlier_as_of_records_nothing_and_keeps_the_base(target):
    target.load(PHASE1)
    target.run("2024-01-10")
    target.load(PHASE1, PHASE2)
    target.run("2024-01-20")
    out = target.run("2024-01-12")  # earlier than every base: no rows, bases stay at T2
    assert "not compared" in out and "2024-01-20" in out and "the base is kept" in out
    assert target.transitions("2024-01-12") == set()
    # the state tables are those of 01-12 (an ordinary run), history has its rows
    assert target.rows("SELECT DISTINCT as_of FROM milestone_state") == [(datetime(2024, 1, 12),)]
    assert target.rows("SELECT count(*) FROM milestone_history WHERE as_of = TIMESTAMP '2024-01-12'") == [(3,)]
    target.load(PHASE1, PHASE2, PHASE3)
    target.run("2024-01-30")
    # compared with T2 (not with 01-12): nothing of T2 is reported again
    assert target.transitions("2024-01-30") == T3_EXPECTED
    assert target.rows(
        "SELECT DISTINCT previous_as_of FROM milestone_transitions WHERE as_of = TIMESTAMP '2024-01-30'"
    ) == [(datetime(2024, 1, 20),)]


def test_a_failing_run_between_two_good_ones_adds_nothing_and_moves_no_base(target, monkeypatch):
    target.load(PHASE1)
    target.run("2024-01-10")
    target.load(PHASE1, PHASE2)
    before = {t: target.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in ("milestone_state", "_ms_comparison_base")}
    # the last statement of the publishing step fails: the whole step rolls back
    from compiler.warehouse import tracking

    real = tracking.Tracker.after_success
    monkeypatch.setattr(
        tracking.Tracker, "after_success", lambda self, record: [*real(self, record), "SELECT no_such_column"]
    )
    out = target.run("2024-01-20", code=1)
    assert "Previous tables were left as they were" in out
    monkeypatch.undo()
    assert target.rows("SELECT count(*) FROM milestone_transitions") == [(0,)]
    assert target.rows("SELECT count(*) FROM milestone_history") == [(3,)]  # the baseline's
    assert {t: target.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in before} == before
    assert [s for (s,) in target.rows("SELECT status FROM milestone_runs ORDER BY started_at")] == ["success", "error"]
    # a model failing before any output: likewise
    (target.root / "models" / "broken.sql").write_text(
        "{{ config(materialized='table') }} select cast('x' as integer) as n"
    )
    target.run("2024-01-20", code=1)
    (target.root / "models" / "broken.sql").unlink()
    target.run("2024-01-20")
    assert target.transitions("2024-01-20") == T2_EXPECTED


def test_select_compares_and_moves_only_the_selected_milestones(target):
    target.load(PHASE1)
    target.run("2024-01-10", "--select", "engaged")  # a baseline still records every milestone
    target.load(PHASE1, PHASE2)
    out = target.run("2024-01-20", "--select", "onboarded")
    # onboarded's dependency signed_up is evaluated but not compared
    assert {r[:3] for r in target.transitions("2024-01-20")} == {
        ("a3", "onboarded", "progressed"),
        ("a4", "onboarded", "completed"),
        ("a2", "onboarded", "overdue"),
    }
    assert "signed_up" not in out.split("Changes since")[1]
    assert target.rows("SELECT DISTINCT milestone FROM milestone_history WHERE as_of = TIMESTAMP '2024-01-20'") == [
        ("onboarded",)
    ]
    target.load(PHASE1, PHASE2, PHASE3)
    target.run("2024-01-30")
    got = target.transitions("2024-01-30")
    # signed_up and engaged are compared with T1 (their bases did not move), onboarded with T2
    assert {r[:3] for r in got} == {
        ("a3", "signed_up", "completed"),
        ("a3", "onboarded", "overdue"),  # due 01-22
        ("a2", "engaged", "regressed"),  # a1: complete at T1 and again at T3, no change
    }
    prev = target.rows(
        "SELECT milestone, max(previous_as_of) FROM milestone_transitions"
        " WHERE as_of = TIMESTAMP '2024-01-30' GROUP BY 1"
    )
    assert dict(prev) == {
        "signed_up": datetime(2024, 1, 10),
        "engaged": datetime(2024, 1, 10),
        "onboarded": datetime(2024, 1, 20),
    }


def test_a_changed_spec_reports_new_milestones_and_forgets_removed_ones(target):
    target.load(PHASE1)
    target.run("2024-01-10")
    changed = SPEC.replace(
        "  - name: engaged", "  - name: invited\n    criteria: [{event: invite}]\n  - name: engaged_old"
    )
    changed = changed.split("  - name: engaged_old")[0]  # engaged removed, invited added
    write_project(target.root, changed)
    target.load(PHASE1, PHASE2)
    target.run("2024-01-20")
    got = target.transitions("2024-01-20")
    assert {r for r in got if r[1] == "invited"} == {
        ("a1", "invited", "completed", 0.0, 1.0, "1", datetime(2024, 1, 3)),
        ("a2", "invited", "completed", 0.0, 1.0, "1", datetime(2024, 1, 15)),
        ("a4", "invited", "completed", 0.0, 1.0, "1", datetime(2024, 1, 8)),
    }
    assert not [r for r in got if r[1] == "engaged"]
    # a new milestone is compared with the baseline run
    (first, t1), _ = target.successful_runs()
    assert target.rows(
        "SELECT DISTINCT previous_run_id, previous_as_of FROM milestone_transitions WHERE milestone = 'invited'"
    ) == [(first, t1)]


def test_entities_that_disappear_are_compared_as_incomplete(target):
    target.load(PHASE1)
    target.run("2024-01-10")
    target.load([e for e in PHASE1 if e[3] != "a1"])  # a1's events deleted upstream
    target.run("2024-01-20")
    got = {r for r in target.transitions("2024-01-20") if r[0] == "a1"}
    assert got == {
        ("a1", "signed_up", "lost", 1.0, 0.0, "", None),
        ("a1", "onboarded", "lost", 1.0, 0.0, "", None),
        ("a1", "engaged", "lost", 1.0, 0.0, "", None),
    }
    assert target.rows("SELECT DISTINCT account_id FROM milestone_transitions WHERE entity_id = 'a1'") == [("a1",)]


def test_on_snowflake_a_run_failing_while_recording_adds_nothing(tmp_path, monkeypatch):
    """fakesnow: the record (transitions, history, bases, the run's row) is one DML
    transaction; a failure inside it rolls all of it back."""
    import snowflake.connector

    from compiler.cli import parse_as_of
    from compiler.errors import RunError
    from compiler.project import Project
    from compiler.warehouse import tracking
    from compiler.warehouse.runner import run_project

    with fakesnow_events(tmp_path, PHASE1) as append:
        con = snowflake.connector.connect(database="db", schema="ms")
        cur = con.cursor()
        write_project(tmp_path, SPEC, "source:\n  events: db.raw.events\n")
        (tmp_path / "profiles.yml").write_text(SNOWFLAKE_PROFILE)

        def run(as_of: str) -> None:
            run_project(Project(tmp_path, as_of=parse_as_of(as_of)), lambda _: None)["adapter"].close()

        def record() -> dict[str, list[tuple[object, ...]]]:
            tables = ("milestone_transitions", "milestone_history", "_ms_comparison_base")
            return {t: sorted(cur.execute(f"SELECT * FROM db.ms.{t}").fetchall(), key=repr) for t in tables}

        run("2024-01-10")
        append(PHASE2)
        before = record()
        real = tracking.Tracker.after_success
        monkeypatch.setattr(
            tracking.Tracker,
            "after_success",
            lambda self, r: [*real(self, r), "SELECT no_such_column FROM db.ms.milestone_runs"],
        )
        with pytest.raises(RunError):
            run("2024-01-20")
        monkeypatch.undo()
        assert record() == before
        statuses = [s for (s,) in cur.execute("SELECT status FROM db.ms.milestone_runs ORDER BY started_at").fetchall()]
        assert statuses == ["success", "error"]
        run("2024-01-20")
        got = cur.execute("SELECT entity_id, milestone, transition FROM db.ms.milestone_transitions").fetchall()
        assert set(got) == {r[:3] for r in T2_EXPECTED}
        con.close()
