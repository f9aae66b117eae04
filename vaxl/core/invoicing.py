"""Invoice lines from priced work, totals (rule 8), fingerprints and drift.

Lines come in this order: retainer fee or block purchases, time at its rate
(one line per category and rate), overage at Overage Rate (one per category),
rush surcharges (one per category and rate), commissions.  Hours covered by a
retainer or a block get no line of their own: they are shown in the
statement and the entry detail, and cost nothing beyond the fee or block
already billed (a covered Prepaid = yes specialty category included).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from vaxl.core.labels import fmt_hours, fmt_money, fmt_percent, text
from vaxl.core.models import Entries, Problem, RegisterRow
from vaxl.core.money import round_money
from vaxl.core.pricing import ResolvedRate, exact_hours, rush_amount, time_amount
from vaxl.core.results import InvoiceLine

__all__ = [
    "Totals",
    "Works",
    "drift_problem",
    "empty_draft_problem",
    "fingerprint",
    "totals",
    "work_lines",
]


@dataclass(slots=True)
class Works:
    """A client's timesheet entries of the month after rounding and pricing, as
    columns (a big month has tens of thousands: no object per entry).

    Fields:
        table: the Timesheet's columns (`Entries`); entry k is its row rows[k].
        rows: each entry's index in `table` (its category, billable and rush flags).
        billed: seconds after Time Rounding.
        rates: its resolved rate (category rate, prepaid flag).
        drawn: seconds drawn from retainer or block hours.
    """

    table: Entries
    rows: list[int]
    billed: list[int]
    rates: list[ResolvedRate]
    drawn: list[int]


def work_lines(
    works: Works,
    *,
    prepaid_client: bool,
    overage_rate: Decimal,
    surcharge: Decimal,
    currency: str,
    language: str,
) -> list[InvoiceLine]:
    """Time, overage and rush lines for the billable `works` (date order).

    For an hourly client every billable hour is a time line.  For a retainer
    or block client, hours of Prepaid = no categories are time lines at their
    rate, and prepaid hours nobody covered are overage at `overage_rate`.
    Rush work of any kind adds a surcharge on its category rate, covered or not.
    """
    time: dict[tuple[str, Decimal], list[Any]] = {}  # [label, seconds]
    over: dict[str, list[Any]] = {}
    rush: dict[tuple[str, Decimal], list[Any]] = {}
    table = works.table
    billable_of, rush_of, category_of = table.billable, table.rush, table.category
    for i, billed, resolved, drawn in zip(works.rows, works.billed, works.rates, works.drawn,
                                         strict=True):
        if not billable_of[i]:
            continue
        label = resolved.category or category_of[i].strip()
        cat = label.casefold()
        rate = resolved.rate
        if not prepaid_client or not resolved.prepaid:
            slot = time.setdefault((cat, rate), [label, 0])
            slot[1] += billed
        elif billed > drawn:
            slot = over.setdefault(cat, [label, 0])
            slot[1] += billed - drawn
        if rush_of[i]:
            slot = rush.setdefault((cat, rate), [label, 0])
            slot[1] += billed
    lines: list[InvoiceLine] = []
    # Time rounded down to nothing bills nothing: no 0.00 line, and no invoice for it alone.
    for (_cat, rate), (label, seconds) in sorted(time.items()):
        if seconds:
            amount = time_amount(rate, seconds, currency)
            lines.append(_hours_line(language, "time", label, seconds, rate, amount))
    for _cat, (label, seconds) in sorted(over.items()):
        if seconds:
            amount = time_amount(overage_rate, seconds, currency)
            lines.append(_hours_line(language, "overage", label, seconds, overage_rate, amount))
    if surcharge:
        percent = fmt_percent(surcharge)
        for (_cat, rate), (label, seconds) in sorted(rush.items()):
            if seconds:
                amount = rush_amount(surcharge, rate, seconds, currency)
                lines.append(
                    _hours_line(
                        language, "rush", label, seconds, surcharge * rate, amount, percent=percent
                    )
                )
    return lines


def _hours_line(
    language: str,
    kind: Literal["time", "overage", "rush"],
    label: str,
    seconds: int,
    price: Decimal,
    amount: Decimal,
    **words: object,
) -> InvoiceLine:
    """A line of `seconds` hours of one category: worded by `kind`, or by
    `kind`_uncategorised when the category is blank."""
    description = (
        text(language, kind, category=label, **words)
        if label
        else text(language, f"{kind}_uncategorised", **words)
    )
    return InvoiceLine(
        description=description,
        kind=kind,
        category=label,
        quantity=exact_hours(seconds),
        unit_price=price,
        amount=amount,
        seconds=seconds,
    )


@dataclass(frozen=True, slots=True)
class Totals:
    """subtotal = sum of lines; tax = Tax Rate x subtotal, rounded once; total = subtotal + tax."""

    subtotal: Decimal
    tax: Decimal
    total: Decimal


def totals(lines: Iterable[InvoiceLine], tax_rate: Decimal, currency: str) -> Totals:
    subtotal = round_money(sum((line.amount for line in lines), Decimal(0)), currency)
    tax = round_money(tax_rate * subtotal, currency)
    return Totals(subtotal, tax, subtotal + tax)


def fingerprint(lines: Iterable[InvoiceLine], currency: str) -> str:
    """A short stable hash of what an invoice charges.

    It covers each line's kind, category, quantity, unit price and amount and
    the currency, but not the wording, so switching Language does not make
    every sent invoice look changed.
    """
    digest = hashlib.sha256(currency.upper().encode())
    for line in lines:
        digest.update(
            "\x1f".join(
                (
                    line.kind,
                    line.category.casefold(),
                    f"{line.quantity.normalize():f}",
                    f"{line.unit_price.normalize():f}",
                    f"{line.amount.normalize():f}",
                )
            ).encode()
        )
        digest.update(b"\x1e")
    return digest.hexdigest()[:12]


def _signed(value: Decimal) -> str:
    return f"+{value:f}" if value >= 0 else f"{value:f}"


def drift_problem(
    row: RegisterRow,
    *,
    hours_now: Decimal,
    total_now: Decimal,
    currency_now: str,
    fingerprint_now: str,
) -> Problem | None:
    """A warning when a sent, paid or void invoice no longer matches the data.

    Totals are compared as the register shows them; hours (to 0.01) when the
    row has hours or a fingerprint; the fingerprint when the row has one (rows
    vaxl wrote).  A row typed by hand with a total only is checked on its total.
    """
    hours_was = row.hours.quantize(Decimal("0.01"))
    hours_now = hours_now.quantize(Decimal("0.01"))
    cur_was = row.currency.upper()
    total_was = round_money(row.total, cur_was)
    total_now = round_money(total_now, currency_now)
    same = total_was == total_now and cur_was == currency_now.upper()
    if row.fingerprint or row.hours:
        same = same and hours_was == hours_now
    if row.fingerprint:
        same = same and row.fingerprint == fingerprint_now
    if same:
        return None
    status = row.status.strip().lower()
    if cur_was == currency_now.upper():
        diff = f"{_signed(hours_now - hours_was)} h, {_signed(total_now - total_was)} {cur_was}"
    else:
        diff = f"{_signed(hours_now - hours_was)} h, currency {cur_was} -> {currency_now}"
    message = (
        f"Invoice {row.number} ({status}) no longer matches the data: now "
        f"{fmt_hours(hours_now)} h / {fmt_money(total_now, currency_now)}, invoiced "
        f"{fmt_hours(hours_was)} h / {fmt_money(total_was, cur_was)} ({diff})"
    )
    return _register_problem(
        row,
        message,
        "It was not changed. Bill the difference separately, or set its Status to "
        "draft to recompute it under the same number.",
        "frozen_invoice_changed",
    )


def empty_draft_problem(row: RegisterRow) -> Problem:
    """A warning for a draft that a re-run leaves with nothing to bill."""
    return _register_problem(
        row,
        f"Draft invoice {row.number} now has nothing to bill for {row.period}.",
        "Set its Status to void if it is no longer needed; its number is never reused.",
        "draft_now_empty",
    )


def _register_problem(row: RegisterRow, message: str, fix: str, code: str) -> Problem:
    """A warning on the Invoice No cell of a register row."""
    ref = row.ref
    return Problem(
        severity="warning",
        tab=ref.tab if ref is not None else "Invoices",
        cell=(ref if ref.col else ref.at(1)).a1 if ref is not None else "",
        column="Invoice No",
        value=row.number,
        message=message,
        fix=fix,
        client_id=row.client_key.upper(),
        code=code,
    )
