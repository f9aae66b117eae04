"""Which tabs each action writes, in order.

    output_grids(result: RunResult, book: Book, action: str, today: date | None = None)
        -> list[Grid]     (`today` titles the Aging tab: `Aging at 10 Dec 2026`)

    invoice: one tab per invoice that is not frozen, Invoices, Retainers
    report:  Report YYYY-MM, Aging, Retainers
    run:     invoice tabs, Invoices, Retainers, Report YYYY-MM, Aging

Frozen invoices (sent, paid, void) are never rewritten, so they get no grid.
"""

from __future__ import annotations

from datetime import date

from vaxl.core.models import Book
from vaxl.core.results import RunResult
from vaxl.layout.aging import aging_grid
from vaxl.layout.grid import Grid
from vaxl.layout.invoice import EntryCells, invoice_grid, invoice_tab_name
from vaxl.layout.invoice_doc import invoice_doc
from vaxl.layout.ledger import ledger_grid
from vaxl.layout.register import register_grid
from vaxl.layout.report import report_grid

__all__ = ["invoice_grids", "output_grids"]


def invoice_grids(result: RunResult, book: Book) -> list[Grid]:
    clients = {c.key: c for c in book.clients}
    grids = []
    shared = EntryCells()
    for invoice in result.invoices:
        if invoice.frozen:
            continue
        doc = invoice_doc(invoice, book.settings, clients.get(invoice.client_key))
        grids.append(invoice_grid(doc, invoice, shared))
    return grids


def _invoice_tabs(result: RunResult) -> dict[str, str]:
    tabs = {row.number: row.tab for row in result.invoice_register if row.tab}
    tabs.update({inv.number: invoice_tab_name(inv) for inv in result.invoices})
    return tabs


def output_grids(
    result: RunResult, book: Book, action: str, today: date | None = None
) -> list[Grid]:
    """The tabs `action` writes (without Validation and the manifest)."""
    if action not in ("invoice", "report", "run"):
        raise ValueError(f"no output tabs for action {action!r}")
    grids: list[Grid] = []
    if action in ("invoice", "run"):
        grids += invoice_grids(result, book)
        grids.append(register_grid(result.invoice_register, book.settings))
        grids.append(ledger_grid(result.ledger, book))
    if action in ("report", "run"):
        grids.append(report_grid(result, book))
        grids.append(aging_grid(result.aging, book, today=today, tabs=_invoice_tabs(result)))
        if action == "report":
            grids.append(ledger_grid(result.ledger, book))
    return grids
