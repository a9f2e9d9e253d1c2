"""Company announcements (SPEC S5): posted by managers to everyone, a role, or chosen users.

Who sees an announcement is decided when it is read: "all sales staff" includes a salesperson
hired after it was posted. Each user sees it once as unread (on Today), then in the list
(``agenda.lists.ANNOUNCEMENTS``). Screens get ``AnnouncementRow``s with the author's name
joined in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import peewee
from peewee import JOIN

from ...i18n import _
from ..core import clock
from ..core.actor import Actor
from ..core.errors import NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..core.roles import ROLES
from ..core.text import visible
from ..models.activity import Announcement, AnnouncementRead, AnnouncementTarget
from ..models.users import User
from .vocab import Audience

MAX_TITLE = 200
MAX_BODY = 10_000
Author = User.alias("author_user")


@dataclass(frozen=True)
class AnnouncementRow:
    id: int
    title: str
    body: str
    posted_at: dt.datetime
    author: str  # user name ("" when the author's account is gone)
    author_name: str  # full name, or the user name
    audience: Audience
    audience_role: str
    recipients: tuple[str, ...] = ()  # user names, for the audience "users" (when loaded)

    @property
    def audience_text(self) -> str:
        if self.audience is Audience.ROLE:
            return _("role: {role}").format(role=self.audience_role)
        if self.audience is Audience.USERS:
            return (_("users: {names}").format(names=", ".join(self.recipients))
                    if self.recipients else _("chosen users"))
        return _("everyone")

    def describe(self) -> str:
        """The announcement as plain text, for a dialog."""
        author = self.author_name or _("(unknown)")
        head = visible(self.title) + "\n\n" + _("Posted {at} by {author}, to {audience}").format(
            at=f"{self.posted_at:%Y-%m-%d %H:%M}", author=author, audience=self.audience_text)
        text = head + ("\n\n" + self.body if self.body else "")
        return visible(text, multiline=True)  # never a raw control character on a screen


def visible_to(actor: Actor) -> Any:
    """The WHERE for announcements ``actor`` may see (one statement: the role is a
    subquery, so it is the role now, not at login)."""
    if actor.id is None:  # the command line sees them all
        return Announcement.id.is_null(False)
    role = User.select(User.role).where(User.id == actor.id)
    chosen = AnnouncementTarget.select(AnnouncementTarget.announcement).where(
        AnnouncementTarget.user == actor.id
    )
    return (
        (Announcement.audience == Audience.ALL.value)
        | ((Announcement.audience == Audience.ROLE.value) & Announcement.audience_role.in_(role))
        | ((Announcement.audience == Audience.USERS.value) & Announcement.id.in_(chosen))
        | (Announcement.author == actor.id)
    )


def with_author(*columns: Any) -> peewee.ModelSelect[Any]:
    return (Announcement.select(*columns)
            .join(Author, JOIN.LEFT_OUTER, on=(Announcement.author == Author.id)))


_COLUMNS = (Announcement.id, Announcement.title, Announcement.body, Announcement.posted_at,
            Author.username, Author.full_name, Announcement.audience,
            Announcement.audience_role)


def _rows(query: peewee.ModelSelect[Any]) -> list[AnnouncementRow]:
    return [
        AnnouncementRow(aid, title, body, posted, author or "", full or author or "",
                        Audience(audience), role or "")
        for aid, title, body, posted, author, full, audience, role in query.tuples().execute()
    ]


def _recipients(announcement_id: int) -> tuple[str, ...]:
    return tuple(
        name for (name,) in User.select(User.username)
        .join(AnnouncementTarget, on=(AnnouncementTarget.user == User.id))
        .where(AnnouncementTarget.announcement == announcement_id)
        .order_by(User.username).tuples().execute()
    )


def _one(actor: Actor, announcement_id: int) -> AnnouncementRow:
    found = _rows(with_author(*_COLUMNS).where(
        (Announcement.id == announcement_id) & visible_to(actor)))
    if not found:
        raise NotFound(_("announcement #{announcement_id} does not exist").format(
                         announcement_id=announcement_id))
    row = found[0]
    if row.audience is Audience.USERS:
        row = replace(row, recipients=_recipients(row.id))
    return row


def split_names(text: str) -> list[str]:
    """User names typed as ``anna, bob carl`` (commas or spaces)."""
    return [p for p in text.replace(",", " ").split() if p]


def _user_ids(values: Iterable[int | str]) -> list[tuple[int, str]]:
    """(id, user name) of each user given by id or user name; ``ValidationError`` naming the
    unknown ones."""
    found: dict[int, str] = {}
    missing: list[str] = []
    for value in values:
        if isinstance(value, int) or value.strip().isdigit():
            row = User.select(User.id, User.username).where(User.id == int(value))
        else:
            name = value.strip().lower()
            if not name:
                continue
            row = User.select(User.id, User.username).where(User.username == name)
        hit = row.tuples().first()
        if hit is None:
            missing.append(str(value))
        else:
            found.setdefault(hit[0], hit[1])
    if missing:
        raise ValidationError({"users": _("no such user: {join}").format(join=', '.join(missing))})
    return list(found.items())


@operation("announcement.post")
def post_announcement(
    op: Op,
    title: str,
    body: str = "",
    audience: Audience | str = Audience.ALL,
    role: str = "",
    users: Sequence[int | str] = (),
) -> AnnouncementRow:
    """Post to ``all``, to a ``role`` or to chosen ``users`` (ids or user names)."""
    title = " ".join((title or "").split())
    body = (body or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("a title is required")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("at most {MAX_TITLE} characters").format(MAX_TITLE=MAX_TITLE)
    if len(body) > MAX_BODY:
        errors["body"] = _("at most {MAX_BODY} characters").format(MAX_BODY=MAX_BODY)
    try:
        to = Audience(audience)
    except ValueError:
        errors["audience"] = _("one of: {join}").format(join=', '.join(a.value for a in Audience))
    else:
        if to is Audience.ROLE and role not in ROLES:
            errors["role"] = _("one of: {join}").format(join=', '.join(ROLES))
        elif to is Audience.USERS and not users:
            errors["users"] = _("name at least one user")
    if errors:
        raise ValidationError(errors)
    chosen = _user_ids(users) if to is Audience.USERS else []
    if to is Audience.USERS and not chosen:
        raise ValidationError({"users": _("name at least one user")})
    ann = Announcement.create(title=title, body=body, author=op.actor.id,
                              posted_at=clock.now(), audience=to.value,
                              audience_role=role if to is Audience.ROLE else "")
    for user_id, _name in chosen:
        AnnouncementTarget.create(announcement=ann.id, user=user_id)
    if op.actor.id is not None:  # the author has read it
        AnnouncementRead.create(announcement=ann.id, user=op.actor.id)
    op.audit("announcement", ann.id, "create",
             {"title": title, "audience": to.value, "role": ann.audience_role,
              "users": sorted(name for _id, name in chosen)})
    return _one(op.actor, ann.id)


@reader(None)
def get_announcement(op: Op, announcement_id: int) -> AnnouncementRow:
    """One announcement the actor may see (its recipients named)."""
    return _one(op.actor, announcement_id)


@reader(None)
def unread(op: Op, limit: int = 50) -> list[AnnouncementRow]:
    """What the actor has not read yet, newest first, with the authors (one query)."""
    if op.actor.id is None:
        return []
    read = AnnouncementRead.select(AnnouncementRead.announcement).where(
        AnnouncementRead.user == op.actor.id
    )
    return _rows(
        with_author(*_COLUMNS)
        .where(visible_to(op.actor) & Announcement.id.not_in(read))
        .order_by(Announcement.posted_at.desc(), Announcement.id.desc())
        .limit(limit)
    )


@reader(None)
def counts(op: Op) -> tuple[int, int]:
    """(announcements the actor may see, of which unread)."""
    seen = visible_to(op.actor)
    total = Announcement.select().where(seen).count()
    if op.actor.id is None:
        return total, 0
    read = AnnouncementRead.select(AnnouncementRead.announcement).where(
        AnnouncementRead.user == op.actor.id
    )
    return total, Announcement.select().where(seen & Announcement.id.not_in(read)).count()


@operation(None)
def mark_read(op: Op, announcement_id: int) -> AnnouncementRow:
    """The actor has seen it: it leaves Today and stays in the list. Recorded once; returns
    the announcement to show."""
    ann = _one(op.actor, announcement_id)
    if op.actor.id is None:
        return ann
    # One statement: of two sessions of the same user reading it at once, one inserts (and
    # audits), the other inserts nothing.
    inserted = (AnnouncementRead.insert(announcement=ann.id, user=op.actor.id,
                                        read_at=clock.now())
                .on_conflict_ignore().as_rowcount().execute())
    if inserted:
        op.audit("announcement", ann.id, "read")
    return ann
