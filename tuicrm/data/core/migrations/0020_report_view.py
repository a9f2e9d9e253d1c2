"""The permission ``report.view`` (run the sales and staff performance reports), granted to
managers (administrators may do everything). Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any

GRANTS = {"manager": ["report.view"]}


def up(migrator: Any, db: Any) -> None:
    rows = [(role, action) for role, actions in GRANTS.items() for action in actions]
    db.cursor().executemany(
        'INSERT INTO "role_permission" ("role", "action") VALUES (%s, %s)'
        if db.param == "%s"
        else 'INSERT INTO "role_permission" ("role", "action") VALUES (?, ?)',
        rows,
    )
