"""The roles a user can have (no database import: the command line's --help needs them)."""

ROLES: dict[str, str] = {
    "admin": "Administrator: everything, including users and permissions",
    "manager": "Manager: everything in the business, no user administration",
    "sales": "Sales / counter staff: customers, quotes and sales",
    "warehouse": "Warehouse: receiving, delivery and stock counts",
}
