"""SPEC §3-4 windows on DuckDB: `any: D` (sliding), `last: D` (trailing, met_at = start of
the current stretch), `after: M` with `within` — inclusive bounds, ties, anchors."""

from __future__ import annotations

from conftest import T, ev


def test_sliding_window_inclusive_bounds_ties_and_largest_span(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: m, at_least: 3, window: {any: 2d}}
          - {event: m, at_least: 4, window: {any: 2d}}
          - {event: m, at_least: 2, window: {any: 1d}}
          - {event: m, at_least: 2, window: {any: 23h}}
          - {event: pay, sum: amount, at_least: 25, window: {any: 1d}}
    """
    events = [
        ev("m", "2024-01-01 00:00"),
        ev("m", "2024-01-02 00:00"),
        ev("m", "2024-01-03 00:00"),  # [01-01, 01-03] holds 3: the bound 01-01 is inclusive
        ev("m", "2024-01-08 00:00"),
        ev("m", "2024-01-08 00:00"),  # tie
        ev("m", "2024-01-09 00:00"),
        ev("pay", "2024-01-01", props={"amount": 10}),
        ev("pay", "2024-01-05", props={"amount": 10}),
        ev("pay", "2024-01-06", props={"amount": 15}),
    ]
    b = build(spec, events)
    c = b.criteria("a1", "m")
    assert c["1"] == (3, 3, 1.0, True, T("2024-01-03"))
    assert c["2"] == (3, 4, 0.75, False, None)  # value = the largest span's count
    assert c["3"] == (3, 2, 1.0, True, T("2024-01-02"))  # exactly 1 day apart counts
    assert c["4"] == (2, 2, 1.0, True, T("2024-01-08"))  # 23h: only the tie makes 2
    assert c["5"] == (25, 25, 1.0, True, T("2024-01-06"))


def test_trailing_window_met_at_is_start_of_the_current_stretch(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: a, at_least: 2, window: {last: 10d}}
          - {event: b, at_least: 2, window: {last: 5d}}
          - {event: c, at_least: 2, window: {last: 10d}}
          - {event: d, at_least: 1, window: {last: 30d}}
          - {event: e, at_least: 2, window: {last: 10d}}
    """
    events = [
        # a: 2-in-10d holds on [02-15, 02-25] and again on [02-27, 02-28] -> met since 02-27
        ev("a", "2024-02-10"),
        ev("a", "2024-02-15"),
        ev("a", "2024-02-18"),
        ev("a", "2024-02-27"),
        # b (5d): [02-02, 02-06], then [02-25, 03-01]; as_of inside the second stretch
        ev("b", "2024-02-01"),
        ev("b", "2024-02-02"),
        ev("b", "2024-02-24"),
        ev("b", "2024-02-25"),
        # c: only 02-20 is in [02-18, 02-28]
        ev("c", "2024-02-10"),
        ev("c", "2024-02-15"),
        ev("c", "2024-02-20"),
        # d: never below 1 since the first event
        ev("d", "2024-02-01"),
        ev("d", "2024-02-10"),
        ev("d", "2024-02-20"),
        # e: held earlier, lapsed: not met now, value = events in [as_of - 10d, as_of]
        ev("e", "2024-02-01"),
        ev("e", "2024-02-02"),
        ev("e", "2024-02-19"),
    ]
    b = build(spec, events, as_of="2024-02-28")
    c = b.criteria("a1", "m")
    assert c["1"] == (2, 2, 1.0, True, T("2024-02-27"))  # 02-18 is exactly as_of - 10d: inclusive
    assert c["2"] == (2, 2, 1.0, True, T("2024-02-25"))
    assert c["3"] == (1, 2, 0.5, False, None)
    assert c["4"] == (3, 1, 1.0, True, T("2024-02-01"))
    assert c["5"] == (1, 2, 0.5, False, None)
    s = b.state("a1", "m")
    assert s["is_complete"] is False


