"""The Dagster example of docs/orchestration.md, executed: it runs `milestones run` on the
example project and turns run_results.json into asset metadata."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import copy_example

ROOT = Path(__file__).resolve().parents[1]


def test_the_dagster_asset_of_the_docs_materializes(tmp_path, monkeypatch):
    dg = pytest.importorskip("dagster", reason="dagster is not installed (it is in the dev extra)")
    copy_example(tmp_path)
    monkeypatch.setenv("MILESTONES_PROJECT_DIR", str(tmp_path))
    monkeypatch.setenv("MILESTONES_BIN", str(Path(sys.executable).with_name("milestones")))
    monkeypatch.setenv("MILESTONES_ARGS", "--as-of 2026-06-30 --vars '{sample_accounts: 60}'")
    spec = importlib.util.spec_from_file_location("dagster_assets", ROOT / "docs" / "examples" / "dagster_assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = dg.materialize([module.milestone_tables], instance=dg.DagsterInstance.ephemeral())
    assert result.success
    materialized = result.asset_materializations_for_node("milestone_tables")[0]
    meta = materialized.metadata
    assert meta["as_of"].value == "2026-06-30T00:00:00"
    assert meta["rows"].data["account_milestones"] == 60
    assert meta["statements"].value > 20
