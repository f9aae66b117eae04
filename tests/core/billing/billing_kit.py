"""Small builders of input records for the billing tests (not a test module)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from vaxl.core.billing import Priced, bill
from vaxl.core.models import (
    Block,
    Book,
    CellRef,
    Client,
    Closing,
    Entry,
    Payment,
    Problem,
    RegisterRow,
    Settings,
    SpecialtyRate,
)
from vaxl.core.results import RunResult

D = Decimal
_rows = itertools.count(2)


def d(text: str) -> date:
    return date.fromisoformat(text)


def secs(text: str) -> int:
    """`1:30` -> 5400, `0:20` -> 1200, `2` -> 7200, `0:00:01` -> 1."""
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.append(0)
    h, m, s = parts
    return h * 3600 + m * 60 + s


def client(key: str = "ACME", billing: str = "hourly", **kw: Any) -> Client:
    kw.setdefault("rate", D("50"))
    for name in (
        "rate",
        "retainer_hours",
        "retainer_fee",
        "overage_rate",
        "rush_surcharge",
        "commission_per_closing",
        "commission_rate",
        "tax_rate",
    ):
        if isinstance(kw.get(name), str):
            kw[name] = D(kw[name])
    return Client(
        key=key.upper(),
        id=key,
        name=kw.pop("name", f"{key} Ltd"),
        billing=billing,
        ref=CellRef("Clients", next(_rows)),
        **kw,
    )


def entry(
    day: str,
    time: str,
    key: str = "ACME",
    category: str = "Admin",
    *,
    rush: bool = False,
    billable: bool = True,
    row: int | None = None,
    task: str = "work",
) -> Entry:
    return Entry(
        day=d(day),
        client_key=key.upper(),
        task=task,
        category=category,
        seconds=secs(time),
        rush=rush,
        billable=billable,
        notes="",
        ref=CellRef("Timesheet", row if row is not None else next(_rows)),
    )


def rate(category: str, value: str, key: str | None = None, prepaid: bool = True) -> SpecialtyRate:
    return SpecialtyRate(
        client_key=key.upper() if key else None,
        category=category,
        rate=D(value),
        prepaid=prepaid,
        ref=CellRef("Rates", next(_rows)),
    )


def block(
    day: str,
    time: str,
    key: str = "ACME",
    *,
    amount: str | None = None,
    expires: str | None = None,
    reference: str = "",
) -> Block:
    return Block(
        day=d(day),
        client_key=key.upper(),
        seconds=secs(time),
        amount=D(amount) if amount is not None else None,
        expires=d(expires) if expires else None,
        reference=reference,
        ref=CellRef("Blocks", next(_rows)),
    )


def closing(
    day: str,
    key: str = "ACME",
    *,
    reference: str = "",
    sale_price: str | None = None,
    commission: str | None = None,
) -> Closing:
    return Closing(
        day=d(day),
        client_key=key.upper(),
        reference=reference,
        sale_price=D(sale_price) if sale_price is not None else None,
        commission=D(commission) if commission is not None else None,
        ref=CellRef("Closings", next(_rows)),
    )


def payment(day: str, amount: str, key: str = "ACME", invoice_no: str = "") -> Payment:
    return Payment(
        day=d(day),
        client_key=key.upper(),
        invoice_no=invoice_no,
        amount=D(amount),
        ref=CellRef("Payments", next(_rows)),
    )


def register_row(
    number: str,
    key: str,
    period: str,
    *,
    status: str = "sent",
    issue: str | None = None,
    due: str | None = None,
    total: str = "0",
    hours: str = "0",
    fingerprint: str = "",
    currency: str = "USD",
    row: int = 2,
) -> RegisterRow:
    return RegisterRow(
        number=number,
        client_key=key.upper(),
        period=period,
        issue_date=d(issue) if issue else None,
        due_date=d(due) if due else None,
        currency=currency,
        subtotal=D(total),
        total=D(total),
        balance=D(total),
        status=status,
        hours=D(hours),
        fingerprint=fingerprint,
        tab=number,
        ref=CellRef("Invoices", row),
    )


def book(
    clients: list[Client] | tuple[Client, ...],
    entries: tuple[Entry, ...] | list[Entry] = (),
    *,
    settings: Settings | None = None,
    **tabs: Any,
) -> Book:
    return Book(
        settings=settings or Settings(),
        clients=tuple(clients),
        entries=tuple(entries),
        **{k: tuple(v) for k, v in tabs.items()},
    )


def run(
    bk: Book,
    period: str = "2026-11",
    *,
    issue: str = "2026-12-01",
    today: str = "2026-12-01",
    problems: tuple[Problem, ...] | list[Problem] = (),
    priced: Priced | None = None,
) -> RunResult:
    return bill(bk, problems, period=period, issue_date=d(issue), today=d(today), priced=priced)


def only_invoice(result: RunResult, key: str = "ACME"):  # type: ignore[no-untyped-def]
    found = [inv for inv in result.invoices if inv.client_key == key.upper()]
    assert len(found) == 1, f"expected one invoice for {key}, got {len(found)}"
    return found[0]


def amounts(invoice) -> list[tuple[str, Decimal]]:  # type: ignore[no-untyped-def]
    return [(line.kind, line.amount) for line in invoice.lines]


def ledger_of(result: RunResult, key: str = "ACME", kind: str = "retainer") -> dict[str, Any]:
    return {
        row.month: row
        for row in result.ledger
        if row.client_key == key.upper() and row.kind == kind and row.reference == ""
    }
