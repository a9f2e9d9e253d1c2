"""Each user's interface language (empty: the site's setting, else the environment's), so two
SSH sessions on one server can each speak their user's language. Frozen: later changes go in
new migrations."""

from __future__ import annotations

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql("""ALTER TABLE "user" ADD COLUMN "language" VARCHAR(16) NOT NULL DEFAULT ''""")
