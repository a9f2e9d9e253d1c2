"""Company information and settings: one typed registry, stored as key/value rows.

Every setting is declared here once: its key, type, default, a one-line description (shown by
``tuicrm config list`` and the Settings screen) and who may change it. Reading an undeclared
key or writing one is an error, so a misspelt key cannot silently read a default. Values are
stored as text and parsed on every read; a stored value that no longer parses (written by hand,
or by an older version) reads as the default rather than breaking a sale. The parsers the
declarations are made of are in ``settings_parsers.py``.

    from tuicrm.data.core import settings
    width = settings.value(settings.RECEIPT_WIDTH)          # an int: 32, 42 or 48
    settings.set_value(actor, "receipt.width", "32")        # validated and audited
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from ...i18n import _
from ..models import Setting
from .durations import format_spans, parse_spans
from .errors import ValidationError
from .operation import Op, operation
from .settings_parsers import (
    amount,
    day_buckets,
    full_path,
    language,
    number_prefix,
    one_of,
    printer_list,
    printer_name,
    quantity,
    render_list,
    render_yes_no,
    text_up_to,
    whole_number,
    yes_no,
)

T = TypeVar("T")


@dataclass(frozen=True)
class SettingDef(Generic[T]):
    """One setting: ``parse`` turns the stored text into a value or raises ``ValueError`` with
    the message shown beside the field; ``render`` is the inverse."""

    key: str
    default: T
    description: str
    parse: Callable[[str], T] = field(repr=False)
    render: Callable[[T], str] = field(default=str, repr=False)
    permission: str = "settings.edit"
    editable: bool = True  # False: written by tuicrm itself (e.g. the demo flag)
    # The values a form offers (stored text), or a function giving them now (the printers set
    # up); empty: free text checked by ``parse``.
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] = field(default=(), repr=False)
    multiline: bool = False  # edited as a block of text (a document template)

    def offered(self) -> tuple[str, ...]:
        """The values a form offers for this setting now (empty: type a value)."""
        if callable(self.choices):
            return self.choices()
        if not self.choices and isinstance(self.default, bool):
            return ("1", "0")
        return self.choices


REGISTRY: dict[str, SettingDef[Any]] = {}


def _declare(setting: SettingDef[T]) -> SettingDef[T]:
    if setting.key in REGISTRY:
        raise ValueError(_("setting {key!r} declared twice").format(key=setting.key))
    setting.parse(setting.render(setting.default))  # the default must read back
    REGISTRY[setting.key] = setting
    return setting


# -- the settings ------------------------------------------------------------------------------

COMPANY_NAME = _declare(SettingDef(
    "company.name", "", "Company name printed on receipts and documents", text_up_to(120)))
COMPANY_ADDRESS = _declare(SettingDef(
    "company.address", "", "Company address printed on documents", text_up_to(255)))
COMPANY_TAX_NUMBER = _declare(SettingDef(
    "company.tax_number", "", "Tax number (统一社会信用代码) printed on documents", text_up_to(40)))
COMPANY_PHONE = _declare(SettingDef(
    "company.phone", "", "Company telephone printed on documents", text_up_to(40)))
COMPANY_BANK_ACCOUNT = _declare(SettingDef(
    "company.bank_account", "", "Bank and account number printed on invoices", text_up_to(120)))
CURRENCY = _declare(SettingDef(
    "currency", "CNY", "Currency code or symbol shown with amounts on documents", text_up_to(10)))
MONEY_DECIMALS = _declare(SettingDef(
    "money.decimals", 2, "Decimals shown for amounts (display only: amounts are kept in cents)",
    whole_number(0, 2)))
IDLE_LOCK_MINUTES = _declare(SettingDef(
    "session.idle_lock_minutes", 10, "Lock a session after this many idle minutes (0: never)",
    whole_number(0, 24 * 60)))
ALLOW_NEGATIVE_STOCK = _declare(SettingDef(
    "stock.allow_negative", False, "Allow selling more than is on hand", yes_no, render_yes_no))
PRINT_ENCODING = _declare(SettingDef(
    "print.encoding", "utf-8", "Encoding sent to the printer (e.g. gb18030 for receipt printers)",
    text_up_to(20)))
FILES_FOLDER = _declare(SettingDef(
    "files.folder", "", "Folder where receipts, reports and exported lists are saved when a "
    "bare file name is given (empty: each user's documents folder)", text_up_to(255)))
RECEIPT_WIDTH = _declare(SettingDef(
    "receipt.width", 42, "Receipt width in columns (32, 42 or 48)",
    whole_number(32, 48, (32, 42, 48)), choices=("32", "42", "48")))
RECOUNT_THRESHOLD = _declare(SettingDef(
    "count.recount_threshold", Decimal(5),
    "A stock-count line whose variance is larger than this is marked for recount", quantity,
    lambda d: f"{d.normalize():f}"))
FOLLOW_UP_DAYS = _declare(SettingDef(
    "reminder.follow_up_days", 3, "Days until the follow-up made by 'done + follow-up'",
    whole_number(0, 365)))
UI_LANGUAGE = _declare(SettingDef(
    "ui.language", "", "Interface language for users who chose none: en or zh_CN (empty: the "
    "language of the terminal's environment, LANG)", language))
UI_ASCII = _declare(SettingDef(
    "ui.ascii", False, "Draw only ASCII (borders, ellipsis, arrows) for terminals that show "
    "ambiguous-width characters two cells wide (TUICRM_ASCII and --ascii override it)", yes_no,
    render_yes_no))
WRITE_OFF_LIMIT = _declare(SettingDef(
    "money.write_off_limit", Decimal("1.00"),
    "The largest difference a receipt or payment may write off", amount,
    lambda d: f"{d:f}"))
CREDIT_LIMIT_ACTION = _declare(SettingDef(
    "credit.limit_action", "warn",
    "Going over a customer's credit limit: warn, block (a supervisor may override) or off",
    one_of("warn", "block", "off")))
AGEING_BUCKETS: SettingDef[tuple[int, ...]] = _declare(SettingDef(
    "money.ageing_buckets", (30, 60, 90),
    "Ageing buckets: the last day of each (30,60,90 gives 0-30, 31-60, 61-90, over 90)",
    day_buckets, lambda b: ",".join(str(n) for n in b)))
MONEY_ORDERS_FROM = _declare(SettingDef(
    "money.orders_from", 0,
    "Orders with a larger id are on the ledger (older ones were delivered before money was "
    "kept)", whole_number(0, 2**62), editable=False))
DEMO = _declare(SettingDef(
    "demo", False, "This database holds demo data", yes_no, render_yes_no, editable=False))

# Service tickets (S1): per kind, the time to the first response and to the resolution, one
# span per priority (urgent, high, normal, low), in calendar time (nights and weekends count).
TICKET_PRIORITIES = ("urgent", "high", "normal", "low")
DEFAULT_TICKET_TIMES: dict[str, tuple[str, str]] = {  # kind: (respond, resolve)
    "complaint": ("1h 2h 4h 8h", "1d 2d 3d 5d"),
    "service": ("2h 4h 8h 1d", "1d 3d 5d 10d"),
    "request": ("2h 4h 1d 2d", "1d 2d 5d 10d"),
    "feedback": ("4h 1d 2d 3d", "2d 5d 10d 14d"),
}


def _spans(text: str) -> tuple[Any, ...]:
    return parse_spans(text, len(TICKET_PRIORITIES))


TICKET_RESPOND: dict[str, SettingDef[tuple[Any, ...]]] = {
    kind: _declare(SettingDef(
        f"ticket.respond.{kind}", _spans(times[0]),
        f"Time to first response to a {kind} ticket: urgent high normal low (e.g. 1h 2h 4h 8h)",
        _spans, format_spans))
    for kind, times in DEFAULT_TICKET_TIMES.items()
}
TICKET_RESOLVE: dict[str, SettingDef[tuple[Any, ...]]] = {
    kind: _declare(SettingDef(
        f"ticket.resolve.{kind}", _spans(times[1]),
        f"Time to resolve a {kind} ticket: urgent high normal low (e.g. 1d 2d 3d 5d)",
        _spans, format_spans))
    for kind, times in DEFAULT_TICKET_TIMES.items()
}

# Document number prefixes (O7): SO-2026-000123.
DEFAULT_PREFIXES: dict[str, str] = {
    "quote": "QT",
    "sale": "SO",
    "sale_return": "SR",
    "purchase": "PO",
    "purchase_return": "PR",
    "count": "SC",
    "adjust": "ADJ",
    "ticket": "TK",
    "receipt": "RC",
    "payment": "PY",
    "refund": "RF",
    "supplier_refund": "SRF",
    "expense": "EX",
    "income": "OI",
    "write_off": "WO",
}
PREFIXES: dict[str, SettingDef[str]] = {
    kind: _declare(SettingDef(f"prefix.{kind}", default, f"Number prefix of {kind} documents",
                              number_prefix))
    for kind, default in DEFAULT_PREFIXES.items()
}


NUMBER_PADDING = _declare(SettingDef(
    "numbering.padding", 6, "Digits of a document number's counter (SO-2026-000123: 6)",
    whole_number(3, 10)))
NUMBER_YEARLY_RESET = _declare(SettingDef(
    "numbering.yearly_reset", True,
    "Start document numbers again each year (with the year in the number)", yes_no,
    render_yes_no))

# Printers (O6): CUPS queue names only. Printing runs ``lp -d NAME`` without a shell, so a
# setting can never make tuicrm run a program of its own choosing.
NO_PRINTERS: tuple[str, ...] = ()
PRINTERS = _declare(SettingDef(
    "print.printers", NO_PRINTERS, "Printers (CUPS queue names) offered when printing, comma-separated",
    printer_list, render_list))


def _set_up_printers() -> tuple[str, ...]:
    return ("", *value(PRINTERS))


def _chosen_printer(text: str) -> str:
    """One of the printers set up in ``print.printers`` (or empty: ask each time)."""
    name = printer_name(text)
    if name and name not in value(PRINTERS):
        raise ValueError(_("add {name} to the printers (print.printers) first").format(name=name))
    return name


RECEIPT_PRINTER = _declare(SettingDef(
    "print.receipt_printer", "", "Printer that receipts go to (one of the printers)",
    _chosen_printer, choices=_set_up_printers))
DOCUMENT_PRINTER = _declare(SettingDef(
    "print.document_printer", "", "Printer that A4 documents and lists go to (one of the "
    "printers)", _chosen_printer, choices=_set_up_printers))

# The sales contract (O6): a template the administrator edits; {placeholders} are filled in
# from the order and the company settings. Only these names are accepted.
CONTRACT_FIELDS = (
    "company_name", "company_address", "company_tax_number", "company_phone",
    "company_bank_account", "customer", "customer_details", "order_number", "date",
    "valid_until", "salesperson", "lines", "total", "currency",
)
DEFAULT_CONTRACT = """SALES CONTRACT  No. {order_number}

