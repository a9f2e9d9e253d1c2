"""All peewee models, in creation order."""

from .activity import Activity, Announcement, AnnouncementRead, AnnouncementTarget, Reminder
from .base import BaseModel, Versioned, now
from .catalog import Barcode, Product, ProductCategory
from .counts import StockCount, StockCountEntry, StockCountLine
from .money import Allocation, LedgerEntry, MoneyAccount, MoneyCategory, MoneyDoc
from .orders import DocSequence, Order, OrderLine
from .parties import Competitor, Contact, Customer, CustomerGroup, Supplier
from .service import Ticket
from .stock import Location, StockLevel, StockMovement
from .transfer import ImportRun, ImportUndo
from .users import AuditLog, LoginEvent, RolePermission, Setting, User, UserPref

ALL_MODELS = [
    Setting,
    User,
    RolePermission,
    UserPref,
    LoginEvent,
    AuditLog,
    CustomerGroup,
    Customer,
    Contact,
    Supplier,
    Competitor,
    ProductCategory,
    Product,
    Barcode,
    Location,
    StockLevel,
    StockMovement,
    Order,
    OrderLine,
    DocSequence,
    Reminder,
    Activity,
    Announcement,
    AnnouncementTarget,
    AnnouncementRead,
    StockCount, StockCountLine, StockCountEntry,
    Ticket,
    MoneyAccount, MoneyCategory, MoneyDoc, LedgerEntry, Allocation,
    ImportRun, ImportUndo,
]

__all__ = [
    "ALL_MODELS",
    "Allocation",
    "LedgerEntry",
    "MoneyAccount",
    "MoneyCategory",
    "MoneyDoc",
    "Activity",
    "Announcement",
    "AnnouncementRead",
    "AnnouncementTarget",
    "AuditLog",
    "Barcode",
    "BaseModel",
    "Competitor",
    "Contact",
    "Customer",
    "CustomerGroup",
    "DocSequence",
    "ImportRun",
    "ImportUndo",
    "Location",
    "LoginEvent",
    "Order",
    "OrderLine",
    "Product",
    "ProductCategory",
    "Reminder",
    "RolePermission",
    "Setting",
    "StockCount",
    "StockCountEntry",
    "StockCountLine",
    "StockLevel",
    "StockMovement",
    "Supplier",
    "Ticket",
    "User",
    "UserPref",
    "Versioned",
    "now",
]
