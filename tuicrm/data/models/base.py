"""The base model and small field helpers shared by every table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import BooleanField, CharField, DateTimeField, IntegerField, Model, TextField

from ..core import clock
from ..core.db import database
from ..core.pinyin import spell


def now() -> dt.datetime:
    """Local wall-clock time, to the second: what a shop means by "when" (see ``clock``)."""
    return clock.now()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Versioned(BaseModel):
    """A record users edit: ``version`` goes up on every change so that a second user's stale
    save is refused (optimistic locking) instead of silently overwriting."""

    version = IntegerField(default=1)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class Spelt:
    """A model whose ``name`` is also kept in pinyin (its ``pinyin`` column, see
    ``core.pinyin.spell``) for the quick search: every insert or update through the model
    that writes a plain ``name`` writes its pinyin too (create, save, update queries), so no
    operation has to remember it. Raw bulk loads call ``core.pinyin.fill``."""

    @classmethod
    def _with_pinyin(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        name_field: Any = getattr(cls, "name")  # noqa: B009 - a peewee field
        name = data.get(name_field)
        if isinstance(name, str):
            data[getattr(cls, "pinyin")] = spell(name)  # noqa: B009
        return data

    @classmethod
    def insert(cls, __data: Any = None, **insert: Any) -> Any:
        base: Any = super()
        return base.insert(cls._with_pinyin(cls._normalize_data(__data, insert)))  # type: ignore[attr-defined]

    @classmethod
    def update(cls, __data: Any = None, **update: Any) -> Any:
        base: Any = super()
        return base.update(cls._with_pinyin(cls._normalize_data(__data, update)))  # type: ignore[attr-defined]


__all__ = [
    "BaseModel",
    "Spelt",
    "BooleanField",
    "CharField",
    "DateTimeField",
    "IntegerField",
    "TextField",
    "Versioned",
    "now",
]
