"""Indexes for the Audit screen and the login log: both are read newest first and filtered by
user, so (username, at) serves "what did Li do last week" without reading the whole trail.
Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql('CREATE INDEX "audit_log_username_at" ON "audit_log" ("username", "at")')
    db.execute_sql('CREATE INDEX "login_event_username_at" ON "login_event" ("username", "at")')
