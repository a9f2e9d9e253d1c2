"""Customers (C1-C6): the group tree on the left, the customer list on the right, the selected
customer's related information below it. Every list tool of ``ListScreen`` works here.

Salespeople see only their own customers: the operations (``customers.customer_query`` and
the rest) apply the scope, this screen just shows what they return. Saves, deletes, moves,
reassignments and the related information run in thread workers: a write waiting on another
terminal never freezes the screen.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding

from ..data.core.errors import InUse, TuicrmError, ValidationError
from ..data.core.permissions import allowed
from ..data.parties import customers
from ..data.parties.fields import STATUSES
from ..data.parties.groups import group_nodes
from ..data.parties.lists import CUSTOMERS
from ..data.parties.rows import CustomerRow, TwinRow
from ..i18n import N_, _, ngettext
from ..widgets.background import WAITING, run_in_thread
from ..widgets.dialogs import ConfirmDialog, ImportDialog
from ..widgets.form import FormDialog, FormField
from ..widgets.group_tree import GroupTree
from ..widgets.list_tools import TextDialog
from ..widgets.related_pane import RelatedPane
from ..widgets.saving_form import SavingFormDialog
from .customer_service import CustomerServiceActions
from .list_screen import ListScreen, SearchInput

# TRANSLATORS: a customer status
STATUS_WORDS = {"active": N_("active"), "prospect": N_("prospect"), "inactive": N_("inactive")}
TEXT_FIELDS = [
    ("code", N_("Code (blank: next)")), ("name", N_("Name")), ("grade", N_("Grade (A/B/C)")),
    ("phone", N_("Phone")), ("mobile", N_("Mobile")), ("fax", N_("Fax")), ("email", N_("E-mail")),
    ("address", N_("Address")), ("region", N_("Region")), ("industry", N_("Industry")),
    ("source", N_("Source")), ("tax_number", N_("Tax number")), ("credit_limit",
                                                                 N_("Credit limit")),
    ("payment_terms_days", N_("Payment terms (days)")), ("price_level", N_("Price level (1-4)")),
    ("notes", N_("Notes")),
]


class CustomersScreen(CustomerServiceActions, ListScreen):
    TITLE_TEXT = N_("Customers")
    HELP = (
        N_("Left: the customer groups (Tab to reach them; a, r, m, d there add, rename, move and "
        "delete a group; s shows sub-groups' customers or not). Right: the customers of the "
        "chosen group; type / to search by code, name, phone or contact; F, a custom filter, "
        "looks through all groups. Below: the "
        "selected customer's contacts, orders, balance, activities, reminders and open tickets "
        "(v hides it). Space marks customers for delete, move (g) and reassign (o). l logs an "
        "activity (call, visit, e-mail, meeting, WeChat) with its outcome and next step; L "
        "lists the customer's activities to edit one; n opens a service ticket; t shows the "
        "customer's tickets.")
    )
    LIST = CUSTOMERS

    BINDINGS = [
        Binding("a", "add", "Add", id="customers.add"),
        Binding("e", "edit", "Edit", id="customers.edit"),
        Binding("d,delete", "delete", "Delete", id="customers.delete"),
        Binding("g", "move", "Move to group", id="customers.move", show=False),
        Binding("o", "reassign", "Reassign salesperson", id="customers.reassign", show=False),
        Binding("i", "import", "Import", id="customers.import", show=False),
        Binding("v", "toggle_related", "Related info", id="customers.related", show=False),
        Binding("l", "log_activity", "Log activity", id="customers.log"),
        Binding("L", "activities", "Activities", id="customers.activities", show=False),
        Binding("n", "new_ticket", "New ticket", id="customers.ticket", show=False),
        Binding("t", "tickets", "Tickets", id="customers.tickets", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.group_id: int | None = None
        self.subgroups = True

    # -- ListScreen hooks ---------------------------------------------------------------------

    def list_options(self) -> dict[str, Any]:
        # A custom filter looks through every customer, not only the group chosen on the
        # left (issue 17: a filter that silently missed customers of other groups).
        if self.filter is not None:
            return {"group_id": None, "subgroups": True}
        return {"group_id": self.group_id, "subgroups": self.subgroups}

    def compose_left(self) -> ComposeResult:
        yield GroupTree(self.user, subgroups=self.subgroups, id="groups")

    def compose_below(self) -> ComposeResult:
        yield RelatedPane(self.user, id="related")

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        if self.filter is not None:
            parts.insert(1, _("all groups"))
        elif self.group_id is not None and self.group_id != 0 and not self.subgroups:
            parts.append(_("without sub-groups"))
        return parts

    def on_group_tree_changed(self, event: GroupTree.Changed) -> None:
        event.stop()
        if (event.group_id, event.subgroups) == (self.group_id, self.subgroups):
            return
        self.group_id = event.group_id
        self.subgroups = event.subgroups
        if self.ready:
            self.reload()

    # -- related information (C2) ---------------------------------------------------------------

    def on_list_highlighted(self, row_id: Any) -> None:
        pane = self.query_one(RelatedPane)
        if isinstance(self.focused, SearchInput):
            pane.wait_for_list(row_id)  # not repainted at every typed character
        else:
            pane.show_customer(row_id)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The pane follows the list's cursor while the list has the focus; in the search
        # line it waits (said once here, so a typed character never repaints it).
        pane = self.query_one(RelatedPane)
        if isinstance(event.widget, SearchInput):
            pane.wait_for_list(self.table.cursor_row_id)
        elif event.widget is self.table and pane.waiting:
            pane.show_customer(self.table.cursor_row_id)

    def action_toggle_related(self) -> None:
        self.query_one(RelatedPane).toggle()

    def on_list_selected(self, row_id: Any) -> None:
        self.action_edit()

    # -- add / edit (C3, C4) ---------------------------------------------------------------------

    def _group_choices(self) -> list[tuple[str, str]]:
        return [(n.path, str(n.id)) for n in group_nodes(self.user, counts=False)]

    def _user_choices(self) -> list[tuple[str, str]]:
        return [(p.label, str(p.id)) for p in customers.salesperson_choices(self.user)]

    def _fields(self, c: CustomerRow | None) -> list[FormField]:
        def val(name: str) -> str:
            if c is None:
                return ""
            v = getattr(c, name)
            return "" if v is None else str(v)

        fields = [FormField(n, _(label), val(n)) for n, label in TEXT_FIELDS[:2]]
        default_group = "" if c is None else str(c.group_id or "")
        if c is None and self.group_id:
            default_group = str(self.group_id)
        fields.append(FormField("group", _("Group"), default_group, kind="choice",
                                choices=self._group_choices()))
        fields.append(FormField("status", _("Status"), val("status") or "active", kind="choice",
                                choices=[(_(STATUS_WORDS.get(s, s)), s) for s in STATUSES]))
        if allowed(self.user, "customer.reassign"):
            owner = str(c.salesperson_id or "") if c is not None else str(self.user.id)
            fields.append(FormField("salesperson", _("Salesperson"), owner, kind="choice",
                                    choices=self._user_choices()))
        for n, label in TEXT_FIELDS[2:]:
            value = val(n)
            if c is None and n == "price_level":
                value = "1"
            fields.append(FormField(n, _(label), value))
        return fields

    @staticmethod
    def _values(v: dict[str, str]) -> dict[str, Any]:
        out: dict[str, Any] = dict(v)
        out["group"] = int(v["group"]) if v.get("group") else None
        if "salesperson" in v:
            out["salesperson"] = int(v["salesperson"]) if v["salesperson"] else None
        return out

    def action_add(self) -> None:
        if self.refused(customers.create_customer):
            return
        confirmed: set[tuple[str, str, str]] = set()
        user = self.user

        def create(v: dict[str, str]) -> CustomerRow:  # in a thread worker
            key = (v["name"].strip(), v["phone"].strip(), v["tax_number"].strip())
            if key not in confirmed:
                twins = customers.likely_twins(user, *key)
                if twins:
                    confirmed.add(key)
                    raise ValidationError({"": twin_warning(twins)})
            return customers.create_customer(user, **self._values(v))

        form = SavingFormDialog(_("New customer"), self._fields(None), submit=create,
                                submit_label=_("Add"))

        def done(v: dict[str, str] | None) -> None:
            if v is None:
                return
            c: CustomerRow = form.result
            self.after_change(select=c.id)
            self.notify(_("Customer {code} {name} added.").format(code=c.code, name=c.name),
                        markup=False)

        self.app.push_screen(form, done)

    def action_edit(self) -> None:
        cid = self.table.cursor_row_id
        if cid is None or self.refused(customers.update_customer):
            return
        try:
            c = customers.get_customer(self.user, cid)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        user, version = self.user, c.version

        def save(v: dict[str, str]) -> CustomerRow:  # in a thread worker
            return customers.update_customer(user, cid, version, **self._values(v))

        form = SavingFormDialog(_("Edit customer {code}").format(code=c.code), self._fields(c),
                                submit=save)

        def done(v: dict[str, str] | None) -> None:
            if v is not None:
                self.after_change(select=cid)
                self.notify(_("Customer {code} saved.").format(code=c.code), markup=False)

        self.app.push_screen(form, done)

    def after_change(self, select: Any = None) -> None:
        self.table.refresh_data()
        if select is not None:
            self.table.go_to_id(select)
        self.query_one(GroupTree).reload()
        self.query_one(RelatedPane).reload()

    # -- delete, move, reassign (C3, C5, C6) ------------------------------------------------------

    def _targets(self) -> list[int]:
        ids = self.table.target_ids()
        if not ids:
            self.notify_error(_("No customer selected."))
        return ids

    def _what(self, ids: list[int]) -> str:
        if len(ids) == 1:
            row = self.table.cursor_row
            if row is not None and row.id == ids[0]:
                names = [c.name for c in self.table.columns]
                vals = dict(zip(names, row.values, strict=True))
                return _("customer {code} {name}").format(
                    code=vals.get("code", ""), name=vals.get("name", "")).strip()
            return _("1 customer")
        return _("{n:,} marked customers").format(n=len(ids))

    def action_delete(self) -> None:
        if self.refused(customers.delete_customers):
            return
        ids = self._targets()
        if not ids:
            return
        user = self.user

        def deleted(n: int) -> None:
            self.table.clear_marks()
            self.after_change()
            self.notify(ngettext("{n:,} customer deleted.", "{n:,} customers deleted.",
                                 n).format(n=n), markup=False)

        def refused(error: TuicrmError) -> None:
            if isinstance(error, InUse):
                self.show_message(_("Not deleted"), str(error))
            else:
                self.notify_error(str(error))

        def answer(yes: bool | None) -> None:
            if yes:
                run_in_thread(self, lambda: customers.delete_customers(user, ids), deleted,
                              refused, name="customers-delete", waiting=WAITING)

        self.app.push_screen(ConfirmDialog(_("Delete {what}?").format(what=self._what(ids)),
                                           yes=_("Delete")), answer)

    def show_message(self, title: str, text: str) -> None:
        self.app.bell()
        self.app.push_screen(TextDialog(title, text))

    def action_move(self) -> None:
        if self.refused(customers.move_customers):
            return
        ids = self._targets()
        if not ids:
            return
        user = self.user
        form = SavingFormDialog(
            _("Move {what} to").format(what=self._what(ids)),
            [FormField("group", _("Group"), "", kind="choice", choices=self._group_choices())],
            submit=lambda v: customers.move_customers(
                user, ids, int(v["group"]) if v["group"] else None),
            submit_label=_("Move"),
        )

        def done(v: dict[str, str] | None) -> None:
            if v is not None:
                self.table.clear_marks()
                self.after_change()
                self.notify(ngettext("{n:,} customer moved.", "{n:,} customers moved.",
                                     form.result).format(n=form.result), markup=False)

        self.app.push_screen(form, done)

    def action_reassign(self) -> None:
        if not allowed(self.user, "customer.reassign"):
            self.notify_error(_("You may not give customers to another salesperson."))
            return
        ids = self._targets()
        if not ids:
            return
        user = self.user
        form = SavingFormDialog(
            _("Give {what} to").format(what=self._what(ids)),
            [FormField("salesperson", _("Salesperson"), "", kind="choice",
                       choices=self._user_choices())],
            submit=lambda v: customers.reassign_customers(
                user, ids, int(v["salesperson"]) if v["salesperson"] else None),
            submit_label=_("Reassign"),
        )

        def done(v: dict[str, str] | None) -> None:
            if v is not None:
                self.table.clear_marks()
                self.after_change()
                self.notify(ngettext("{n:,} customer reassigned.", "{n:,} customers reassigned.",
                                     form.result).format(n=form.result), markup=False)

        self.app.push_screen(form, done)

    # -- import (A5) ------------------------------------------------------------------------------

    def action_import(self) -> None:
        """Ask the file; check it in a worker (nothing written); show the problems, or ask and
        import it in a worker. All or nothing: the operation writes one transaction."""
        from ..data.transfer.customer_import import import_customers

        def ask(v: dict[str, str]) -> None:
            if not v["path"].strip():
                raise ValidationError({"path": "required"})

        form = FormDialog(
            _("Import customers from .xlsx or .csv (checked first, nothing written yet)"),
            [FormField("path", _("File"), placeholder=_("/path/to/customers.xlsx")),
             FormField("create_groups", _("Create new groups"), "no", kind="choice",
                       choices=[(_("no: unknown groups are problems"), "no"),
                                (_("yes: create them"), "yes")]),
             FormField("duplicates", _("Existing customers"), "refuse", kind="choice",
                       choices=[(_("refuse: rows like existing customers are problems"),
                                 "refuse"),
                                (_("skip those rows"), "skip"),
                                (_("update the customer they match"), "update")])],
            submit=ask, submit_label=_("Check"),
        )

        def run(v: dict[str, str], dry_run: bool, then: Any) -> None:
            path, create = v["path"].strip(), v["create_groups"] == "yes"
            duplicates = v.get("duplicates") or "refuse"

            def finished(result: Any) -> None:
                if isinstance(result, TuicrmError):
                    self.notify_error(str(result))
                elif result.cancelled:
                    self.show_message(_("Import cancelled"), cancelled_text(result, path))
                elif result.problems:
                    lines = [ngettext("{n} problem in {path}; nothing was imported. Fix the file "
                                      "and import it again.",
                                      "{n} problems in {path}; nothing was imported. Fix the "
                                      "file and import it again.", len(result.problems)).format(
                                          n=len(result.problems), path=path), ""]
                    lines += [str(p) for p in result.problems]
                    self.show_message(_("Import: problems"), "\n".join(lines))
                else:
                    then(result)

            user = self.user
            self.app.push_screen(ImportDialog(
                (_("Checking {path} ...") if dry_run else _("Importing {path} ...")).format(
                    path=path),
                lambda progress, cancel: import_customers(
                    user, path, dry_run=dry_run, create_groups=create, duplicates=duplicates,
                    progress=progress, cancel=cancel),
            ), finished)

        def imported(result: Any) -> None:
            self.after_change()
            self.notify(ngettext("{n:,} customer imported.", "{n:,} customers imported.",
                                 result.imported).format(n=result.imported), markup=False)

        def checked(v: dict[str, str], result: Any) -> None:
            def answer(yes: bool | None) -> None:
                if yes:
                    run(v, False, imported)

            note = ""
            if result.warning_count:
                first = result.warnings[0]
                note = "\n" + ngettext("{n:,} warning, e.g. {first}",
                                       "{n:,} warnings, e.g. {first}",
                                       result.warning_count).format(n=result.warning_count,
                                                                    first=first)
            self.app.push_screen(ConfirmDialog(
                _("{n:,} rows are fine. Import them now?").format(n=result.rows) + note,
                yes=_("Import")), answer)

        def asked(v: dict[str, str] | None) -> None:
            if v is not None:
                run(v, True, lambda result: checked(v, result))

        self.app.push_screen(form, asked)


def cancelled_text(result: Any, path: str) -> str:
    """What a cancelled import did: nothing, said plainly."""
    lines = [_("The import of {file} was cancelled: no customer was added or changed.")
             .format(file=path)]
    if result.undone:
        lines.append(_("The {count} customers it had written before you cancelled were "
                       "taken back.").format(count=f"{result.undone:,}"))
    return "\n".join(lines)


def twin_warning(twins: list[TwinRow]) -> str:
    lines = [_("This looks like an existing customer:")]
    for t in twins[:3]:
        bits = [t.code, t.name]
        if t.phone or t.mobile:
            bits.append(t.phone or t.mobile)
        if t.tax_number:
            bits.append(_("tax {number}").format(number=t.tax_number))
        lines.append("  " + "  ".join(bits))
    if len(twins) > 3:
        lines.append("  " + _("and {n} more").format(n=len(twins) - 3))
    lines.append(_("Ctrl+S again saves it anyway; Esc cancels."))
    return "\n".join(lines)


__all__ = ["CustomersScreen", "twin_warning"]
