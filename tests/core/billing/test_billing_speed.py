"""bill() on 100,000 entries and 500 clients: the counts and amounts of a big month
(its speed is measured by `make bench`, never timed in a test)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from billing_kit import block, book, client, d, rate, run

from vaxl.core.models import CellRef, Entry


def test_hundred_thousand_entries_in_one_month() -> None:
    kinds = ["hourly", "retainer", "block", "commission"]
    clients = []
    for i in range(500):
        kind = kinds[i % 4]
        kw: dict[str, object] = {}
        if kind == "retainer":
            kw = dict(
                retainer_hours="20",
                retainer_fee="800",
                rollover_months=2,
                start_date=d("2026-01-01"),
            )
        if kind == "commission":
            kw = dict(rate=None, commission_per_closing="100")
        clients.append(client(f"C{i:03d}", kind, **kw))
    cats = ["Admin", "Research", "Translation", "Scheduling"]
    entries = [
        Entry(
            day=date(2026, 11, 1 + n % 30),
            client_key=clients[n % 500].key,
            task="t",
            category=cats[n % 4],
            seconds=300 + (n * 37) % 14000,
            rush=n % 7 == 0,
            billable=n % 9 != 0,
            notes="",
            ref=CellRef("Timesheet", n + 2),
        )
        for n in range(100_000)
    ]
    blocks = [
        block(f"2026-{m:02d}-01", "40:00", c.key)
        for c in clients
        if c.billing == "block"
        for m in range(1, 12, 2)
    ]
    bk = book(clients, entries, rates=[rate("Translation", "70", prepaid=False)], blocks=blocks)
    result = run(bk)
    # 375 invoices (commission clients have no closings), 75,000 entry details
    assert len(result.invoices) == 375
    assert sum(len(inv.entries) for inv in result.invoices) == 75_000
    assert all(inv.subtotal > Decimal(0) for inv in result.invoices)
