"""Quick search over customers (L1): code, name, phone, mobile and contact names.

SQLite: an FTS5 table ``customer_search`` (one row per customer, rowid = customer id) with the
trigram tokenizer, case-insensitive, kept in step by triggers on ``customer`` and ``contact`` so
that every writer (operations, imports, raw bulk loads) keeps it right. Trigrams need queries
of 3+ characters; 1-2 character queries (张, 张三, "ab") use name prefixes on the NOCASE
indexes made here. The contact triggers append on insert (no sub-query), so bulk loads of
contacts stay linear even when ``contact``'s indexes are dropped for the load.

PostgreSQL: ``pg_trgm`` GIN indexes for ``ILIKE '%...%'``. If the extension cannot be created
(no privilege), the indexes are skipped and search still works, by scanning (slower).
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

_CONTACTS_OF = (
    "(SELECT coalesce(group_concat(name, ' '), '') FROM contact WHERE customer_id = {who})"
)

SQLITE = [
    "CREATE VIRTUAL TABLE customer_search USING fts5("
    "code, name, phones, contacts, tokenize = 'trigram case_sensitive 0')",
    "INSERT INTO customer_search (rowid, code, name, phones, contacts) "
    "SELECT c.id, c.code, c.name, c.phone || ' ' || c.mobile, "
    + _CONTACTS_OF.format(who="c.id") + " FROM customer c",
    "CREATE TRIGGER customer_search_ai AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_search (rowid, code, name, phones, contacts) "
    "VALUES (new.id, new.code, new.name, new.phone || ' ' || new.mobile, ''); END",
    "CREATE TRIGGER customer_search_au AFTER UPDATE OF code, name, phone, mobile ON customer "
    "BEGIN UPDATE customer_search SET code = new.code, name = new.name, "
    "phones = new.phone || ' ' || new.mobile WHERE rowid = new.id; END",
    "CREATE TRIGGER customer_search_ad AFTER DELETE ON customer BEGIN "
    "DELETE FROM customer_search WHERE rowid = old.id; END",
    "CREATE TRIGGER contact_search_ai AFTER INSERT ON contact BEGIN "
    "UPDATE customer_search SET contacts = contacts || ' ' || new.name "
    "WHERE rowid = new.customer_id; END",
    "CREATE TRIGGER contact_search_au AFTER UPDATE OF name, customer_id ON contact BEGIN "
    "UPDATE customer_search SET contacts = " + _CONTACTS_OF.format(who="old.customer_id")
    + " WHERE rowid = old.customer_id; "
    "UPDATE customer_search SET contacts = " + _CONTACTS_OF.format(who="new.customer_id")
    + " WHERE rowid = new.customer_id; END",
    "CREATE TRIGGER contact_search_ad AFTER DELETE ON contact BEGIN "
    "UPDATE customer_search SET contacts = " + _CONTACTS_OF.format(who="old.customer_id")
    + " WHERE rowid = old.customer_id; END",
    'CREATE INDEX "customer_name_nocase" ON "customer" ("name" COLLATE NOCASE)',
    'CREATE INDEX "contact_name_nocase" ON "contact" ("name" COLLATE NOCASE)',
    'CREATE INDEX "customer_mobile" ON "customer" ("mobile")',
]

POSTGRES_TRGM = [
    'CREATE INDEX "customer_code_trgm" ON "customer" USING gin ("code" gin_trgm_ops)',
    'CREATE INDEX "customer_name_trgm" ON "customer" USING gin ("name" gin_trgm_ops)',
    'CREATE INDEX "customer_phone_trgm" ON "customer" USING gin ("phone" gin_trgm_ops)',
    'CREATE INDEX "customer_mobile_trgm" ON "customer" USING gin ("mobile" gin_trgm_ops)',
    'CREATE INDEX "contact_name_trgm" ON "contact" USING gin ("name" gin_trgm_ops)',
]


def up(migrator: Any, db: Any) -> None:
    if isinstance(db, SqliteDatabase):
        for statement in SQLITE:
            db.execute_sql(statement)
        return
    db.execute_sql('CREATE INDEX "customer_mobile" ON "customer" ("mobile")')
    try:
        with db.atomic():  # a savepoint: a refused CREATE EXTENSION must not end the upgrade
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # no privilege or not installed: search works by scanning
        pass
    have = db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
    if have:
        for statement in POSTGRES_TRGM:
            db.execute_sql(statement)
