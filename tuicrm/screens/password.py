"""Change your own password."""

from __future__ import annotations

from ..data.core.errors import ValidationError
from ..data.staff import users
from ..widgets.form import FormDialog, FormField


class ChangePasswordScreen(FormDialog):
    TITLE_TEXT = "Change password"
    HELP = "Type your current password, then the new one twice. Ctrl+S saves."

    def __init__(self) -> None:
        super().__init__(
            "Change your password",
            [
                FormField("old_password", "Current password", kind="password"),
                FormField("password", "New password", kind="password"),
                FormField("password2", "New password again", kind="password"),
            ],
            submit=self._change,
            submit_label="Change",
        )

    def _change(self, values: dict[str, str]) -> None:
        if values["password"] != values["password2"]:
            raise ValidationError({"password2": "the two new passwords differ"})
        users.change_own_password(self.app.user, values["old_password"], values["password"])  # type: ignore[attr-defined]

    def dismiss(self, result=None):  # type: ignore[override]
        if result is not None:
            self.notify("Your password was changed.")
        return super().dismiss(result)
