"""Contacts, Suppliers and Competitors (C7): list screens with the same list tools (L1-L6).

Each is a ``ListScreen`` plus add (**a**), edit (**e** / Enter) and delete (**d** / Del, the
marked rows or the cursor row) through the operations in ``tuicrm.data.parties.contacts`` and
``suppliers``; errors show next to the field, a stale save (``Conflict``) keeps the form open.
Saves and deletes run in thread workers (a write waiting on another terminal never freezes the
screen), so ``create`` / ``update`` / ``delete`` take the actor and touch no widget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual.binding import Binding

from ..data.core.actor import Actor
from ..data.core.errors import InUse, TuicrmError, ValidationError
from ..data.parties import contacts, suppliers
from ..data.parties import lists as party_lists
from ..data.parties.customers import customer_by_code
from ..data.parties.rows import CompetitorRow, ContactRow, SupplierRow
from ..i18n import N_, _, ngettext
from ..widgets.background import WAITING, run_in_thread
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormField
from ..widgets.list_tools import TextDialog
from ..widgets.saving_form import SavingFormDialog
from .list_screen import ListScreen

YES_NO = [(N_("no"), "no"), (N_("yes"), "yes")]


class PartyScreen(ListScreen):
    """A ListScreen whose records are added, edited and deleted with a form."""

    ENTITY: ClassVar[str] = "record"  # names workers; not shown
    NOUN: ClassVar[str] = N_("record")  # what one record is called on screen
    FIELDS: ClassVar[Sequence[tuple[str, str, str]]] = ()  # (name, label, "text" | "bool")
    BINDINGS = [
        Binding("a", "add", "Add", id="party.add"),
        Binding("e", "edit", "Edit", id="party.edit"),
        Binding("d,delete", "delete", "Delete", id="party.delete"),
    ]

    # what a subclass supplies (all but ``get_record`` run in a thread worker: no widgets)
    def get_record(self, record_id: int) -> Any:
        raise NotImplementedError

    def create(self, user: Actor, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update(self, user: Actor, record_id: int, version: int, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def delete(self, user: Actor, ids: list[int]) -> int:
        raise NotImplementedError

    def operations(self) -> dict[str, Callable[..., Any]]:
        """The operations behind "add", "edit" and "delete": asked before a form or a question
        opens, so a user who may not save hears so first."""
        return {}

    def _refused(self, what: str) -> bool:
        operation_fn = self.operations().get(what)
        return operation_fn is not None and self.refused(operation_fn)

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
                out.append(FormField(name, _(label), "yes" if value else "no", kind="choice",
                                     choices=[(_(a), b) for a, b in YES_NO]))
            else:
                out.append(FormField(name, _(label), "" if value is None else str(value)))
        return out

    def _values(self, v: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = {n: v[n] for n, _, _ in self.FIELDS}
        out.update(self.extra_values(v))
        return out

    def _open_form(self, title: str, record: Any, submit: Callable[[dict[str, str]], Any],
                   label: str) -> None:
        form = SavingFormDialog(title, self._fields(record), submit=submit,
                                submit_label=label)

        def done(v: dict[str, str] | None) -> None:
            if v is None:
                return
            self.table.refresh_data()
            rec = form.result
            if rec is not None and getattr(rec, "id", None) is not None:
                self.table.go_to_id(rec.id)
                self.notify(_("{noun} {title} saved.").format(noun=_(self.NOUN),
                                                           title=self.title_of(rec)),
                            markup=False)

        self.app.push_screen(form, done)

    def action_add(self) -> None:
        if self._refused("add"):
            return
        user = self.user
        self._open_form(_("New {noun}").format(noun=_(self.NOUN)), None,
                        lambda v: self.create(user, self._values(v)), _("Add"))

    def action_edit(self) -> None:
        rid = self.table.cursor_row_id
        if rid is None or self._refused("edit"):
            return
        try:
            rec = self.get_record(rid)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        user, version = self.user, rec.version
        self._open_form(_("Edit {noun} {title}").format(noun=_(self.NOUN),
                                                        title=self.title_of(rec)),
                        rec, lambda v: self.update(user, rid, version, self._values(v)),
                        _("Save"))

    def on_list_selected(self, row_id: Any) -> None:
        self.action_edit()

    def action_delete(self) -> None:
        ids = self.table.target_ids()
        if not ids or self._refused("delete"):
            return
        what = (_("{n} marked records").format(n=len(ids)) if len(ids) > 1
                else _("this {noun}").format(noun=_(self.NOUN)))
        user = self.user

        def deleted(n: int) -> None:
            self.table.clear_marks()
            self.table.refresh_data()
            self.notify(ngettext("{n} record deleted.", "{n} records deleted.", n).format(n=n),
                        markup=False)

        def refused(error: TuicrmError) -> None:
            if isinstance(error, InUse):
                self.app.bell()
                self.app.push_screen(TextDialog(_("Not deleted"), str(error)))
            else:
                self.notify_error(str(error))

        def answer(yes: bool | None) -> None:
            if yes:
                run_in_thread(self, lambda: self.delete(user, ids), deleted, refused,
                              name=f"{self.ENTITY}-delete", waiting=WAITING)

        self.app.push_screen(ConfirmDialog(_("Delete {what}?").format(what=what), yes=_("Delete")),
                             answer)


# ------------------------------------------------------------------------------ contacts


class ContactsScreen(PartyScreen):
    TITLE_TEXT = N_("Contacts")
    HELP = (N_("The people at your customers. Type / to search by name, phone or customer. "
            "A new contact needs the code of its customer."))
    ENTITY = "contact"
    NOUN = N_("contact")
    LIST = party_lists.CONTACTS
    FIELDS = [("name", N_("Name"), "text"), ("title", N_("Title"), "text"), ("phone", N_("Phone"),
                                                                             "text"),
              ("mobile", N_("Mobile"), "text"), ("email", N_("E-mail"), "text"),
              ("birthday", N_("Birthday (YYYY-MM-DD)"), "text"), ("is_key", N_("Key contact"),
                                                                  "bool"),
              ("notes", N_("Notes"), "text")]

    def get_record(self, record_id: int) -> ContactRow:
        return contacts.get_contact(self.user, record_id)

    def extra_fields(self, record: Any) -> list[FormField]:
        if record is not None:
            return []
        return [FormField("customer_code", _("Customer code"), placeholder=_("e.g. C000123"))]

    @staticmethod
    def _customer_id(user: Actor, code: str) -> int:
        code = code.strip()
        if not code:
            raise ValidationError({"customer_code": "required"})
        found = customer_by_code(user, code)
        if found is None:
            raise ValidationError({"customer_code": _("no customer with code {code!r}").format(code=code)})
        return found.id

    def create(self, user: Actor, values: dict[str, Any]) -> ContactRow:
        code = values.pop("customer_code", "")
        return contacts.create_contact(user, self._customer_id(user, code), **values)

    def extra_values(self, v: dict[str, str]) -> dict[str, Any]:
        return {"customer_code": v["customer_code"]} if "customer_code" in v else {}

    def update(self, user: Actor, record_id: int, version: int,
               values: dict[str, Any]) -> ContactRow:
        return contacts.update_contact(user, record_id, version, **values)

    def delete(self, user: Actor, ids: list[int]) -> int:
        return contacts.delete_contacts(user, ids)

    def operations(self) -> dict[str, Callable[..., Any]]:
        return {"add": contacts.create_contact, "edit": contacts.update_contact,
                "delete": contacts.delete_contacts}


# ------------------------------------------------------------------------------ suppliers


class SuppliersScreen(PartyScreen):
    TITLE_TEXT = N_("Suppliers")
    HELP = N_("Who you buy from. Type / to search by code, name or phone.")
    ENTITY = "supplier"
    NOUN = N_("supplier")
    LIST = party_lists.SUPPLIERS
    FIELDS = [("code", N_("Code"), "text"), ("name", N_("Name"), "text"),
              ("contact_name", N_("Contact"), "text"), ("phone", N_("Phone"), "text"),
              ("email", N_("E-mail"), "text"), ("address", N_("Address"), "text"),
              ("tax_number", N_("Tax number"), "text"),
              ("payment_terms_days", N_("Payment terms (days)"), "text"),
              ("active", N_("Active"), "bool"), ("notes", N_("Notes"), "text")]

    def title_of(self, record: Any) -> str:
        return f"{record.code} {record.name}"

    def get_record(self, record_id: int) -> SupplierRow:
        return suppliers.get_supplier(self.user, record_id)

    def create(self, user: Actor, values: dict[str, Any]) -> SupplierRow:
        return suppliers.create_supplier(user, **values)

    def update(self, user: Actor, record_id: int, version: int,
               values: dict[str, Any]) -> SupplierRow:
        return suppliers.update_supplier(user, record_id, version, **values)

    def delete(self, user: Actor, ids: list[int]) -> int:
        return suppliers.delete_suppliers(user, ids)

    def operations(self) -> dict[str, Callable[..., Any]]:
        return {"add": suppliers.create_supplier, "edit": suppliers.update_supplier,
                "delete": suppliers.delete_suppliers}


# ------------------------------------------------------------------------------ competitors

class CompetitorsScreen(PartyScreen):
    TITLE_TEXT = N_("Competitors")
    HELP = N_("Who you compete with, what they sell, their strengths and weaknesses.")
    ENTITY = "competitor"
    NOUN = N_("competitor")
    LIST = party_lists.COMPETITORS
    FIELDS = [("name", N_("Name"), "text"), ("products", N_("Products"), "text"),
              ("strengths", N_("Strengths"), "text"), ("weaknesses", N_("Weaknesses"), "text"),
              ("notes", N_("Notes"), "text")]

    def get_record(self, record_id: int) -> CompetitorRow:
        return suppliers.get_competitor(self.user, record_id)

    def create(self, user: Actor, values: dict[str, Any]) -> CompetitorRow:
        return suppliers.create_competitor(user, **values)

    def update(self, user: Actor, record_id: int, version: int,
               values: dict[str, Any]) -> CompetitorRow:
        return suppliers.update_competitor(user, record_id, version, **values)

    def delete(self, user: Actor, ids: list[int]) -> int:
        return suppliers.delete_competitors(user, ids)

    def operations(self) -> dict[str, Callable[..., Any]]:
        return {"add": suppliers.create_competitor, "edit": suppliers.update_competitor,
                "delete": suppliers.delete_competitors}


__all__ = ["CompetitorsScreen", "ContactsScreen", "PartyScreen", "SuppliersScreen"]
