"""The audit trail and the login log as lists (A7), defined once: the Audit trail and Login
log screens and their exports read them. Both need ``audit.view``; both are read newest first
(the ``at`` indexes serve it; migration 0030 adds (username, at) for a user's entries)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import peewee

from ...i18n import N_
from ..core.actor import Actor
from ..lists.columns import Column
from ..lists.filters import FilterColumn, contains_pattern, filter_columns, ilike
from ..lists.view import ListDef, define
from ..models.users import AuditLog, LoginEvent

ARROW = "→"


def _plain(value: Any) -> str:
    if value is None:
        return "∅"
    if value == "":
        return '""'  # an emptied field reads as emptied, not as nothing
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes_text(value: Any) -> str:
    """``{"name": ["old", "new"], "qty": 3}`` as ``name: old → new; qty: 3`` (what changed,
    from what to what)."""
    try:
        changes = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if not isinstance(changes, dict):
        return _plain(changes)
    parts = []
    for key, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            parts.append(f"{key}: {_plain(change[0])} {ARROW} {_plain(change[1])}")
        else:
            parts.append(f"{key}: {_plain(change)}")
    return "; ".join(parts)


def _audit(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    query = AuditLog.select()
    if options.get("entity"):
        query = query.where(AuditLog.entity == options["entity"])
    if options.get("record_id") is not None:
        query = query.where(AuditLog.record_id == options["record_id"])
    return query


def _audit_search(text: str) -> Any:
    pattern = contains_pattern(text)
    return (ilike(AuditLog.username, pattern) | ilike(AuditLog.entity, pattern)
            | ilike(AuditLog.changes, pattern))


AUDIT_FILTERS = filter_columns(
    FilterColumn("user", N_("User"), AuditLog.username),
    FilterColumn("record", N_("Record (customer, order, setting, ...)"), AuditLog.entity),
    FilterColumn("record_id", N_("Record number"), AuditLog.record_id, "number"),
    FilterColumn("kind", N_("Kind (create, update, delete, ...)"), AuditLog.action),
    FilterColumn("changes", N_("Changes"), AuditLog.changes),
    FilterColumn("at", N_("Time"), AuditLog.at, "datetime"),
)

AUDIT = define(ListDef(
    name="audit",
    title=N_("Audit trail"),
    permission="audit.view",
    columns=(
        Column("at", AuditLog.at, N_("Time"), width=16),
        Column("user", AuditLog.username, N_("User"), min_width=6, max_width=14,
               sortable=False),
        Column("record", AuditLog.entity, N_("Record"), min_width=6, max_width=12,
               sortable=False),
        Column("record_id", AuditLog.record_id, N_("No."), min_width=3, max_width=8,
               sortable=False),
        Column("kind", AuditLog.action, N_("Kind"), min_width=6, max_width=12, sortable=False),
        Column("changes", AuditLog.changes, N_("Old → new"), min_width=20, max_width=80,
               format=changes_text, sortable=False),
    ),
    query=_audit,
    search=_audit_search,
    filters=AUDIT_FILTERS,
    date=AUDIT_FILTERS["at"],
    default_sort=("at", True),
    search_hint=N_("user, record or value (/)"),
))


def _logins(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    return LoginEvent.select()


def _login_search(text: str) -> Any:
    pattern = contains_pattern(text)
    return ilike(LoginEvent.username, pattern) | ilike(LoginEvent.detail, pattern)


LOGIN_FILTERS = filter_columns(
    FilterColumn("user", N_("User"), LoginEvent.username),
    FilterColumn("event", N_("Event (login, failure, locked, logout, lock, unlock)"),
                 LoginEvent.event),
    FilterColumn("detail", N_("From / detail"), LoginEvent.detail),
    FilterColumn("at", N_("Time"), LoginEvent.at, "datetime"),
)

LOGINS = define(ListDef(
    name="logins",
    title=N_("Login log"),
    permission="audit.view",
    columns=(
        Column("at", LoginEvent.at, N_("Time"), width=16),
        Column("user", LoginEvent.username, N_("User"), min_width=6, max_width=14,
               sortable=False),
        Column("event", LoginEvent.event, N_("Event"), min_width=7, max_width=9,
               sortable=False),
        Column("detail", LoginEvent.detail, N_("From / detail"), min_width=20, max_width=60,
               sortable=False),
    ),
    query=_logins,
    search=_login_search,
    filters=LOGIN_FILTERS,
    date=LOGIN_FILTERS["at"],
    default_sort=("at", True),
    search_hint=N_("user or address (/)"),
))
