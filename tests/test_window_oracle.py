"""Randomized scenarios checked against a brute-force oracle that evaluates the window
measure at every half-minute instant (events fall on whole minutes, so every change of
f happens at a minute or just after one). A different method from the compiled SQL's
change-point running sums, so agreement is evidence, not tautology."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from conftest import ev

START = datetime(2024, 1, 1)
D = 90  # minutes
CRITERIA = [  # (criterion yaml, measure, threshold, window kind)
    ("{event: x, at_least: 3, window: {last: 90m}}", "count", 3, "last"),
    ("{event: x, at_least: 3, window: {any: 90m}}", "count", 3, "any"),
    ("{event: x, sum: v, at_least: 9, window: {last: 90m}}", "sum", 9, "last"),
    ("{event: x, sum: v, at_least: 9, window: {any: 90m}}", "sum", 9, "any"),
    ("{event: x, distinct: page, at_least: 2, window: {last: 90m}}", "distinct", 2, "last"),
    ("{event: x, at_least: 4}", "count", 4, None),
    ("{event: x, sum: v, at_least: 12}", "sum", 12, None),
    ("{event: x, distinct: page, at_least: 3}", "distinct", 3, None),
]


def measure(kind: str, rows: list[tuple[float, int, str]]) -> float:
    if kind == "count":
        return len(rows)
    if kind == "sum":
        return sum(v for _, v, _ in rows if v > 0)
    return len({p for _, _, p in rows})


def oracle(kind: str, thr: float, window: str | None, rows: list[tuple[float, int, str]], as_of: float):
    rows = sorted(r for r in rows if r[0] <= as_of)
    times = sorted({r[0] for r in rows})

    def f(t: float) -> float:
        return measure(kind, [r for r in rows if t - D <= r[0] <= t])

    if window is None:
        value = measure(kind, rows)
        met = next((t for t in times if measure(kind, [r for r in rows if r[0] <= t]) >= thr), None)
        return value, met
    if window == "any":
        spans = [f(t) for t in times]
        value = max(spans, default=0)
        met = next((t for t in times if f(t) >= thr), None)
        return value, met
    value = f(as_of)
    if value < thr:
        return value, None
    t = as_of
    while t - 0.5 >= 0 and f(t - 0.5) >= thr:
        t -= 0.5
    return value, t


@pytest.mark.parametrize("seed", range(12))
def test_windows_agree_with_brute_force(build, seed):
    rnd = random.Random(seed)
    events, truth = [], {}
    for account in ("a1", "a2", "a3"):
        n = rnd.randint(0, 14)
        rows = []
        for _ in range(n):
            minute = rnd.choice([rnd.randint(0, 600), rnd.randint(0, 60) * 10])  # clustered, with ties
            value = rnd.choice([-2, 1, 2, 3, 5])
            page = rnd.choice("abcd")
            rows.append((float(minute), value, page))
            ts = (START + timedelta(minutes=minute)).isoformat(sep=" ")
            events.append(ev("x", ts, user=f"{account}_u", account=account, props={"v": value, "page": page}))
        truth[account] = rows
    as_of_minute = rnd.randint(200, 700)
    as_of = (START + timedelta(minutes=as_of_minute)).isoformat(sep=" ")
    spec = "milestones:\n  - name: m\n    criteria:\n" + "".join(f"      - {c}\n" for c, *_ in CRITERIA)
    b = build(spec, events + [ev("seen", "2024-01-01", user="z", account=a) for a in truth], as_of=as_of)
    for account, rows in truth.items():
        got = b.criteria(account, "m")
        for i, (_, kind, thr, window) in enumerate(CRITERIA, 1):
            value, met = oracle(kind, thr, window, rows, float(as_of_minute))
            expected_met = START + timedelta(minutes=met) if met is not None else None
            g = got[str(i)]
            assert (float(g[0]), g[4]) == (float(value), expected_met), (
                f"seed {seed} {account} criterion {i} ({kind}, {window})"
            )
