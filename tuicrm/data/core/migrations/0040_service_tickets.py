"""Service tickets (SPEC S1) and the activities' next step (S2), frozen.

The ``ticket`` table as generated from ``models/service.py``; on ``activity`` the next step and
the follow-up reminder it made; the ticket permissions, granted to the roles that serve
customers. {pk} and {ts} differ by engine, as in 0001. Later changes go in new migrations.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

TABLES = [
    'CREATE TABLE "ticket" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"number" VARCHAR(255) NOT NULL, '
    '"kind" VARCHAR(255) NOT NULL, '
    '"status" VARCHAR(255) NOT NULL, '
    '"priority" VARCHAR(255) NOT NULL, '
    '"channel" VARCHAR(255) NOT NULL, '
    '"customer_id" INTEGER NOT NULL, '
    '"contact_id" INTEGER, '
    '"order_id" INTEGER, '
    '"product_id" INTEGER, '
    '"return_order_id" INTEGER, '
    '"subject" VARCHAR(255) NOT NULL, '
    '"details" TEXT NOT NULL, '
    '"owner_id" INTEGER, '
    '"created_by_id" INTEGER, '
    '"opened_at" {ts} NOT NULL, '
    '"respond_by" {ts}, '
    '"resolve_by" {ts}, '
    '"first_response_at" {ts}, '
    '"resolved_at" {ts}, '
    '"resolution" TEXT NOT NULL, '
    '"satisfaction" INTEGER, '
    'FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("return_order_id") REFERENCES "order" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("owner_id") REFERENCES "user" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE UNIQUE INDEX "ticket_number" ON "ticket" ("number")',
    'CREATE INDEX "ticket_customer_id" ON "ticket" ("customer_id")',
    'CREATE INDEX "ticket_contact_id" ON "ticket" ("contact_id")',
    'CREATE INDEX "ticket_order_id" ON "ticket" ("order_id")',
    'CREATE INDEX "ticket_product_id" ON "ticket" ("product_id")',
    'CREATE INDEX "ticket_return_order_id" ON "ticket" ("return_order_id")',
    'CREATE INDEX "ticket_owner_id" ON "ticket" ("owner_id")',
    'CREATE INDEX "ticket_created_by_id" ON "ticket" ("created_by_id")',
    'CREATE INDEX "ticket_opened_at" ON "ticket" ("opened_at")',
    'CREATE INDEX "ticket_resolve_by" ON "ticket" ("resolve_by")',
    'CREATE INDEX "ticket_customer_id_opened_at" ON "ticket" ("customer_id", "opened_at")',
    'CREATE INDEX "ticket_owner_id_status_resolve_by" '
    'ON "ticket" ("owner_id", "status", "resolve_by")',
    'CREATE INDEX "ticket_status_resolve_by" ON "ticket" ("status", "resolve_by")',
    # The activity's next step and the follow-up reminder it made.
    'ALTER TABLE "activity" ADD COLUMN "next_step" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE "activity" ADD COLUMN "follow_up_id" INTEGER '
    'REFERENCES "reminder" ("id") ON DELETE SET NULL',
    'ALTER TABLE "activity" ADD COLUMN "updated_at" {ts}',
    'CREATE INDEX "activity_follow_up_id" ON "activity" ("follow_up_id")',
]

GRANTS = {
    "manager": ["ticket.view", "ticket.view_all", "ticket.edit", "ticket.assign",
                "activity.edit_all"],
    "sales": ["ticket.view", "ticket.edit"],
    "warehouse": ["ticket.view", "ticket.edit"],  # repairs given to them
}


def up(migrator: Any, db: Any) -> None:
    sqlite = isinstance(db, SqliteDatabase)
    types = {
        "pk": "INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
        "ts": "DATETIME" if sqlite else "TIMESTAMP",
    }
    for statement in TABLES:
        db.execute_sql(statement.format(**types))
    rows = [(role, action) for role, actions in GRANTS.items() for action in actions]
    db.cursor().executemany(
        'INSERT INTO "role_permission" ("role", "action") VALUES (%s, %s)'
        if db.param == "%s"
        else 'INSERT INTO "role_permission" ("role", "action") VALUES (?, ?)',
        rows,
    )
