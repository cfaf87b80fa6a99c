"""`milestones explain` and `milestones events` on the example project (a small sample)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import copy_example

from compiler.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("example")
    copy_example(root)
    result = CliRunner().invoke(
        main, ["run", "--project-dir", str(root), "--as-of", "2026-06-30", "--vars", "{sample_accounts: 150}"]
    )
    assert result.exit_code == 0, result.output
    return root


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--project-dir", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def one(root: Path, sql: str) -> tuple[object, ...]:
    con = duckdb.connect(str(root / "milestones.duckdb"), read_only=True)
    try:
        row = con.execute(sql).fetchone()
        assert row is not None
        return row
    finally:
        con.close()


def block(out: str, cid: str) -> str:
    """The lines of one criterion in explain's output (to the next criterion line)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"\s+(met|NOT MET)\s+{re.escape(cid)}\s", line))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"\s+(met|NOT MET)\s+\d", lines[i])), len(lines))
    return "\n".join(lines[start:end])


def test_explain_lists_as_many_events_as_the_criterion_counted(example):
    # pql criterion 3: admin invites with 2+ seats, counted without a window
    account, value = one(
        example,
        "SELECT entity_id, value FROM milestone_criteria WHERE milestone = 'pql' AND criterion_id = '3'"
        " AND value >= 2 ORDER BY value DESC, entity_id LIMIT 1",
    )
    code, out = invoke(example, "explain", "--account", str(account), "--milestone", "pql", "--limit", "1000")
    assert code == 0, out
    assert out.startswith(f"account {account}, as_of 2026-06-30 00:00:00")
    text = block(out, "3")
    assert f"value {int(value)} / 1" in text
    assert f"{int(value)} qualifying event(s):" in text
    listed = [line for line in text.splitlines() if re.match(r"\s+\d{4}-\d\d-\d\d", line)]
    assert len(listed) == int(value)
    assert sorted(listed, reverse=True) == listed  # newest first
    # --limit caps the list, the count stays
    code, out = invoke(example, "explain", "--account", str(account), "--milestone", "pql", "--limit", "1")
    assert f"{int(value)} qualifying event(s), newest 1:" in block(out, "3")


def test_explain_puts_unmet_criteria_first_and_explains_contacts(example):
    account, = one(example, "SELECT entity_id FROM milestone_state WHERE milestone = 'pql' AND NOT is_complete"
                            " AND criteria_met > 0 ORDER BY entity_id LIMIT 1")  # fmt: skip
    code, out = invoke(example, "explain", "--account", str(account), "--milestone", "pql")
    assert code == 0, out
    marks = [m.group(1) for m in re.finditer(r"^  (met|NOT MET) ", out, re.M)]
    assert "NOT MET" in marks and marks == sorted(marks, key=lambda m: m != "NOT MET")
    (contact,) = one(
        example, "SELECT entity_id FROM milestone_state WHERE milestone = 'activated_user' AND is_complete LIMIT 1"
    )
    code, out = invoke(example, "explain", "--contact", str(contact))
    assert code == 0 and "activated_user (Activated User): complete since" in out and "signed_up" in out


def test_explain_refuses_what_it_cannot_answer(example):
    assert invoke(example, "explain", "--account", "nobody")[0] == 2
    assert invoke(example, "explain")[0] == 2
    code, out = invoke(example, "explain", "--account", "acct_00001", "--milestone", "signed_up")
    assert code == 2 and "a milestone of the contact level" in out
    code, out = invoke(example, "explain", "--account", "acct_00001", "--as-of", "2026-01-01")
    assert code == 2 and "the tables hold as_of 2026-06-30" in out


def test_events_lists_types_counts_and_property_keys(example):
    code, out = invoke(example, "events")
    assert code == 0, out
    n, first = one(example, "SELECT count(*), min(occurred_at) FROM stg_events WHERE event_name = 'invited_user'")
    line = next(line for line in out.splitlines() if line.strip().startswith("invited_user "))
    assert f"{n:,}" in line and str(first)[:19] in line and line.rstrip().endswith("yes")
    after = out.split(line)[1].splitlines()[1:]
    end = next((i for i, x in enumerate(after) if not x.startswith("      ")), len(after))
    keys = "\n".join(after[:end])
    for key in ("role", "seats", "email", "plan"):
        assert re.search(rf"^\s+{key}\s+[\d,]+ set", keys, re.M), (key, keys)
    assert "viewed_dashboard" in out  # also types no milestone reads
