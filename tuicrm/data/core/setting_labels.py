"""What each setting is called on the Settings screen, in the user's language.

The keys (``company.name``) are what ``tuicrm config set`` takes; people at the counter read
a name instead ("公司名称"), with the key in the line under the list. A setting without a
label here shows its key.
"""

from __future__ import annotations

from ...i18n import N_, _
from .vocab import shown_word

LABELS: dict[str, str] = {
    "company.name": N_("Company name"),
    "company.address": N_("Company address"),
    "company.tax_number": N_("Tax number"),
    "company.phone": N_("Company telephone"),
    "company.bank_account": N_("Bank account"),
    "currency": N_("Currency"),
    "money.decimals": N_("Decimals shown"),
    "money.write_off_limit": N_("Write-off limit"),
    "money.ageing_buckets": N_("Ageing buckets"),
    "money.orders_from": N_("Ledger from order id"),
    "credit.limit_action": N_("Over the credit limit"),
    "session.idle_lock_minutes": N_("Lock when idle (minutes)"),
    "stock.allow_negative": N_("Sell beyond stock"),
    "count.recount_threshold": N_("Recount above variance"),
    "reminder.follow_up_days": N_("Follow-up after (days)"),
    "ui.language": N_("Interface language"),
    "ui.ascii": N_("ASCII drawing only"),
    "demo": N_("Demo data"),
    "numbering.padding": N_("Number digits"),
    "numbering.yearly_reset": N_("New numbers each year"),
    "files.folder": N_("Folder for saved files"),
    "receipt.width": N_("Receipt width"),
    "print.encoding": N_("Printer encoding"),
    "print.printers": N_("Printers"),
    "print.receipt_printer": N_("Receipt printer"),
    "print.document_printer": N_("Document printer"),
    "document.contract_template": N_("Contract template"),
    "backup.every_hours": N_("Back up every (hours)"),
    "backup.dir": N_("Backup folder"),
    "backup.second_dir": N_("Second backup folder"),
    "backup.keep_daily": N_("Daily backups kept"),
    "backup.keep_weekly": N_("Weekly backups kept"),
    "backup.keep_monthly": N_("Monthly backups kept"),
    "backup.alert_days": N_("Backup alert after (days)"),
    "backup.drill_alert_days": N_("Restore drill alert after (days)"),
    "import.batch_rows": N_("Import rows per batch"),
}

# The families declared in a loop: one label each, naming the document or ticket kind
FAMILIES: dict[str, str] = {
    "prefix.": N_("Prefix: {kind}"),
    "ticket.respond.": N_("Respond to {kind} within"),
    "ticket.resolve.": N_("Resolve {kind} within"),
}
# Kinds that have no word elsewhere (order kinds are ``vocab.shown_word``'s)
KINDS: dict[str, str] = {
    "count": N_("stock count"), "adjust": N_("adjustment"), "ticket": N_("service ticket"),
    "receipt": N_("receipt"), "payment": N_("payment"), "refund": N_("refund"),
    "supplier_refund": N_("supplier refund"), "expense": N_("expense"),
    "income": N_("other income"), "write_off": N_("write-off"),
    "complaint": N_("complaint"), "service": N_("service"), "request": N_("request"),
    "feedback": N_("feedback"),
}


def setting_label(key: str) -> str:
    """The name of setting ``key`` in the user's language (the key itself if it has none)."""
    if key in LABELS:
        return _(LABELS[key])
    for head, label in FAMILIES.items():
        if key.startswith(head):
            kind = key[len(head):]
            word = _(KINDS[kind]) if kind in KINDS else shown_word(kind) or kind
            return _(label).format(kind=word)
    return key
