"""Roles and what each may do. Operations check permissions themselves (``operation`` does it
before the body runs), so hiding a menu entry is a courtesy, never the protection."""

from __future__ import annotations

from typing import Any

from ..models import RolePermission, User
from .actor import Actor, actor_of
from .errors import PermissionDenied
from .roles import ROLES

__all__ = ["ACTIONS", "ROLES", "allowed", "grants", "require", "require_active", "require_any"]


# Every action an operation checks, with what it means (shown on the Users screen).
ACTIONS: dict[str, str] = {
    "user.manage": "Add, disable and change users; reset passwords",
    "settings.edit": "Change company information and settings",
    "audit.view": "Read the audit trail and login log",
    "customer.view": "See customers",
    "customer.view_all": "See every salesperson's customers (not only one's own)",
    "customer.edit": "Add and edit customers, contacts and groups",
    "customer.delete": "Delete customers",
    "customer.reassign": "Give customers to another salesperson",
    "supplier.edit": "Add and edit suppliers and competitors",
    "product.view": "See products",
    "product.edit": "Add and edit products and categories",
    "product.see_cost": "See cost prices and margins",
    "order.sell": "Enter sales and quotes",
    "order.view_all": "See every order (not only those of one's own customers)",
    "order.edit_price": "Change a line's price",
    "order.return": "Take back goods (sales returns)",
    "order.purchase": "Enter purchase orders and returns to suppliers",
    "order.deliver": "Deliver confirmed orders (stock out)",
    "order.receive": "Receive purchases (stock in)",
    "stock.view": "See stock on hand and movements",
    "stock.adjust": "Adjust stock by hand",
    "count.count": "Count into an open stock count",
    "count.manage": "Open, cancel and post stock counts",
    "import": "Import customers and products from files",
    "export": "Export lists to files",
    "report.view": "Run the business reports (sales, staff performance)",
    "announcement.post": "Post announcements",
    "reminder.assign": "Create reminders for other users",
}


def as_actor(who: Any) -> Actor:
    """``who`` as an ``Actor``; a user row is converted. None (nobody) is refused: every
    operation has an explicit actor (``actor.system_actor()`` for the command line)."""
    if isinstance(who, Actor):
        return who
    if isinstance(who, User):
        return actor_of(who)
    raise TypeError(f"an operation needs an Actor, not {who!r}")


def allowed(actor: Actor | User, action: str) -> bool:
    """Whether ``actor`` may do ``action`` now. The role and the active flag are read from the
    database, not from the (possibly hours-old) actor a session holds, so disabling or
    demoting someone takes effect in their open sessions at once."""
    return _may(as_actor(actor), (action,))


def _may(actor: Actor, actions: tuple[str, ...]) -> bool:
    """Whether ``actor`` may do at least one of ``actions``: two indexed lookups."""
    for action in actions:
        if action not in ACTIONS:  # a misspelt action must not pass silently for admins
            raise ValueError(f"unknown permission action {action!r}")
    if actor.system:
        return True
    row = User.select(User.role, User.active).where(User.id == actor.id).tuples().first()
    if row is None or not row[1]:
        return False
    role = row[0]
    if role == "admin":
        return True
    return bool(
        RolePermission.select()
        .where((RolePermission.role == role) & RolePermission.action.in_(actions))
        .exists()
    )


def require(actor: Actor | User, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may do ``action``."""
    require_any(actor, (action,))


def require_any(actor: Actor | User, actions: tuple[str, ...]) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may do at least one of ``actions``."""
    who = as_actor(actor)
    if not _may(who, actions):
        what = " or ".join(ACTIONS[a] for a in actions)
        raise PermissionDenied(f"{who.username} ({who.role}) may not: {what}")


def require_active(actor: Actor | User) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` is the system or an active user (what
    everything any user may do still needs: a disabled account does nothing)."""
    who = as_actor(actor)
    if who.system:
        return
    active = User.select(User.active).where(User.id == who.id).scalar()
    if not active:
        raise PermissionDenied(f"{who.username} is disabled or no longer exists")


def grants(role: str) -> set[str]:
    if role == "admin":
        return set(ACTIONS)
    return {
        rp.action for rp in RolePermission.select().where(RolePermission.role == role)
    }
