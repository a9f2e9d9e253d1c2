"""``tuicrm config list|get|set``: the settings for scripts, with the validation and the audit
of the Settings screen (as the system actor, audited as ``system:<OS user>``)."""

from __future__ import annotations

import argparse
from typing import Any

from ..data.core.actor import system_actor
from ..i18n import _
from .common import add_db, open_database


def cmd_config_list(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from ..data.core.settings_rows import list_settings

    open_database(args.db)
    rows = list_settings(system_actor())
    if args.section:
        rows = [r for r in rows if r.key.startswith(args.section.rstrip(".") + ".")
                or r.key == args.section]
    # Stable lower-case English headers and keys: scripts read them; people read the
    # description, in their language.
    print(tabulate([[r.key, r.shown if r.multiline else r.value, _(r.description)]
                    for r in rows],
                   ["key", "value", "description"], disable_numparse=True))
    return 0


def cmd_config_get(args: argparse.Namespace) -> int:
    from ..data.core.settings_rows import get_setting

    open_database(args.db)
    print(get_setting(system_actor(), args.key).value)
    return 0


def cmd_config_set(args: argparse.Namespace) -> int:
    from ..data.core import settings
    from ..data.core.settings_rows import get_setting

    open_database(args.db)
    actor = system_actor()
    old = get_setting(actor, args.key).value
    settings.set_value(actor, args.key, args.value)
    new = get_setting(actor, args.key).value
    print(_("{key}: {old} -> {new}").format(key=args.key, old=old or "''", new=new or "''"))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("config", help=_("list, read and change settings (company, printers, "
                       "numbering, backups, ...)"))
    csub = p.add_subparsers(title="config commands", metavar="ACTION", required=True)
    c = csub.add_parser("list", help=_("every setting with its value and what it means"))
    c.add_argument("section", nargs="?", help=_("only this section, e.g. company or backup"))
    add_db(c)
    c.set_defaults(func=cmd_config_list)
    c = csub.add_parser("get", help=_("print one setting's value"))
    c.add_argument("key")
    add_db(c)
    c.set_defaults(func=cmd_config_get)
    c = csub.add_parser("set", help=_("change one setting (checked and audited)"))
    c.add_argument("key")
    c.add_argument("value")
    add_db(c)
    c.set_defaults(func=cmd_config_set)
