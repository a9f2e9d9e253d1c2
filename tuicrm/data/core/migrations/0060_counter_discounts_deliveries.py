"""Issue 17 (a day at the counter): percent discounts and partial deliveries.

- ``order_line.discount_rate`` / ``order.discount_rate``: a discount typed as a percentage
  (``10%``, or ``9折`` = 10% off), in thousandths of a percent (15% = 15000); NULL for an
  amount typed as such. The amount in ``discount`` is what counts; the rate makes it follow a
  change of quantity or price.
- ``order_line.delivered``: how much of the line has been delivered (sales) or received
  (purchases) so far, in thousandths, so an order can be delivered or received in parts.
  Lines of orders already delivered count as wholly delivered.

Frozen: later changes go in new migrations.
"""

from __future__ import annotations

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql('ALTER TABLE "order_line" ADD COLUMN "discount_rate" BIGINT')
    db.execute_sql('ALTER TABLE "order" ADD COLUMN "discount_rate" BIGINT')
    db.execute_sql('ALTER TABLE "order_line" ADD COLUMN "delivered" BIGINT NOT NULL DEFAULT 0')
    db.execute_sql(
        'UPDATE "order_line" SET "delivered" = "quantity" WHERE "order_id" IN '
        '(SELECT "id" FROM "order" WHERE "status" = \'delivered\')'
    )
