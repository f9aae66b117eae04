"""Payments against the invoice register.

Every payment row counts, whatever its date.  A payment naming an invoice
goes to that invoice; what exceeds the invoice's total becomes a credit.  A
payment without an invoice number, and every credit, goes to the client's
oldest open invoice (issue date, then number), then the next, and so on; what
is left is an unapplied credit, shown in the report.  A payment naming a
number the register does not hold (even after this run's new invoices) is
held as unapplied credit until that invoice exists (the checks warn about
it); one naming a void invoice becomes a credit, with a warning.  "Open" means status
draft or sent with money still due: an invoice marked `paid` or `void` by hand
takes no unnamed money.  Statuses are never changed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vaxl.core.models import Payment, Problem, RegisterRow

__all__ = ["PaymentOutcome", "apply_payments"]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """Fields:
    paid: per register row (same order), the amount paid, or None when the
        row's client was excluded from the run (its row stays as written).
    credit: unapplied credit per client key (only when > 0).
    problems: warnings about payments that could not go where they said.
    """

    paid: list[Decimal | None]
    credit: dict[str, Decimal]
    problems: list[Problem]


def apply_payments(
    rows: list[RegisterRow],
    payments: Iterable[Payment],
    *,
    skip: set[str],
    currencies: dict[str, str],
) -> PaymentOutcome:
    """Allocate `payments` over register `rows` (clients in `skip` untouched)."""
    by_client: dict[str, list[int]] = defaultdict(list)
    by_number: dict[str, int] = {}
    for i, row in enumerate(rows):
        by_client[row.client_key.upper()].append(i)
        by_number.setdefault(row.number.strip().upper(), i)
    pays: dict[str, list[Payment]] = defaultdict(list)
    for pay in payments:
        pays[pay.client_key.upper()].append(pay)

    paid: list[Decimal | None] = [None] * len(rows)
    credit: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for key in sorted(set(by_client) | set(pays)):
        if key in skip:
            continue
        mine = by_client.get(key, [])
        for i in mine:
            paid[i] = _ZERO
        pool = held = _ZERO
        for pay in sorted(pays.get(key, []), key=lambda p: (p.day, p.ref.row)):
            number = pay.invoice_no.strip().upper()
            if not number:
                pool += pay.amount
                continue
            target = by_number.get(number)
            if target is None or rows[target].client_key.upper() != key:
                held += pay.amount  # the checks report it
                continue
            if rows[target].status.strip().lower() == "void":
                problems.append(_misdirected(pay, "a void invoice"))
                pool += pay.amount
                continue
            total = rows[target].total
            now = (paid[target] or _ZERO) + pay.amount
            if now > total:
                pool += now - total
                now = total
            paid[target] = now
        currency = currencies.get(key)
        open_rows = [
            i
            for i in mine
            if rows[i].status.strip().lower() in ("draft", "sent")
            and (currency is None or rows[i].currency.upper() == currency.upper())
        ]
        open_rows.sort(key=lambda i: (rows[i].issue_date or date.max, rows[i].number))
        for i in open_rows:
            if pool <= 0:
                break
            due = rows[i].total - (paid[i] or _ZERO)
            if due <= 0:
                continue
            take = due if due < pool else pool
            paid[i] = (paid[i] or _ZERO) + take
            pool -= take
        if pool + held > 0:
            credit[key] = pool + held
    return PaymentOutcome(paid, credit, problems)


def _misdirected(pay: Payment, why: str) -> Problem:
    return Problem(
        severity="warning",
        tab=pay.ref.tab,
        cell=pay.ref.a1,
        column="Invoice No",
        value=pay.invoice_no,
        message=(
            f"Payment of {pay.amount} names invoice {pay.invoice_no.strip()}, which is {why}; "
            "it was applied to the client's oldest open invoice instead."
        ),
        fix="Correct the Invoice No, or leave it empty to pay the oldest open invoice.",
        client_id=pay.client_key.upper(),
        code="payment_to_void_invoice",
    )
