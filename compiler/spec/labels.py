"""criterion_label: the readable text of each criterion in milestone_criteria (SPEC §7
leaves the words to us). Durations are written as 30d / 12h / 90m."""

from __future__ import annotations

from compiler.spec import ir


def duration_text(seconds: int) -> str:
    """30d, 12h, 90m, 45s: the largest unit that divides the duration."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _number(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def _measure_text(c: ir.EventCriterion) -> str:
    measure = {"count": "", "distinct": f"distinct {c.measure_of} of ", "sum": f"sum {c.measure_of} of "}[c.measure]
    text = measure + " | ".join(c.events)
    if c.filters:
        text += " (" + ", ".join(f"{f.prop} {f.op} {', '.join(str(v) for v in f.values)}" for f in c.filters) + ")"
    return text


def criterion_label(c: ir.Criterion) -> str:
    """A readable text per criterion (SPEC §7 leaves the words to us), e.g.
    `invited_user (role eq admin) >= 2`, `sales_call >= 5 per week, 4 weeks running`,
    `invite_accepted / invite_sent >= 70% (n >= 10)`, `created_task 30d / previous 30d >= 1.2`."""
    if isinstance(c, ir.Group):
        return f"{c.kind} of {len(c.children)}"
    if isinstance(c, ir.MilestoneCriterion):
        return f"milestone {c.milestone}" + (f" >= {c.threshold} contacts" if c.threshold != 1 else "")
    if isinstance(c, ir.RateCriterion):
        text = f"{_measure_text(c.numerator)} / {_measure_text(c.denominator)} >= {c.threshold:.4g}"
        if c.threshold <= 1:
            text = f"{_measure_text(c.numerator)} / {_measure_text(c.denominator)} >= {c.threshold * 100:.4g}%"
        text += f" (n >= {_number(c.min_denominator)})"
        return text + (f" in last {duration_text(c.window_seconds)}" if c.window_seconds else "")
    if c.growth is not None:
        span = duration_text(c.growth.seconds)
        return (
            f"{_measure_text(c)} {span} / previous {span} >= {_number(c.threshold)}"
            f" (previous >= {_number(c.growth.min_previous)})"
        )
    text = f"{_measure_text(c)} >= {_number(c.threshold)}"
    if c.every is not None:
        r = c.every
        text += f" per {r.every}"
        if r.periods > 1:
            text += f", {r.periods} {r.every}s running"
        return text + (" (ongoing)" if r.ongoing else "")
    if c.window:
        w = c.window
        if w.kind == "after":
            text += f" after {w.anchor}" + (f" within {duration_text(w.seconds)}" if w.seconds else "")
        else:
            text += f" in {w.kind} {duration_text(w.seconds or 0)}"
    return text
