"""Roles and what each may do. Operations call ``require()`` themselves, so hiding a menu
entry is a courtesy, never the protection."""

from __future__ import annotations

from ..models import RolePermission, User
from .errors import PermissionDenied
from .roles import ROLES

__all__ = ["ACTIONS", "ROLES", "allowed", "grants", "require"]


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
    "announcement.post": "Post announcements",
    "reminder.assign": "Create reminders for other users",
}

def allowed(user: User | None, action: str) -> bool:
    """Whether ``user`` may do ``action`` now. The role and the active flag are read from the
    database, not from the (possibly hours-old) object a session holds, so disabling or
    demoting someone takes effect in their open sessions at once."""
    if action not in ACTIONS:  # a misspelt action must not pass silently for admins
        raise ValueError(f"unknown permission action {action!r}")
    if user is None or user.id is None:
        return False
    row = User.select(User.role, User.active).where(User.id == user.id).tuples().first()
    if row is None or not row[1]:
        return False
    role = row[0]
    if role == "admin":
        return True
    return (
        RolePermission.select()
        .where((RolePermission.role == role) & (RolePermission.action == action))
        .exists()
    )


def require(user: User | None, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may do ``action``."""
    if not allowed(user, action):
        who = user.username if user else "nobody"
        what = ACTIONS.get(action, action)
        raise PermissionDenied(f"{who} ({user.role if user else 'not logged in'}) may not: {what}")


def grants(role: str) -> set[str]:
    if role == "admin":
        return set(ACTIONS)
    return {
        rp.action for rp in RolePermission.select().where(RolePermission.role == role)
    }
