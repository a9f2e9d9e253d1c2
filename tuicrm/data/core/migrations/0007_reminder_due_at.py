"""An index on the reminders' due time: the Reminders list is sorted by it (open ones soonest
first, done ones latest first, anyone's for a manager), and every offered sort key is served
by an index. Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql('CREATE INDEX "reminder_due_at" ON "reminder" ("due_at")')
