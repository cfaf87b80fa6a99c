"""SPEC §4/§7 on DuckDB: counts, ties, as_of, dropped rows, dedupe, filters, distinct, sum."""

from __future__ import annotations

import pytest
from conftest import T, ev


def test_count_threshold_met_at_is_nth_event_and_ties_count_together(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: task, at_least: 2}
          - {event: task, at_least: 3}
          - {event: task, at_least: 4}
          - {event: task, at_least: 5}
    """
    events = [
        ev("task", "2024-01-01 10:00"),
        ev("task", "2024-01-02 10:00"),
        ev("task", "2024-01-02 10:00"),  # tie: counts together with the one above
        ev("task", "2024-01-03 10:00"),
        ev("other", "2024-01-01 09:00"),
    ]
    b = build(spec, events)
    c = b.criteria("a1", "m")
    # (value, threshold, progress, is_met, met_at)
    assert c["1"] == (4, 2, 1.0, True, T("2024-01-02 10:00"))
    assert c["2"] == (4, 3, 1.0, True, T("2024-01-02 10:00"))  # 3rd event shares the tie
    assert c["3"] == (4, 4, 1.0, True, T("2024-01-03 10:00"))
    assert c["4"] == (4, 5, 0.8, False, None)
    s = b.state("a1", "m")
    assert (s["criteria_met"], s["criteria_total"], s["progress"], s["is_complete"], s["completed_at"]) == (
        3,
        4,
        0.75,
        False,
        None,
    )


def test_as_of_cut_off_includes_the_instant_itself(build):
    spec = """
    milestones:
      - name: m
        criteria: [{event: task, at_least: 2}]
    """
    events = [
        ev("task", "2024-02-28 00:00"),
        ev("task", "2024-03-01 00:00"),  # exactly as_of: exists
        ev("task", "2024-03-01 00:00:01"),  # after as_of: does not exist
        ev("late", "2024-03-02 00:00", user="u9", account="a9"),  # entity seen only after as_of
    ]
    b = build(spec, events, as_of="2024-03-01")
    assert b.crit("a1", "m") == (2, 2, 1.0, True, T("2024-03-01 00:00"))
    assert b.state("a1", "m")["as_of"] == T("2024-03-01 00:00")
    assert b.rows("SELECT count(*) FROM milestone_state WHERE entity_id = 'a9'") == [(0,)]
    # run a day later: the late events exist now
    b2 = build(spec, events, as_of="2024-03-02")
    assert b2.crit("a1", "m")[0] == 3


def test_null_keys_are_ignored_and_counted(build):
    spec = """
    milestones:
      - name: acct
        criteria: [{event: task, at_least: 1}]
      - name: person
        level: contact
        criteria: [{event: task, at_least: 1}]
    """
    events = [
        ev(None, "2024-01-01"),  # null type
        ev("task", None),  # null timestamp
        ev("task", "2024-01-02", user=None, account="a1"),  # account-level only
        ev("task", "2024-01-03", user=None, account=None),  # no entity at all
        ev("task", "2024-01-04", user="u2", account="a2"),
    ]
    b = build(spec, events)
    assert b.crit("a1", "acct") == (1, 1, 1.0, True, T("2024-01-02"))
    assert b.crit("u2", "person")[3] is True
    assert b.rows("SELECT entity_level, entity_id FROM milestone_state ORDER BY 1, 2") == [
        ("account", "a1"),
        ("account", "a2"),
        ("contact", "u2"),
    ]
    assert b.rows("SELECT status, events_read, events_ignored FROM milestone_runs") == [("success", 5, 3)]


def test_event_id_duplicates_keep_the_earliest_copy_and_null_ids_never_merge(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: x, at_least: 2}
          - {event: x, at_least: 3}
    """
    events = [
        ev("x", "2024-01-05", event_id="e1"),
        ev("x", "2024-01-01", event_id="e1"),  # earliest copy: this one stays
        ev("x", "2024-01-03", event_id=None),
        ev("x", "2024-01-03", event_id=None),  # null ids: both count
    ]
    b = build(spec, events)
    assert b.crit("a1", "m", "1") == (3, 2, 1.0, True, T("2024-01-03"))
    assert b.crit("a1", "m", "2") == (3, 3, 1.0, True, T("2024-01-03"))


