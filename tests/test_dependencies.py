"""SPEC §4: milestone dependencies (same level, account->contact with at_least,
contact->account), any/all nesting, progress, milestone_state, wide tables, events."""

from __future__ import annotations

from conftest import T, ev

DEPS = """
order: [team_active, activated]
milestones:
  - name: activated
    level: contact
    criteria: [{event: act}]
  - name: team_active
    label: Team Active
    criteria:
      - {milestone: activated, at_least: 2}
  - name: pql
    criteria:
      - {milestone: team_active}
  - name: champion
    level: contact
    criteria:
      - {milestone: pql}
      - {event: act}
"""

DEPS_EVENTS = [
    ev("act", "2024-01-05", user="u1", account="a1"),
    ev("act", "2024-01-03", user="u2", account="a1"),
    ev("act", "2024-01-09", user="u3", account="a1"),
    ev("seen", "2024-01-01", user="u4", account="a1"),
    ev("act", "2024-01-02", user="u5", account="a2"),
    ev("act", "2024-01-02", user="u9", account=None),  # a contact with no account
]


def test_cross_level_and_same_level_dependencies(build):
    b = build(DEPS, DEPS_EVENTS)
    # a1: contacts u1 (01-05), u2 (01-03), u3 (01-09) activated; the 2nd completion is 01-05
    assert b.crit("a1", "team_active") == (3, 2, 1.0, True, T("2024-01-05"))
    assert b.crit("a2", "team_active") == (1, 2, 0.5, False, None)
    # same level: value 1/0, threshold 1, met_at = completed_at
    assert b.crit("a1", "pql") == (1, 1, 1.0, True, T("2024-01-05"))
    assert b.crit("a2", "pql") == (0, 1, 0.0, False, None)
    # contact -> its account's milestone
    assert b.criteria("u1", "champion") == {
        "1": (1, 1, 1.0, True, T("2024-01-05")),
        "2": (1, 1, 1.0, True, T("2024-01-05")),
    }
    assert b.crit("u2", "champion", "1") == (1, 1, 1.0, True, T("2024-01-05"))
    assert b.crit("u5", "champion", "1") == (0, 1, 0.0, False, None)
    assert b.crit("u9", "champion", "1") == (0, 1, 0.0, False, None)  # no account: not met
    assert b.state("u2", "champion")["completed_at"] == T("2024-01-05")  # max of its criteria
    assert b.state("u9", "champion")["account_id"] is None


def test_state_order_labels_and_wide_tables(build):
    b = build(DEPS, DEPS_EVENTS)
    orders = dict(b.rows("SELECT DISTINCT milestone, milestone_order FROM milestone_state"))
    assert orders == {"team_active": 1, "activated": 2, "pql": 3, "champion": 4}
    labels = dict(b.rows("SELECT DISTINCT milestone, milestone_label FROM milestone_state"))
    assert labels == {"team_active": "Team Active", "activated": "activated", "pql": "pql", "champion": "champion"}
    assert b.state("u1", "activated")["account_id"] == "a1"
    assert b.state("a1", "pql")["account_id"] == "a1"
    cols = [d[0] for d in b.con.execute("SELECT * FROM account_milestones").description]
    assert cols == [
        "entity_id",
        "team_active_progress",
        "team_active_completed_at",
        "pql_progress",
        "pql_completed_at",
        "current_milestone",
        "as_of",
    ]
    rows = b.rows(
        "SELECT entity_id, team_active_progress, team_active_completed_at, pql_progress, current_milestone FROM account_milestones ORDER BY 1"
    )
    assert rows == [("a1", 1.0, T("2024-01-05"), 1.0, "pql"), ("a2", 0.0, None, 0.0, None)]
    rows = b.rows(
        "SELECT entity_id, activated_progress, champion_progress, current_milestone FROM contact_milestones ORDER BY 1"
    )
    assert rows == [
        ("u1", 1.0, 1.0, "champion"),
        ("u2", 1.0, 1.0, "champion"),
        ("u3", 1.0, 1.0, "champion"),
        ("u4", 0.0, 0.5, None),
        ("u5", 1.0, 0.5, "activated"),
        ("u9", 1.0, 0.5, "activated"),
    ]


