"""Quick search (L1) that finds what Chinese users type: any 2-character piece of a name,
code, phone or contact name, and names by pinyin (full or initials). Frozen.

- ``pinyin`` on customers, contacts, suppliers and products: ``core.pinyin.spell`` of the
  name (``"zhangsanwujindian zswjd"``), filled here for existing rows; the models keep it.
- SQLite: ``customer_search`` is rebuilt. FTS5 trigram as before, over each value as it is
  and cut into pieces (``core.pinyin.indexed``: a filler after every character), so a
  2-character term is one trigram lookup; ``own`` (code, name, phone, mobile), ``contacts``,
  ``spelt`` and ``contact_spelt`` (the pinyin: full, and initials). The triggers call the
  ``tuicrm_indexed`` / ``tuicrm_spelt`` functions every connection of tuicrm registers.
- PostgreSQL: ``ILIKE '%...%'`` already finds any piece; ``pg_trgm`` indexes on the new
  pinyin columns of customers and contacts when the extension is there.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

from tuicrm.data.core.pinyin import fill

TABLES = ("customer", "contact", "supplier", "product")

OWN = ("tuicrm_indexed({r}.code) || tuicrm_indexed({r}.name) || tuicrm_indexed({r}.phone) "
       "|| tuicrm_indexed({r}.mobile)")
CONTACTS_OF = ("(SELECT coalesce(group_concat(tuicrm_indexed(name), ''), '') FROM contact "
               "WHERE customer_id = {who})")
CONTACT_SPELT_OF = ("(SELECT coalesce(group_concat(tuicrm_spelt(pinyin), ''), '') FROM contact "
                    "WHERE customer_id = {who})")

DROP = [
    "DROP TRIGGER IF EXISTS customer_search_ai", "DROP TRIGGER IF EXISTS customer_search_au",
    "DROP TRIGGER IF EXISTS customer_search_ad", "DROP TRIGGER IF EXISTS contact_search_ai",
    "DROP TRIGGER IF EXISTS contact_search_au", "DROP TRIGGER IF EXISTS contact_search_ad",
    "DROP TABLE IF EXISTS customer_search",
]

CREATE = ("CREATE VIRTUAL TABLE customer_search USING fts5("
          "own, spelt, contacts, contact_spelt, tokenize = 'trigram case_sensitive 0')")

REBUILD = (
    "INSERT INTO customer_search (rowid, own, spelt, contacts, contact_spelt) "
    "SELECT c.id, " + OWN.format(r="c") + ", tuicrm_spelt(c.pinyin), "
    + CONTACTS_OF.format(who="c.id") + ", " + CONTACT_SPELT_OF.format(who="c.id")
    + " FROM customer c"
)

TRIGGERS = [
    "CREATE TRIGGER customer_search_ai AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_search (rowid, own, spelt, contacts, contact_spelt) "
    "VALUES (new.id, " + OWN.format(r="new") + ", tuicrm_spelt(new.pinyin), '', ''); END",
    "CREATE TRIGGER customer_search_au AFTER UPDATE OF code, name, phone, mobile, pinyin "
    "ON customer BEGIN UPDATE customer_search SET own = " + OWN.format(r="new")
    + ", spelt = tuicrm_spelt(new.pinyin) WHERE rowid = new.id; END",
    "CREATE TRIGGER customer_search_ad AFTER DELETE ON customer BEGIN "
    "DELETE FROM customer_search WHERE rowid = old.id; END",
    # Appends (no sub-query): bulk loads of contacts stay linear.
    "CREATE TRIGGER contact_search_ai AFTER INSERT ON contact BEGIN "
    "UPDATE customer_search SET contacts = contacts || tuicrm_indexed(new.name), "
    "contact_spelt = contact_spelt || tuicrm_spelt(new.pinyin) "
    "WHERE rowid = new.customer_id; END",
    "CREATE TRIGGER contact_search_au AFTER UPDATE OF name, pinyin, customer_id ON contact "
    "BEGIN UPDATE customer_search SET contacts = " + CONTACTS_OF.format(who="old.customer_id")
    + ", contact_spelt = " + CONTACT_SPELT_OF.format(who="old.customer_id")
    + " WHERE rowid = old.customer_id; "
    "UPDATE customer_search SET contacts = " + CONTACTS_OF.format(who="new.customer_id")
    + ", contact_spelt = " + CONTACT_SPELT_OF.format(who="new.customer_id")
    + " WHERE rowid = new.customer_id; END",
    "CREATE TRIGGER contact_search_ad AFTER DELETE ON contact BEGIN "
    "UPDATE customer_search SET contacts = " + CONTACTS_OF.format(who="old.customer_id")
    + ", contact_spelt = " + CONTACT_SPELT_OF.format(who="old.customer_id")
    + " WHERE rowid = old.customer_id; END",
]

POSTGRES_TRGM = [
    'CREATE INDEX "customer_pinyin_trgm" ON "customer" USING gin ("pinyin" gin_trgm_ops)',
    'CREATE INDEX "contact_pinyin_trgm" ON "contact" USING gin ("pinyin" gin_trgm_ops)',
]


def up(migrator: Any, db: Any) -> None:
    for table in TABLES:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "pinyin" VARCHAR(255) NOT NULL '
                       "DEFAULT ''")
        fill(db, table)
    if isinstance(db, SqliteDatabase):
        for statement in [*DROP, CREATE, REBUILD, *TRIGGERS]:
            db.execute_sql(statement)
        return
    have = db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
    if have:
        for statement in POSTGRES_TRGM:
            db.execute_sql(statement)
