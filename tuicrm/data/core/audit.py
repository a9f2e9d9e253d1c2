"""The audit trail: every change made through an operation records who, when, what."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from peewee import Model

from ..models import AuditLog, User
from .actor import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Model):
        return value.get_id()
    return value


def diff(record: Model, new_values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of ``record`` that ``new_values`` would change, as {field: (old, new)}."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, new in new_values.items():
        field = record._meta.fields[name]
        old = getattr(record, field.name if not hasattr(field, "rel_model") else field.name + "_id")
        new_plain = _plain(new)
        if _plain(old) != new_plain:
            changes[name] = (old, new)
    return changes


def record(
    actor: Actor | User,
    entity: str,
    record_id: int | None,
    action: str,
    changes: dict[str, tuple[Any, Any]] | dict[str, Any] | None = None,
) -> None:
    """Write one audit row; call inside the operation's transaction so both commit together
    (operations call it through ``Op.audit``)."""
    from .permissions import as_actor

    who = as_actor(actor)
    payload: dict[str, Any] = {}
    for key, value in (changes or {}).items():
        if isinstance(value, tuple) and len(value) == 2:
            payload[key] = [_plain(value[0]), _plain(value[1])]
        else:
            payload[key] = _plain(value)
    AuditLog.create(
        user=who.id,
        username=who.audit_name,
        entity=entity,
        record_id=record_id,
        action=action,
        changes=json.dumps(payload, ensure_ascii=False, sort_keys=True),
    )


def history(entity: str, record_id: int) -> list[AuditLog]:
    return list(
        AuditLog.select()
        .where((AuditLog.entity == entity) & (AuditLog.record_id == record_id))
        .order_by(AuditLog.id)
    )
