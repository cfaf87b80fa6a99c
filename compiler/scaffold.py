"""`milestones init`: a starter project a team edits into their own."""

from __future__ import annotations

from pathlib import Path

FILES = {
    "profiles.yml": "target: dev\noutputs:\n  dev:\n    type: duckdb\n    path: milestones.duckdb\n    schema: main\n",
    "models/stg_events.sql": (
        "-- Map your raw events to the columns named in milestones/source.yml.\n"
        "SELECT event_name, occurred_at, user_id, account_id, properties\n"
        "FROM {{ source('raw', 'events') }}\n"
    ),
    "milestones/source.yml": (
        "source:\n  events: stg_events\n  columns:\n    event: event_name\n    timestamp: occurred_at\n"
        "    contact: user_id\n    account: account_id\n    properties: properties\n\norder: [signed_up, onboarded]\n"
    ),
    "milestones/milestones.yml": (
        "milestones:\n  - name: signed_up\n    level: contact\n    criteria:\n      - event: signed_up\n"
        "  - name: onboarded\n    criteria:\n      - milestone: signed_up\n      - event: created_project\n"
    ),
    "macros/.gitkeep": "",
}


def write_scaffold(directory: Path) -> list[Path]:
    created = []
    for rel, text in FILES.items():
        path = directory / rel
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created
