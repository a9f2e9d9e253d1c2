"""Change your own password (checked and saved in a worker: argon2 takes a moment)."""

from __future__ import annotations

from typing import Any

from ..data.core.errors import ValidationError
from ..data.staff import users
from ..i18n import N_, _
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog


class ChangePasswordScreen(SavingFormDialog):
    TITLE_TEXT = N_("Change password")
    HELP = N_("Type your current password, then the new one twice. Ctrl+S saves.")

    def __init__(self) -> None:
        super().__init__(
            _("Change your password"),
            [
                FormField("old_password", _("Current password"), kind="password"),
                FormField("password", _("New password"), kind="password"),
                FormField("password2", _("New password again"), kind="password"),
            ],
            submit=self._change,
            submit_label=_("Change password"),
        )

    def on_mount(self) -> None:  # SavingFormDialog's runs too (Textual calls each class's)
        self.actor = self.app.user  # type: ignore[attr-defined]

    def _change(self, values: dict[str, str]) -> None:  # runs in a worker
        if values["password"] != values["password2"]:
            raise ValidationError({"password2": _("the two new passwords differ")})
        users.change_own_password(self.actor, values["old_password"], values["password"])

    def dismiss(self, result: Any = None) -> Any:
        if result is not None:
            self.notify(_("Your password was changed."))
        return super().dismiss(result)
