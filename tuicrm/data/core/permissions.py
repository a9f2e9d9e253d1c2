"""Roles and what each may do. Operations check permissions themselves (``operation`` does it
before the body runs), so hiding a menu entry is a courtesy, never the protection."""

from __future__ import annotations

from typing import Any

from ...i18n import N_, _
from ..models import RolePermission, User
from .actor import Actor, actor_of
from .errors import PermissionDenied
from .roles import ROLES

__all__ = ["ACTIONS", "ROLES", "allowed", "grants", "require", "require_active", "require_any"]


# Every action an operation checks, with what it means (shown on the Users screen).
ACTIONS: dict[str, str] = {
    "user.manage": N_("Add, disable and change users; reset passwords"),
    "settings.edit": N_("Change company information and settings"),
    "audit.view": N_("Read the audit trail and login log"),
    "backup.manage": N_("Back up and restore the database; see backup alerts"),
    "customer.view": N_("See customers"),
    "customer.view_all": N_("See every salesperson's customers (not only one's own)"),
    "customer.edit": N_("Add and edit customers, contacts and groups"),
    "customer.delete": N_("Delete customers"),
    "customer.reassign": N_("Give customers to another salesperson"),
    "supplier.edit": N_("Add and edit suppliers and competitors"),
    "product.view": N_("See products"),
    "product.edit": N_("Add and edit products and categories"),
    "product.see_cost": N_("See cost prices and margins"),
    "order.sell": N_("Enter sales and quotes"),
    "order.view_all": N_("See every order (not only those of one's own customers)"),
    "order.edit_price": N_("Change a line's price"),
    "order.return": N_("Take back goods (sales returns)"),
    "order.purchase": N_("Enter purchase orders and returns to suppliers"),
    "order.deliver": N_("Deliver confirmed orders (stock out)"),
    "order.receive": N_("Receive purchases (stock in)"),
    "stock.view": N_("See stock on hand and movements"),
    "stock.adjust": N_("Adjust stock by hand"),
    "count.count": N_("Count into an open stock count"),
    "count.manage": N_("Open, cancel and post stock counts"),
    "import": N_("Import customers and products from files"),
    "export": N_("Export lists to files"),
    "report.view": N_("Run the business reports (sales, staff performance)"),
    "announcement.post": N_("Post announcements"),
    "reminder.assign": N_("Create reminders for other users"),
    "ticket.view": N_("See service tickets (one's own and one's customers')"),
    "ticket.view_all": N_("See every service ticket"),
    "ticket.edit": N_("Open and work service tickets"),
    "ticket.assign": N_("Give service tickets to another owner"),
    "activity.edit_all": N_("Edit activities other users logged"),
    "money.view": N_("See balances, statements and ageing"),
    "money.receive": N_("Take receipts from customers (also at the counter)"),
    "money.pay": N_("Pay suppliers"),
    "money.refund": N_("Pay money back to customers and take refunds from suppliers"),
    "money.allocate": N_("Allocate and unallocate receipts and payments"),
    "money.write_off": N_("Write off small differences"),
    "money.expense": N_("Record expenses and other income"),
    "money.credit_override": N_("Approve a sale over a customer's credit limit"),
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
        what = _(" or ").join(_(ACTIONS[a]) for a in actions)
        raise PermissionDenied(_("{user} ({role}) may not: {what}").format(
            user=who.username, role=who.role, what=what))


def require_active(actor: Actor | User) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` is the system or an active user (what
    everything any user may do still needs: a disabled account does nothing)."""
    who = as_actor(actor)
    if who.system:
        return
    active = User.select(User.active).where(User.id == who.id).scalar()
    if not active:
        raise PermissionDenied(_("{user} is disabled or no longer exists").format(
            user=who.username))


def grants(role: str) -> set[str]:
    if role == "admin":
        return set(ACTIONS)
    return {
        rp.action for rp in RolePermission.select().where(RolePermission.role == role)
    }
