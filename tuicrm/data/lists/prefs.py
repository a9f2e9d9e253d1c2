"""Per-user remembered choices (list columns, sort order, ...) in ``UserPref``, as JSON.

    prefs.set_pref(actor, "list.customers", {"columns": ["code", "name"], "sort": ["name", 0]})
    prefs.get_pref(actor, "list.customers", {})

A preference is a convenience: a missing or unreadable value gives the default, never an
error. Each actor reads and writes only their own (the actor is the owner), so any active user
may; the command line's system actor has none (it reads the defaults, keeps nothing).
Preferences are not business records: nothing is audited.
"""

from __future__ import annotations

import json
from typing import Any

from ..core.operation import Op, operation, reader
from ..models.users import UserPref

MAX_KEY = 100
MAX_VALUE = 20_000  # characters of JSON


@reader(None)
def get_pref(op: Op, key: str, default: Any = None) -> Any:
    """The stored value of ``key`` for the actor (``default`` if none or unreadable)."""
    if op.actor.id is None:
        return default
    text = (UserPref.select(UserPref.value)
            .where((UserPref.user == op.actor.id) & (UserPref.key == key)).scalar())
    if text is None:
        return default
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return default


@operation(None)
def set_pref(op: Op, key: str, value: Any) -> None:
    """Remember ``value`` (anything JSON can hold) under ``key`` for the actor."""
    if not key or len(key) > MAX_KEY:
        raise ValueError(f"a preference key has 1 to {MAX_KEY} characters")
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_VALUE:
        raise ValueError(f"preference {key!r} is too large ({len(text)} characters)")
    if op.actor.id is None:
        return
    # One statement: two sessions of one user saving at once cannot insert twice.
    (UserPref.insert(user=op.actor.id, key=key, value=text)
     .on_conflict(conflict_target=[UserPref.user, UserPref.key],
                  update={UserPref.value: text})
     .execute())


__all__ = ["get_pref", "set_pref"]