GROUPS = """
milestones:
  - name: m
    criteria:
      - all:
          - {event: e1}
          - {event: e2, at_least: 2}
      - any:
          - {event: e3}
          - all:
              - {event: e4}
              - {event: e5}
"""


def test_nested_groups_met_at_and_progress(build):
    events = [
        ev("e1", "2024-01-01"),
        ev("e2", "2024-01-02"),
        ev("e2", "2024-01-04"),
        ev("e4", "2024-01-03"),
        ev("e5", "2024-01-06"),
        ev("e3", "2024-01-05"),
        ev("e1", "2024-01-01", account="a2"),
        ev("e2", "2024-01-02", account="a2"),
        ev("e4", "2024-01-02", account="a2"),
    ]
    b = build(GROUPS, events)
    c = b.criteria("a1", "m")
    assert c["1"] == (None, None, 1.0, True, T("2024-01-04"))  # all: max of children
    assert c["1.2"] == (2, 2, 1.0, True, T("2024-01-04"))
    assert c["2"] == (None, None, 1.0, True, T("2024-01-05"))  # any: min over met children
    assert c["2.1"] == (1, 1, 1.0, True, T("2024-01-05"))
    assert c["2.2"] == (None, None, 1.0, True, T("2024-01-06"))
    s = b.state("a1", "m")
    assert (s["criteria_met"], s["criteria_total"], s["progress"], s["is_complete"], s["completed_at"]) == (
        2,
        2,
        1.0,
        True,
        T("2024-01-05"),
    )
    c = b.criteria("a2", "m")
    assert c["1"] == (None, None, 0.75, False, None)  # mean(1, 0.5)
    assert c["2.2"] == (None, None, 0.5, False, None)  # mean(1, 0)
    assert c["2"] == (None, None, 0.5, False, None)  # max(0, 0.5)
    assert b.state("a2", "m")["progress"] == 0.0
    labels = dict(b.rows("SELECT criterion_id, criterion_label FROM milestone_criteria WHERE entity_id = 'a1'"))
    assert labels["1"] == "all of 2" and labels["1.2"] == "e2 >= 2"


def test_milestone_events_derive_from_current_state(build):
    events = [
        ev("e1", "2024-01-01"),
        ev("e2", "2024-01-02"),
        ev("e2", "2024-01-04"),
        ev("e3", "2024-01-05"),
        ev("e1", "2024-01-01", account="a2"),
    ]
    b = build(GROUPS, events)
    rows = b.rows(
        "SELECT entity_id, milestone, event_type, criterion_id, occurred_at, progress FROM milestone_events ORDER BY entity_id, occurred_at, event_type DESC"
    )
    assert rows == [
        ("a1", "m", "milestone_updated", "1", T("2024-01-04"), 0.5),
        ("a1", "m", "milestone_updated", "2", T("2024-01-05"), 1.0),
        ("a1", "m", "milestone_completed", None, T("2024-01-05"), 1.0),
    ]


def test_milestone_events_ties_count_together(build):
    spec = """
    milestones:
      - name: m
        criteria: [{event: a}, {event: b}, {event: c}]
    """
    b = build(spec, [ev("a", "2024-01-02"), ev("b", "2024-01-02"), ev("c", "2024-01-01")])
    rows = b.rows(
        "SELECT criterion_id, progress FROM milestone_events WHERE event_type = 'milestone_updated' ORDER BY 1"
    )
    assert rows == [("1", 1.0), ("2", 1.0), ("3", 1 / 3)]


def test_status_milestone_dependency_uses_current_stretch(build):
    spec = """
    milestones:
      - name: active
        criteria: [{event: use, at_least: 2, window: {last: 7d}}]
      - name: healthy
        criteria: [{milestone: active}, {event: pay}]
    """
    events = [
        ev("use", "2024-02-01"),
        ev("use", "2024-02-02"),
        ev("use", "2024-02-20"),
        ev("use", "2024-02-22"),
        ev("pay", "2024-01-01"),
    ]
    b = build(spec, events, as_of="2024-02-25")
    assert b.state("a1", "active")["completed_at"] == T("2024-02-22")
    assert b.state("a1", "healthy")["completed_at"] == T("2024-02-22")
