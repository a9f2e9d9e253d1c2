"""The ``tuicrm`` command: the app, or a headless command sharing the same operations.

Each command group is a module here with a ``register(subparsers)`` function; a new group is
one module and one line in ``COMMAND_MODULES``. Textual is imported only when the app runs, so
headless commands start fast. Every error a user can cause ends in one line on stderr and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from ..data.core.errors import TuicrmError
from ..i18n import _, choose_language, language_from_environment, set_language
from . import common
from .argparse_words import speak_in_argparse
from .common import EXIT_ERROR, CliError, add_db

# In the order ``tuicrm --help`` lists them.
COMMAND_MODULES = ("database", "users", "config", "backup", "transfer", "imports", "today",
                   "report", "printing", "kiosk")


def build_parser() -> argparse.ArgumentParser:
    from .database import cmd_run

    parser = argparse.ArgumentParser(
        prog="tuicrm",
        description=_("Customers, products, orders and stock in a terminal. Without a command, "
                      "runs the app."),
    )
    add_db(parser, top=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("run on the demo database (created with demo data on first use)"),
    )
    parser.add_argument(
        "--lang", metavar="LANG", default=None,
        help=_("interface language: en or zh_CN (default: the user's choice, the site's "
               "setting, then $LANG)"),
    )
    parser.add_argument(
        "--ascii", action="store_true", default=None,
        help=_("draw only ASCII (borders, ellipsis, arrows): for terminals that show "
               "ambiguous-width characters two cells wide (also TUICRM_ASCII=1, setting "
               "ui.ascii)"),
    )
    parser.set_defaults(func=cmd_run)
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def _skip_postgres_driver(location: str | None) -> None:
    """peewee imports psycopg when it is imported (~110 ms, a quarter of start-up); a process
    working on a SQLite file never needs it, so hide it before peewee is first imported."""
    import os

    target = location or os.environ.get("TUICRM_DB") or ""
    if "peewee" not in sys.modules and not target.startswith(("postgres://", "postgresql://")):
        for name in ("psycopg", "psycopg2"):
            sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def _language_option(argv: Sequence[str]) -> str | None:
    """``--lang X`` / ``--lang=X``, read before the parser exists (its help is translated)."""
    return _early_option(argv, "--lang")


def _early_option(argv: Sequence[str], name: str) -> str | None:
    """``NAME X`` / ``NAME=X`` in ``argv``, read before the parser exists."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    common.chosen_language = _language_option(argv)
    set_language(choose_language(common.chosen_language, language_from_environment()))
    speak_in_argparse()
    # Before the parser: building it imports the report catalogue, and with it peewee.
    _skip_postgres_driver(_early_option(argv, "--db"))
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        if getattr(args, "demo", False) and func.__name__ not in ("cmd_run", "cmd_demo"):
            # --demo with a command: the command works on the demo database (built on first
            # use), which it then finds open under the same location.
            from .database import demo_location

            args.db = demo_location(args.db)
        elif getattr(args, "demo", False) and func.__name__ == "cmd_demo" and not args.db:
            from ..data.core.db import demo_db_path

            args.db = str(demo_db_path())  # fill the demo database, not the real one
        return func(args)
    except (TuicrmError, CliError) as e:
        from ..reports.saving import FileExists

        if isinstance(e, FileExists):  # the screen's wording says "Enter again"
            e = CliError(_("{path} exists: --overwrite replaces it").format(path=e.path))
        print(f"tuicrm: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("tuicrm: " + _("interrupted"), file=sys.stderr)
        return 130
    except OSError as e:
        print(f"tuicrm: {e.strerror or e}: {e.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # noqa: BLE001 - a fault or a defect: one line, never a traceback
        from ..data.core.faults import fault_of
        from ..error_log import one_line

        fault = fault_of(e)
        print(f"tuicrm: {fault if fault is not None else one_line(e, 'cli')}", file=sys.stderr)
        return EXIT_ERROR


__all__ = ["CliError", "build_parser", "main"]
