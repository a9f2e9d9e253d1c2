"""Money (SPEC M1-M4): the party ledger, allocations, money documents, balances, ageing,
statements, credit limits, expenses and other income.

- ``ledger``: entries and allocations, the only code that writes them (conditional UPDATEs
  on each entry's open amount, so two sessions can never over-allocate one invoice);
- ``documents``: receipts, payments, refunds (operations);
- ``allocating``: allocate, unallocate, write off (operations);
- ``orders``: invoices, bills and credit notes from delivered orders (called by the sales
  lifecycle inside its transaction);
- ``counter``: the counter's F10, a sale and how it was paid in one transaction;
- ``credit``: exposure and the credit-limit rule;
- ``balances``, ``ageing``, ``statement``: reads returning plain rows;
- ``expenses``: expenses and other income by category; ``checks``: ``tuicrm check``.
"""