def test_contact_account_is_latest_event_account_ties_greatest_id(build):
    spec = """
    milestones:
      - name: acct
        criteria: [{event: y}]
      - name: person
        level: contact
        criteria: [{event: y}]
    """
    events = [
        ev("x", "2024-01-01", user="u1", account="a1"),
        ev("x", "2024-01-05", user="u1", account="a2"),
        ev("x", "2024-01-05", user="u1", account="a3"),  # tie at the latest time: greatest id wins
        ev("y", "2024-01-10", user="u1", account=None),  # no own account: the contact's (a3)
    ]
    b = build(spec, events)
    assert b.state("u1", "person")["account_id"] == "a3"
    assert b.crit("a3", "acct")[3] is True
    assert b.crit("a1", "acct")[0] == 0
    assert b.state("a2", "acct")["account_id"] == "a2"


def test_contacts_relation_is_the_only_source_of_a_contacts_account(build):
    source = """
    source:
      events: raw.events
      contacts: {relation: raw.users, contact: user_id, account: account_id}
    """
    spec = """
    milestones:
      - name: acct
        criteria: [{event: y}]
      - name: person
        level: contact
        criteria: [{event: y}]
    """
    events = [
        ev("x", "2024-01-01", user="u1", account="a1"),
        ev("y", "2024-01-02", user="u1", account=None),  # -> a9 via raw.users
        ev("x", "2024-01-01", user="u2", account="a1"),  # u2 is not mapped: no account
        ev("y", "2024-01-02", user="u2", account=None),  # -> no account: ignored at account level
    ]
    users = ("user_id VARCHAR, account_id VARCHAR", [("u1", "a9"), ("u7", "a7")])
    b = build(spec, events, source=source, tables={"users": users})
    assert b.state("u1", "person")["account_id"] == "a9"
    assert b.state("u2", "person")["account_id"] is None
    assert b.crit("a9", "acct")[3] is True
    assert b.crit("a1", "acct")[0] == 0
    # u7/a7 exist only in raw.users: no rows
    assert b.rows("SELECT count(*) FROM milestone_state WHERE entity_id IN ('u7', 'a7')") == [(0,)]


FILTER_EVENTS = [
    ev("e", "2024-01-01", props={"n": 5, "s": "Admin", "b": True, "t": "3", "nested": {"role": "admin"}}, plan="team"),
    ev("e", "2024-01-02", props={"n": "12.5", "s": "admin", "b": "TRUE", "t": 3}),
    ev("e", "2024-01-03", props={"n": "abc", "s": "administrator", "b": "yes", "t": None}),
    ev("e", "2024-01-04", props={}),
    ev("e", "2024-01-05", props={"n": None, "s": "x-admin", "b": False, "t": 3.5}),
]

# where clause -> number of the five events above that match (worked out by hand)
FILTER_CASES = [
    ("n: 5", 1),  # number literal: 5 only
    ("n: {gt: 4}", 2),  # 5 and "12.5"; "abc" unreadable, missing and JSON null fail
    ("n: {lte: 12.5}", 2),
    ("n: {ne: 5}", 1),  # "12.5" only: unreadable and missing fail ne too
    ("n: {in: [5, 12.5]}", 2),
    ("s: admin", 1),  # case-sensitive
    ("s: {ne: admin}", 3),  # Admin, administrator, x-admin; missing is false
    ("s: {contains: admin}", 3),  # admin, administrator, x-admin (not Admin)
    ("s: {not_contains: admin}", 1),  # Admin; missing is false
    ("s: {starts_with: admin}", 2),
    ("s: {in: [Admin, x-admin]}", 2),
    ("s: {not_in: [Admin, x-admin]}", 2),  # admin, administrator
    ("s: {gte: b}", 1),  # text comparison: only x-admin sorts after b
    ("b: true", 2),  # JSON true and "TRUE"; "yes" is not a boolean
    ("b: {ne: true}", 1),  # false only
    ("t: '3'", 2),  # string literal compares text forms: "3" and 3
    ("t: {exists: false}", 2),  # JSON null and missing
    ("t: {exists: true}", 3),
    ("nested.role: admin", 1),  # dotted key = nested path
    ("plan: team", 1),  # a real column (property_columns)
    ("{s: {contains: admin}, n: {gt: 10}}", 1),  # all filters must hold
]


