"""The roles a user can have (no database import: the command line's --help needs them)."""

from ...i18n import N_

ROLES: dict[str, str] = {
    "admin": "Administrator: everything, including users and permissions",
    "manager": "Manager: everything in the business, no user administration",
    "sales": "Sales / counter staff: customers, quotes and sales",
    "warehouse": "Warehouse: receiving, delivery and stock counts",
}

#: What a role is called on screen (translated where shown); the key is what is stored and
#: what ``tuicrm user add --role`` takes.
ROLE_NAMES: dict[str, str] = {
    "admin": N_("Administrator"),
    "manager": N_("Manager"),
    "sales": N_("Sales / counter"),
    "warehouse": N_("Warehouse"),
}
