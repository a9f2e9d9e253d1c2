"""Settings (A4, O7): every setting of the registry by section, whoever declared it, with its
value; Enter changes one in a form that checks the value (the message beside the field) and
saves through the audited operation. Administrators and managers (``settings.edit``).

The list is built from ``settings_rows.list_settings``, so a setting another part of tuicrm
adds to the registry shows up here with no change to this screen. Flags and fixed choices are
offered as a choice; the printers' form lists the CUPS queues this machine knows.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.core import settings
from ..data.core.errors import ValidationError
from ..data.core.setting_labels import setting_label
from ..data.core.settings_rows import SettingRow, list_settings
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.dialogs import ConfirmDialog
from ..widgets.focus import focus_now
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog
from .base import AppScreen

KEY_WIDTH = 28


def _choice_label(row: SettingRow, value: str) -> str:
    if row.is_bool:
        return _("yes") if value == "1" else _("no")
    if value == "" and row.key.startswith("print."):
        return _("(ask each time)")
    return value or _("(not set)")


def _value_text(row: SettingRow) -> str:
    """The value as the user reads it, in their language (yes / no, "(not set)")."""
    if row.multiline:
        lines = row.value.splitlines()
        if len(lines) > 1:
            return f"{lines[0]} … " + _("({n} lines)").format(n=len(lines))
    return _choice_label(row, row.value)


def _line(row: SettingRow, width: int) -> Text:
    """``name  value`` in one line, the value cut to the width; a changed value is marked."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(set_cell_size(setting_label(row.key), KEY_WIDTH))
    line.append("*" if not row.is_default else " ", style="bold")
    line.append(" ")
    room = max(8, width - KEY_WIDTH - 2)
    value = _value_text(row)
    shown = value if cell_len(value) <= room else set_cell_size(value, room - 1) + "~"
    line.append(shown, style="" if row.editable else "dim")
    return line


class SettingsScreen(AppScreen):
    TITLE_TEXT = N_("Settings")
    HELP = N_(
        "Company information printed on documents, money display, document numbers, "
        "printers, security, backups and more. Enter changes the setting under the cursor; "
        "a wrong value is explained beside the field and nothing is saved. Every change is "
        "recorded in the audit trail. * marks a value that differs from the default."
    )
    BINDINGS = [
        Binding("enter,e", "edit", "Edit", id="settings.edit"),
        Binding("d", "default", "Default", id="settings.default"),
        Binding("f5,ctrl+r", "reload", "Refresh", id="settings.refresh", show=False),
    ]
    DEFAULT_CSS = """
    SettingsScreen #settings { height: 1fr; border: none; }
    SettingsScreen #about { height: 3; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SettingRow] = []
        self.ready = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield OptionList(id="settings")
        yield Static("", id="about", markup=False)
        yield from self.compose_footer()

    @property
    def options(self) -> OptionList:
        return self.query_one("#settings", OptionList)

    def on_mount(self) -> None:
        focus_now(self.options)
        self.action_reload()

    def action_reload(self, select: str | None = None) -> None:
        actor = self.user
        run_in_thread(self, lambda: list_settings(actor), lambda rows: self._show(rows, select),
                      lambda e: self.notify_error(str(e)), name="settings-read", exclusive=True)

    def _show(self, rows: list[SettingRow], select: str | None = None) -> None:
        current = select or self.current_key()
        self.rows = rows
        width = max(40, self.app.size.width - 4)
        options: list[Option] = []
        section = None
        for row in rows:
            if row.section != section:
                section = row.section
                options.append(Option(Text(f"-- {_(section)} --", style="bold"), disabled=True))
            options.append(Option(_line(row, width), id=row.key))
        self.options.clear_options()
        self.options.add_options(options)
        keys = [r.key for r in rows]
        index = keys.index(current) if current in keys else 0
        self.options.highlighted = self.options.get_option_index(keys[index]) if keys else None
        self.ready = True

    def current_key(self) -> str | None:
        index = self.options.highlighted
        if index is None or not self.rows:
            return None
        return self.options.get_option_at_index(index).id

    def current(self) -> SettingRow | None:
        key = self.current_key()
        return next((r for r in self.rows if r.key == key), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        row = self.current()
        if row is None:
            return
        about = Text(row.key + "  ", style="dim")  # what ``tuicrm config set`` takes
        about.append(_(row.description))
        about.append("\n" + _("default: {value}").format(value=_choice_label(row, row.default)),
                     style="dim")
        self.query_one("#about", Static).update(about)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        row = self.current()
        if row is None:
            self.app.bell()
            return
        if not row.editable:
            self.notify_error(_("{key} is kept by tuicrm itself").format(key=row.key))
            return
        if row.multiline:
            self._open_text(row)
            return
        if row.key == settings.PRINTERS.key:
            from ..reports.text import available_printers

            run_in_thread(self, available_printers, lambda found: self._open_form(row, found),
                          lambda e: self._open_form(row, []), name="printers-read")
            return
        self._open_form(row, [])

    def _open_form(self, row: SettingRow, found: list[str]) -> None:
        actor, key = self.user, row.key

        def save(values: dict[str, str]) -> None:  # runs in a worker
            try:
                settings.set_value(actor, key, values["value"])
            except ValidationError as e:
                raise ValidationError({"value": "; ".join(e.errors.values())}) from None

        if row.choices:
            field = FormField("value", _("Value"), row.value, kind="choice",
                              choices=[(_choice_label(row, c), c) for c in row.choices])
        else:
            hint = ", ".join(found) if found else ""
            field = FormField("value", _("Value"), row.value,
                              placeholder=_("found: {names}").format(names=hint) if hint else "")
        title = f"{setting_label(key)} ({key})\n{_(row.description)}"
        if found:
            title += "\n" + _("Printers on this machine: {names}").format(names=", ".join(found))
        form = SavingFormDialog(title, [field], submit=save)

        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self.notify(_("{key} saved.").format(key=setting_label(key)), markup=False)
                self.action_reload(select=key)

        self.app.push_screen(form, done)

    def _open_text(self, row: SettingRow) -> None:
        from ..widgets.text_edit import TextEditDialog

        actor, key = self.user, row.key

        def done(text: str | None) -> None:
            if text is not None:
                self.notify(_("{key} saved.").format(key=setting_label(key)), markup=False)
                self.action_reload(select=key)

        self.app.push_screen(TextEditDialog(_(row.description), row.value,
                                            lambda text: settings.set_value(actor, key, text)),
                             done)

    def action_default(self) -> None:
        row = self.current()
        if row is None or not row.editable or row.is_default:
            self.app.bell()
            return
        actor, key, default = self.user, row.key, row.default

        def answer(yes: bool | None) -> None:
            if yes:
                run_in_thread(self, lambda: settings.set_value(actor, key, default),
                              lambda _r: self.action_reload(select=key),
                              lambda e: self.notify_error(str(e)), name="settings-write",
                              keep=True)

        self.app.push_screen(ConfirmDialog(
            _("Set {key} back to {value}?").format(key=setting_label(key), value=_choice_label(row, default)),
            yes=_("Default")), answer)


__all__ = ["SettingsScreen"]
