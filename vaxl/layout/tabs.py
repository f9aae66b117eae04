"""Which tabs each action writes, in order.

    invoice_tabs(result, book, action) -> list[Later]   the invoice tabs, built on demand
    summary_grids(result, book, action, today) -> list[Grid]   the tabs after them
        (`today` titles the Aging tab: `Aging at 10 Dec 2026`)

    invoice: one tab per invoice that is not frozen, Invoices, Retainers
    report:  Report YYYY-MM, Aging, Retainers
    run:     invoice tabs, Invoices, Retainers, Report YYYY-MM, Aging

Frozen invoices (sent, paid, void) are never rewritten, so they get no grid.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from vaxl.core.models import Book
from vaxl.core.results import Invoice, RunResult
from vaxl.layout.aging import aging_grid
from vaxl.layout.grid import Grid, Later
from vaxl.layout.invoice import EntryCells, invoice_grid, invoice_tab_name
from vaxl.layout.invoice_doc import invoice_doc
from vaxl.layout.ledger import ledger_grid
from vaxl.layout.register import register_grid
from vaxl.layout.report import report_grid

__all__ = ["invoice_tabs", "summary_grids"]


def invoice_tabs(result: RunResult, book: Book, action: str) -> list[Later]:
    """The invoice tabs `action` writes (invoice, run: one per invoice that is not
    frozen), named now and built by `build()` (the time detail's cells are shared
    by all of them)."""
    if action not in ("invoice", "run"):
        return []
    clients = {c.key: c for c in book.clients}
    shared = EntryCells()

    def build(invoice: Invoice) -> Grid:
        doc = invoice_doc(invoice, book.settings, clients.get(invoice.client_key))
        return invoice_grid(doc, invoice, shared)

    return [Later(name=invoice_tab_name(invoice), kind="invoice", build=partial(build, invoice))
            for invoice in result.invoices if not invoice.frozen]


def _tab_by_number(result: RunResult) -> dict[str, str]:
    tabs = {row.number: row.tab for row in result.invoice_register if row.tab}
    tabs.update({inv.number: invoice_tab_name(inv) for inv in result.invoices})
    return tabs


def summary_grids(
    result: RunResult, book: Book, action: str, today: date | None = None
) -> list[Grid]:
    """The tabs `action` writes after the invoice tabs."""
    if action not in ("invoice", "report", "run"):
        raise ValueError(f"no output tabs for action {action!r}")
    grids: list[Grid] = []
    if action in ("invoice", "run"):
        grids.append(register_grid(result.invoice_register, book.settings))
        grids.append(ledger_grid(result.ledger, book))
    if action in ("report", "run"):
        grids.append(report_grid(result, book))
        grids.append(aging_grid(result.aging, book, today=today, tabs=_tab_by_number(result)))
        if action == "report":
            grids.append(ledger_grid(result.ledger, book))
    return grids
