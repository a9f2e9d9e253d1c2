"""``tuicrm backup [-o DIR] [--drill] [--if-due] [--list]`` and ``tuicrm restore FILE``.

A backup is copied online, verified on the copy and only then published; a restore refuses a
damaged, unverified or newer-schema backup with one line and keeps a safety backup of what it
replaces. Both run as the system actor; the restore is recorded in the restored database's
audit trail.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..i18n import _
from .common import CliError, add_db, open_database


def cmd_backup(args: argparse.Namespace) -> int:
    from ..data.backup import folder, restoring, schedule
    from ..data.backup.making import make_backup
    from ..data.core import db as dbmod

    location = open_database(args.db)
    out = Path(args.output).expanduser() if args.output else None
    if args.list:
        entries = folder.list_backups(out or folder.backup_dir(location))
        for e in entries:
            state = _("verified") if e.verified else (e.problem or _("not verified"))
            print(f"{e.created_at:%Y-%m-%d %H:%M:%S}  {e.size / 2**20:10,.1f} MiB  {state:9}  "
                  f"{e.path}")
        if not entries:
            print(_("no backups in {folder}").format(folder=out or folder.backup_dir(location)))
        return 0
    if args.drill:
        result = restoring.drill(location)
        if not result.ok:
            raise CliError(_("drill with {name} failed: {detail}").format(
                             name=result.backup.name,
                             detail=result.detail))
        print(_("drill: {name} {detail}").format(name=result.backup.name, detail=result.detail))
        return 0
    if args.if_due:
        made = schedule.run_if_due(location)
        print(made.describe() if made else _("no backup due"))
        return 0
    made = make_backup(location, out, quick=args.quick)
    if out is None:
        schedule.after_backup(made.path)
    rows = sum(made.counts.values())
    print(made.describe() + _(": {rows:,} rows in {tables} tables").format(
        rows=rows, tables=len(made.counts)))
    dbmod.close()
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..data.backup.restoring import restore_into
    from ..data.core import db as dbmod
    from ..data.core.actor import system_actor

    done = restore_into(Path(args.file), dbmod.resolve_location(args.db), system_actor())
    print_restored(done)
    return 0


def print_restored(done: Any) -> None:
    print(_("restored {name} (made {made}) into {target}").format(
        name=done.source.name, made=done.manifest.get("created_at"), target=done.target))
    if done.safety:
        print(_("the database it replaced was kept as {safety}").format(safety=done.safety))


def register(sub: Any) -> None:
    p = sub.add_parser("backup", help=_("make a verified backup (or --drill, --list, --if-due)"))
    p.add_argument("-o", "--output", metavar="DIR",
                   help=_("folder for this backup (default: setting backup.dir, else 'backups' "
                   "beside the database)"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--drill", action="store_true",
                      help=_("restore the latest backup into a scratch place and prove it"))
    what.add_argument("--list", action="store_true", help=_("list the backups"))
    what.add_argument("--if-due", action="store_true",
                      help=_("back up only when setting backup.every_hours says one is due"))
    check = p.add_mutually_exclusive_group()
    check.add_argument("--quick", action="store_const", const=True, dest="quick",
                       help=_("verify the copy with SQLite's quick_check (default above 256 MiB)"))
    check.add_argument("--full", action="store_const", const=False, dest="quick",
                       help=_("verify the copy with the full integrity_check (default up to "
                       "256 MiB)"))
    add_db(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=_("restore a backup (refuses damaged, unverified or "
                       "newer ones; keeps a safety backup of what it replaces)"))
    p.add_argument("file", metavar="FILE")
    add_db(p)
    p.set_defaults(func=cmd_restore)


__all__ = ["CliError", "register"]
