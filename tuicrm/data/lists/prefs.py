"""Per-user remembered choices (list columns, sort order, ...) in ``UserPref``, as JSON.

    prefs.set_pref(user, "list.customers", {"columns": ["code", "name"], "sort": ["name", False]})
    prefs.get_pref(user, "list.customers", {})

A preference is a convenience: a missing or unreadable value gives the default, never an
error. A user may only read and write their own preferences (the operations take the user
as the actor and the owner at once), so no permission check is needed.
"""

from __future__ import annotations

import json
from typing import Any

from ..core.db import write
from ..models import User, UserPref

MAX_KEY = 100
MAX_VALUE = 20_000  # characters of JSON


def get_pref(user: User | None, key: str, default: Any = None) -> Any:
    """The stored value of ``key`` for ``user`` (``default`` if none or unreadable)."""
    if user is None or user.id is None:
        return default
    row = UserPref.get_or_none((UserPref.user == user.id) & (UserPref.key == key))
    if row is None:
        return default
    try:
        return json.loads(row.value)
    except (TypeError, ValueError):
        return default


def set_pref(user: User | None, key: str, value: Any) -> None:
    """Remember ``value`` (anything JSON can hold) under ``key`` for ``user``."""
    if user is None or user.id is None:
        return
    if not key or len(key) > MAX_KEY:
        raise ValueError(f"a preference key has 1 to {MAX_KEY} characters")
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_VALUE:
        raise ValueError(f"preference {key!r} is too large ({len(text)} characters)")
    with write():
        n = (UserPref.update(value=text)
             .where((UserPref.user == user.id) & (UserPref.key == key)).execute())
        if not n:
            UserPref.create(user=user.id, key=key, value=text)


__all__ = ["get_pref", "set_pref"]
