"""Users (administrators only): the list (``staff.lists.USERS`` on a ``ListScreen``); add,
edit role and name, disable / enable, reset password. Every change runs in a worker."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ..data.core.errors import TuicrmError
from ..data.core.roles import ROLE_NAMES, ROLES
from ..data.parties.lists import CUSTOMERS
from ..data.staff import users
from ..data.staff.lists import USERS
from ..data.staff.users import UserRow
from ..i18n import LANGUAGES, N_, _
from ..widgets.background import run_in_thread
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog
from .list_screen import ListScreen


def role_choices() -> list[tuple[str, str]]:
    """Each role by its name in the user's language, then its key (``tuicrm user --role``)."""
    return [(f"{_(ROLE_NAMES.get(role, role))} ({role})", role) for role in ROLES]


class UsersScreen(ListScreen):
    LIST = USERS
    TITLE_TEXT = N_("Users")
    HELP = N_(
        "Everyone who can log in, with their role. Only administrators can change users. "
        "Disabled users cannot log in; a locked account (5 wrong passwords) unlocks after "
        "15 minutes or when you reset its password. C lists the customers a salesperson "
        "looks after."
    )
    BINDINGS = [
        Binding("a", "add", "Add", id="users.add"),
        Binding("e", "edit", "Edit", id="users.edit"),
        Binding("d", "toggle_active", "Disable/enable", id="users.toggle"),
        Binding("r", "reset_password", "Reset password", id="users.reset"),
        Binding("c", "customers", "Customers", id="users.customers"),
    ]

    def reload_at(self, select_id: int | None = None) -> None:
        """Read the rows again after a change, the cursor on ``select_id`` if given."""
        self.table.refresh_data()
        if select_id is not None:
            self.table.go_to_id(select_id)

    def on_list_selected(self, row_id: Any) -> None:
        self.action_edit()

    def selected(self) -> UserRow | None:
        """The user under the cursor, read now (None: the list is empty or it is gone)."""
        row_id: Any = self.table.cursor_row_id
        if row_id is None:
            self.app.bell()
            return None
        try:
            return users.get_user(self.user, int(row_id))
        except TuicrmError as e:
            self.notify_error(str(e))
            self.reload_at()
            return None

    def _after(self, form: SavingFormDialog, values: dict[str, str] | None,
               message: str) -> None:
        """``message`` names the user as {user}, e.g. "User {user} added."."""
        user = form.result
        if values is None or not isinstance(user, UserRow):
            return
        self.reload_at(select_id=user.id)
        self.notify(message.format(user=user.username), markup=False)

    def action_add(self) -> None:
        actor = self.user

        def create(v: dict[str, str]) -> UserRow:  # runs in a worker
            row = users.create_user(actor, v["username"], v["password"], v["role"],
                                    v["full_name"], v["department"])
            if v["phone"].strip():
                row = users.update_user(actor, row.id, phone=v["phone"])
            return row

        form = SavingFormDialog(
            _("Add a user"),
            [
                FormField("username", _("User name")),
                FormField("full_name", _("Full name")),
                FormField("department", _("Department")),
                FormField("role", _("Role"), "sales", kind="choice", choices=role_choices()),
                FormField("password", _("Password"), kind="password"),
                FormField("phone", _("Telephone")),
            ],
            submit=create,
            submit_label=_("Add"),
        )
        self.app.push_screen(form, lambda v: self._after(form, v, _("User {user} added.")))

    def action_edit(self) -> None:
        user = self.selected()
        if user is None:
            return
        actor, uid = self.user, user.id

        def save(v: dict[str, str]) -> UserRow:  # runs in a worker
            return users.update_user(actor, uid, role=v["role"], full_name=v["full_name"],
                                     department=v["department"], language=v["language"],
                                     phone=v["phone"])

        languages = [(_("Site default"), "")] + [(n, c) for c, n in LANGUAGES.items()]
        form = SavingFormDialog(
            _("Edit user {user}").format(user=user.username),
            [
                FormField("full_name", _("Full name"), user.full_name),
                FormField("department", _("Department"), user.department),
                FormField("phone", _("Telephone"), user.phone),
                FormField("role", _("Role"), user.role.value, kind="choice",
                          choices=role_choices()),
                FormField("language", _("Language"), user.language, kind="choice",
                          choices=languages),
            ],
            submit=save,
        )
        self.app.push_screen(form, lambda v: self._after(form, v, _("User {user} saved.")))

    def action_toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        actor = self.user
        verb = _("Disable") if user.active else _("Enable")
        done = _("User {user} disabled.") if user.active else _("User {user} enabled.")

        def changed(row: UserRow) -> None:
            self.app.notify(done.format(user=row.username), markup=False)
            if self.is_attached:
                self.reload_at(select_id=row.id)

        def answer(yes: bool | None) -> None:
            if yes:
                run_in_thread(self, lambda: users.update_user(actor, user.id,
                                                              active=not user.active),
                              changed, lambda e: self.notify_error(str(e)),
                              name="user-write", keep=True)

        question = (_("Disable user {user}?") if user.active else _("Enable user {user}?"))
        self.app.push_screen(ConfirmDialog(question.format(user=user.username), yes=verb),
                             answer)

    def action_customers(self) -> None:
        user = self.selected()
        if user is not None:
            self.app.push_screen(StaffCustomersScreen(user))

    def action_reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        actor, uid = self.user, user.id
        form = SavingFormDialog(
            _("New password for {user}").format(user=user.username),
            [FormField("password", _("New password"), kind="password")],
            submit=lambda v: users.reset_password(actor, uid, v["password"]),
            submit_label=_("Set password"),
        )

        def done(v: dict[str, str] | None) -> None:
            if v is not None:
                self.reload_at(select_id=uid)
                self.notify(_("Password of {user} was reset.").format(user=user.username),
                            markup=False)

        self.app.push_screen(form, done)


class StaffCustomersScreen(ListScreen):
    """The customers one salesperson looks after (their staff record), with every list
    tool; Enter opens nothing here (the Customers screen edits them)."""

    LIST = CUSTOMERS
    HELP = N_("The customers this salesperson looks after (Customers: the salesperson "
              "field). Search, filter, sort and export as on any list.")

    def __init__(self, user: UserRow) -> None:
        self.staff = user
        super().__init__()

    def title_text(self) -> str:
        return _("Customers of {name}").format(name=self.staff.display_name)

    def list_options(self) -> dict[str, Any]:
        return {"salesperson_id": self.staff.id}
