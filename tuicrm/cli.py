"""The ``tuicrm`` command: the app, or a headless command sharing the same operations.

Textual is imported only when the app runs, so headless commands start fast. Every error a
user can cause ends in one line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .data.core.actor import system_actor
from .data.core.errors import TuicrmError

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A one-line message for stderr."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text}")
    return value


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_db(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # Sub-commands must not reset a --db given before the command name.
    parser.add_argument(
        "--db",
        default=None if top else argparse.SUPPRESS,
        metavar="PATH|URL",
        help="SQLite file or postgresql:// URL (default: $TUICRM_DB, else tuicrm.db in the "
        "user data directory)",
    )


def read_password(prompt: str = "Password: ", confirm: bool = True) -> str:
    """From the terminal (asked twice), or the first line of stdin for scripts."""
    if sys.stdin is None or not sys.stdin.isatty():
        line = sys.stdin.readline() if sys.stdin else ""
        if not line:
            raise CliError("no password given on standard input")
        return line.rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise CliError("the two passwords differ")
    return first


def open_database(location: str | None, must_exist: bool = True) -> str:
    """Open (and upgrade) the database; only the app, init and demo may create a new one."""
    from pathlib import Path

    from .data.core import db as dbmod
    from .data.core import schema

    resolved = dbmod.resolve_location(location)
    if must_exist and not dbmod.is_postgres(resolved) and not Path(resolved).exists():
        raise CliError(f"no database at {resolved}; create one with 'tuicrm init --admin NAME'")
    return schema.open_db(resolved)


# -- commands ------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from .data.core import db as dbmod

    if args.demo:
        location = args.db or str(dbmod.demo_db_path())
        location = open_database(location, must_exist=False)
        from .data.staff import users

        if not users.has_users():
            print("Building the demo database (first run only)...", file=sys.stderr)
            from .data.demo import builder as demo

            demo.build_demo()
    else:
        location = open_database(args.db, must_exist=False)
    from .app import make_app

    try:
        make_app(location).run()
    finally:
        dbmod.close()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .data.staff import users

    open_database(args.db, must_exist=False)
    if users.has_users():
        raise CliError("this database already has users; use 'tuicrm user add'")
    password = read_password(f"Password for {args.admin}: ")
    user = users.create_first_admin(args.admin, password, args.full_name or "")
    print(f"created administrator {user.username}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from .data.staff import users

    open_database(args.db)
    password = read_password(f"Password for {args.name}: ")
    user = users.create_user(
        system_actor(), args.name, password, args.role, args.full_name or "", args.department or ""
    )
    print(f"added {user.username} ({user.role.value})")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from .data.core import clock
    from .data.staff import users

    open_database(args.db)
    t = clock.now()
    rows = []
    for u in users.list_users(system_actor()):
        last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else ""
        rows.append([u.username, u.full_name, u.role.value, u.department, u.status(t), last])
    print(tabulate(rows, ["user", "name", "role", "department", "status", "last login"]))
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from .data.staff import users

    open_database(args.db)
    actor = system_actor()
    user = users.find_user(actor, args.name)
    users.reset_password(actor, user.id, read_password(f"New password for {user.username}: "))
    print(f"password of {user.username} changed (account unlocked)")
    return 0


def cmd_user_update(args: argparse.Namespace) -> int:
    """disable / enable / role: one change to one user."""
    from .data.staff import users

    open_database(args.db)
    actor = system_actor()
    user = users.find_user(actor, args.name)
    if args.change == "role":
        users.update_user(actor, user.id, role=args.role)
        print(f"{user.username} is now {args.role}")
    else:
        users.update_user(actor, user.id, active=args.change == "enable")
        print(f"{args.change}d {user.username}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from .data.demo import builder as demo

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
    print(f"demo data written to {location} in {time.perf_counter() - start:.1f} s")
    print(summary)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .data import check

    location = open_database(args.db)
    problems = check.run_checks()
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {location}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{location}: no problems found")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``tuicrm import customers|products FILE``: the same import as the Customers screen's,
    as the system actor; exit 1 with every problem listed, or nothing written."""
    from .data.transfer.customer_import import CustomerImport
    from .data.transfer.importer import Importer
    from .data.transfer.product_import import ProductImport
    from .data.transfer.run import run_import

    open_database(args.db)
    importer: Importer[Any]
    if args.what == "products":
        importer, made = ProductImport(create_categories=args.create_groups), "categories"
    else:
        importer, made = CustomerImport(create_groups=args.create_groups), "groups"
    result = run_import(system_actor(), importer, args.file, dry_run=args.dry_run)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problem(s) in {args.file}; nothing was imported",
              file=sys.stderr)
        return EXIT_ERROR
    created = f" (new {made}: {', '.join(result.groups_created)})" if result.groups_created else ""
    if args.dry_run:
        print(f"{result.rows} {importer.noun} would be imported{created}; nothing was written")
    else:
        print(f"imported {result.imported} {importer.noun}{created}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.what == "count":
        return _export_count(args)
    if args.extra is not None:
        raise CliError(f"export {args.what} takes one FILE, not two")
    open_database(args.db)
    from .reports.interchange import export_data

    category_id = None
    if args.group and args.what == "products":
        from .data.catalog.categories import product_categories

        node = product_categories.find(args.group)
        if node is None:
            raise CliError(f"no product category {args.group!r}")
        category_id = node.id
    group = args.group if args.what == "customers" else None
    n = export_data(args.what, args.file, system_actor(), search=args.search, group=group,
                    category_id=category_id)
    print(f"exported {n} {args.what} to {args.file}")
    return 0


def _export_count(args: argparse.Namespace) -> int:
    """``tuicrm export count NUMBER FILE``: product_code, expected, counted, variance."""
    if args.extra is None:
        raise CliError("usage: tuicrm export count NUMBER FILE")
    from .reports.count_reports import export_count

    open_database(args.db)
    n = export_count(system_actor(), args.file, args.extra)
    print(f"exported {n} lines of stock count {args.file} to {args.extra}")
    return 0


def cmd_today(args: argparse.Namespace) -> int:
    from .data.agenda import today
    from .data.staff import users

    open_database(args.db)
    actor = system_actor()
    user = users.find_user(actor, args.user)
    if not user.active:
        raise CliError(f"user {user.username} is disabled")
    items = today.build_today(actor, user_id=user.id)  # their list, as they would see it
    if args.format == "csv":
        sys.stdout.write(today.render_csv(items))
    else:
        sys.stdout.write(today.render_text(items, user.actor))
    return 0


# -- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from .data.core.roles import ROLES

    parser = argparse.ArgumentParser(
        prog="tuicrm",
        description="Customers, products, orders and stock in a terminal. Without a command, "
        "runs the app.",
    )
    _add_db(parser, top=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run on the demo database (created with demo data on first use)",
    )
    parser.set_defaults(func=cmd_run)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("init", help="create the administrator of a new database")
    p.add_argument("--admin", required=True, metavar="NAME", help="administrator's user name")
    p.add_argument("--full-name", help="administrator's full name")
    p.epilog = "The password is read from the terminal, or from the first line of stdin."
    _add_db(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("user", help="manage users: add, list, passwd, disable, enable, role")
    usub = p.add_subparsers(title="user commands", metavar="ACTION", required=True)
    u = usub.add_parser("add", help="add a user (password from the terminal or stdin)")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=list(ROLES))
    u.add_argument("--full-name")
    u.add_argument("--department")
    _add_db(u)
    u.set_defaults(func=cmd_user_add)
    u = usub.add_parser("list", help="list users")
    _add_db(u)
    u.set_defaults(func=cmd_user_list)
    u = usub.add_parser("passwd", help="set a user's password and unlock the account")
    u.add_argument("name")
    _add_db(u)
    u.set_defaults(func=cmd_user_passwd)
    u = usub.add_parser("disable", help="stop a user from logging in")
    u.add_argument("name")
    _add_db(u)
    u.set_defaults(func=cmd_user_update, change="disable")
    u = usub.add_parser("enable", help="let a disabled user log in again")
    u.add_argument("name")
    _add_db(u)
    u.set_defaults(func=cmd_user_update, change="enable")
    u = usub.add_parser("role", help="change a user's role")
    u.add_argument("name")
    u.add_argument("role", choices=list(ROLES))
    _add_db(u)
    u.set_defaults(func=cmd_user_update, change="role")

    p = sub.add_parser("demo", help="fill a database with realistic demo data")
    _add_db(p)
    p.add_argument("--customers", type=_positive, default=2000, metavar="N")
    p.add_argument("--products", type=_positive, default=1000, metavar="N")
    p.add_argument("--orders", type=_positive, default=5000, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--today", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                   help="build the year of orders up to this day instead of today "
                        "(the same seed and day always give the same data)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import",
                       help="import customers or products from .xlsx or .csv (all or nothing)")
    p.add_argument("what", choices=["customers", "products"])
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    p.add_argument("--create-groups", "--create-categories", action="store_true",
                   dest="create_groups",
                   help="create customer groups / product categories the file names that do "
                   "not exist (default: a problem)")
    _add_db(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export a list (customers, contacts, suppliers, products, "
                       "orders, order-lines, stock) or a stock count to .xlsx or .csv")
    p.add_argument("what", choices=["customers", "contacts", "suppliers", "products", "orders",
                                    "order-lines", "stock", "count"])
    p.add_argument("file", metavar="FILE", help="the format follows the extension "
                   "(export count NUMBER FILE: the count's number, then the file)")
    p.add_argument("extra", nargs="?", metavar="FILE", help=argparse.SUPPRESS)
    p.add_argument("--group", metavar="G", help="only this customer group or product category (name or a/b path)")
    p.add_argument("--search", metavar="S", help="only what a quick search for S finds")
    _add_db(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "today", help="print a user's Today list: reminders due and overdue, announcements, alerts"
    )
    p.add_argument("--user", required=True, metavar="NAME", help="whose list")
    p.add_argument("--format", choices=["text", "csv"], default="text",
                   help="plain text (default; for a login banner or a cron mail) or CSV")
    _add_db(p)
    p.set_defaults(func=cmd_today)

    p = sub.add_parser("check", help="check the database's integrity and business rules")
    _add_db(p)
    p.set_defaults(func=cmd_check)
    return parser


def _skip_postgres_driver(location: str | None) -> None:
    """peewee imports psycopg when it is imported (~110 ms, a quarter of start-up); a process
    working on a SQLite file never needs it, so hide it before peewee is first imported."""
    import os

    target = location or os.environ.get("TUICRM_DB") or ""
    if "peewee" not in sys.modules and not target.startswith(("postgres://", "postgresql://")):
        for name in ("psycopg", "psycopg2"):
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _skip_postgres_driver(args.db)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (TuicrmError, CliError) as e:
        print(f"tuicrm: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("tuicrm: interrupted", file=sys.stderr)
        return 130
    except OSError as e:
        print(f"tuicrm: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
