"""Announcements (SPEC S5): the notice board. Everyone reads what is meant for them; managers
(``announcement.post``) post to everyone, one role, or chosen users."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ..data.agenda import announcements
from ..data.core.errors import TuicrmError
from ..data.core.permissions import allowed
from ..data.core.roles import ROLES
from ..data.models import Announcement
from ..widgets.form import FormDialog, FormField
from .base import AppScreen

AUDIENCE_CHOICES = [(label, key) for key, label in announcements.AUDIENCES.items()]
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

    def __init__(self, announcement: Announcement) -> None:
        super().__init__()
        self.announcement = announcement

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Static(Text(announcements.describe(self.announcement)))
            yield Static(Text("Enter / Esc: close"), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)


def post_form(actor) -> FormDialog:
    def post(values: dict[str, str]) -> Announcement:
        return announcements.post_announcement(
            actor,
            values["title"],
            values["body"],
            audience=values["audience"] or "all",
            role=values["role"],
            users=announcements.split_names(values["users"]),
        )

    return FormDialog(
        "Post an announcement",
        [
            FormField("title", "Title", max_length=announcements.MAX_TITLE),
            FormField("body", "Text", max_length=announcements.MAX_BODY),
            FormField("audience", "To", "all", kind="choice", choices=AUDIENCE_CHOICES),
            FormField("role", "Role (one role)", "sales", kind="choice", choices=ROLE_CHOICES),
            FormField("users", "Users (chosen)", placeholder="user names, e.g. anna bob"),
        ],
        submit=post,
        submit_label="Post",
    )


class AnnouncementsScreen(AppScreen):
    TITLE_TEXT = "Announcements"
    HELP = (
        "Notices for you, newest first; unread ones are marked NEW (they also show on Today "
        "until read). Enter reads one. Managers post with P: to everyone, one role, or "
        "chosen users."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="announcements.back"),
        Binding("p", "post", "Post", id="announcements.post"),
    ]
    DEFAULT_CSS = """
    AnnouncementsScreen DataTable { height: 1fr; }
    AnnouncementsScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("", "Posted", "From", "Title", "To")
        self.refresh_data()

    def refresh_data(self, select_id: int | None = None) -> None:
        table = self.query_one(DataTable)
        current = select_id if select_id is not None else self.selected_id()
        table.clear()
        rows = announcements.list_for_user(self.user)
        for ann, read in rows:
            author = ann.author.username if ann.author_id else ""
            style = "" if read else "bold"
            table.add_row(
                Text("" if read else "NEW", style=style),
                Text(f"{ann.posted_at:%Y-%m-%d %H:%M}"),
                Text(author),
                Text(ann.title, style=style),
                Text(announcements.audience_text(ann)),
                key=str(ann.id),
            )
        if current is not None and str(current) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current)))
        unread = sum(1 for _, read in rows if not read)
        hint = "   p: post" if allowed(self.user, "announcement.post") else ""
        self.query_one("#status", Static).update(
            Text(f"{len(rows)} announcements, {unread} unread   Enter: read{hint}")
        )

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        aid = self.selected_id()
        if aid is None:
            return
        try:
            ann = announcements.mark_read(self.user, aid)
        except TuicrmError as e:
            self.notify_error(str(e))
            self.refresh_data()
            return
        self.app.push_screen(AnnouncementDialog(ann), lambda _: self.refresh_data())

    def action_post(self) -> None:
        if not allowed(self.user, "announcement.post"):
            self.notify_error("only managers can post announcements")
            return
        form = post_form(self.user)

        def posted(values: dict[str, str] | None) -> None:
            if values is None or not isinstance(form.result, Announcement):
                return
            ann = form.result
            self.refresh_data(select_id=ann.id)
            self.notify(f"Posted to {announcements.audience_text(ann)}: {ann.title}",
                        markup=False)

        self.app.push_screen(form, posted)
