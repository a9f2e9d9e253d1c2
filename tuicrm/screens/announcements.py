"""Announcements (SPEC S5): the notice board (``agenda.lists.ANNOUNCEMENTS`` on a
``ListScreen``). Everyone reads what is meant for them; managers (``announcement.post``) post
to everyone, one role, or chosen users."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..data.agenda import announcements
from ..data.agenda.announcements import AnnouncementRow
from ..data.agenda.lists import ANNOUNCEMENTS
from ..data.agenda.vocab import AUDIENCE_LABELS, Audience
from ..data.core.actor import Actor
from ..data.core.errors import TuicrmError
from ..data.core.permissions import allowed
from ..data.core.roles import ROLES
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog
from .list_screen import ListScreen

AUDIENCE_CHOICES = [(label, audience.value) for audience, label in AUDIENCE_LABELS.items()]
ROLE_CHOICES = [(f"{role}: {text.split(':')[0]}", role) for role, text in ROLES.items()]


class AnnouncementDialog(ModalScreen[None]):
    """One announcement, as plain text."""

    DEFAULT_CSS = """
    AnnouncementDialog { align: center middle; }
    AnnouncementDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    AnnouncementDialog VerticalScroll { height: auto; max-height: 19; }
    AnnouncementDialog .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close", id="announcement.close")]

    def __init__(self, announcement: AnnouncementRow) -> None:
        super().__init__()
        self.announcement = announcement

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Static(Text(self.announcement.describe()))
            yield Static(Text(_("Enter / Esc: close")), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)


def read_announcement(screen: Any, actor: Actor, announcement_id: int,
                      after: Callable[[], None]) -> None:
    """Show an announcement at once and record that ``actor`` read it (in a worker);
    ``after()`` runs when it is recorded and again when the dialog closes. ``screen`` is an
    ``AppScreen``."""
    try:
        ann = announcements.get_announcement(actor, announcement_id)
    except TuicrmError as e:
        screen.notify_error(str(e))
        after()
        return
    run_in_thread(screen, lambda: announcements.mark_read(actor, announcement_id),
                  lambda _row: after(), lambda e: screen.notify_error(str(e)),
                  name="announcement-read")
    screen.app.push_screen(AnnouncementDialog(ann), lambda _: after())


def post_form(actor: Actor) -> SavingFormDialog:
    def post(values: dict[str, str]) -> AnnouncementRow:  # runs in a worker
        return announcements.post_announcement(
            actor,
            values["title"],
            values["body"],
            audience=values["audience"] or Audience.ALL.value,
            role=values["role"],
            users=announcements.split_names(values["users"]),
        )

    return SavingFormDialog(
        _("Post an announcement"),
        [
            FormField("title", _("Title"), max_length=announcements.MAX_TITLE),
            FormField("body", _("Text"), max_length=announcements.MAX_BODY),
            FormField("audience", _("To"), Audience.ALL.value, kind="choice",
                      choices=[(_(label), value) for label, value in AUDIENCE_CHOICES]),
            FormField("role", _("Role (one role)"), "sales", kind="choice",
                      choices=ROLE_CHOICES),
            FormField("users", _("Users (chosen)"),
                      placeholder=_("user names, e.g. anna bob")),
        ],
        submit=post,
        submit_label=_("Post"),
    )


class AnnouncementsScreen(ListScreen):
    LIST = ANNOUNCEMENTS
    TITLE_TEXT = N_("Announcements")
    HELP = N_(
        "Notices for you, newest first; unread ones are marked NEW (they also show on Today "
        "until read). Enter reads one. Managers post with p: to everyone, one role, or "
        "chosen users."
    )
    BINDINGS = [
        Binding("p", "post", "Post", id="announcements.post"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counts: tuple[int, int] | None = None
        self.may_post = False

    def on_mount(self) -> None:
        # Textual runs ListScreen.on_mount after this one (every class's handler runs).
        self.may_post = allowed(self.user, "announcement.post")
        self._count()

    def refresh_data(self, select_id: int | None = None) -> None:
        self.table.refresh_data()
        if select_id is not None:
            self.table.go_to_id(select_id)
        self._count()

    def _count(self) -> None:
        actor = self.user
        run_in_thread(self, lambda: announcements.counts(actor), self._counted,
                      lambda e: self.notify_error(str(e)), name="announcements-count",
                      exclusive=True)

    def _counted(self, counts: tuple[int, int]) -> None:
        self.counts = counts
        self._show_status()

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        if self.counts is not None:
            total, unread = self.counts
            parts[0:1] = [_("{total} announcements, {unread} unread").format(
                total=total, unread=unread)]
        return parts + [_("Enter: read") + (_("   p: post") if self.may_post else "")]

    def on_list_selected(self, row_id: Any) -> None:
        read_announcement(self, self.user, int(row_id), self.refresh_data)

    def action_post(self) -> None:
        if not allowed(self.user, "announcement.post"):
            self.notify_error(_("only managers can post announcements"))
            return
        form = post_form(self.user)

        def posted(values: dict[str, str] | None) -> None:
            ann = form.result
            if values is None or not isinstance(ann, AnnouncementRow):
                return
            self.refresh_data(select_id=ann.id)
            self.notify(_("Posted to {audience}: {title}").format(
                audience=ann.audience_text, title=ann.title), markup=False)

        self.app.push_screen(form, posted)
