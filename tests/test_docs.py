"""The documentation stands alone and says what is built: every column the reference's table
of output tables names exists in the tables a run builds, and every relative link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from click.testing import CliRunner
from conftest import copy_example

from compiler.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def documented_columns() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "reference.md").read_text()
    section = text.split("## Output tables", 1)[1].split("\n## ", 1)[0]
    out: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([a-z_]+)`", cells[0])
        # values and explanations sit in parentheses; column names outside them
        columns = [c for c in re.findall(r"`([^`]+)`", re.sub(r"\([^()]*\)", "", cells[2])) if "<" not in c]
        for name in names:
            out[name] = columns
    return out


def test_every_documented_column_exists_in_the_built_tables(tmp_path):
    copy_example(tmp_path)
    args = ["--project-dir", str(tmp_path), "--as-of", "2026-06-30", "--vars", "{sample_accounts: 60}"]
    result = CliRunner().invoke(main, ["run", *args])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(tmp_path / "milestones.duckdb"), read_only=True)
    documented = documented_columns()
    assert len(documented) == 12, sorted(documented)
    for table, columns in documented.items():
        actual = [r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()]
        if table.endswith("_milestones"):
            # the per-milestone columns are documented as patterns: the fixed ones in order
            actual = [c for c in actual if not re.search(r"_(progress|completed_at|is_overdue)$", c)]
        assert columns == actual, table
    con.close()


def test_the_documented_columns_are_the_descriptions_the_warehouse_gets():
    """docs/reference.md and compiler/columns.py (comments, manifest) name the same columns."""
    from compiler.sql import columns

    for table, documented in documented_columns().items():
        if table.endswith("_milestones"):
            continue
        assert documented == list(columns.TABLES[table][1]), table


def test_the_docs_stand_alone():
    for doc in DOCS:
        text = doc.read_text()
        assert "../shared" not in text and "SPEC.md" not in text, doc.name
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if target.startswith("http"):
                continue
            assert (doc.parent / target).exists(), (doc.name, target)


def test_the_readme_shows_the_editor_modeline_and_stays_short():
    readme = (ROOT / "README.md").read_text()
    assert "# yaml-language-server: $schema=" in readme
    assert len(readme.splitlines()) < 200


def test_the_readme_example_is_a_valid_spec(tmp_path):
    """The YAML shown in the README validates (with the milestones it refers to)."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## A milestone in YAML", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    stubs = (
        "  - name: trial_started\n    criteria: [{event: signed_up}]\n"
        "  - name: activated_user\n    level: contact\n    criteria: [{event: created_task}]\n"
    )
    (tmp_path / "milestones").mkdir()
    (tmp_path / "milestones" / "spec.yml").write_text(block + stubs)
    (tmp_path / "milestones" / "source.yml").write_text("source:\n  events: raw.events\n")
    result = CliRunner().invoke(main, ["validate", "--project-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
