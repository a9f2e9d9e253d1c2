"""What every party record shares: optimistic edits, deletion checks, conflict messages.

Edits use optimistic locking: the caller passes the ``version`` it read; if someone saved in
between, ``Conflict`` says who and when, and nothing is overwritten. The UPDATE itself is
conditional on the version, so it holds on PostgreSQL without a lock as well.

Deleting a record that others refer to is refused with a message that says what refers to it
(``InUse``); every table with a RESTRICT foreign key counts, so tables added later (payments,
activities, ...) are covered without changes here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee

from ...i18n import _
from ..core import audit
from ..core.errors import Conflict, InUse, ValidationError
from ..core.operation import Op
from ..core.tree import plural
from ..models.base import now
from ..models.users import AuditLog


def last_change(entity: str, record_id: int) -> str:
    """``"sally at 2026-05-01 10:12"`` from the audit trail, for conflict messages."""
    row = (
        AuditLog.select(AuditLog.username, AuditLog.at)
        .where((AuditLog.entity == entity) & (AuditLog.record_id == record_id))
        .order_by(AuditLog.id.desc())
        .first()
    )
    if row is None:
        return "another user"
    return f"{row.username or 'the command line'} at {row.at:%Y-%m-%d %H:%M}"


def references(model: type[peewee.Model], ids: Iterable[int]) -> dict[str, int]:
    """What still refers to the rows ``ids`` of ``model`` and would block their deletion:
    ``{"order": 3, "contact": 1}``."""
    id_list = list(ids)
    out: dict[str, int] = {}
    for fk, child in model._meta.backrefs.items():
        if (fk.on_delete or "").upper() in ("CASCADE", "SET NULL"):
            continue
        if not child.table_exists():
            continue
        n = child.select().where(fk.in_(id_list)).count()
        if n:
            out[child._meta.table_name.replace("_", " ")] = int(n)
    return out


def title(record: Any) -> str:
    """``C000123 华兴包装`` (code and name), or the name of a record without a code."""
    code = getattr(record, "code", "")
    return f"{code} {record.name}".strip() if code else str(record.name)


def refused(what: str, refs: dict[str, int]) -> InUse:
    held = ", ".join(plural(n, name) for name, n in refs.items())
    return InUse(_("{what} cannot be deleted: {held} refer to it; nothing was deleted").format(
                   what=what,
                   held=held), refs)


def refuse_if_referenced(model: type[peewee.Model], entity: str, rows: list[Any]) -> None:
    """``InUse`` naming the first of ``rows`` that something still refers to (and how many
    more are held), so a delete of several is refused as a whole."""
    blocked = [(r, refs) for r in rows if (refs := references(model, [r.id]))]
    if blocked:
        first, refs = blocked[0]
        more = f" (and {len(blocked) - 1} more)" if len(blocked) > 1 else ""
        raise refused(f"{entity} {title(first)}{more}", refs)


def taken(field_name: str, value: Any) -> ValidationError:
    return ValidationError({field_name: _("{value!r} is already used").format(value=value)})


def save_version(op: Op, model: Any, entity: str, record: Any, version: int,
                 values: dict[str, Any]) -> None:
    """Update ``record`` with ``values`` if its version is still ``version``; audit it.
    ``Conflict`` (naming who saved last) if it was changed since the caller read it."""
    if record.version != version:
        raise Conflict(
            _("{entity} {title} was changed by {last_change} since you opened it; reload it and "
              "make your change again").format(
              entity=entity,
              title=title(record),
              last_change=last_change(entity, record.id))
        )
    changes = audit.diff(record, values)
    if not changes:
        return
    n = (
        model.update({**values, "version": model.version + 1, "updated_at": now()})
        .where((model.id == record.id) & (model.version == version))
        .execute()
    )
    if n != 1:
        raise Conflict(
            _("{entity} {title} was changed or deleted by {last_change} just now; reload it and "
              "try again").format(
              entity=entity,
              title=title(record),
              last_change=last_change(entity, record.id))
        )
    op.audit(entity, record.id, "update", changes)


__all__ = ["last_change", "references", "refuse_if_referenced", "refused", "save_version",
           "taken", "title"]
