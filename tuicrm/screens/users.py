"""Users (administrators only): add, edit role and name, disable / enable, reset password."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..data.core.errors import TuicrmError
from ..data.core.permissions import ROLES, require
from ..data.models import User, now
from ..data.staff import users
from ..widgets.dialogs import ConfirmDialog
from ..widgets.form import FormDialog, FormField
from .base import AppScreen

ROLE_CHOICES = [(f"{role}: {text.split(':')[0]}", role) for role, text in ROLES.items()]


class UsersScreen(AppScreen):
    TITLE_TEXT = "Users"
    HELP = (
        "Everyone who can log in, with their role. Only administrators can change users. "
        "Disabled users cannot log in; a locked account (5 wrong passwords) unlocks after "
        "15 minutes or when you reset its password."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="users.back"),
        Binding("a", "add", "Add", id="users.add"),
        Binding("e", "edit", "Edit", id="users.edit"),
        Binding("d", "toggle_active", "Disable/enable", id="users.toggle"),
        Binding("r", "reset_password", "Reset password", id="users.reset"),
    ]
    DEFAULT_CSS = """
    UsersScreen DataTable { height: 1fr; }
    UsersScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        try:
            require(self.user, "user.manage")
        except TuicrmError as e:
            self.notify_error(str(e))
            self.app.call_later(self.tuicrm.go_back)
            return
        table = self.query_one(DataTable)
        table.add_columns("User", "Name", "Role", "Department", "Status", "Last login")
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        table = self.query_one(DataTable)
        current = select_id if select_id is not None else self.selected_id()
        table.clear()
        t = now()
        for u in users.list_users():
            status = "active" if u.active else "disabled"
            if u.locked_until and u.locked_until > t:
                status = f"locked until {u.locked_until:%H:%M}"
            last = f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else ""
            table.add_row(
                *(Text(v) for v in (u.username, u.full_name, u.role, u.department, status, last)),
                key=str(u.id),
            )
        if current is not None and str(current) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current)))
        self.query_one("#status", Static).update(Text(f"{table.row_count} users"))

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    def selected(self) -> User | None:
        uid = self.selected_id()
        return users.get_user(uid) if uid is not None else None

    def action_add(self) -> None:
        def create(v: dict[str, str]) -> User:
            return users.create_user(
                self.user, v["username"], v["password"], v["role"], v["full_name"],
                v["department"],
            )

        form = FormDialog(
            "Add a user",
            [
                FormField("username", "User name"),
                FormField("full_name", "Full name"),
                FormField("department", "Department"),
                FormField("role", "Role", "sales", kind="choice", choices=ROLE_CHOICES),
                FormField("password", "Password", kind="password"),
            ],
            submit=create,
            submit_label="Add",
        )
        self.app.push_screen(form, lambda v: self._after(form, v, "added"))

    def _after(self, form: FormDialog, values: dict[str, str] | None, verb: str) -> None:
        if values is None:
            return
        user = form.result
        self.reload(select_id=user.id if isinstance(user, User) else None)
        if isinstance(user, User):
            self.notify(f"User {user.username} {verb}.", markup=False)

    def action_edit(self) -> None:
        user = self.selected()
        if user is None:
            return
        uid = user.id

        def save(v: dict[str, str]) -> User:
            return users.update_user(
                self.user, uid, role=v["role"], full_name=v["full_name"],
                department=v["department"],
            )

        form = FormDialog(
            f"Edit user {user.username}",
            [
                FormField("full_name", "Full name", user.full_name),
                FormField("department", "Department", user.department),
                FormField("role", "Role", user.role, kind="choice", choices=ROLE_CHOICES),
            ],
            submit=save,
        )
        self.app.push_screen(form, lambda v: self._after(form, v, "saved"))

    def action_toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        verb = "Disable" if user.active else "Enable"

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                users.update_user(self.user, user.id, active=not user.active)
            except TuicrmError as e:
                self.notify_error(str(e))
                return
            self.reload()
            self.notify(f"User {user.username} {verb.lower()}d.", markup=False)

        self.app.push_screen(ConfirmDialog(f"{verb} user {user.username}?", yes=verb), answer)

    def action_reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        uid = user.id
        form = FormDialog(
            f"New password for {user.username}",
            [FormField("password", "New password", kind="password")],
            submit=lambda v: users.reset_password(self.user, uid, v["password"]),
            submit_label="Set password",
        )

        def done(v: dict[str, str] | None) -> None:
            if v is not None:
                self.reload()
                self.notify(f"Password of {user.username} was reset.", markup=False)

        self.app.push_screen(form, done)
