"""Deterministic synthetic SaaS events as Parquet (outside the repository).

N events over ~N/100 accounts and ~N/20 contacts (five per account). Activity is heavy-
tailed (a few contacts produce most events), 25 event types with skewed frequency, a year
of timestamps, JSON properties with string and numeric keys, and 10% of rows without an
account (the contact's account applies). Pure integer hashing: same bytes everywhere."""

from __future__ import annotations

from pathlib import Path

import duckdb

EVENT_TYPES = (
    "viewed_dashboard", "created_task", "sent_message", "search", "opened_project", "commented",
    "updated_task", "used_feature", "uploaded_file", "invited_user", "created_project", "shared_link",
    "exported_report", "connected_integration", "created_automation", "viewed_billing", "signed_up",
    "completed_onboarding", "api_call", "payment_succeeded", "upgraded_plan", "created_dashboard",
    "joined_workspace", "downgraded_plan", "deleted_project",
)  # fmt: skip

# u(k, salt): a uniform number in [0, 1) from row k; the same mixing as macros/sample.sql
_U = "((((((k * 2654435761 + {s} * 2246822519) % 4294967291) % 1000003) * (((k * 2654435761 + {s} * 2246822519) % 4294967291) % 1000003 + {s} * 7919 + 13)) % 999983) / 999983.0)"

QUERY = """
SELECT
    'e' || k AS event_id,
    $types[1 + CAST(floor(25 * pow({u1}, 2.2)) AS INTEGER)] AS event_name,
    TIMESTAMP '2025-01-01' + to_microseconds(CAST(floor({u2} * 365 * 86400 * 1e6) AS BIGINT)) AS occurred_at,
    'c' || CAST(floor($contacts * pow({u3}, 2.5)) AS BIGINT) AS user_id,
    CASE WHEN {u4} < 0.1 THEN NULL
         ELSE 'a' || CAST(floor(floor($contacts * pow({u3}, 2.5)) / 5) AS BIGINT) END AS account_id,
    json_object(
        'role', CASE WHEN {u5} < 0.3 THEN 'admin' ELSE 'member' END,
        'seats', 1 + CAST(floor(10 * {u6}) AS INTEGER),
        'amount', round(200 * {u7}, 2),
        'plan', ['free', 'team', 'business'][1 + CAST(floor(3 * pow({u8}, 2)) AS INTEGER)],
        'feature', 'f' || CAST(floor(12 * {u9}) AS INTEGER),
        'source', CASE WHEN {u10} < 0.2 THEN 'api' ELSE 'web' END
    ) AS properties
FROM range($n) AS t(k)
""".format(**{f"u{i}": _U.format(s=i) for i in range(1, 11)})


def generate(n: int, out_dir: Path) -> Path:
    """Write events_<n>.parquet once; later calls reuse it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"events_{n}.parquet"
    if path.exists():
        return path
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    rel = con.sql(QUERY, params={"n": n, "contacts": max(n // 20, 5), "types": list(EVENT_TYPES)})
    tmp = path.with_suffix(".tmp.parquet")
    rel.write_parquet(str(tmp), compression="zstd")
    tmp.replace(path)
    con.close()
    return path
