"""`milestones report`: one self-contained HTML file (no script, no network): charts are
Vega-Lite specifications rendered to inline SVG by vl-convert, each beside a table of the
same numbers. The data comes from `report_data` (aggregates of the output tables)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from compiler.commands.report_data import BUCKET_DAYS, DAY, FunnelData, ReportData
from compiler.errors import Problem, ProjectError
from compiler.project import Project

# one colour per milestone (by order), the same in every chart (Tableau 10, then greys)
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "Helvetica, Arial, sans-serif"


def pct(x: Any) -> str:
    return "-" if x is None else f"{float(x):.1%}"


def duration(seconds: Any) -> str:
    """3.2 d, 5.0 h, 12 min, 45 s."""
    if seconds is None:
        return "-"
    s = float(seconds)
    for unit, size in (("d", DAY), ("h", 3600), ("min", 60)):
        if abs(s) >= size:
            return f"{s / size:.1f} {unit}" if unit != "min" else f"{s / size:.0f} {unit}"
    return f"{s:.0f} s"


def number(x: Any) -> str:
    return "-" if x is None else f"{int(x):,}"


def _svg(spec: dict[str, Any]) -> str:
    try:
        import vl_convert as vlc
    except ImportError:
        raise ProjectError(
            [Problem("report", None, "the report needs vl-convert: pip install 'milestone-compiler[report]'")]
        ) from None
    full = {
        "$schema": SCHEMA,
        "config": {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 12}},
        **spec,
    }
    svg: str = vlc.vegalite_to_svg(full)
    return svg


def _table(headers: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i >= numeric_from else ''}>{html.escape(c)}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(title: str, svg: str, table: str, note: str = "") -> str:
    caption = f"<p class=note>{html.escape(note)}</p>" if note else ""
    return (
        f"<section class=figure><h3>{html.escape(title)}</h3>{caption}<div class=pair>"
        f"<div class=chart>{svg}</div><div class=table>{table}</div></div></section>"
    )


def _colors(data: ReportData) -> tuple[list[str], list[str]]:
    names = [r["milestone"] for r in data.summary]
    return names, [PALETTE[i % len(PALETTE)] for i in range(len(names))]


def _step_label(r: dict[str, Any]) -> str:
    return f"{r['step']}. {r['milestone']}"


def funnel_section(f: FunnelData, data: ReportData) -> str:
    names, colors = _colors(data)
    parts = [
        f"<h2 id='funnel-{html.escape(f.name)}'>Funnel {html.escape(f.name)} <span class=level>({f.level}s)</span></h2>"
    ]
    values = [
        {"step": _step_label(r), "entities": int(r["entities"] or 0), "overall": pct(r["overall_rate"]), "milestone": r["milestone"]}
        for r in f.steps
    ]  # fmt: skip
    bars = {
        "width": 460,
        "height": max(40 * len(values), 80),
        "data": {"values": values},
        "encoding": {
            "y": {"field": "step", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "entities", "type": "quantitative", "title": f"{f.level}s that completed the step"},
        },
        "layer": [
            {"mark": {"type": "bar", "cornerRadiusEnd": 2},
             "encoding": {"color": {"field": "milestone", "scale": {"domain": names, "range": colors}, "legend": None}}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11}, "encoding": {"text": {"field": "overall"}}},
        ],
    }  # fmt: skip
    rows = [
        [_step_label(r), number(r["entities"]), number(r["converted"]), pct(r["conversion_rate"]), pct(r["overall_rate"]),
         duration(r["median_seconds_from_previous"]), duration(r["p90_seconds_from_previous"])]
        for r in f.steps
    ]  # fmt: skip
    table = _table(
        ["step", "entities", "converted", "conversion", "overall", "median from prev.", "p90 from prev."], rows
    )
    parts.append(
        _figure("Steps", _svg(bars), table, "Bars: entities that completed each step; labels: share of step 1.")
    )
    if f.cohorts:
        parts.append(_cohorts(f))
    if f.buckets:
        parts.append(_time_in_step(f))
    parts.append(_stalled(f))
    return "<section class=funnel>" + "".join(parts) + "</section>"


MAX_COHORTS = 24  # the most recent ones: a heat map taller than that is not read


def _cohorts(f: FunnelData) -> str:
    starts = sorted({str(r["cohort_start"])[:10] for r in f.cohorts})
    shown = set(starts[-MAX_COHORTS:])
    values = [
        {"cohort": str(r["cohort_start"])[:10], "step": _step_label(r), "rate": float(r["overall_rate"] or 0), "label": pct(r["overall_rate"])}
        for r in f.cohorts if str(r["cohort_start"])[:10] in shown
    ]  # fmt: skip
    steps = [_step_label(r) for r in f.steps]
    heat = {
        "width": 60 * len(steps),
        "height": {"step": 18},
        "data": {"values": values},
        "encoding": {
            "x": {"field": "step", "type": "ordinal", "sort": steps, "title": None, "axis": {"labelAngle": -30}},
            "y": {"field": "cohort", "type": "ordinal", "title": "cohort (step 1 completed in)"},
        },
        "layer": [
            {"mark": "rect", "encoding": {"color": {"field": "rate", "type": "quantitative", "title": "of the cohort",
                                                     "scale": {"scheme": "blues", "domain": [0, 1]}, "legend": {"format": ".0%"}}}},
            {"mark": {"type": "text", "fontSize": 9},
             "encoding": {"text": {"field": "label"}, "color": {"condition": {"test": "datum.rate > 0.6", "value": "white"}, "value": "black"}}},
        ],
    }  # fmt: skip
    by_cohort: dict[str, dict[str, str]] = {}
    for v in values:
        by_cohort.setdefault(str(v["cohort"]), {})[str(v["step"])] = str(v["label"])
    rows = [[c, *[cells.get(s, "-") for s in steps]] for c, cells in by_cohort.items()]
    return _figure(
        "Conversion by cohort", _svg(heat), _table(["cohort", *steps], rows),
        "Share of each cohort (entities that completed step 1 in that period) that completed each step."
        + (f" The latest {MAX_COHORTS} of {len(starts)} cohorts." if len(starts) > MAX_COHORTS else ""),
    )  # fmt: skip


def _time_in_step(f: FunnelData) -> str:
    charts = []
    rows = []
    for r in f.steps[:-1]:
        step = int(r["step"])
        mine = [b for b in f.buckets if int(b["step"]) == step]
        if not mine:
            continue
        q = f.quantiles.get(step, {})
        bars = []
        for b in mine:
            i = int(b["bucket"])
            lo = BUCKET_DAYS[i]
            hi = BUCKET_DAYS[i + 1] if i + 1 < len(BUCKET_DAYS) else BUCKET_DAYS[-1] * 1.5
            bars.append({"lo": lo, "hi": hi, "entities": int(b["entities"])})
        marks = [
            {"days": float(v) / DAY, "what": f"{label} {duration(v)}"}
            for k, label in (("p50", "p50"), ("p90", "p90"), ("threshold", "stalled after"))
            if (v := q.get(k)) is not None
        ]
        layer: list[dict[str, Any]] = [
            {"data": {"values": bars}, "mark": {"type": "rect", "color": PALETTE[0], "opacity": 0.8},
             "encoding": {"x": {"field": "lo", "type": "quantitative", "title": f"days in {r['milestone']} before the next step",
                                "scale": {"type": "sqrt"}},
                          "x2": {"field": "hi"}, "y": {"field": "entities", "type": "quantitative", "title": "entities"}}},
        ]  # fmt: skip
        if marks:
            layer.append(
                {"data": {"values": marks}, "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#333"},
                 "encoding": {"x": {"field": "days", "type": "quantitative"}}}
            )  # fmt: skip
            layer.append(
                {"data": {"values": marks}, "mark": {"type": "text", "angle": 270, "align": "left", "dx": 4, "dy": -4, "fontSize": 10},
                 "encoding": {"x": {"field": "days", "type": "quantitative"}, "y": {"value": 0}, "text": {"field": "what"}}}
            )  # fmt: skip
        charts.append(
            {
                "title": {"text": f"{_step_label(r)}", "anchor": "start", "fontSize": 12},
                "width": 460,
                "height": 110,
                "layer": layer,
            }
        )
        exited = sum(b["entities"] for b in bars)
        rows.append([_step_label(r), number(exited), duration(q.get("p50")), duration(q.get("p90")),
                     duration(q.get("threshold")) + (" (expected)" if q.get("expected") else " (p75)")])  # fmt: skip
    if not charts:
        return ""
    spec = {"vconcat": charts, "resolve": {"scale": {"x": "independent"}}}
    return _figure(
        "Time in each step", _svg(spec), _table(["step", "left it", "p50", "p90", "stalled after"], rows),
        "Entities that moved on, by days spent in the step; dashed: p50, p90 and the stalled threshold.",
    )  # fmt: skip


def _stalled(f: FunnelData) -> str:
    if not f.stalled:
        return "<section class=figure><h3>Stalled</h3><p class=note>No entity is stalled in this funnel.</p></section>"
    rows = [
        [str(r["entity_id"]), _step_label(r), str(r["entered_at"])[:16], duration(r["seconds_in_step"])]
        for r in f.stalled
    ]
    more = f" (the {len(f.stalled)} longest of {f.stalled_total:,})" if f.stalled_total > len(f.stalled) else ""
    return (
        f"<section class=figure><h3>Stalled{more}</h3><p class=note>Current in a step longer than allowed"
        " (expected, else the 75th percentile of those who left it).</p>"
        + _table([f"{f.level}", "current milestone", "entered", "time in step"], rows, numeric_from=3)
        + "</section>"
    )


def distribution_section(data: ReportData) -> str:
    if not data.distribution:
        return ""
    names, _ = _colors(data)
    totals: dict[str, int] = {}
    for r in data.distribution:
        totals[r["milestone"]] = totals.get(r["milestone"], 0) + int(r["entities"])
    values = [
        {"milestone": r["milestone"], "criteria_met": int(r["criteria_met"]), "share": int(r["entities"]) / totals[r["milestone"]],
         "label": pct(int(r["entities"]) / totals[r["milestone"]])}
        for r in data.distribution if totals[r["milestone"]]
    ]  # fmt: skip
    order = [n for n in names if n in totals]
    spec = {
        "width": 460,
        "height": {"step": 22},
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "milestone", "type": "nominal", "sort": order, "title": None},
            "x": {"field": "share", "type": "quantitative", "stack": "normalize", "title": "entities not yet complete",
                  "axis": {"format": ".0%"}},
            "color": {"field": "criteria_met", "type": "ordinal", "title": "criteria met", "scale": {"scheme": "greens"}},
            "order": {"field": "criteria_met"},
        },
    }  # fmt: skip
    rows = []
    for name in order:
        mine = sorted((v for v in values if v["milestone"] == name), key=lambda v: v["criteria_met"])
        rows.append([name, number(totals[name]), ", ".join(f"{v['criteria_met']}: {v['label']}" for v in mine)])
    return _figure(
        "Who is close: criteria met by entities not yet in each milestone", _svg(spec),
        _table(["milestone", "not complete", "criteria met: share"], rows, numeric_from=1),
        "For example, of the accounts not yet PQL, the share that meets 0, 1, 2, ... of its criteria.",
    )  # fmt: skip


def graph_section(p: Project, data: ReportData) -> str:
    """Milestones placed by dependency depth (left to right), an arrow per dependency."""
    depth: dict[str, int] = {}
    deps: dict[str, list[str]] = {}
    for src, dst, _ in data.dependencies:
        deps.setdefault(dst, []).append(src)

    def d(name: str, seen: tuple[str, ...] = ()) -> int:
        if name not in depth:
            depth[name] = 0 if name in seen else 1 + max((d(s, (*seen, name)) for s in deps.get(name, [])), default=-1)
        return depth[name]

    nodes = []
    per_depth: dict[int, int] = {}
    for m in p.spec.milestones:
        k = d(m.name)
        nodes.append({"name": m.name, "x": k, "y": per_depth.get(k, 0), "level": m.level})
        per_depth[k] = per_depth.get(k, 0) + 1
    at = {n["name"]: n for n in nodes}
    edges = [{"x": at[s]["x"], "y": at[s]["y"], "x2": at[t]["x"], "y2": at[t]["y"], "kind": k}
             for s, t, k in data.dependencies if s in at and t in at]  # fmt: skip
    width = 140 * (max(per_depth) + 1) if per_depth else 140
    spec = {
        "width": width,
        "height": 46 * max(per_depth.values(), default=1),
        "layer": [
            {"data": {"values": edges}, "mark": {"type": "rule", "color": "#999"},
             "encoding": {"x": {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [-0.3, max(per_depth, default=0) + 0.7]}},
                          "y": {"field": "y", "type": "quantitative", "axis": None, "scale": {"reverse": True}},
                          "x2": {"field": "x2"}, "y2": {"field": "y2"},
                          "strokeDash": {"field": "kind", "title": "dependency", "scale": {"domain": ["criterion", "window", "due"], "range": [[1, 0], [4, 2], [1, 2]]}}}},
            {"data": {"values": nodes}, "mark": {"type": "circle", "size": 160},
             "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                          "color": {"field": "level", "type": "nominal", "scale": {"domain": ["account", "contact"], "range": [PALETTE[0], PALETTE[1]]}}}},
            {"data": {"values": nodes}, "mark": {"type": "text", "dy": -12, "fontSize": 11},
             "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}, "text": {"field": "name"}}},
        ],
    }  # fmt: skip
    rows = [
        [str(t), ", ".join(f"{s} ({k})" for s, tt, k in data.dependencies if tt == t) or "-"]
        for t in [n["name"] for n in nodes]
    ]
    return _figure("Milestone dependencies", _svg(spec), _table(["milestone", "depends on"], rows, numeric_from=9),
                   "Left to right by dependency depth; solid: a milestone criterion, dashed: a window anchor, dotted: a due date.")  # fmt: skip


def history_section(data: ReportData) -> str:
    runs = sorted({str(r["as_of"]) for r in data.history})
    if len(runs) < 2:
        return ""
    names, colors = _colors(data)
    values = [
        {"as_of": str(r["as_of"])[:19], "milestone": r["milestone"], "complete": int(r["complete"] or 0)}
        for r in data.history
    ]
    spec = {
        "width": 460,
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "as_of", "type": "temporal", "title": "run as_of"},
            "y": {"field": "complete", "type": "quantitative", "title": "entities in the milestone"},
            "color": {"field": "milestone", "scale": {"domain": names, "range": colors}},
        },
    }
    last = {r["milestone"]: r for r in data.history if str(r["as_of"]) == runs[-1]}
    rows = [[n, number(last[n]["complete"]) if n in last else "-"] for n in names]
    return _figure("Over time (milestone_history)", _svg(spec), _table(["milestone", f"at {runs[-1][:10]}"], rows),
                   f"{len(runs)} recorded runs.")  # fmt: skip


CSS = """
body{font-family:Helvetica,Arial,sans-serif;margin:24px 32px;color:#222;max-width:1400px}
h1{margin-bottom:0}h2{margin-top:40px;border-bottom:2px solid #4e79a7;padding-bottom:4px}
h3{margin:24px 0 4px}.level{color:#777;font-weight:normal;font-size:70%}.sub{color:#666;margin-top:4px}
.pair{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.chart svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #e4e4e4;text-align:left}
th{background:#f4f6f8}nav{margin:12px 0;font-size:14px}nav a{color:#4e79a7;text-decoration:none}td.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#666;font-size:13px;margin:2px 0 8px}
"""


def _nav(data: ReportData) -> str:
    links = [("milestones", "Milestones")] + [(f"funnel-{f.name}", f"Funnel {f.name}") for f in data.funnels if f.steps]
    links.append(("detail", "Milestones in detail"))
    return "<nav>" + " · ".join(f"<a href='#{html.escape(a)}'>{html.escape(t)}</a>" for a, t in links) + "</nav>"


def render(p: Project, data: ReportData) -> str:
    names, _ = _colors(data)
    summary_rows = [
        [r["milestone"], str(r["milestone_label"]), r["entity_level"], number(r["entities"]), number(r["complete"]),
         pct(r["complete"] / r["entities"] if r["entities"] else None), number(r["overdue"])]
        for r in data.summary
    ]  # fmt: skip
    body = [
        f"<h1>Milestones</h1><p class=sub>target {html.escape(p.target.name)} ({p.target.type}) · as_of "
        f"{html.escape(str(data.as_of))} · {len(names)} milestones · generated {datetime.utcnow():%Y-%m-%d %H:%M} UTC</p>",
        _nav(data),
        "<h2 id=milestones>Milestones</h2>",
        _table(
            ["milestone", "label", "level", "entities", "complete", "share", "overdue"], summary_rows, numeric_from=3
        ),
    ]
    body += [funnel_section(f, data) for f in data.funnels if f.steps]
    body.append("<h2 id=detail>Milestones in detail</h2>")
    body.append(distribution_section(data))
    body.append(history_section(data))
    body.append(graph_section(p, data))
    title = f"Milestones report: {p.target.name}"
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<meta name=viewport content='width=device-width, initial-scale=1'><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def write_report(p: Project, adapter: Any, out: Path, echo: Callable[[str], None]) -> Path:
    from compiler.commands.report_data import collect

    t = time.perf_counter()
    data = collect(p, adapter)
    if not data.summary:
        raise ProjectError(
            [Problem("report", None, f"target '{p.target.name}' has no milestone tables yet: run `milestones run`")]
        )
    page = render(p, data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    echo(f"Wrote {out} ({len(page) / 1024:.0f} KB) in {time.perf_counter() - t:.1f}s")
    return out