Seller: {company_name}
        {company_address}
        Tel. {company_phone}   Tax no. {company_tax_number}
        Bank: {company_bank_account}
Buyer:  {customer}
        {customer_details}

1. The seller sells and the buyer buys the following goods:

{lines}

2. Total price: {currency} {total} (in words: ____________________).
3. Delivery: within ___ days of signing, to the buyer's address above.
4. Payment: ______________________________.
5. Quality: as the manufacturer's standard; objections within 7 days of delivery.
6. Disputes are settled by negotiation, else by the court where the seller is.

Date: {date}

Seller (seal): ________________        Buyer (seal): ________________
"""


def _template(text: str) -> str:
    """A document template: text with line breaks and {placeholders} from CONTRACT_FIELDS."""
    import string

    text = text.replace("\r\n", "\n").replace("\t", "    ")
    if len(text) > 8000:
        raise ValueError(_("at most 8000 characters"))
    if any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in text):
        raise ValueError(_("no control characters"))
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)
                  if f is not None]
    except ValueError as e:
        raise ValueError(_("a {{ or }} does not pair up ({e}); write {{{{ for a brace").format(e=e)) from None
    if any(spec or conv for _, spec, conv in fields):
        raise ValueError(_("a placeholder is a plain name in braces, such as {total}"))
    unknown = [n for n, _, _ in fields if n not in CONTRACT_FIELDS]
    if unknown:
        raise ValueError(_("unknown placeholder {{{value}}}; known: ").format(value=unknown[0])
                         + ", ".join("{" + f + "}" for f in CONTRACT_FIELDS))
    return text


CONTRACT_TEMPLATE = _declare(SettingDef(
    "document.contract_template", DEFAULT_CONTRACT,
    "Sales contract template ({order_number}, {customer}, {lines}, {total}, ...)", _template,
    multiline=True))

# Backups (A6): made by any tuicrm process that finds the last good one too old.
BACKUP_EVERY_HOURS = _declare(SettingDef(
    "backup.every_hours", 24, "Make a backup when the last good one is this many hours old "
    "(0: only by hand)", whole_number(0, 24 * 31)))
BACKUP_DIR = _declare(SettingDef(
    "backup.dir", "", "Folder for backups (empty: beside the database file)", full_path))
BACKUP_SECOND_DIR = _declare(SettingDef(
    "backup.second_dir", "", "Second folder each backup is copied to (a USB disk or NAS mount)",
    full_path))
BACKUP_KEEP_DAILY = _declare(SettingDef(
    "backup.keep_daily", 7, "Daily backups kept", whole_number(1, 366)))
BACKUP_KEEP_WEEKLY = _declare(SettingDef(
    "backup.keep_weekly", 4, "Weekly backups kept", whole_number(0, 520)))
BACKUP_KEEP_MONTHLY = _declare(SettingDef(
    "backup.keep_monthly", 12, "Monthly backups kept", whole_number(0, 1200)))
BACKUP_ALERT_DAYS = _declare(SettingDef(
    "backup.alert_days", 2, "Alert administrators on Today when the last good backup is older "
    "than this many days", whole_number(1, 365)))
DRILL_ALERT_DAYS = _declare(SettingDef(
    "backup.drill_alert_days", 30, "Alert administrators on Today when the last restore drill "
    "is older than this many days", whole_number(1, 365)))

# Imports (issue 10): applied in short transactions so the counter keeps selling meanwhile.
IMPORT_BATCH_ROWS = _declare(SettingDef(
    "import.batch_rows", 5000, "Most rows an import writes in one transaction (fewer when a "
    "transaction takes longer than 0.4 s, so other terminals never wait long)",
    whole_number(1, 100_000)))


# -- reading and writing -------------------------------------------------------------------------


def definition(key: str) -> SettingDef[Any]:
    try:
        return REGISTRY[key]
    except KeyError:
        raise ValidationError({"key": _("there is no setting {key!r}").format(key=key)}) from None


def value(setting: SettingDef[T]) -> T:
    """The current value of ``setting`` (its default when unset or no longer valid)."""
    row = Setting.select(Setting.value).where(Setting.key == setting.key).scalar()
    if row is None:
        return setting.default
    try:
        return setting.parse(row)
    except ValueError:
        return setting.default


def get(key: str) -> str:
    """The current value of the setting ``key`` as text."""
    setting = definition(key)
    return setting.render(value(setting))


def get_int(key: str) -> int:
    result = value(definition(key))
    if isinstance(result, bool) or not isinstance(result, int):
        raise TypeError(f"setting {key!r} is not a whole number")
    return result


def get_bool(key: str) -> bool:
    result = value(definition(key))
    if not isinstance(result, bool):
        raise TypeError(f"setting {key!r} is not yes / no")
    return result


@operation("settings.edit")
def set_value(op: Op, key: str, setting_text: str) -> None:
    """Change a setting: validated (``ValidationError`` with the message for the field),
    audited with the old and the new value."""
    setting = definition(key)
    if not setting.editable and not op.actor.system:
        raise ValidationError({key: _("this setting is kept by tuicrm itself")})
    if setting.permission != "settings.edit":
        op.require(setting.permission)
    try:
        new = setting.render(setting.parse(str(setting_text)))
    except ValueError as e:
        raise ValidationError({key: str(e)}) from None
    old = get(key)
    Setting.insert(key=key, value=new).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: new}
    ).execute()
    op.audit("setting", None, "update", {key: (old, new)})
