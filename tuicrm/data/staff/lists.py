"""The Users list, defined once (the Users screen shows it; ``tuicrm user list`` prints the
same users through ``users.list_users``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import peewee
from peewee import Case

from ...i18n import N_, _
from ..core import clock
from ..core.roles import ROLE_NAMES
from ..lists.columns import Column
from ..lists.filters import FilterColumn, contains_pattern, filter_columns, ilike
from ..lists.view import ListDef, define
from ..models.users import User

STATUS_WORDS = {"active": N_("active"), "disabled": N_("disabled")}


def _status_text(value: Any) -> str:
    """``disabled``, ``active``, or ``locked until 09:15`` while a lock-out lasts (the lock
    ends by itself, so the moment that matters is when the row is shown); in the user's
    language."""
    if value in (None, "active", "disabled"):
        return _(STATUS_WORDS[value]) if value else ""
    try:
        until = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(
            str(value))
    except ValueError:
        return str(value)
    if until > clock.now():
        return _("locked until {time}").format(time=f"{until:%H:%M}")
    return _(STATUS_WORDS["active"])


def _role_text(value: Any) -> str:
    return _(ROLE_NAMES.get(str(value), str(value or "")))



# Disabled, else the lock-out's end (as text on both engines), else active.
STATUS = Case(None, [(User.active == False, "disabled"),  # noqa: E712 - SQL
                     (User.locked_until.is_null(False), User.locked_until.cast("TEXT"))],
              "active")


def _users(actor: Any, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    return User.select()


def _search(text: str) -> Any:
    pattern = contains_pattern(text)
    return (ilike(User.username, pattern) | ilike(User.full_name, pattern)
            | ilike(User.department, pattern))


USERS = define(ListDef(
    name="users",
    title=N_("Users"),
    permission="user.manage",
    columns=(
        # Fixed widths that fit 80 columns (with the list's mark column).
        Column("username", User.username, "User", width=10),
        Column("full_name", User.full_name, "Name", width=12, sortable=False),
        Column("role", User.role, "Role", width=9, sortable=False, format=_role_text),
        Column("department", User.department, "Dept", width=8, sortable=False),
        Column("status", STATUS, "Status", min_width=8, max_width=18, format=_status_text,
               sortable=False),
        Column("last_login", User.last_login_at, "Last login", width=16, sortable=False),
        Column("phone", User.phone, "Telephone", width=14, sortable=False),
    ),
    default_visible=("username", "full_name", "role", "department", "status", "last_login"),
    query=_users,
    search=_search,
    filters=filter_columns(
        FilterColumn("username", "User", User.username),
        FilterColumn("full_name", "Name", User.full_name),
        FilterColumn("role", "Role", User.role),
        FilterColumn("department", "Department", User.department),
        FilterColumn("phone", "Telephone", User.phone),
        FilterColumn("last_login", "Last login", User.last_login_at, "datetime"),
    ),
    default_sort=("username", False),  # the unique index on the user name serves it
    search_hint=N_("type to search users (/)"),
))
