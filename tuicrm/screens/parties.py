"""Contacts, Suppliers and Competitors (C7): list screens with the same list tools (L1-L6).

Each is a ``ListScreen`` plus add (**a**), edit (**e** / Enter) and delete (**d** / Del, the
marked rows or the cursor row) through the operations in ``tuicrm.data.parties.customers``; errors
show next to the field, a stale save (``Conflict``) keeps the form open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual.binding import Binding

from ..data.core.errors import TuicrmError, ValidationError
from ..data.models import Competitor, Contact, Supplier
from ..data.parties import customers
from ..data.parties import lists as party_lists
from ..data.parties.groups import InUse
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormDialog, FormField
from ..widgets.list_tools import TextDialog
from .list_screen import ListScreen

YES_NO = [("no", "no"), ("yes", "yes")]


class PartyScreen(ListScreen):
    """A ListScreen whose records are added, edited and deleted with a form."""

    ENTITY: ClassVar[str] = "record"
    FIELDS: ClassVar[Sequence[tuple[str, str, str]]] = ()  # (name, label, "text" | "bool")
    BINDINGS = [
        Binding("a", "add", "Add", id="party.add"),
        Binding("e", "edit", "Edit", id="party.edit"),
        Binding("d,delete", "delete", "Delete", id="party.delete"),
    ]

    # what a subclass supplies
    def get_record(self, record_id: int) -> Any:
        raise NotImplementedError

    def create(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update(self, record_id: int, version: int, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def delete(self, ids: list[int]) -> int:
        raise NotImplementedError

    def title_of(self, record: Any) -> str:
        return str(record.name)

    def extra_fields(self, record: Any) -> list[FormField]:
        return []

    def extra_values(self, v: dict[str, str]) -> dict[str, Any]:
        return {}

    # the form
    def _fields(self, record: Any) -> list[FormField]:
        out = self.extra_fields(record)
        for name, label, kind in self.FIELDS:
            value = getattr(record, name) if record is not None else None
            if kind == "bool":
                out.append(FormField(name, label, "yes" if value else "no", kind="choice",
                                     choices=YES_NO))
            else:
                out.append(FormField(name, label, "" if value is None else str(value)))
        return out

    def _values(self, v: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {n: v[n] for n, _, _ in self.FIELDS}
        out.update(self.extra_values(v))
        return out

    def _open_form(self, title: str, record: Any, submit: Callable[[dict[str, str]], Any],
                   label: str) -> None:
        form = FormDialog(title, self._fields(record), submit=submit, submit_label=label)

        def done(v: dict[str, str] | None) -> None:
            if v is None:
                return
            self.table.refresh_data()
            rec = form.result
            if rec is not None and getattr(rec, "id", None) is not None:
                self.table.go_to_id(rec.id)
                self.notify(f"{self.ENTITY.capitalize()} {self.title_of(rec)} saved.",
                            markup=False)

        self.app.push_screen(form, done)

    def action_add(self) -> None:
        self._open_form(f"New {self.ENTITY}", None, lambda v: self.create(self._values(v)), "Add")

    def action_edit(self) -> None:
        rid = self.table.cursor_row_id
        if rid is None:
            return
        try:
            rec = self.get_record(rid)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        version = rec.version
        self._open_form(f"Edit {self.ENTITY} {self.title_of(rec)}", rec,
                        lambda v: self.update(rid, version, self._values(v)), "Save")

    def on_list_selected(self, row_id: Any) -> None:
        self.action_edit()

    def action_delete(self) -> None:
        ids = self.table.target_ids()
        if not ids:
            return
        what = f"{len(ids)} marked {self.ENTITY}s" if len(ids) > 1 else f"this {self.ENTITY}"

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                n = self.delete(ids)
            except InUse as e:
                self.app.bell()
                self.app.push_screen(TextDialog("Not deleted", str(e)))
                return
            except TuicrmError as e:
                self.notify_error(str(e))
                return
            self.table.clear_marks()
            self.table.refresh_data()
            self.notify(f"{n} {self.ENTITY}(s) deleted.", markup=False)

        self.app.push_screen(ConfirmDialog(f"Delete {what}?", yes="Delete"), answer)


# ------------------------------------------------------------------------------ contacts


class ContactsScreen(PartyScreen):
    TITLE_TEXT = "Contacts"
    HELP = ("The people at your customers. Type / to search by name, phone or customer. "
            "A new contact needs the code of its customer.")
    ENTITY = "contact"
    LIST = party_lists.CONTACTS
    FIELDS = [("name", "Name", "text"), ("title", "Title", "text"), ("phone", "Phone", "text"),
              ("mobile", "Mobile", "text"), ("email", "E-mail", "text"),
              ("birthday", "Birthday (YYYY-MM-DD)", "text"), ("is_key", "Key contact", "bool"),
              ("notes", "Notes", "text")]

    def get_record(self, record_id: int) -> Contact:
        return party_lists.get_contact(self.user, record_id)

    def extra_fields(self, record: Any) -> list[FormField]:
        if record is not None:
            return []
        return [FormField("customer_code", "Customer code", placeholder="e.g. C000123")]

    def _customer_id(self, code: str) -> int:
        from ..data.parties.search import search_customers

        code = code.strip()
        if not code:
            raise ValidationError({"customer_code": "required"})
        found = [c for c in search_customers(self.user, code, limit=20)
                 if c.code.lower() == code.lower()]
        if not found:
            raise ValidationError({"customer_code": f"no customer with code {code!r}"})
        return found[0].id

    def create(self, values: dict[str, Any]) -> Contact:
        code = values.pop("customer_code", "")
        return customers.create_contact(self.user, self._customer_id(code), **values)

    def extra_values(self, v: dict[str, str]) -> dict[str, Any]:
        return {"customer_code": v["customer_code"]} if "customer_code" in v else {}

    def update(self, record_id: int, version: int, values: dict[str, Any]) -> Contact:
        return customers.update_contact(self.user, record_id, version, **values)

    def delete(self, ids: list[int]) -> int:
        return customers.delete_contacts(self.user, ids)


# ------------------------------------------------------------------------------ suppliers


class SuppliersScreen(PartyScreen):
    TITLE_TEXT = "Suppliers"
    HELP = "Who you buy from. Type / to search by code, name or phone."
    ENTITY = "supplier"
    LIST = party_lists.SUPPLIERS
    FIELDS = [("code", "Code", "text"), ("name", "Name", "text"),
              ("contact_name", "Contact", "text"), ("phone", "Phone", "text"),
              ("email", "E-mail", "text"), ("address", "Address", "text"),
              ("tax_number", "Tax number", "text"),
              ("payment_terms_days", "Payment terms (days)", "text"),
              ("active", "Active", "bool"), ("notes", "Notes", "text")]

    def get_record(self, record_id: int) -> Supplier:
        return party_lists.get_supplier(self.user, record_id)

    def create(self, values: dict[str, Any]) -> Supplier:
        return customers.create_supplier(self.user, **values)

    def update(self, record_id: int, version: int, values: dict[str, Any]) -> Supplier:
        return customers.update_supplier(self.user, record_id, version, **values)

    def delete(self, ids: list[int]) -> int:
        return customers.delete_suppliers(self.user, ids)


# ------------------------------------------------------------------------------ competitors

class CompetitorsScreen(PartyScreen):
    TITLE_TEXT = "Competitors"
    HELP = "Who you compete with, what they sell, their strengths and weaknesses."
    ENTITY = "competitor"
    LIST = party_lists.COMPETITORS
    FIELDS = [("name", "Name", "text"), ("products", "Products", "text"),
              ("strengths", "Strengths", "text"), ("weaknesses", "Weaknesses", "text"),
              ("notes", "Notes", "text")]

    def get_record(self, record_id: int) -> Competitor:
        return party_lists.get_competitor(self.user, record_id)

    def create(self, values: dict[str, Any]) -> Competitor:
        return customers.create_competitor(self.user, **values)

    def update(self, record_id: int, version: int, values: dict[str, Any]) -> Competitor:
        return customers.update_competitor(self.user, record_id, version, **values)

    def delete(self, ids: list[int]) -> int:
        return customers.delete_competitors(self.user, ids)


__all__ = ["CompetitorsScreen", "ContactsScreen", "PartyScreen", "SuppliersScreen"]
