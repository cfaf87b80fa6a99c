"""`milestones report` opened in a real browser (Debian's chromium, headless, through
playwright): no console errors, every chart rendered as a non-empty SVG, no network
request; a screenshot is written under the test's folder and its path printed."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SCREENSHOTS, copy_example

from compiler.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("MILESTONES_REQUIRE_BROWSER") == "1"  # .ci/run installs chromium


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    copy_example(root)
    for as_of in ("2026-05-31", "2026-06-30"):  # two runs: milestone_history has a trend
        args = ["run", "--project-dir", str(root), "--as-of", as_of, "--vars", "{sample_accounts: 400}"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    return root


def test_report_is_self_contained_and_small(built):
    result = CliRunner().invoke(main, ["report", "--project-dir", str(built)])
    assert result.exit_code == 0, result.output
    page = (built / "target" / "report.html").read_text()
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert not re.search(r"(src|href)=[\"']?https?:", page)
    for text in (
        "Funnel plg",
        "Conversion by cohort",
        "Time in each step",
        "Stalled",
        "Who is close",
        "Milestone dependencies",
        "Over time",
    ):
        assert text in page, text
    assert re.search(r"\d+\.\d %", page) is None  # percentages are written 40.2%, not 40.2 %
    assert re.search(r"\d+\.\d d<", page)  # durations in days
    assert len(page) < 1_500_000


def test_report_renders_in_a_headless_browser(built, tmp_path):
    if CHROMIUM is None:
        if REQUIRED:
            pytest.fail("chromium is required (MILESTONES_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium not installed (.ci/run installs Debian's chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--project-dir", str(built), "--out", str(out)])
    assert result.exit_code == 0, result.output
    errors: list[str] = []
    requests: list[str] = []
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        t = time.perf_counter()
        page.goto(out.as_uri())
        page.wait_for_load_state("load")
        seconds = time.perf_counter() - t
        charts = page.eval_on_selector_all(
            ".chart svg",
            "els => els.map(e => { const b = e.getBoundingClientRect();"
            " return {w: b.width, h: b.height, marks: e.querySelectorAll('path, rect, circle, line, text').length}; })",
        )
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    SCREENSHOTS.append(f"{shot} (loaded in {seconds:.2f}s)")
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert len(charts) >= 9  # 2 funnels x (steps, cohorts, time in step), distribution, history, graph
    assert all(c["w"] > 50 and c["h"] > 50 and c["marks"] > 5 for c in charts), charts
    assert shot.stat().st_size > 50_000
