"""``tuicrm user add|list|passwd|disable|enable|role``: the users of a database, as the system
actor (audited as ``system:<OS user>``)."""

from __future__ import annotations

import argparse
from typing import Any

from ..data.core.actor import system_actor
from ..i18n import _
from .common import add_db, open_database, read_password


def cmd_user_add(args: argparse.Namespace) -> int:
    from ..data.staff import users

    open_database(args.db)
    password = read_password(_("Password for {name}: ").format(name=args.name))
    user = users.create_user(
        system_actor(), args.name, password, args.role, args.full_name or "", args.department or ""
    )
    print(_("added {name} ({role})").format(name=user.username, role=user.role.value))
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from ..data.core import clock
    from ..data.staff import users

    open_database(args.db)
    t = clock.now()
    rows = []
    for u in users.list_users(system_actor()):
        last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else ""
        rows.append([u.username, u.full_name, u.role.value, u.department, u.status(t), last])
    print(tabulate(rows, ["user", "name", "role", "department", "status", "last login"]))
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from ..data.staff import users

    open_database(args.db)
    actor = system_actor()
    user = users.find_user(actor, args.name)
    users.reset_password(actor, user.id, read_password(
        _("New password for {name}: ").format(name=user.username)))
    print(_("password of {name} changed (account unlocked)").format(name=user.username))
    return 0


def cmd_user_update(args: argparse.Namespace) -> int:
    """disable / enable / role: one change to one user."""
    from ..data.staff import users

    open_database(args.db)
    actor = system_actor()
    user = users.find_user(actor, args.name)
    if args.change == "role":
        users.update_user(actor, user.id, role=args.role)
        print(_("{name} is now {role}").format(name=user.username, role=args.role))
    else:
        users.update_user(actor, user.id, active=args.change == "enable")
        print((_("enabled {name}") if args.change == "enable" else _("disabled {name}")).format(
            name=user.username))
    return 0


def register(sub: Any) -> None:
    from ..data.core.roles import ROLES

    p = sub.add_parser("user", help=_("manage users: add, list, passwd, disable, enable, role"))
    usub = p.add_subparsers(title="user commands", metavar="ACTION", required=True)
    u = usub.add_parser("add", help=_("add a user (password from the terminal or stdin)"))
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=list(ROLES))
    u.add_argument("--full-name")
    u.add_argument("--department")
    add_db(u)
    u.set_defaults(func=cmd_user_add)
    u = usub.add_parser("list", help=_("list users"))
    add_db(u)
    u.set_defaults(func=cmd_user_list)
    u = usub.add_parser("passwd", help=_("set a user's password and unlock the account"))
    u.add_argument("name")
    add_db(u)
    u.set_defaults(func=cmd_user_passwd)
    u = usub.add_parser("disable", help=_("stop a user from logging in"))
    u.add_argument("name")
    add_db(u)
    u.set_defaults(func=cmd_user_update, change="disable")
    u = usub.add_parser("enable", help=_("let a disabled user log in again"))
    u.add_argument("name")
    add_db(u)
    u.set_defaults(func=cmd_user_update, change="enable")
    u = usub.add_parser("role", help=_("change a user's role"))
    u.add_argument("name")
    u.add_argument("role", choices=list(ROLES))
    add_db(u)
    u.set_defaults(func=cmd_user_update, change="role")
