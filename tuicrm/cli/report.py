"""``tuicrm report NAME [--from DATE] [--to DATE] [--as-of DATE] [--by KEY] [--top N] [-o FILE]``
and ``tuicrm report --list`` (R7): any report of the engine, for cron and scripts.

No prompts; exit status 0 on success, 1 on failure (one line on stderr). The format comes from
the file's extension (.txt, .csv, .xlsx); without ``-o`` the report is printed as text fitted
to ``--width`` (default 80). Every parameter any report declares is an option here
(``--NAME VALUE``), so a new report needs no change to this module.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..i18n import _
from .common import CliError, add_db, open_database


def _list_text(width: int = 80) -> str:
    """Every report, its description and options, wrapped to ``width`` cells."""
    from ..i18n import _
    from ..reports.engine import load_catalog
    from ..reports.render import wrap

    lines = []

    def add(text: str, indent: int) -> None:
        first, *rest = wrap(text, width - indent - 4)
        lines.append(" " * indent + first)
        lines.extend(" " * (indent + 4) + line for line in rest)

    for rep in sorted(load_catalog().values(), key=lambda r: (r.topic, r.name)):
        lines.append(f"{rep.name:<20} {_(rep.title)}")
        if rep.description:
            add(_(rep.description), 4)
        for p in rep.params:
            default = p.default_value()
            choice = f" [{' | '.join(p.choices)}]" if p.choices else ""
            if default is None or default == "":  # no default: say what leaving it out means
                what = f"{_(p.label)}: {_(p.help)}" if p.help else _(p.label)
            else:
                value = default.isoformat() if hasattr(default, "isoformat") else default
                what = _("{label}, default {value}").format(label=_(p.label), value=value)
            add(f"--{p.name}: {what}{choice}", 4)
    return "\n".join(lines) + "\n"


def cmd_report(args: argparse.Namespace) -> int:
    from ..data.core.actor import system_actor
    from ..reports.engine import get_report, load_catalog, run_report
    from ..reports.render import fmt_of, render_text, write_report

    if args.list:
        # Listing needs no database: the reports are defined in code.
        sys.stdout.write(_list_text())
        return 0
    if not args.name:
        raise CliError(_("name a report (tuicrm report --list names them)"))
    if args.output:
        fmt_of(args.output)  # a bad extension fails before the report runs
    load_catalog()
    rep = get_report(args.name)
    given = {p.name: getattr(args, _dest(p.name)) for p in rep.params}
    others = [name for name in _param_names() if rep.param(name) is None
              and getattr(args, _dest(name)) is not None]
    if others:
        raise CliError(_("report {name} takes no {join}").format(
                         name=rep.name,
                         join=', '.join('--' + n for n in others)))
    open_database(args.db)
    actor = system_actor()
    if args.user:
        from ..data.staff import users

        user = users.find_user(actor, args.user)
        if not user.active:
            raise CliError(_("user {username} is disabled").format(username=user.username))
        actor = user.actor  # their permissions: no cost columns without product.see_cost
    result = run_report(actor, rep.name, given)
    if args.output:
        n = write_report(result, args.output, width=args.width)
        print(f"{rep.name}: {n:,} rows written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(render_text(result, args.width))
    return 0


def _dest(name: str) -> str:
    return "param_" + name.replace("-", "_")


def _param_names() -> list[str]:
    from ..reports.engine import load_catalog

    names: dict[str, None] = {}
    for rep in load_catalog().values():
        for p in rep.params:
            names.setdefault(p.name, None)
    return list(names)


def _width(text: str) -> int:
    from .common import positive

    value = positive(text)
    if value < 20:
        raise argparse.ArgumentTypeError(_("at least 20 columns"))
    return value


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report", help=_("run a report (sales, stock, staff, ...) to the screen or a file"),
        description=_("Run a report without the app. Output format by the file's extension "
        "(.txt, .csv, .xlsx); text on standard output without -o. 'tuicrm report --list' "
        "names every report and its options."))
    p.add_argument("name", nargs="?", metavar="NAME", help=_("the report (see --list)"))
    p.add_argument("--list", action="store_true", help=_("name every report and its options"))
    p.add_argument("-o", "--output", metavar="FILE", help=_("write to FILE (.txt, .csv, .xlsx)"))
    p.add_argument("--user", metavar="NAME",
                   help=_("run as this user, with their permissions (default: the system)"))
    p.add_argument("--width", type=_width, default=80, metavar="N",
                   help=_("text width in columns (default 80)"))
    seen = set()
    from ..reports.engine import load_catalog

    for rep in load_catalog().values():
        for param in rep.params:
            if param.name in seen:
                continue
            seen.add(param.name)
            metavar = {"date": "YYYY-MM-DD", "int": "N"}.get(param.kind, param.name.upper())
            text = _(param.help) if param.help else _(param.label)
            p.add_argument(f"--{param.name}", dest=_dest(param.name), default=None,
                           metavar=metavar, help=text.replace("%", "%%"))  # argparse formats it
    add_db(p)
    p.set_defaults(func=cmd_report)