def test_every_filter_operator_follows_the_literal_type_rules(build):
    criteria = []
    for where, _ in FILTER_CASES:
        clause = where if where.startswith("{") else "{" + where + "}"
        criteria.append(f"          - {{event: e, where: {clause}}}")
    spec = "milestones:\n  - name: m\n    criteria:\n" + "\n".join(c[6:] for c in criteria) + "\n"
    b = build(spec, FILTER_EVENTS)
    c = b.criteria("a1", "m")
    got = {where: int(c[str(i)][0]) for i, (where, _) in enumerate(FILTER_CASES, 1)}
    assert got == dict(FILTER_CASES)


def test_distinct_counts_text_forms_and_meets_at_the_nth_new_value(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: v, distinct: page, at_least: 3}
          - {event: v, distinct: page, at_least: 4}
          - {event: v, distinct: contact, at_least: 3}
    """
    events = [
        ev("v", "2024-01-01", user="u1", props={"page": "a"}),
        ev("v", "2024-01-02", user="u2", props={"page": "b"}),
        ev("v", "2024-01-03", user="u1", props={"page": "a"}),
        ev("v", "2024-01-04", user="u3", props={"page": "1"}),
        ev("v", "2024-01-05", user="u3", props={"page": 1}),  # same text form as "1"
        ev("v", "2024-01-06", user="u3", props={"page": None}),
        ev("v", "2024-01-07", user="u3", props={}),
    ]
    b = build(spec, events)
    assert b.crit("a1", "m", "1") == (3, 3, 1.0, True, T("2024-01-04"))
    assert b.crit("a1", "m", "2") == (3, 4, 0.75, False, None)
    assert b.crit("a1", "m", "3") == (3, 3, 1.0, True, T("2024-01-04"))


def test_sum_adds_positive_numeric_values_only(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: pay, sum: amount, at_least: 25.5}
          - {event: pay, sum: amount, at_least: 30}
          - {event: pay, sum: amount, at_least: 31}
          - {event: pay, sum: missing_prop, at_least: 1}
    """
    events = [
        ev("pay", "2024-01-01", props={"amount": 10}),
        ev("pay", "2024-01-02", props={"amount": "15.5"}),
        ev("pay", "2024-01-03", props={"amount": -20}),  # negative: ignored
        ev("pay", "2024-01-04", props={"amount": "abc"}),  # non-numeric: ignored
        ev("pay", "2024-01-05", props={"amount": 5}),
        ev("pay", "2024-01-06", props={"amount": 0}),
    ]
    b = build(spec, events)
    assert b.crit("a1", "m", "1") == (30.5, 25.5, 1.0, True, T("2024-01-02"))  # >= is inclusive
    assert b.crit("a1", "m", "2") == (30.5, 30, 1.0, True, T("2024-01-05"))
    assert b.crit("a1", "m", "3") == (30.5, 31, pytest.approx(30.5 / 31), False, None)
    assert b.crit("a1", "m", "4") == (0, 1, 0.0, False, None)


def test_every_entity_gets_rows_for_every_milestone_and_criterion_of_its_level(build):
    spec = """
    milestones:
      - name: m
        criteria:
          - {event: a}
          - any: [{event: b}, {event: c}]
      - name: p
        level: contact
        criteria: [{event: a}]
    """
    events = [ev("zzz", "2024-01-01", user="u1", account="a1"), ev("zzz", "2024-01-01", user="u2", account="a2")]
    b = build(spec, events)
    assert b.rows("SELECT count(*) FROM milestone_criteria WHERE entity_level = 'account'") == [(2 * 4,)]
    assert b.rows("SELECT count(*) FROM milestone_criteria WHERE entity_level = 'contact'") == [(2 * 1,)]
    assert b.criteria("a2", "m") == {
        "1": (0, 1, 0.0, False, None),
        "2": (None, None, 0.0, False, None),
        "2.1": (0, 1, 0.0, False, None),
        "2.2": (0, 1, 0.0, False, None),
    }
