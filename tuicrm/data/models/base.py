"""The base model and small field helpers shared by every table."""

from __future__ import annotations

import datetime as dt

from peewee import BooleanField, CharField, DateTimeField, IntegerField, Model, TextField

from ..core import clock
from ..core.db import database


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


__all__ = [
    "BaseModel",
    "BooleanField",
    "CharField",
    "DateTimeField",
    "IntegerField",
    "TextField",
    "Versioned",
    "now",
]
