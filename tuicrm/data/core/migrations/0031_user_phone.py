"""Staff records (A2): a user's telephone, beside their department and active flag.
Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql('ALTER TABLE "user" ADD COLUMN "phone" VARCHAR(255) NOT NULL DEFAULT \'\'')
