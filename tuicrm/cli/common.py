"""What every ``tuicrm`` command shares: one-line errors, argument types, the --db option,
passwords from the terminal or stdin, and opening the database."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from ..i18n import _

EXIT_ERROR = 1
EXIT_USAGE = 2

chosen_language: str | None = None  # --lang, set by main()


class CliError(Exception):
    """A one-line message for stderr."""


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a whole number: {text!r}").format(text=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("must not be negative: {text}").format(text=text))
    return value


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text!r}").format(text=text)) from None


def add_db(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # Sub-commands must not reset a --db given before the command name.
    parser.add_argument(
        "--db",
        default=None if top else argparse.SUPPRESS,
        metavar="PATH|URL",
        help=_("SQLite file or postgresql:// URL (default: $TUICRM_DB, else tuicrm.db in the "
        "user data directory)"),
    )


def read_password(prompt: str = "Password: ", confirm: bool = True) -> str:
    """From the terminal (asked twice), or the first line of stdin for scripts."""
    if sys.stdin is None or not sys.stdin.isatty():
        line = sys.stdin.readline() if sys.stdin else ""
        if not line:
            raise CliError(_("no password given on standard input"))
        return line.rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise CliError(_("the two passwords differ"))
    return first


def open_database(location: str | None, must_exist: bool = True) -> str:
    """Open (and upgrade) the database; only init and demo (and the demo app) may create a
    new one: a database deleted under its users is never silently replaced by an empty one
    whose first visitor would be offered to create the administrator."""
    from pathlib import Path

    from ..data.core import db as dbmod
    from ..data.core import schema, settings
    from ..i18n import choose_language, language_from_environment, set_language

    resolved = dbmod.resolve_location(location)
    if must_exist and not dbmod.is_postgres(resolved) and not Path(resolved).exists():
        raise CliError(_("no database at {path}; create one with 'tuicrm init --admin NAME'")
                       .format(path=resolved))
    opened = schema.open_db(resolved, create=not must_exist)
    # Now the site's language is known: it comes after --lang and before $LANG.
    set_language(choose_language(chosen_language, settings.value(settings.UI_LANGUAGE),
                                 language_from_environment()))
    from ..data.core.formats import use_currency

    use_currency(settings.value(settings.CURRENCY))
    return opened
