"""The permission ``order.view_all`` (see every order, not only one's own customers'), granted
to the roles that handle every order: managers and the warehouse (who deliver and receive).
Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any

GRANTS = {"manager": ["order.view_all"], "warehouse": ["order.view_all"]}


def up(migrator: Any, db: Any) -> None:
    rows = [(role, action) for role, actions in GRANTS.items() for action in actions]
    db.cursor().executemany(
        'INSERT INTO "role_permission" ("role", "action") VALUES (%s, %s)'
        if db.param == "%s"
        else 'INSERT INTO "role_permission" ("role", "action") VALUES (?, ?)',
        rows,
    )
