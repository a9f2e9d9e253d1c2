"""Terminals as separate processes (each with its own connection, as each SSH session has),
for the concurrency tests. Targets are module-level functions so ``spawn`` can pickle them."""

from __future__ import annotations

import importlib
from typing import Any


def scan_codes(location: str, user_id: int, operation: str, target_id: int, codes: list[str],
               start: Any, out: Any) -> None:
    """One terminal: ``operation(user, target_id, code)`` for each code, after every terminal
    is ready (``start``, a barrier); puts the list of errors on ``out``.

    ``operation`` is "module:function", e.g. "tuicrm.data.sales.orders:add_scan".
    """
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import actor_of
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import User

    errors: list[str] = []
    try:
        open_db(location)
        module, name = operation.split(":")
        scan = getattr(importlib.import_module(module), name)
        actor = actor_of(User.get_by_id(user_id))
        start.wait(timeout=60)
        for code in codes:
            try:
                scan(actor, target_id, code)
            except Exception as e:  # noqa: BLE001 - reported to the test
                errors.append(f"{type(e).__name__}: {e}")
        dbmod.close()
    except Exception as e:  # noqa: BLE001
        errors.append(f"{type(e).__name__}: {e}")
    out.put(errors)
