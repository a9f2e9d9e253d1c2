"""Choose the language of your own sessions (saved on your user record; the screens open
again in it at once)."""

from __future__ import annotations

from typing import Any

from ..data.staff import users
from ..i18n import LANGUAGES, N_, _
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog


class LanguageScreen(SavingFormDialog):
    TITLE_TEXT = N_("Language")
    HELP = N_("Choose the language tuicrm speaks to you, in every session you open. "
              "\"Site default\" follows the shop's setting (or the terminal's language).")

    def __init__(self) -> None:
        actor = self.app.user  # type: ignore[attr-defined]
        choices = [(_("Site default"), "")] + [(name, code) for code, name in LANGUAGES.items()]
        super().__init__(
            _("Your language"),
            [FormField("language", _("Language"), value=actor.language, kind="choice",
                       choices=choices)],
            submit=self._save,
            submit_label=_("Save"),
        )
        self.actor = actor

    def _save(self, values: dict[str, str]) -> None:  # runs in a worker
        self.saved = users.set_own_language(self.actor, values["language"])

    def dismiss(self, result: Any = None) -> Any:
        done = super().dismiss(result)
        if result is not None:
            self.app.call_later(self.app.language_changed, self.saved.actor)  # type: ignore[attr-defined]
        return done
