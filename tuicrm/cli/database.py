"""``tuicrm`` (the app), ``init``, ``demo`` and ``check``: making, filling and checking a
database."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..i18n import _, ngettext
from .common import EXIT_ERROR, CliError, add_db, iso_date, open_database, positive, read_password

SESSION_CACHE_SIZE = -2048  # KiB (negative: a size, not pages) per connection of the app


def demo_location(db: str | None) -> str:
    """``--demo``: the demo database (``db`` if given), opened and filled with demo data on
    first use; its location. Every command works on it (``tuicrm --demo today --user
    counter``), not only the app."""
    from ..data.core import db as dbmod

    location = open_database(db or str(dbmod.demo_db_path()), must_exist=False)
    from ..data.staff import users

    if not users.has_users():
        print(_("Building the demo database (first run only)..."), file=sys.stderr)
        from ..data.demo import builder as demo

        demo.build_demo()
    return location


def cmd_run(args: argparse.Namespace) -> int:
    from ..data.core import db as dbmod
    from ..terminal.link import terminal_problem

    # An interactive session keeps a small SQLite page cache per connection: each worker
    # thread has its own, and at 1M customers 16 MB each grew one session to 103 MiB in 10
    # minutes of searching. The file's pages stay in the OS cache, shared by every session.
    dbmod.SQLITE_PRAGMAS["cache_size"] = SESSION_CACHE_SIZE

    # Never creates a database: a missing file (deleted under its users?) is reported, not
    # replaced by an empty one offering "create the administrator" to whoever came first.
    location = demo_location(args.db) if args.demo else open_database(args.db)
    # After the database: a missing or damaged one is the problem to name first.
    problem = terminal_problem()
    if problem:
        raise CliError(problem)
    from ..app import make_app
    from ..terminal.memory import limit_malloc_arenas

    limit_malloc_arenas()  # before the worker threads: see terminal/memory.py

    app = make_app(location, language=args.lang, auto_backup=True,
                   ascii_style=getattr(args, "ascii", None))
    try:
        app.run()
    finally:
        dbmod.close()
    if app.pending_restore is not None:  # chosen on the Backup screen; the app has closed
        from ..data.backup.restoring import restore_into
        from .backup import print_restored

        backup, actor = app.pending_restore
        print_restored(restore_into(backup, location, actor))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from ..data.staff import users

    open_database(args.db, must_exist=False)
    if users.has_users():
        raise CliError(_("this database already has users; use 'tuicrm user add'"))
    password = read_password(f"Password for {args.admin}: ")
    user = users.create_first_admin(args.admin, password, args.full_name or "")
    print(_("created administrator {name}").format(name=user.username))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from ..data.demo import builder as demo

    location = open_database(args.db, must_exist=False)
    start = time.perf_counter()

    def progress(step: str, done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{step}: {done:,}/{total:,}   ", end="", file=sys.stderr, flush=True)

    summary = demo.build_demo(
        customers=args.customers,
        products=args.products,
        orders=args.orders,
        seed=args.seed,
        progress=progress,
        today=args.today,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("demo data written to {location} in {seconds:.1f} s").format(
        location=location, seconds=time.perf_counter() - start))
    print(summary)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ..data import check

    location = open_database(args.db)
    problems = check.run_checks()
    for p in problems:
        print(p)
    if problems:
        print(ngettext("{n} problem in {location}", "{n} problems in {location}",
                       len(problems)).format(n=len(problems), location=location),
              file=sys.stderr)
        return EXIT_ERROR
    print(_("{location}: no problems found").format(location=location))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("init", help=_("create the administrator of a new database"))
    p.add_argument("--admin", required=True, metavar="NAME", help=_("administrator's user name"))
    p.add_argument("--full-name", help=_("administrator's full name"))
    p.epilog = "The password is read from the terminal, or from the first line of stdin."
    add_db(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help=_("fill a database with realistic demo data"))
    add_db(p)
    p.add_argument("--customers", type=positive, default=2000, metavar="N")
    p.add_argument("--products", type=positive, default=1000, metavar="N")
    p.add_argument("--orders", type=positive, default=5000, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--today", type=iso_date, default=None, metavar="YYYY-MM-DD",
                   help=_("build the year of orders up to this day instead of today "
                        "(the same seed and day always give the same data)"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help=_("check the database's integrity and business rules"))
    add_db(p)
    p.set_defaults(func=cmd_check)
