"""Commission on closings (rule 7).

Each closing of the month earns its own Commission override, else the
client's Commission per Closing, else Sale Price x Commission Rate; each line
is rounded to the currency's minor unit.  A closing with none of these earns
nothing and gets no line (the checks report it).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from vaxl.core.labels import text
from vaxl.core.models import Client, Closing
from vaxl.core.money import round_money
from vaxl.core.results import InvoiceLine

__all__ = ["closing_commission", "commission_lines"]

_ONE = Decimal(1)


def closing_commission(client: Client, closing: Closing) -> Decimal | None:
    """The unrounded commission a closing earns, or None when nothing says how much."""
    if closing.commission is not None:
        return closing.commission
    if client.commission_per_closing is not None:
        return client.commission_per_closing
    if closing.sale_price is not None and client.commission_rate is not None:
        return closing.sale_price * client.commission_rate
    return None


def commission_lines(
    client: Client, closings: Iterable[Closing], language: str
) -> list[InvoiceLine]:
    """One line per closing, in date order (then row order)."""
    lines: list[InvoiceLine] = []
    for closing in sorted(closings, key=lambda c: (c.day, c.ref.row)):
        earned = closing_commission(client, closing)
        if earned is None:
            continue
        amount = round_money(earned, client.currency)
        day = closing.day.isoformat()
        ref = closing.reference.strip()
        description = (
            text(language, "commission", reference=ref, day=day)
            if ref
            else text(language, "commission_noref", day=day)
        )
        lines.append(
            InvoiceLine(
                description=description,
                kind="commission",
                quantity=_ONE,
                unit_price=amount,
                amount=amount,
            )
        )
    return lines
