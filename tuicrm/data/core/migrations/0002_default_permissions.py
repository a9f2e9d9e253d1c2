"""The default permissions of each role at the time this migration was written (frozen)."""

from __future__ import annotations

from typing import Any

GRANTS = {
    "manager": [
        "settings.edit", "audit.view", "customer.view", "customer.view_all", "customer.edit",
        "customer.delete", "customer.reassign", "supplier.edit", "product.view", "product.edit",
        "product.see_cost", "order.sell", "order.edit_price", "order.return", "order.purchase",
        "order.deliver", "order.receive", "stock.view", "stock.adjust", "count.count",
        "count.manage", "import", "export", "announcement.post", "reminder.assign",
    ],
    "sales": [
        "customer.view", "customer.edit", "supplier.edit", "product.view", "order.sell",
        "order.return", "stock.view", "export",
    ],
    "warehouse": [
        "product.view", "stock.view", "order.deliver", "order.receive", "order.purchase",
        "count.count", "export",
    ],
}


def up(migrator: Any, db: Any) -> None:
    rows = [(role, action) for role, actions in GRANTS.items() for action in actions]
    db.cursor().executemany(
        'INSERT INTO "role_permission" ("role", "action") VALUES (%s, %s)'
        if db.param == "%s"
        else 'INSERT INTO "role_permission" ("role", "action") VALUES (?, ?)',
        rows,
    )
