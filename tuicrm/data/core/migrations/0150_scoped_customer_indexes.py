"""Indexes for a salesperson's own customers and for today's birthdays (issue 16: 20 counter
sessions on one server at a million customers), measured there:

- ``customer_salesperson_name`` and ``customer_salesperson_code``: a salesperson sees only
  their customers (500k of the million in the demo), and their list is sorted by name or code:
  with only ``salesperson_id`` indexed, each open sorted all of them (255 ms); now the first
  page is read in index order.
- ``customer_salesperson_group``: the group tree's counts of a salesperson's customers read
  this index alone (was 290 ms a Customers open).
- ``contact_birthday_day``: Today's birthdays compared every contact's month and day (1.8M
  contacts: 440 ms for the rows and as much to count them at each login); the index is on
  that expression, for contacts with a birthday only. The query writes the expression the
  same way (``today_alerts.month_day``) or the planner cannot use it.

Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase


def up(migrator: Any, db: Any) -> None:
    sqlite = isinstance(db, SqliteDatabase)
    last = "" if sqlite else ', "id"'  # SQLite's index entries end with the rowid anyway
    db.execute_sql('CREATE INDEX "customer_salesperson_name" ON "customer" '
                   f'("salesperson_id", "name"{last})')
    db.execute_sql('CREATE INDEX "customer_salesperson_code" ON "customer" '
                   '("salesperson_id", "code")')
    db.execute_sql('CREATE INDEX "customer_salesperson_group" ON "customer" '
                   '("salesperson_id", "group_id")')
    day = ("strftime('%m-%d', \"birthday\")" if sqlite else
           '(EXTRACT(MONTH FROM "birthday") * 100 + EXTRACT(DAY FROM "birthday"))')
    db.execute_sql(f'CREATE INDEX "contact_birthday_day" ON "contact" ({day}) '
                   'WHERE "birthday" IS NOT NULL')
