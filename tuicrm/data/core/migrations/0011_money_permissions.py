"""The money permissions (issue 11): managers get them all; counter staff see balances and
take receipts. Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any

GRANTS = {
    "manager": ["money.view", "money.receive", "money.pay", "money.refund", "money.allocate",
                "money.write_off", "money.expense", "money.credit_override"],
    "sales": ["money.view", "money.receive"],
}


def up(migrator: Any, db: Any) -> None:
    rows = [(role, action) for role, actions in GRANTS.items() for action in actions]
    db.cursor().executemany(
        'INSERT INTO "role_permission" ("role", "action") VALUES (%s, %s)'
        if db.param == "%s"
        else 'INSERT INTO "role_permission" ("role", "action") VALUES (?, ?)',
        rows,
    )
