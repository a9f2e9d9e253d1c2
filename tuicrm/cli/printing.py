"""``tuicrm print``: a document as it prints, to a printer, a file or standard output.

``tuicrm print statement CODE [--supplier] [--from DATE] [--to DATE] [-o FILE | --printer
NAME]``: a statement of account (month-end runs from cron: one file per customer).
``tuicrm print order NUMBER [--as invoice|delivery-note|receipt|...]``: an order's documents.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..data.core.actor import system_actor
from ..i18n import _
from .common import CliError, add_db, iso_date, open_database


def _deliver(text: str, args: argparse.Namespace) -> None:
    from ..reports import documents

    if args.output:
        message = documents.print_text(text, path=args.output, overwrite=args.overwrite)
    elif args.printer is not None:
        message = documents.print_text(text, printer=args.printer or None, kind="document")
    else:
        sys.stdout.write(text)
        return
    print(message)


def cmd_statement(args: argparse.Namespace) -> int:
    from ..data.core.vocab import Side
    from ..data.money.statement import statement_by_code
    from ..reports.statement_document import statement_text

    open_database(args.db)
    side = Side.SUPPLIER if args.supplier else Side.CUSTOMER
    document = statement_by_code(system_actor(), side, args.code, args.start, args.end)
    _deliver(statement_text(document), args)
    return 0


def cmd_order(args: argparse.Namespace) -> int:
    from ..data.sales import orders
    from ..reports import order_documents

    open_database(args.db)
    actor = system_actor()
    document = orders.order_document(actor, orders.find_order(actor, args.number).id)
    kinds = {k.name.replace("_", "-"): k for k in order_documents.documents_for(document.order)}
    wanted = (args.kind or "").replace("_", "-")
    kind = kinds.get(wanted) if wanted else next(iter(kinds.values()), None)
    if kind is None:
        raise CliError(_("{number} has no document {kind!r}; it has: {kinds}").format(
            number=document.order.number, kind=args.kind, kinds=", ".join(kinds)))
    _deliver(order_documents.render(document, kind), args)
    return 0


def _outputs(p: argparse.ArgumentParser) -> None:
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="FILE",
                       help=_("write to FILE (a bare name: the files folder)"))
    where.add_argument("--printer", nargs="?", const="", metavar="NAME",
                       help=_("send to a printer set up in Settings (no NAME: the document "
                              "printer)"))
    p.add_argument("--overwrite", action="store_true", help=_("replace FILE if it exists"))
    add_db(p)


def register(sub: Any) -> None:
    p = sub.add_parser("print", help=_("print a statement of account or an order's document "
                                       "(to a printer, a file or standard output)"))
    psub = p.add_subparsers(dest="document", required=True, metavar="DOCUMENT")
    s = psub.add_parser("statement", help=_("a customer's (or --supplier's) statement of "
                                            "account"))
    s.add_argument("code", help=_("the customer's (or supplier's) code"))
    s.add_argument("--supplier", action="store_true", help=_("a supplier's statement"))
    s.add_argument("--from", dest="start", type=iso_date, metavar="DATE",
                   help=_("first day (default: the first entry)"))
    s.add_argument("--to", dest="end", type=iso_date, metavar="DATE",
                   help=_("last day (default: today)"))
    _outputs(s)
    s.set_defaults(func=cmd_statement)
    o = psub.add_parser("order", help=_("an order's invoice, delivery note, receipt, ..."))
    o.add_argument("number", help=_("the order's number, e.g. SO-2026-000123"))
    o.add_argument("--as", dest="kind", metavar="KIND",
                   help=_("which document (default: the first the order has)"))
    _outputs(o)
    o.set_defaults(func=cmd_order)
