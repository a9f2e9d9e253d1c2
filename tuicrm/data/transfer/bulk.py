"""Inserting many rows of one table fast: ``executemany`` in batches, inside the caller's
transaction. A unique or foreign key violation is raised as ``peewee.IntegrityError``.

peewee's ``insert_many`` builds one statement per batch and manages ~20k rows/s; a prepared
``executemany`` manages 126k-160k rows/s (FIELD-NOTES: inserts). Values go through each
field's ``db_value`` (money to cents, quantities to thousandths, a row to its id), and a field
a row leaves out takes the model's default, as ``Model.create`` would give it. Triggers (the
customer search index) fire as for any insert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

import peewee

from ..core import db
from ..core.pinyin import spell

BATCH = 5000


def _fields(model: type[peewee.Model]) -> list[Any]:
    return [f for f in model._meta.sorted_fields if not isinstance(f, peewee.AutoField)]


def _stored(f: Any, value: Any, sqlite: bool) -> Any:
    v = f.db_value(value)
    if sqlite and isinstance(v, dt.datetime):
        v = v.isoformat(sep=" ")  # what peewee stores; the sqlite3 adapter is deprecated
    return v


def stored_values(model: type[peewee.Model], row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` ({field name: value}) as the database stores it (money in cents, a row as its
    id, the pinyin of the name): done before the write transaction, so it holds the write
    lock only for the insert (``insert_rows(..., stored=True)``)."""
    sqlite = db.is_sqlite()
    by_name = {f.name: f for f in _fields(model)}
    out = {k: _stored(by_name[k], v, sqlite) for k, v in row.items()}
    if "pinyin" in by_name and "name" in by_name and "pinyin" not in row:
        out["pinyin"] = spell(str(row.get("name") or ""))  # as ``models.base.Spelt`` does
    return out


def insert_rows(model: type[peewee.Model], rows: Iterable[Mapping[str, Any]],
                batch: int = BATCH, stored: bool = False) -> int:
    """Insert ``rows`` ({field name: value}) into ``model``'s table; the number inserted.
    ``stored``: the rows' values are already as stored (``stored_values``), but for plain
    ids, codes and text, which are stored as they are."""
    fields = _fields(model)
    sqlite = db.is_sqlite()
    defaults: dict[str, Any] = {}
    for f in fields:
        defaults[f.name] = f.default() if callable(f.default) else f.default
    stored_defaults = {f.name: _stored(f, defaults[f.name], sqlite) for f in fields}
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.database.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'

    spelt = "pinyin" in defaults and "name" in defaults  # as ``models.base.Spelt`` does

    def value(f: Any, row: Mapping[str, Any]) -> Any:
        if spelt and f.name == "pinyin" and "pinyin" not in row:
            return spell(str(row.get("name") or ""))
        return _stored(f, row.get(f.name, defaults[f.name]), sqlite)

    def as_tuple(row: Mapping[str, Any]) -> tuple[Any, ...]:
        if stored:
            return tuple([row[f.name] if f.name in row else stored_defaults[f.name]
                          for f in fields])
        return tuple([value(f, row) for f in fields])

    count = 0
    cursor = db.database.cursor()
    it = iter(rows)
    while chunk := list(islice(it, batch)):
        try:
            cursor.executemany(sql, [as_tuple(row) for row in chunk])
        except Exception as e:
            # The driver's own error (peewee wraps only what it runs itself): a unique or
            # foreign key violation reads as peewee's, as for any other write.
            if any(c.__name__ == "IntegrityError" for c in type(e).__mro__):
                raise peewee.IntegrityError(*e.args) from e
            raise
        count += len(chunk)
    return count


def tuples(query: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of a peewee query as plain tuples (its stubs type them as model objects)."""
    yield from query.tuples()


def take_back(model: type[peewee.Model], run_id: int, limit: int,
              name: Any) -> tuple[int, list[str]]:
    """Delete up to ``limit`` rows of ``model`` that import run ``run_id`` added (inside the
    caller's transaction): (deleted, the ``name`` of each row kept because another record
    points to it now; it is no longer counted as the run's)."""
    run_field: Any = getattr(model, "import_run")  # noqa: B009 - a peewee field
    key: Any = model._meta.primary_key
    ids = [i for (i,) in tuples(model.select(key).where(run_field == run_id).limit(limit))]
    if not ids:
        return 0, []
    try:
        with db.database.atomic():
            return model.delete().where(key.in_(ids)).execute(), []
    except peewee.IntegrityError:
        pass  # some are used: one at a time, to keep just those
    removed, kept = 0, []
    for i in ids:
        try:
            with db.database.atomic():
                removed += model.delete().where(key == i).execute()
        except peewee.IntegrityError:
            model.update({run_field: None}).where(key == i).execute()
            kept.append(str(model.select(name).where(key == i).scalar()))
    return removed, kept
