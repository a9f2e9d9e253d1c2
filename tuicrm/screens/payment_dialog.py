"""F10 on a sale: how it was paid. Cash (what was handed over: the change is shown), card,
WeChat Pay, Alipay, bank transfer, any mix of them; what is not paid goes on the customer's
account (a walk-in sale is paid in full). Enter in any field takes the payment; Tab moves
between fields. A supervisor's approval, when the credit limit blocks, is its own small form.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..data.core.errors import ValidationError
from ..data.core.formats import fmt_amount
from ..data.core.money import fmt_money, from_cents, to_cents
from ..data.money.counter import Tender, plan
from ..i18n import N_, _
from ..widgets.focus import focus_now
from ..widgets.form import FormDialog, FormField

METHODS = (("cash", N_("Cash handed over")), ("card", N_("Card")),
           ("wechat", N_("WeChat Pay")), ("alipay", N_("Alipay")),
           ("bank", N_("Bank transfer")))


def tenders_of(values: dict[str, str]) -> list[Tender]:
    out = []
    for method, _label in METHODS:
        text = values.get(method, "").strip().replace(",", "")
        if text:
            try:
                Decimal(text)
            except ArithmeticError:
                raise ValidationError({method: _("an amount, e.g. 12.50")}) from None
            out.append(Tender(method, text))
    return out


class PaymentDialog(FormDialog):
    """``result``: the tenders (an empty list: all on account)."""

    ENTER_SAVES = True

    DEFAULT_CSS = """
    PaymentDialog #pay-summary { margin-top: 1; text-style: bold; }
    """

    def __init__(self, total: Decimal, *, walk_in: bool, credit: str = "") -> None:
        fields = [FormField(m, _(label), fmt_money(total).replace(",", "") if m == "cash" else "")
                  for m, label in METHODS]
        title = _("Payment: total {total}").format(total=fmt_amount(total))
        if credit:
            title += f"   {credit}"
        super().__init__(title, fields, submit=self._check, submit_label=_("Take payment"))
        self.total = total
        self.walk_in = walk_in

    def on_mount(self) -> None:
        # Inside the box, above the keys line: what the money typed comes to.
        keys = self.query_one(".form-keys", Static)
        self.query_one(Vertical).mount(Static("", id="pay-summary", markup=False),
                                       before=keys)
        self.call_after_refresh(self._summarise)
        cash = self.query_one("#f-cash", Input)
        focus_now(cash)
        cash.select_all()

    def _check(self, values: dict[str, str]) -> list[Tender]:
        tenders = tenders_of(values)
        _parts, _change, unpaid = plan(to_cents(self.total), tenders)
        if unpaid and self.walk_in:
            raise ValidationError({"cash": _("a walk-in sale is paid in full: {due} still "
                                             "due").format(due=fmt_amount(from_cents(unpaid)))})
        return tenders

    def summary(self) -> str:
        try:
            _parts, change, unpaid = plan(to_cents(self.total), tenders_of(self.values()))
        except ValidationError as e:
            return "; ".join(e.errors.values()) or str(e)
        if change:
            return _("Change {amount}").format(amount=fmt_amount(from_cents(change)))
        if unpaid:
            return _("On account {amount}").format(amount=fmt_amount(from_cents(unpaid)))
        return _("Paid in full")

    def _summarise(self) -> None:
        for summary in self.query("#pay-summary").results(Static):  # none before mounting
            summary.update(Text(self.summary()))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._summarise()


def approval_form(message: str) -> FormDialog:
    """The credit limit blocks the sale: a supervisor types their user name and password."""
    return FormDialog(
        message + "\n" + _("A supervisor approves with their user name and password"),
        [FormField("username", _("Supervisor")), FormField("password", _("Password"),
                                                             kind="password")],
        submit_label=_("Approve"))
