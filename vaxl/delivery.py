"""Client-ready delivery: PDF invoices and .eml drafts for a run's invoices.

The CLI (`--pdf DIR --email DIR`), the Excel entry points and the HTTP backend
all call these; each invoice is laid out once (vaxl.layout.invoice_doc) and
rendered by vaxl.io.pdf, so the PDF and the invoice tab cannot drift apart.
Nothing here sends e-mail.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vaxl.errors import VaxlError

if TYPE_CHECKING:
    from vaxl.core.results import Invoice
    from vaxl.layout.invoice_doc import InvoiceDoc
    from vaxl.service import Outcome

__all__ = ["deliver", "invoice_docs", "pdf_for"]


def _printable(invoice: Invoice) -> bool:
    """Frozen invoices keep only their register figures: their PDF was sent already."""
    return not invoice.frozen and invoice.status != "void"


def invoice_docs(outcome: Outcome) -> list[InvoiceDoc]:
    """The InvoiceDoc of every printable invoice of the run, in register order."""
    from vaxl.layout.invoice_doc import invoice_doc

    if outcome.result is None:
        return []
    clients = {c.key: c for c in outcome.book.clients}
    return [
        invoice_doc(inv, outcome.book.settings, clients.get(inv.client_key))
        for inv in outcome.result.invoices
        if _printable(inv)
    ]


def _logo(outcome: Outcome, base: Path | None) -> Path | None:
    logo = outcome.book.settings.logo.strip()
    if not logo:
        return None
    path = Path(logo).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def deliver(
    outcome: Outcome,
    *,
    pdf_dir: Path | None = None,
    email_dir: Path | None = None,
    base: Path | None = None,
) -> list[Path]:
    """Write PDFs into pdf_dir and e-mail drafts (with the PDF attached) into email_dir.

    `base` is the workbook's folder, against which a relative Settings logo path resolves.
    """
    from vaxl.io.email_draft import write_eml
    from vaxl.io.pdf import invoice_pdf, save_pdf

    logo = _logo(outcome, base)
    paper = outcome.book.settings.paper
    written: list[Path] = []
    used: set[str] = set()
    for doc in invoice_docs(outcome):
        data = invoice_pdf(doc, logo=logo, paper=paper)  # once: the e-mail attaches these bytes
        if pdf_dir is not None:
            written.append(save_pdf(data, pdf_dir, doc.number, used))
        if email_dir is not None:
            written.append(write_eml(doc, data, email_dir))
    return written


def pdf_for(outcome: Outcome, number: str, *, base: Path | None = None) -> bytes:
    """The PDF of one invoice of the run, by number (case-insensitive)."""
    from vaxl.io.pdf import invoice_pdf

    for doc in invoice_docs(outcome):
        if doc.number.casefold() == number.strip().casefold():
            return invoice_pdf(doc, logo=_logo(outcome, base), paper=outcome.book.settings.paper)
    raise VaxlError(
        f"There is no printable invoice '{number}' in {outcome.period}.",
        "Check the number on the Invoices tab (sent, paid and void invoices are not re-printed).",
    )
