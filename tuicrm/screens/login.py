"""Login, first-run administrator set-up, and the lock screen (the same screen, three modes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from ..data.core import settings
from ..data.core.errors import TuicrmError, ValidationError
from ..data.staff import users
from ..i18n import N_, _
from ..widgets.focus import focus_now
from ..widgets.form import PlainInput

if TYPE_CHECKING:
    from ..app import TuicrmApp

Mode = Literal["login", "setup", "lock"]

DEMO_HINT = N_(
    "Demo database: log in as admin / demo1234 "
    "(also manager, counter and warehouse, same password)"
)


class LoginScreen(Screen[None]):
    """Opaque: when the session is locked nothing of the screen below shows through."""

    TITLE_TEXT = N_("Log in")
    HELP = N_(
        "Type your user name, Tab, your password and Enter. After 5 wrong passwords the "
        "account is locked for 15 minutes. A new database first asks for its administrator."
    )
    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen #box {
        width: 60; max-width: 100%; height: auto; border: solid $primary; padding: 0 2;
    }
    LoginScreen .title { text-style: bold; width: 100%; content-align: center middle; }
    LoginScreen Label { margin-top: 1; }
    LoginScreen #message { display: none; }
    LoginScreen #message.-shown { display: block; }
    LoginScreen #message { color: $error; height: auto; margin-top: 1; }
    LoginScreen #hint { color: $text-muted; height: auto; margin-top: 1; }
    """
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="login.quit")]

    def __init__(self, mode: Mode = "login", locked_user: str = "") -> None:
        super().__init__()
        self.mode: Mode = mode
        self.locked_user = locked_user

    @property
    def tuicrm(self) -> TuicrmApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        company = settings.get("company.name") or "tuicrm"
        with Center(), Vertical(id="box"):
            if self.mode == "setup":
                yield Static(Text(_("{company}: new database").format(company=company)),
                             classes="title")
                yield Static(Text(_("Create the administrator account to start.")))
                yield Label(Text(_("Administrator user name")))
                yield PlainInput(value="admin", id="username")
                yield Label(Text(_("Full name")))
                yield PlainInput(id="full_name")
                yield Label(Text(_("Password (at least {n} characters)").format(
                    n=users.MIN_PASSWORD_LENGTH)))
                yield PlainInput(password=True, id="password")
                yield Label(Text(_("Password again")))
                yield PlainInput(password=True, id="password2")
            else:
                title = _("{company}: log in").format(company=company)
                if self.mode == "lock":
                    title = _("{company}: session of {user} locked").format(
                        company=company, user=self.locked_user)
                yield Static(Text(title), classes="title")
                yield Label(Text(_("User name")))
                yield PlainInput(value=self.locked_user, id="username")
                yield Label(Text(_("Password")))
                yield PlainInput(password=True, id="password")
            yield Static("", id="message", markup=False)
            hint = _("Enter: log in   Ctrl+Q: quit")
            if self.mode == "setup":
                hint = _("Enter: create and log in   Ctrl+Q: quit")
            if self.mode != "setup" and settings.get_bool("demo"):
                hint = _(DEMO_HINT) + "\n" + hint
            yield Static(Text(hint), id="hint")

    def on_mount(self) -> None:
        if self.mode == "lock" and self.locked_user:
            focus_now(self.query_one("#password"))
        else:
            focus_now(self.query_one("#username"))

    def show_message(self, text: str) -> None:
        message = self.query_one("#message", Static)
        message.update(Text(text))
        message.set_class(bool(text), "-shown")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs: list[Input] = list(self.query(PlainInput))
        idx = inputs.index(event.input)
        if idx < len(inputs) - 1 and not inputs[idx + 1].value:
            focus_now(inputs[idx + 1])
            return
        if self.mode == "setup":
            self._create_admin()
        else:
            self._log_in()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def _log_in(self) -> None:
        try:
            user = users.authenticate(
                self._value("username"), self._value("password"), self.tuicrm.session_detail
            )
        except TuicrmError as e:
            self.app.bell()
            self.show_message(str(e))
            password = self.query_one("#password", Input)
            password.value = ""
            focus_now(password)
            return
        self.tuicrm.logged_in(user)

    def _create_admin(self) -> None:
        if self._value("password") != self._value("password2"):
            self.show_message(_("the two passwords differ"))
            return
        try:
            users.create_first_admin(
                self._value("username"), self._value("password"), self._value("full_name")
            )
            user = users.authenticate(
                self._value("username"), self._value("password"), self.tuicrm.session_detail
            )
        except ValidationError as e:
            self.show_message(str(e))
            return
        except TuicrmError as e:
            self.show_message(str(e))
            return
        self.tuicrm.logged_in(user)
