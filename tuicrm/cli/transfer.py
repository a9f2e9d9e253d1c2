"""``tuicrm import`` and ``tuicrm export``: lists in and out of .xlsx and .csv files, through
the same import framework and list definitions as the screens."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..data.core.actor import system_actor
from ..i18n import N_, _, ngettext
from .common import EXIT_ERROR, CliError, add_db, open_database

#: The words of import summaries, translated where printed.
IMPORT_WORDS = {"customer": N_("customer"), "customers": N_("customers"),
                "product": N_("product"), "products": N_("products"),
                "receipt": N_("receipt"), "receipts": N_("receipts"),
                "groups": N_("groups"), "categories": N_("categories")}

def cmd_import(args: argparse.Namespace) -> int:
    """``tuicrm import customers|products FILE``: the same import as the Customers screen's,
    as the system actor; exit 1 with every problem listed, or nothing written."""
    from ..data.transfer.customer_import import CustomerImport
    from ..data.transfer.importer import Importer
    from ..data.transfer.product_import import ProductImport
    from ..data.transfer.run import run_import

    open_database(args.db)
    importer: Importer[Any]
    if args.what == "receipts":
        from ..data.money.receipt_import import ReceiptImport

        importer, made = ReceiptImport(), "groups"
    elif args.what == "products":
        importer, made = ProductImport(create_categories=args.create_groups), "categories"
    else:
        importer, made = CustomerImport(create_groups=args.create_groups,
                                        duplicates=args.duplicates), "groups"
    from .imports import ProgressLine, stop_on_signal

    with stop_on_signal() as stop:
        result = run_import(system_actor(), importer, args.file, dry_run=args.dry_run,
                            progress=ProgressLine() if sys.stderr.isatty() or args.progress
                            else None, cancel=stop, keep_on_cancel=True)
    if result.cancelled:
        print(f"stopped while checking {args.file}; nothing was imported", file=sys.stderr)
        return 130
    for problem in result.problems:
        print(problem)
    for warning in result.warnings:
        print(_("warning: {warning}").format(warning=warning), file=sys.stderr)
    if result.warning_count > len(result.warnings):
        print(_("warning: {n} more like these").format(
            n=result.warning_count - len(result.warnings)), file=sys.stderr)
    if result.problems:
        undone = (" " + _("(the {n} rows written before it was found were taken back)")
                  .format(n=f"{result.undone:,}") if result.undone else "")
        print(ngettext("{n} problem in {file}; nothing was imported",
                       "{n} problems in {file}; nothing was imported",
                       len(result.problems)).format(n=len(result.problems), file=args.file)
              + undone,
              file=sys.stderr)
        return EXIT_ERROR
    created = ""
    if result.groups_created:
        created = " " + _("(new {what}: {names})").format(
            what=_(IMPORT_WORDS.get(made, made)), names=", ".join(result.groups_created))

    def noun(n: int) -> str:  # "1 customer", "2 customers"
        word = importer.entity if n == 1 else importer.noun
        return _(IMPORT_WORDS.get(word, word))

    if args.dry_run:
        print(_("{n} {noun} would be imported{created}; nothing was written").format(
            n=result.rows, noun=noun(result.rows), created=created))
    else:
        run = (" " + _("(import run {run})").format(run=result.run)
               if result.run is not None else "")
        print(_("imported {n} {noun}{created}").format(
            n=result.imported, noun=noun(result.imported), created=created) + run)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.what == "count":
        return _export_count(args)
    if args.extra is not None:
        raise CliError(_("export {what} takes one FILE, not two").format(what=args.what))
    open_database(args.db)
    from ..reports.interchange import export_data

    category_id = None
    if args.group and args.what == "products":
        from ..data.catalog.categories import product_categories

        node = product_categories.find(args.group)
        if node is None:
            raise CliError(_("no product category {group!r}").format(group=args.group))
        category_id = node.id
    group = args.group if args.what == "customers" else None
    path = os.path.abspath(args.file)  # a relative name is the current folder's, as usual
    n = export_data(args.what, path, system_actor(), search=args.search, group=group,
                    category_id=category_id, overwrite=args.overwrite)
    print(_("exported {n} {what} to {path}").format(n=n, what=args.what, path=path))
    return 0


def _export_count(args: argparse.Namespace) -> int:
    """``tuicrm export count NUMBER FILE``: product_code, expected, counted, variance."""
    if args.extra is None:
        raise CliError(_("usage: tuicrm export count NUMBER FILE"))
    from ..reports.count_reports import export_count

    open_database(args.db)
    path = os.path.abspath(args.extra)
    n = export_count(system_actor(), args.file, path, overwrite=args.overwrite)
    print(_("exported {n} lines of stock count {number} to {path}").format(
        n=n, number=args.file, path=path))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("import",
                       help=_("import customers, products or receipts (a bank or mobile-pay "
                       "export) from .xlsx or .csv (all or nothing)"))
    p.add_argument("what", choices=["customers", "products", "receipts"])
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help=_("check the file, write nothing"))
    p.add_argument("--progress", action="store_true",
                   help=_("report progress on stderr even when it is not a terminal"))
    p.add_argument("--duplicates", choices=["refuse", "skip", "update"], default="refuse",
                   help=_("rows that look like existing customers (same code, tax number, "
                        "phone or name): refuse the file (default), skip those rows, or "
                        "update the customer they match"))
    p.add_argument("--create-groups", "--create-categories", action="store_true",
                   dest="create_groups",
                   help=_("create customer groups / product categories the file names that do "
                   "not exist (default: a problem)"))
    add_db(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help=_("export a list (customers, contacts, suppliers, products, "
                       "orders, order-lines, stock, tickets, receipts, payments, expenses) "
                       "or a stock count to .xlsx or .csv"))
    p.add_argument("what", choices=["customers", "contacts", "suppliers", "products", "orders",
                                    "order-lines", "stock", "tickets", "count", "receipts",
                                    "payments", "expenses"])
    p.add_argument("file", metavar="FILE", help=_("the format follows the extension "
                   "(export count NUMBER FILE: the count's number, then the file)"))
    p.add_argument("extra", nargs="?", metavar="FILE", help=argparse.SUPPRESS)
    p.add_argument("--group", metavar="G",
                   help=_("only this customer group or product category (name or a/b path)"))
    p.add_argument("--search", metavar="S", help=_("only what a quick search for S finds"))
    p.add_argument("--overwrite", action="store_true",
                   help=_("replace FILE if it exists (never a symbolic link)"))
    add_db(p)
    p.set_defaults(func=cmd_export)
