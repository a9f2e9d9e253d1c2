"""Clean the text stored before operations cleaned it at the door: control characters (C0,
C1, DEL) and invisible direction overrides removed, a tab made a space, line breaks kept in
notes and addresses and made one space elsewhere (what ``core/text.clean`` does today).

Every table with an ``id`` is walked except the history ones (audit log, login log: what was
recorded stays as recorded; their readers show such characters as visible marks). Only rows
holding such a character are read into Python: a GLOB (SQLite) or regular expression
(PostgreSQL) picks them, so a clean 1M-row table costs one scan. Frozen: later changes go in
new migrations.
"""

from __future__ import annotations

import re
from typing import Any

SKIP_TABLES = {"audit_log", "login_event", "migratehistory", "role_permission", "doc_sequence",
               "user_pref"}
SKIP_COLUMNS = {"password_hash"}
MULTILINE = {"note", "notes", "body", "address", "description", "comment", "comments",
             "remarks", "details"}
_CHARS = "\x01-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _clean(text: str, multiline: bool) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _DROP.sub("", text.replace("\u2029", "\n").replace("\t", " "))
    if not multiline and "\n" in text:
        text = " ".join(part.strip() for part in text.split("\n") if part.strip())
    return text


def _marked(text: str) -> str:
    """Every control character as a visible mark: unique wherever the original was."""
    return re.sub(f"[\x00{_CHARS}]", lambda m: chr(0x2400 + ord(m.group()))
                  if ord(m.group()) < 0x20 else "\ufffd", text)


def _text_columns(db: Any, table: str) -> list[str]:
    out = []
    for col in db.get_columns(table):
        kind = col.data_type.lower()
        if ("char" in kind or "text" in kind) and col.name not in SKIP_COLUMNS:
            out.append(col.name)
    return out


def up(migrator: Any, db: Any) -> None:
    sqlite = db.param == "?"
    for table in db.get_tables():
        if table in SKIP_TABLES or table.startswith(("sqlite_", "customer_search")):
            continue
        names = {c.name for c in db.get_columns(table)}
        if "id" not in names:
            continue
        for column in _text_columns(db, table):
            if sqlite:
                where = f'"{column}" GLOB ? OR instr("{column}", char(0)) > 0'
                arg = f"*[{_CHARS}]*"
            else:
                where = f'"{column}" ~ %s'
                arg = f"[{_CHARS}]"
            rows = db.execute_sql(
                f'SELECT "id", "{column}" FROM "{table}" WHERE {where}', (arg,)).fetchall()
            mark = "?" if sqlite else "%s"
            update = f'UPDATE "{table}" SET "{column}" = {mark} WHERE "id" = {mark}'
            for rid, value in rows:
                fixed = _clean(value, column in MULTILINE)
                if fixed == value:
                    continue
                try:
                    with db.atomic():  # a savepoint: a clash must not end the upgrade
                        db.execute_sql(update, (fixed, rid))
                except Exception:  # noqa: BLE001 - a unique code would clash once cleaned
                    db.execute_sql(update, (_marked(value), rid))
