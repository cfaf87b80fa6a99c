"""SPEC §8 misuse: each error with file, line, milestone and the message, exit 2; the lint
(more than six milestones at one level) warns without changing the exit code."""

from __future__ import annotations

import pytest
from test_validation import SOURCE, validate

M = "milestones/m.yml"
CASES = [
    ("every with window", "{event: a, every: week, window: {last: 7d}}", "criterion 1: 'every' excludes 'window'"),
    ("bad period", "{event: a, every: wek}", "every must be day, week or month, not 'wek' (did you mean 'week'?)"),
    ("periods zero", "{event: a, every: week, periods: 0}", "periods must be an integer >= 1, not 0"),
    ("periods text", "{event: a, every: week, periods: two}", "periods must be an integer >= 1, not 'two'"),
    ("ongoing not bool", "{event: a, every: day, ongoing: yes please}", "ongoing must be true or false"),
    ("ongoing without every", "{event: a, ongoing: true}", "'ongoing' needs 'every' (day, week or month)"),
    ("periods without every", "{event: a, periods: 3}", "'periods' needs 'every' (day, week or month)"),
    ("growth with window", "{event: a, growth: 30d, at_least: 1.2, window: {last: 7d}}", "'growth' excludes 'window'"),
    ("growth with every", "{event: a, growth: 30d, at_least: 1.2, every: week}", "'growth' excludes 'every'"),
    (
        "growth without at_least",
        "{event: a, growth: 30d}",
        "a growth criterion (current / previous span) needs 'at_least'",
    ),
    ("growth at_least zero", "{event: a, growth: 30d, at_least: 0}", "at_least must be a number > 0, not 0"),
    (
        "min_previous negative",
        "{event: a, growth: 30d, at_least: 1, min_previous: -1}",
        "min_previous must be a number > 0, not -1",
    ),
    ("min_previous without growth", "{event: a, min_previous: 2}", "'min_previous' needs 'growth'"),
    ("bad growth duration", "{event: a, growth: soon, at_least: 1}", "bad duration 'soon'"),
    (
        "rate part with at_least",
        "{rate: {numerator: {event: a, at_least: 2}, denominator: {event: b}}, at_least: 0.5}",
        "the rate's numerator takes no 'at_least' of its own (set it on the rate)",
    ),
    (
        "rate part with window",
        "{rate: {numerator: {event: a}, denominator: {event: b, window: {last: 7d}}}, at_least: 0.5}",
        "the rate's denominator takes no 'window' of its own",
    ),
    (
        "rate without at_least",
        "{rate: {numerator: {event: a}, denominator: {event: b}}}",
        "a rate (numerator / denominator) needs 'at_least'",
    ),
    (
        "rate any window",
        "{rate: {numerator: {event: a}, denominator: {event: b}}, at_least: 0.5, window: {any: 7d}}",
        "a rate's window is {last: D} only",
    ),
    (
        "rate min_denominator zero",
        "{rate: {numerator: {event: a}, denominator: {event: b}}, at_least: 0.5, min_denominator: 0}",
        "min_denominator must be a number > 0, not 0",
    ),
    (
        "rate at_least negative",
        "{rate: {numerator: {event: a}, denominator: {event: b}}, at_least: -0.5}",
        "at_least must be a number > 0, not -0.5",
    ),
    (
        "rate part misspelled",
        "{rate: {numerator: {event: a, were: {x: 1}}, denominator: {event: b}}, at_least: 0.5}",
        "unknown key 'were' in numerator of criterion 1 (did you mean 'where'?)",
    ),
    (
        "rate without denominator",
        "{rate: {numerator: {event: a}}, at_least: 0.5}",
        "the rate's denominator must be an event measure",
    ),
]


@pytest.mark.parametrize(("criterion", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_criterion_error(tmp_path, criterion, expected):
    text = f"milestones:\n  - name: m\n    criteria:\n      - {criterion}\n"
    result = validate(tmp_path, {"milestones/source.yml": SOURCE, M: text})
    assert result.exit_code == 2, result.output
    assert f"{M}:4: milestone 'm': " in result.output
    assert expected in result.output, result.output
    assert "Traceback" not in result.output


BASE = "milestones:\n  - name: signed_up\n    level: contact\n    criteria: [{event: s}]\n"
DUE = [
    ("due without within", "  - name: m\n    due: {after: signed_up}\n    level: contact\n    criteria: [{event: a}]\n",
     f"{M}:6: milestone 'm': due needs 'within' (how long after the anchor), such as 7d"),
    ("unknown due anchor", "  - name: m\n    level: contact\n    due: {after: signd_up, within: 7d}\n    criteria: [{event: a}]\n",
     f"{M}:7: milestone 'm': due: unknown milestone 'signd_up' (did you mean 'signed_up'?)"),
    ("due on a status milestone",
     "  - name: m\n    level: contact\n    due: {after: signed_up, within: 7d}\n    criteria: [{event: a, window: {last: 7d}}]\n",
     f"{M}:5: milestone 'm': 'due' is for achievement milestones"),
    ("due anchored on a status milestone",
     "  - name: s\n    level: contact\n    criteria: [{rate: {numerator: {event: a}, denominator: {event: b}}, at_least: 0.5}]\n"
     "  - name: m\n    level: contact\n    due: {after: s, within: 7d}\n    criteria: [{event: a}]\n",
     "milestone 'm': due: anchor 's' is a status milestone"),
    ("account due after a contact milestone", "  - name: m\n    due: {after: signed_up, within: 7d}\n    criteria: [{event: a}]\n",
     f"{M}:6: milestone 'm': due: an account milestone cannot be due after contact milestone 'signed_up'"),
    ("bad within", "  - name: m\n    level: contact\n    due: {after: signed_up, within: a week}\n    criteria: [{event: a}]\n",
     "bad duration 'a week'"),
    ("cycle through due",
     "  - name: a\n    level: contact\n    due: {after: b, within: 1d}\n    criteria: [{event: x}]\n"
     "  - name: b\n    level: contact\n    criteria: [{milestone: a}]\n",
     "dependency cycle: "),
]  # fmt: skip


@pytest.mark.parametrize(("milestones", "expected"), [c[1:] for c in DUE], ids=[c[0] for c in DUE])
def test_each_due_error(tmp_path, milestones, expected):
    result = validate(tmp_path, {"milestones/source.yml": SOURCE, M: BASE + milestones})
    assert result.exit_code == 2, result.output
    assert expected in result.output, result.output


def test_more_than_six_milestones_at_one_level_is_a_warning(tmp_path):
    text = "milestones:\n" + "".join(f"  - name: m{i}\n    criteria: [{{event: e{i}}}]\n" for i in range(7))
    files = {"milestones/source.yml": SOURCE, M: text}
    result = validate(tmp_path, files)
    assert result.exit_code == 0, result.output
    assert "warning: milestones/m.yml:14: 7 milestones at the account level (more than 6)" in result.output
    strict = validate(tmp_path, files, "--strict")
    assert strict.exit_code == 2 and "7 milestones at the account level" in strict.output
    six = "milestones:\n" + "".join(f"  - name: m{i}\n    criteria: [{{event: e{i}}}]\n" for i in range(6))
    assert "warning" not in validate(tmp_path, {"milestones/source.yml": SOURCE, M: six}).output
