"""The tuicrm App: login, the screen stack, global keys, command palette, idle lock."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from .data.core import clock, settings
from .data.core import db as dbmod
from .data.core.actor import Actor
from .data.staff import users as user_ops
from .i18n import N_, _, choose_language, language_from_environment, ngettext, set_language
from .screens.help import HelpScreen
from .screens.login import LoginScreen, Mode
from .screens.registry import AREAS, Area
from .widgets import crash_guard, terminal_guard
from .widgets.background import run_in_thread
from .widgets.palette import Commands, PaletteEntry, TuicrmPalette

if TYPE_CHECKING:
    from .data.agenda.reminder_rows import ReminderRow

IDLE_CHECK_SECONDS = 15.0
REMINDER_CHECK_SECONDS = 20.0  # how often the app looks for reminders coming due
CHECKPOINT_IDLE_SECONDS = 60.0


def _ignore(_value: object) -> None:
    """For background work whose outcome nobody waits for (a checkpoint, a setting read)."""


class Blank(Screen[None]):
    """The bottom of the stack: nothing on it, so nothing leaks when everything is popped."""


class TuicrmApp(App[None]):
    TITLE = "tuicrm"
    CSS_PATH = "app.tcss"
    GUARD_ERRORS = True  # crash_guard: one line and a log file, never a traceback
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {Commands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help", priority=True),
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True, show=False),
        Binding("ctrl+r", "new_reminder", "New reminder", id="app.new_reminder", priority=True,
                show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
        # Tab moves focus at once, before later keys are routed: a fast typist (or one SSH
        # read holding "name<Tab>password") would otherwise put everything in one field.
        Binding("tab", "focus_next", "Next field", id="app.tab", priority=True, show=False),
        Binding("shift+tab", "focus_previous", "Previous field", id="app.backtab",
                priority=True, show=False),
    ]

    def __init__(self, location: str, *, idle_lock_minutes: int | None = None,
                 language: str | None = None) -> None:
        crash_guard.install()
        terminal_guard.install()
        super().__init__()
        self.location = location
        self.chosen_language = language  # --lang: before every other choice
        self.site_language = ""
        self.user: Actor | None = None
        self.locked = False
        self._idle_lock_override = idle_lock_minutes
        self._last_input = time.monotonic()
        self._checkpointed_since_input = False
        self._reminders_checked_at = clock.now()  # reminders due after this have not rung yet
        # Shown in the login log: which SSH connection or terminal a session came from.
        ssh = os.environ.get("SSH_CLIENT", "").split(" ")[0]
        self.session_detail = f"ssh {ssh}" if ssh else f"tty {os.environ.get('TERM', '?')}"

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort (a timer, a worker, a screen that failed to mount): one
        line and the log instead of a traceback with local variables; the app goes on."""
        crash_guard.report(self, error, where="app")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("focus_next", "focus_previous"):
            # Scanning screens take Tab as a scanner terminator (PRIORITY_TAB = False).
            return getattr(self.screen, "PRIORITY_TAB", True)
        if action == "new_reminder":
            return self.user is not None and not self.locked and not isinstance(
                self.screen, ModalScreen | LoginScreen)
        return True

    # -- start-up ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        return Blank()

    def on_mount(self) -> None:
        if self.console.color_system in ("standard", "windows"):
            self.theme = "ansi-dark"  # 16 colours: use the terminal's own palette
        self.site_language = settings.value(settings.UI_LANGUAGE)
        self.speak(None)
        mode: Mode = "login" if user_ops.has_users() else "setup"
        self.push_screen(LoginScreen(mode))
        self.set_interval(IDLE_CHECK_SECONDS, self._idle_tick)
        self.set_interval(REMINDER_CHECK_SECONDS, self._reminder_tick)

    # -- session ----------------------------------------------------------------------------
    def speak(self, user: Actor | None) -> str:
        """Use the language for ``user`` (before login: None): --lang, else the user's own,
        else the site's, else the environment's. Screens made afterwards speak it."""
        return set_language(choose_language(
            self.chosen_language, user.language if user else None, self.site_language,
            language_from_environment()))

    def logged_in(self, user: Actor) -> None:
        """Called by the login screen. The same user after a lock resumes where they were;
        anyone else starts from a clean Home screen with Today on top (Esc: Home)."""
        from .screens.home import HomeScreen
        from .screens.today import TodayScreen

        resuming = self.locked and self.user is not None and self.user.id == user.id
        self.user = user
        self.speak(user)
        self.locked = False
        self._last_input = time.monotonic()
        if resuming:
            self.pop_screen()
            return
        self._reminders_checked_at = clock.now()  # Today shows what is already due
        self._clear_stack()
        self.push_screen(HomeScreen())
        self.push_screen(TodayScreen())

    def language_changed(self, user: Actor) -> None:
        """The user chose another language: speak it, and open Home again in it (screens
        already made keep the words they were made with)."""
        from .screens.home import HomeScreen

        self.user = user
        self.speak(user)
        self._clear_stack()
        self.push_screen(HomeScreen())

    def _clear_stack(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_lock(self) -> None:
        if self.user is None or self.locked:
            return
        self.locked = True
        self._log_session("lock")
        self.push_screen(LoginScreen("lock", locked_user=self.user.username))

    def _log_session(self, event: str, then: Callable[[], object] | None = None) -> None:
        """Record a lock / logout in the login log, in a worker (it may wait for the write
        lock); ``then()`` afterwards, whether it could be recorded or not."""
        actor, detail = self.user, self.session_detail
        if actor is None:
            if then is not None:
                then()
            return

        def after(_result: object) -> None:
            if then is not None:
                then()

        run_in_thread(self, lambda: user_ops.record_session_event(actor, event, detail),
                      after, after, name="session-log")

    def on_event(self, event: events.Event) -> Coroutine[Any, Any, None]:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = time.monotonic()
            self._checkpointed_since_input = False
        return super().on_event(event)

    def _idle_tick(self) -> None:
        """Lock an idle session; fold the SQLite WAL back when idle. Reading the setting and
        the checkpoint run in a worker: both may wait on the database."""
        idle = time.monotonic() - self._last_input
        if idle >= CHECKPOINT_IDLE_SECONDS and not self._checkpointed_since_input:
            self._checkpointed_since_input = True
            run_in_thread(self, dbmod.checkpoint, _ignore, _ignore, name="checkpoint")
        if self._idle_lock_override is not None:
            self._lock_if_idle(self._idle_lock_override)
        elif self.user is not None and not self.locked:
            run_in_thread(self, lambda: settings.value(settings.IDLE_LOCK_MINUTES),
                          self._lock_if_idle, _ignore, name="idle", exclusive=True)

    def _lock_if_idle(self, minutes: int) -> None:
        idle = time.monotonic() - self._last_input  # keys typed meanwhile count
        if self.user is not None and not self.locked and minutes > 0 and idle >= minutes * 60:
            self.action_lock()

    def _reminder_tick(self) -> None:
        """Ring for the operator's reminders that came due since the last look: a toast and
        the bell, never a new screen or a change of focus (a scan or a half-typed field goes
        on undisturbed). The look runs in a worker. While locked nothing rings; it rings
        after the unlock."""
        if self.user is None or self.locked:
            return
        from .data.agenda import reminders  # not at start-up: the login screen needs none

        actor, since, until = self.user, self._reminders_checked_at, clock.now()
        self._reminders_checked_at = until

        def look_again() -> None:
            if self.user == actor:  # the same session: the next look covers this window too
                self._reminders_checked_at = min(self._reminders_checked_at, since)

        def ring(due: list[ReminderRow]) -> None:
            if self.user != actor:
                return  # someone else logged in meanwhile: their Today shows their own
            if self.locked:
                look_again()  # locked while looking: it rings after the unlock
                return
            self._ring(due, until)

        run_in_thread(self, lambda: reminders.coming_due(actor, since, until), ring,
                      lambda _e: look_again(), name="reminder-tick")

    def _ring(self, due: list[ReminderRow], until: dt.datetime) -> None:
        from .data.agenda.schedule import fmt_when

        if not due:
            return
        for r in due[:3]:
            self.notify(
                _("{title} (due {when})").format(title=r.title, when=fmt_when(r.due_at, until)),
                title=_("Reminder"), severity="warning", timeout=30, markup=False,
            )
        if len(due) > 3:
            more = len(due) - 3
            self.notify(ngettext("and {n} more reminder: see Today (Ctrl+P Today)",
                                 "and {n} more reminders: see Today (Ctrl+P Today)",
                                 more).format(n=more),
                        title=_("Reminder"), severity="warning", timeout=30, markup=False)
        self.bell()
        from .screens.today import TodayScreen

        if isinstance(self.screen, TodayScreen):
            self.screen.refresh_data()

    def action_new_reminder(self) -> None:
        """Ctrl+R from any screen: the new-reminder form."""
        if self.user is None or self.locked:
            return
        from .screens.reminder_dialogs import open_new_reminder

        refresh = getattr(self.screen, "refresh_data", None)
        open_new_reminder(self, self.user, refresh if callable(refresh) else None)

    # -- navigation -------------------------------------------------------------------------
    def open_area(self, area: Area) -> None:
        if self.user is None or self.locked:
            return
        screen_cls = area.factory()
        # Opening an area from anywhere replaces whatever sits above Home.
        from .screens.home import HomeScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self.push_screen(screen_cls())

    def go_back(self) -> None:
        """Esc: back to the screen below, never below Home."""
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        from .widgets.dialogs import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._log_session("logout", then=self.exit)

        self.push_screen(ConfirmDialog(_("Quit tuicrm?"), yes=_("Quit"), no=_("Stay")), answer)

    # -- command palette --------------------------------------------------------------------
    def action_command_palette(self) -> None:
        if self.use_command_palette and not TuicrmPalette.is_open(cast("App[Any]", self)):
            self.push_screen(TuicrmPalette())

    def palette_entries(self, screen: Screen[Any]) -> list[PaletteEntry]:
        """What Ctrl+P offers (English names; the palette shows them translated)."""
        if self.user is None or self.locked:
            return [PaletteEntry(N_("Quit"), N_("Leave tuicrm"), self.action_quit)]
        from .screens.home import HomeScreen

        def go_home() -> None:
            self._clear_stack()
            self.push_screen(HomeScreen())

        entries = [PaletteEntry(N_("Home"), N_("The start screen with every area"), go_home)]
        granted = user_ops.permissions_of(self.user)

        def opener(area: Area) -> Callable[[], None]:
            return lambda: self.open_area(area)

        entries += [PaletteEntry(area.name, area.description, opener(area))
                    for area in AREAS if area.permission is None or area.permission in granted]
        entries += [
            PaletteEntry(N_("New reminder"), N_("Add a reminder or task (Ctrl+R)"),
                         self.action_new_reminder),
            PaletteEntry(N_("Help"), N_("Keys and what this screen does (F1)"),
                         self.action_help),
            PaletteEntry(N_("Lock"), N_("Lock the session (Ctrl+L)"), self.action_lock),
            PaletteEntry(N_("Switch user"), N_("Lock and log in as someone else"),
                         self.action_lock),
            PaletteEntry(N_("Quit"), N_("Leave tuicrm (Ctrl+Q)"), self.action_quit),
        ]
        return entries

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for entry in self.palette_entries(screen):
            yield SystemCommand(_(entry.name), _(entry.help), entry.callback)


def make_app(location: str, *, idle_lock_minutes: int | None = None,
             language: str | None = None) -> TuicrmApp:
    """The app on an already opened database (see ``data.schema.open_db``); used by the CLI
    and the tests. ``language``: as ``--lang`` (else the user's, the site's, LANG)."""
    return TuicrmApp(location, idle_lock_minutes=idle_lock_minutes, language=language)