def test_trailing_window_touching_stretches_merge(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: c, at_least: 2, window: {last: 5d}}
    """
    # 2-in-5d holds on [02-12, 02-15] (02-10 leaves just after 02-15) and from 02-15 (the
    # third event) to 02-17: the stretches touch at 02-15, so the stretch began 02-12.
    events = [ev("c", "2024-02-10"), ev("c", "2024-02-12"), ev("c", "2024-02-15")]
    b = build(spec, events, as_of="2024-02-16")
    assert b.crit("a1", "m") == (2, 2, 1.0, True, T("2024-02-12"))
    # one instant after 02-12 + 5d the criterion lapses
    b = build(spec, events, as_of="2024-02-17 00:00:01")
    assert b.crit("a1", "m") == (1, 2, 0.5, False, None)
    # a gap: 02-10, 02-12, 02-17 -> [02-12, 02-15], low, then [02-17, 02-17]
    events = [ev("c", "2024-02-10"), ev("c", "2024-02-12"), ev("c", "2024-02-17")]
    b = build(spec, events, as_of="2024-02-17")
    assert b.crit("a1", "m") == (2, 2, 1.0, True, T("2024-02-17"))


def test_trailing_sum_and_distinct(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: pay, sum: amount, at_least: 10, window: {last: 7d}}
          - {event: v, distinct: page, at_least: 2, window: {last: 5d}}
    """
    events = [
        # sum >= 10 on [02-05, 02-08], [02-11, 02-12], [02-14, 02-18]: met since 02-14
        ev("pay", "2024-02-01", props={"amount": 6}),
        ev("pay", "2024-02-05", props={"amount": 6}),
        ev("pay", "2024-02-11", props={"amount": 4}),
        ev("pay", "2024-02-14", props={"amount": 8}),
        # pages: a on [02-01, 02-11] (02-06 touches 02-01 + 5d), b on [02-03, 02-08] and
        # [02-14, ...], c from 02-12: two pages on [02-03, 02-08], then from 02-14
        ev("v", "2024-02-01", props={"page": "a"}),
        ev("v", "2024-02-03", props={"page": "b"}),
        ev("v", "2024-02-06", props={"page": "a"}),
        ev("v", "2024-02-12", props={"page": "c"}),
        ev("v", "2024-02-14", props={"page": "b"}),
    ]
    b = build(spec, events, as_of="2024-02-15")
    c = b.criteria("a1", "m")
    assert c["2"] == (2, 2, 1.0, True, T("2024-02-14"))
    b = build(spec, events, as_of="2024-02-18")  # 02-11 is exactly as_of - 7d: still in
    c = b.criteria("a1", "m")
    assert c["1"] == (12, 10, 1.0, True, T("2024-02-14"))
    b = build(spec, events, as_of="2024-02-18 00:00:01")
    assert b.crit("a1", "m", "1") == (8, 10, 0.8, False, None)
    b = build(spec, events, as_of="2024-02-07")
    c = b.criteria("a1", "m")
    assert c["1"] == (12, 10, 1.0, True, T("2024-02-05"))  # [01-31, 02-07] holds 6 + 6
    assert c["2"] == (2, 2, 1.0, True, T("2024-02-03"))


def test_anchored_window_within_is_inclusive_and_incomplete_anchor_gives_zero(build):
    spec = """
    milestones:
      - name: onboarded
        criteria: [{event: onb}]
      - name: pql
        criteria:
          - {event: search, at_least: 2, window: {after: onboarded, within: 2d}}
          - {event: search, at_least: 3, window: {after: onboarded}}
      - name: engaged
        level: contact
        criteria:
          - {event: search, at_least: 3, window: {after: onboarded}}
    """
    events = [
        ev("onb", "2024-01-10"),
        ev("search", "2024-01-09"),  # before the anchor
        ev("search", "2024-01-10"),  # at the anchor: counts
        ev("search", "2024-01-12"),  # exactly anchor + 2d: counts
        ev("search", "2024-01-12 00:00:01"),  # outside `within`, inside "up to as_of"
        ev("search", "2024-01-11", user="u2", account="a2"),  # a2 never onboarded
        ev("onb", "2024-01-10", user="u3", account="a3"),
        ev("search", "2024-01-11", user="u3", account="a3"),
    ]
    b = build(spec, events)
    assert b.crit("a1", "pql", "1") == (2, 2, 1.0, True, T("2024-01-12"))
    assert b.crit("a1", "pql", "2") == (3, 3, 1.0, True, T("2024-01-12 00:00:01"))
    assert b.crit("a2", "pql", "1") == (0, 2, 0.0, False, None)
    assert b.crit("a3", "pql", "1") == (1, 2, 0.5, False, None)
    # a contact criterion anchored on its account's milestone
    assert b.crit("u1", "engaged") == (3, 3, 1.0, True, T("2024-01-12 00:00:01"))
    assert b.crit("u2", "engaged") == (0, 3, 0.0, False, None)


def test_trailing_distinct_value_seen_exactly_d_apart_counts_once(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: v, distinct: page, at_least: 2, window: {last: 5d}}
    """
    # the second 'a' arrives exactly when the first would leave: one value, not two
    events = [ev("v", "2024-02-01", props={"page": "a"}), ev("v", "2024-02-06", props={"page": "a"})]
    b = build(spec, events, as_of="2024-02-06")
    assert b.crit("a1", "m") == (1, 2, 0.5, False, None)
