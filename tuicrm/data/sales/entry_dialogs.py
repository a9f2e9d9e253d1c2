"""What order entry's dialogs ask of the data layer: the matches the F2 and F4 pickers offer,
and the F6 form that makes a product of an unknown code (what it may show, what it creates).

``EntryDialogs`` is a mixin of ``entry.OrderEntry``: these read and write nothing of the order
being entered, only the operator's view of customers, suppliers and products, so they live
apart from the actions that change the order.
"""

from __future__ import annotations

from ...i18n import _
from ..catalog import products
from ..core.actor import Actor
from ..core.money import fmt_money
from ..core.permissions import allowed
from ..parties import suppliers
from ..parties.search import search_customers
from . import counter_products

Choices = list[tuple[str, int]]  # (what the picker shows, the id it gives back)


class EntryDialogs:
    """The lookups behind order entry's dialogs, for the entry's operator."""

    actor: Actor

    def customer_choices(self, text: str) -> Choices:
        """Customers for the F2 picker (the actor's own unless they see all)."""
        return [(f"{c.code}  {c.name}  {c.phone or c.mobile}", int(c.id))
                for c in search_customers(self.actor, text, 20)]

    def supplier_choices(self, text: str) -> Choices:
        return [(f"{s.code}  {s.name}  {s.phone}", int(s.id))
                for s in suppliers.pick_suppliers(self.actor, text)]

    def product_choices(self, text: str) -> Choices:
        """Products for the F4 picker: code, name, spec, retail price."""
        return [(f"{p.code}  {p.name}  {p.spec}  {fmt_money(p.price1)}", int(p.id))
                for p in products.search_products(self.actor, text, limit=20)]

    def may_see_cost(self) -> bool:
        return allowed(self.actor, "product.see_cost")

    def create_product(self, values: dict[str, str]) -> int:
        """F6: a product with the last unknown code (the form's values), with the stock on the
        shelf (``on_hand``) received as its first stock; returns its id."""
        extra = {k: values[k] for k in ("price1", "cost") if values.get(k, "").strip()}
        product = counter_products.create_at_counter(
            self.actor, values.get("barcodes", ""), values.get("on_hand", ""),
            code=values.get("code", ""), name=values.get("name", ""), **extra)
        return int(product.id)

    def first_stock_offer(self) -> str:
        """What F6 says about stock: "sells at once" where negative stock is allowed, else
        asks how many are on the shelf (""; the form then shows the field)."""
        if counter_products.sells_without_stock(self.actor):
            return _("sells at once (this site sells without stock)")
        return ""

    def may_receive_stock(self) -> bool:
        return allowed(self.actor, "stock.adjust")


__all__ = ["Choices", "EntryDialogs"]
