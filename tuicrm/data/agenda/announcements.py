"""Company announcements (SPEC S5): posted by managers to everyone, a role, or chosen users.

Who sees an announcement is decided when it is read: "all sales staff" includes a salesperson
hired after it was posted. Each user sees it once as unread (on Today), then in the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from peewee import JOIN

from ..core import audit
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import NotFound, ValidationError
from ..core.permissions import require
from ..core.roles import ROLES
from ..models import Announcement, AnnouncementRead, AnnouncementTarget, User, now

AUDIENCES: dict[str, str] = {"all": "Everyone", "role": "One role", "users": "Chosen users"}
MAX_TITLE = 200
MAX_BODY = 10_000


def _visible(user: User):
    """The condition for announcements ``user`` may see."""
    role = User.select(User.role).where(User.id == user.id).scalar() or ""
    chosen = AnnouncementTarget.select(AnnouncementTarget.announcement).where(
        AnnouncementTarget.user == user.id
    )
    return (
        (Announcement.audience == "all")
        | ((Announcement.audience == "role") & (Announcement.audience_role == role))
        | ((Announcement.audience == "users") & Announcement.id.in_(chosen))
        | (Announcement.author == user.id)
    )


def _user_list(values: Iterable[int | str | User]) -> list[User]:
    found: list[User] = []
    missing: list[str] = []
    for value in values:
        if isinstance(value, User | Actor):
            value = value.id
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            user = User.get_or_none(User.id == int(value))
        else:
            name = str(value).strip().lower()
            if not name:
                continue
            user = User.get_or_none(User.username == name)
        if user is None:
            missing.append(str(value))
        elif user.id not in {u.id for u in found}:
            found.append(user)
    if missing:
        raise ValidationError({"users": f"no such user: {', '.join(missing)}"})
    return found


def split_names(text: str) -> list[str]:
    """User names typed as ``anna, bob carl`` (commas or spaces)."""
    return [p for p in text.replace(",", " ").split() if p]


def post_announcement(
    actor: Actor,
    title: str,
    body: str = "",
    audience: str = "all",
    role: str = "",
    users: Sequence[int | str | User] = (),
) -> Announcement:
    """Post to ``all``, to a ``role`` or to chosen ``users``; needs ``announcement.post``."""
    require(actor, "announcement.post")
    title = " ".join((title or "").split())
    body = (body or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "a title is required"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"at most {MAX_TITLE} characters"
    if len(body) > MAX_BODY:
        errors["body"] = f"at most {MAX_BODY} characters"
    if audience not in AUDIENCES:
        errors["audience"] = f"one of: {', '.join(AUDIENCES)}"
    elif audience == "role" and role not in ROLES:
        errors["role"] = f"one of: {', '.join(ROLES)}"
    elif audience == "users" and not users:
        errors["users"] = "name at least one user"
    if errors:
        raise ValidationError(errors)
    with write():
        chosen = _user_list(users) if audience == "users" else []
        if audience == "users" and not chosen:
            raise ValidationError({"users": "name at least one user"})
        ann = Announcement.create(
            title=title,
            body=body,
            author=actor.id,
            posted_at=now(),
            audience=audience,
            audience_role=role if audience == "role" else "",
        )
        for user in chosen:
            AnnouncementTarget.create(announcement=ann.id, user=user.id)
        if not actor.system:  # the author has read it
            AnnouncementRead.create(announcement=ann.id, user=actor.id)
        audit.record(
            actor, "announcement", ann.id, "create",
            {"title": title, "audience": audience, "role": ann.audience_role,
             "users": [u.username for u in chosen]},
        )
    return ann


def list_for_user(user: User, limit: int = 200) -> list[tuple[Announcement, bool]]:
    """Announcements ``user`` may see, newest first, each with whether they have read it."""
    query = (
        Announcement.select(Announcement, AnnouncementRead.id.alias("read_id"))
        .join(
            AnnouncementRead,
            JOIN.LEFT_OUTER,
            on=(AnnouncementRead.announcement == Announcement.id)
            & (AnnouncementRead.user == user.id),
        )
        .where(_visible(user))
        .order_by(Announcement.posted_at.desc(), Announcement.id.desc())
        .limit(limit)
        .objects()
    )
    return [(a, a.read_id is not None) for a in query]


def unread_for_user(user: User, limit: int = 50) -> list[Announcement]:
    """What ``user`` has not read yet, newest first (shown on Today)."""
    read = AnnouncementRead.select(AnnouncementRead.announcement).where(
        AnnouncementRead.user == user.id
    )
    return list(
        Announcement.select()
        .where(_visible(user) & Announcement.id.not_in(read))
        .order_by(Announcement.posted_at.desc(), Announcement.id.desc())
        .limit(limit)
    )


def get_for_user(user: User, announcement_id: int) -> Announcement:
    ann = Announcement.select().where(
        (Announcement.id == announcement_id) & _visible(user)
    ).first()
    if ann is None:
        raise NotFound(f"announcement #{announcement_id} does not exist")
    return ann


def mark_read(user: User, announcement_id: int) -> Announcement:
    """``user`` has seen it: it leaves Today and stays in the list. Recorded once."""
    with write():
        ann = get_for_user(user, announcement_id)
        exists = AnnouncementRead.select().where(
            (AnnouncementRead.announcement == ann.id) & (AnnouncementRead.user == user.id)
        ).exists()
        if not exists:
            # Two sessions of one user may both get here on PostgreSQL: the second is ignored.
            AnnouncementRead.insert(
                announcement=ann.id, user=user.id, read_at=now()
            ).on_conflict_ignore().execute()
            audit.record(user, "announcement", ann.id, "read")
    return ann


def audience_text(ann: Announcement) -> str:
    if ann.audience == "role":
        return f"role: {ann.audience_role}"
    if ann.audience == "users":
        names = [
            t.user.username
            for t in AnnouncementTarget.select(AnnouncementTarget, User)
            .join(User)
            .where(AnnouncementTarget.announcement == ann.id)
            .order_by(User.username)
        ]
        return "users: " + ", ".join(names)
    return "everyone"


def describe(ann: Announcement) -> str:
    author = ann.author.display_name if ann.author_id else "(unknown)"
    head = f"{ann.title}\n\nPosted {ann.posted_at:%Y-%m-%d %H:%M} by {author}, to {audience_text(ann)}"
    return head + ("\n\n" + ann.body if ann.body else "")
