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
    Area("Today", "t", "What is due and overdue, announcements, alerts", "today:TodayScreen"),
    Area("Order entry", "e", "Sell at the counter: scan or type codes, complete, receipt",
         "order_entry:OrderEntryScreen", "order.sell"),
    Area("Orders", "q", "Quotes, drafts and orders: reopen, convert, deliver, return, receive",
         "orders:OrdersScreen"),
    Area("Order lines", "l", "Every line of every order: product, customer, quantity, price",
         "order_lines:OrderLinesScreen"),
    Area("Purchase (receiving)", "b", "Purchase orders to suppliers; scan to receive goods",
         "order_entry:PurchaseEntryScreen", "order.purchase"),
    Area("Customers", "c", "Customer groups and customers, contacts, orders, import / export",
         "customers:CustomersScreen", "customer.view"),
    Area("Contacts", "k", "The people at your customers", "parties:ContactsScreen",
         "customer.view"),
    Area("Suppliers", "s", "Who you buy from", "parties:SuppliersScreen", "supplier.edit"),
    Area("Competitors", "m", "Who you compete with", "parties:CompetitorsScreen",
         "customer.view"),
    Area("Products", "g", "Goods: categories, products, barcodes and prices",
         "products:ProductsScreen", "product.view"),
    Area("Stock on hand", "h", "Stock per product and location, below minimum, movements",
         "stock:StockScreen", "stock.view"),
    Area("Stock count", "w", "Count stock by scanning, see the variance, post the count",
         "stock_count:StockCountScreen", "count.count"),
    Area("Adjustment log", "j", "Every manual and count stock adjustment",
         "stock:AdjustmentLogScreen", "stock.view"),
    Area("Reminders", "r", "Your reminders and tasks; Ctrl+R adds one anywhere",
         "reminders:RemindersScreen"),
    Area("Announcements", "n", "The notice board; managers post here",
         "announcements:AnnouncementsScreen"),
    Area("Scanner test", "z", "Show the raw keys and timing a barcode scanner sends",
         "scanner_test:ScannerTestScreen"),
    Area("Users", "u", "Add, disable and change users; reset passwords", "users:UsersScreen",
         "user.manage"),
    Area("Change password", "p", "Change your own password", "password:ChangePasswordScreen"),
]
