"""The areas of the app: one entry per screen a user can open from Home or the palette.

Screens are imported only when opened, which keeps start-up fast. A later capability adds
its screen here, and Home, the command palette and F1 help pick it up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen

from ..i18n import N_


@dataclass(frozen=True)
class Area:
    name: str  # as typed in the command palette
    key: str  # the key on the Home screen
    description: str
    target: str  # "module:ClassName" under tuicrm.screens
    permission: str | None = None  # hide the entry unless allowed (operations check anyway)

    def factory(self) -> Callable[[], Screen[Any]]:
        module, cls = self.target.split(":")
        screen_class: Callable[[], Screen[Any]] = getattr(
            importlib.import_module(f"tuicrm.screens.{module}"), cls)
        return screen_class


# In the order a shop uses them: the day, selling and buying, parties, goods, then admin.
AREAS: list[Area] = [
    Area(N_("Today"), "t",
         N_("What is due and overdue, announcements, alerts"),
         "today:TodayScreen"),
    Area(N_("Order entry"), "e",
         N_("Sell at the counter: scan or type codes, complete, receipt"),
         "order_entry:OrderEntryScreen", "order.sell"),
    Area(N_("Orders"), "q",
         N_("Quotes, drafts and orders: reopen, convert, deliver, return, receive"),
         "orders:OrdersScreen"),
    Area(N_("Order lines"), "l",
         N_("Every line of every order: product, customer, quantity, price"),
         "order_lines:OrderLinesScreen"),
    Area(N_("Purchase (receiving)"), "b",
         N_("Purchase orders to suppliers; scan to receive goods"),
         "order_entry:PurchaseEntryScreen", "order.purchase"),
    Area(N_("Receipts"), "i",
         N_("Money from customers: open invoices oldest first, allocate, write off"),
         "receipts:ReceiptsScreen", "money.receive"),
    Area(N_("Payments"), "y",
         N_("Money to suppliers: their open bills oldest first"),
         "receipts:PaymentsScreen", "money.pay"),
    Area(N_("Receivables and payables"), "v",
         N_("Who owes what and since when (ageing), statements"),
         "receivables:ReceivablesScreen", "money.view"),
    Area(N_("Expenses"), "f",
         N_("Expenses and other income by category, from a cash box or account"),
         "expenses:ExpensesScreen", "money.expense"),
    Area(N_("Customers"), "c",
         N_("Customer groups and customers, contacts, orders, import / export"),
         "customers:CustomersScreen", "customer.view"),
    Area(N_("Contacts"), "k",
         N_("The people at your customers"),
         "parties:ContactsScreen", "customer.view"),
    Area(N_("Suppliers"), "s",
         N_("Who you buy from"),
         "parties:SuppliersScreen", "supplier.edit"),
    Area(N_("Competitors"), "m",
         N_("Who you compete with"),
         "parties:CompetitorsScreen", "customer.view"),
    Area(N_("Products"), "g",
         N_("Goods: categories, products, barcodes and prices"),
         "products:ProductsScreen", "product.view"),
    Area(N_("Stock on hand"), "h",
         N_("Stock per product and location, below minimum, movements"),
         "stock:StockScreen", "stock.view"),
    Area(N_("Stock count"), "w",
         N_("Count stock by scanning, see the variance, post the count"),
         "stock_count:StockCountScreen", "count.count"),
    Area(N_("Adjustment log"), "j",
         N_("Every manual and count stock adjustment"),
         "stock:AdjustmentLogScreen", "stock.view"),
    Area(N_("Reports"), "o",
         N_("Sales, stock and staff reports: tables, charts, export, print"),
         "reports:ReportsScreen"),
    Area(N_("Tickets"), "d",
         N_("Service: requests, repairs, feedback and complaints; due times"),
         "tickets:TicketsScreen", "ticket.view"),
    Area(N_("Reminders"), "r",
         N_("Your reminders and tasks; Ctrl+R adds one anywhere"),
         "reminders:RemindersScreen"),
    Area(N_("Announcements"), "n",
         N_("The notice board; managers post here"),
         "announcements:AnnouncementsScreen"),
    Area(N_("Scanner test"), "z",
         N_("Show the raw keys and timing a barcode scanner sends"),
         "scanner_test:ScannerTestScreen"),
    Area(N_("Users"), "u",
         N_("Add, disable and change users; reset passwords"),
         "users:UsersScreen", "user.manage"),
    Area(N_("Language"), "x",
         N_("The language tuicrm speaks to you (English, 简体中文)"),
         "language:LanguageScreen"),
    Area(N_("Change password"), "p",
         N_("Change your own password"),
         "password:ChangePasswordScreen"),
    Area(N_("Audit trail"), "a",
         N_("Who changed what and when (old -> new); the login log"),
         "audit:AuditScreen", "audit.view"),
    Area(N_("Login log"), "3",
         N_("Logins, failures, lock-outs and log-outs, with the SSH address"),
         "audit:LoginLogScreen", "audit.view"),
    Area(N_("Backup"), "2",
         N_("Back up now, restore, the restore drill; automatic backups"),
         "backup:BackupScreen", "backup.manage"),
    Area(N_("Settings"), "1",
         N_("Company, money display, numbers, printers, security, backups"),
         "settings:SettingsScreen", "settings.edit"),
]
