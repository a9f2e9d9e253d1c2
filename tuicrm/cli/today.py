"""``tuicrm today``: a user's Today list as text or CSV (a login banner, a cron mail)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..data.core.actor import system_actor
from ..i18n import _
from .common import CliError, add_db, open_database


def cmd_today(args: argparse.Namespace) -> int:
    from ..data.agenda import today
    from ..data.staff import users

    open_database(args.db)
    actor = system_actor()
    user = users.find_user(actor, args.user)
    if not user.active:
        raise CliError(_("user {username} is disabled").format(username=user.username))
    items = today.build_today(actor, user_id=user.id)  # their list, as they would see it
    if args.format == "csv":
        sys.stdout.write(today.render_csv(items))
    else:
        sys.stdout.write(today.render_text(items, user.actor))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "today", help=_("print a user's Today list: reminders due and overdue, announcements, alerts")
    )
    p.add_argument("--user", required=True, metavar="NAME", help=_("whose list"))
    p.add_argument("--format", choices=["text", "csv"], default="text",
                   help=_("plain text (default; for a login banner or a cron mail) or CSV"))
    add_db(p)
    p.set_defaults(func=cmd_today)
