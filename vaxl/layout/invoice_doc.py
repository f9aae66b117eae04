"""What an invoice shows: the one source of truth for the invoice tab and the PDF.

    invoice_doc(invoice: Invoice, settings: Settings, client: Client | None) -> InvoiceDoc
    is_hours_line(line: InvoiceLine | DocLine) -> bool     hours (time, rush, overage) or a count

Every text is ready to print in the invoice's language (`en` or `vi`); money
texts come from Babel in en_US / vi_VN with the currency's own decimals
(`$1,500.00`, `1.500.000 ₫`); dates read `3 Nov 2026` (en) or `03/11/2026` (vi).
Raw values (Decimal money, int seconds, dates) sit beside the texts so a sink
can write real numbers.  Nothing here computes money: every amount is the
Invoice's own.

InvoiceDoc fields (all frozen):
    language, locale, currency, minor_units, number, status, tab
    title                    "INVOICE" / "HÓA ĐƠN"
    from_label               "From" / "Bên bán"
    business                 tuple[str, ...]: name, address lines, email, "Tax ID: ..."
    bill_to_label            "Bill to" / "Khách hàng"
    bill_to                  tuple[str, ...]: client name, contact, address lines, email, phone
    meta                     tuple[MetaPair, ...]: (label, text) for Invoice No, Issue Date,
                             Due Date, Period, Payment Terms ("Net 14")
    line_headers             (Description, Quantity, Unit Price, Amount)
    lines                    tuple[DocLine, ...]: description, quantity, unit_price, amount
                             (Decimal), currency, language, kind, seconds; read as texts
                             (quantity_text, unit_price_text, amount_text, made when read):
                             hours lines read `10.25 h` at `$45.00 / h` (vi `10,25 giờ` at
                             `250.000 ₫/giờ`), counts `1` at `$350.00`
    totals                   tuple[DocTotal, ...]: key in subtotal, tax, total, paid, balance;
                             label ("Tax (10%)"), amount (Decimal), currency, language;
                             text (made when read)
    tax_rate                 Decimal fraction
    statement_title          "Retainer statement" ... ("" when no statement)
    statement_headers        (label header "" , "Hours")
    statement                tuple[DocStatementRow, ...]: label, hours (Decimal), hours_text
    entries_title            "Time detail"
    entry_headers            (Date, Task, Category, Worked, Billed, Rush, Billable)
    entries                  tuple[DocEntry, ...]: day, day_text, task, category, notes,
                             worked_seconds, billed_seconds, worked_text, billed_text ("1:30";
                             "—" when not billable),
                             rush, billable, rush_text, billable_text, ref (CellRef)
    footer                   tuple[str, ...]: payment terms sentence, the Settings'
                             Payment Instructions lines, thank-you line
    business_name, business_email, client_name, client_email, client_contact
                             the same facts on their own ("" when unknown); business[0]
                             is business_name when it is set, bill_to[0] is client_name
    total(key) -> DocTotal   the totals row by key
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import phonenumbers

from vaxl.core.models import CellRef, Client, Settings
from vaxl.core.money import minor_units
from vaxl.core.records import LazySequence
from vaxl.core.results import EntryDetail, Invoice, InvoiceLine
from vaxl.layout.formats import (
    date_text,
    duration_text,
    hours_text,
    locale_of,
    money_text,
    percent_text,
    period_text,
    quantity_text,
)
from vaxl.layout.labels import text, yes_no

__all__ = [
    "DocEntries",
    "DocEntry",
    "DocLine",
    "DocStatementRow",
    "DocTotal",
    "InvoiceDoc",
    "MetaPair",
    "invoice_doc",
    "is_hours_line",
]

TOTAL_KEYS: tuple[str, ...] = ("subtotal", "tax", "total", "paid", "balance")
_HOUR_KINDS = frozenset({"time", "rush", "overage"})


@dataclass(frozen=True, slots=True)
class MetaPair:
    key: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class DocLine:
    """An invoice line; its texts (for the PDF: an invoice tab shows the numbers
    under a number format) are made when read: `10.25 h` at `$45.00 / h`, and
    counts (fees, closings) `1` at `$350.00`."""

    description: str
    kind: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    currency: str
    language: str
    seconds: int = 0

    @property
    def quantity_text(self) -> str:
        if is_hours_line(self):
            hours = quantity_text(self.quantity, self.language, 2)
            return text(self.language, "hours_qty", hours=hours)
        return quantity_text(self.quantity, self.language, 0)

    @property
    def unit_price_text(self) -> str:
        price = money_text(self.unit_price, self.currency, self.language)
        return text(self.language, "per_hour", price=price) if is_hours_line(self) else price

    @property
    def amount_text(self) -> str:
        return money_text(self.amount, self.currency, self.language)


@dataclass(frozen=True, slots=True)
class DocTotal:
    """A total; its text (for the PDF) is made when read."""

    key: str
    label: str
    amount: Decimal
    currency: str
    language: str

    @property
    def text(self) -> str:
        return money_text(self.amount, self.currency, self.language)


@dataclass(frozen=True, slots=True)
class DocStatementRow:
    label: str
    hours: Decimal
    hours_text: str


@dataclass(frozen=True, slots=True)
class DocEntry:
    day: date
    day_text: str
    task: str
    category: str
    notes: str
    worked_seconds: int
    billed_seconds: int
    worked_text: str
    billed_text: str
    rush: bool
    billable: bool
    rush_text: str
    billable_text: str
    ref: CellRef


@dataclass(frozen=True, slots=True)
class InvoiceDoc:
    language: str
    locale: str
    currency: str
    minor_units: int
    number: str
    status: str
    tab: str
    title: str
    from_label: str
    business: tuple[str, ...]
    bill_to_label: str
    bill_to: tuple[str, ...]
    meta: tuple[MetaPair, ...]
    line_headers: tuple[str, ...]
    lines: tuple[DocLine, ...]
    totals: tuple[DocTotal, ...]
    tax_rate: Decimal
    statement_title: str
    statement_headers: tuple[str, ...]
    statement: tuple[DocStatementRow, ...]
    entries_title: str
    entry_headers: tuple[str, ...]
    entries: DocEntries
    footer: tuple[str, ...]
    business_name: str = ""
    business_email: str = ""
    client_name: str = ""
    client_email: str = ""
    client_contact: str = ""

    def total(self, key: str) -> DocTotal:
        for row in self.totals:
            if row.key == key:
                return row
        raise KeyError(key)


def invoice_doc(invoice: Invoice, settings: Settings, client: Client | None) -> InvoiceDoc:
    """Everything an invoice shows, as texts in its language plus the raw values."""
    lang = invoice.language
    cur = invoice.currency.upper()

    terms_days = (invoice.due_date - invoice.issue_date).days
    terms = text(lang, "net_days", days=terms_days) if terms_days > 0 else text(
        lang, "due_on_receipt"
    )
    meta = (
        MetaPair("invoice_no", text(lang, "invoice_no"), invoice.number),
        MetaPair("issue_date", text(lang, "issue_date"), date_text(invoice.issue_date, lang)),
        MetaPair("due_date", text(lang, "due_date"), date_text(invoice.due_date, lang)),
        MetaPair("period", text(lang, "period"), period_text(invoice.period, lang)),
        MetaPair("payment_terms", text(lang, "payment_terms"), terms),
    )
    tax_label = (
        text(lang, "tax_pct", rate=percent_text(invoice.tax_rate, lang))
        if invoice.tax_rate
        else text(lang, "tax")
    )
    totals = (
        DocTotal("subtotal", text(lang, "subtotal"), invoice.subtotal, cur, lang),
        DocTotal("tax", tax_label, invoice.tax, cur, lang),
        DocTotal("total", text(lang, "total"), invoice.total, cur, lang),
        DocTotal("paid", text(lang, "paid"), invoice.paid, cur, lang),
        DocTotal("balance", text(lang, "balance_due"), invoice.balance, cur, lang),
    )
    footer_terms = (
        text(lang, "terms_sentence", days=terms_days, due=date_text(invoice.due_date, lang))
        if terms_days > 0
        else text(lang, "terms_on_receipt")
    )
    bill_to = _bill_to_lines(invoice, client)
    return InvoiceDoc(
        language=lang,
        locale=locale_of(lang),
        currency=cur,
        minor_units=minor_units(cur),
        number=invoice.number,
        status=invoice.status,
        tab=invoice.tab or invoice.number,
        title=text(lang, "invoice_title"),
        from_label=text(lang, "from"),
        business=_business_lines(settings, lang),
        bill_to_label=text(lang, "bill_to"),
        bill_to=bill_to,
        meta=meta,
        line_headers=tuple(
            text(lang, k) for k in ("description", "quantity", "unit_price", "amount")
        ),
        lines=tuple(_doc_line(line, cur, lang) for line in invoice.lines),
        totals=totals,
        tax_rate=invoice.tax_rate,
        statement_title=_statement_title(invoice, client, lang) if invoice.statement else "",
        statement_headers=("", text(lang, "hours")),
        statement=tuple(
            DocStatementRow(row.label, row.hours, hours_text(row.hours, lang))
            for row in invoice.statement
        ),
        entries_title=text(lang, "entries_title"),
        entry_headers=tuple(
            text(lang, k)
            for k in ("date", "task", "category", "worked", "billed", "rush", "billable")
        ),
        entries=DocEntries(invoice.entries, lang),
        footer=(
            footer_terms,
            *_instruction_lines(settings),
            text(lang, "thank_you"),
        ),
        business_name=settings.business_name.strip(),
        business_email=settings.business_email.strip(),
        client_name=bill_to[0],
        client_email=(invoice.client_email or (client.email if client else "")).strip(),
        client_contact=(invoice.client_contact or (client.contact if client else "")).strip(),
    )


def _instruction_lines(settings: Settings) -> tuple[str, ...]:
    """Settings' Payment Instructions (bank, PayPal, ...), one printed line per line typed."""
    return tuple(_lines_of(settings.payment_instructions))


def _lines_of(block: str) -> list[str]:
    """Split a multi-line cell (newlines or ` | `) into printable lines."""
    parts = block.replace("\r\n", "\n").replace(" | ", "\n").split("\n")
    return [p.strip() for p in parts if p.strip()]


def _business_lines(settings: Settings, lang: str) -> tuple[str, ...]:
    lines = [settings.business_name.strip()] if settings.business_name.strip() else []
    lines += _lines_of(settings.business_address)
    if settings.business_email.strip():
        lines.append(settings.business_email.strip())
    if settings.tax_id.strip():
        lines.append(text(lang, "tax_id", tax_id=settings.tax_id.strip()))
    return tuple(lines)


def _bill_to_lines(invoice: Invoice, client: Client | None) -> tuple[str, ...]:
    name = invoice.client_name or (client.name if client else "") or invoice.client_key
    contact = invoice.client_contact or (client.contact if client else "")
    address = invoice.client_address or (client.address if client else "")
    email = invoice.client_email or (client.email if client else "")
    phone = _phone_text(client.phone) if client else ""
    lines = [name.strip()]
    if contact.strip() and contact.strip() != name.strip():
        lines.append(contact.strip())
    lines += _lines_of(address)
    lines += [x for x in (email.strip(), phone) if x]
    return tuple(lines)


def _phone_text(phone: str) -> str:
    """E.164 `+14155550123` -> `+1 415-555-0123`; anything else as typed."""
    phone = phone.strip()
    if not phone.startswith("+"):
        return phone
    try:
        parsed = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return str(
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )


def is_hours_line(line: InvoiceLine | DocLine) -> bool:
    """Does the line's quantity count hours (time, rush, overage) rather than items?"""
    return line.kind in _HOUR_KINDS or line.seconds > 0


def _doc_line(line: InvoiceLine, currency: str, lang: str) -> DocLine:
    return DocLine(
        description=line.description,
        kind=line.kind,
        quantity=line.quantity,
        unit_price=line.unit_price,
        amount=line.amount,
        currency=currency,
        language=lang,
        seconds=line.seconds,
    )


def _statement_title(invoice: Invoice, client: Client | None, lang: str) -> str:
    kinds = {line.kind for line in invoice.lines}
    billing = client.billing if client else ""
    if billing == "retainer" or "retainer" in kinds:
        return text(lang, "statement_retainer")
    if billing == "block" or "block" in kinds:
        return text(lang, "statement_block")
    return text(lang, "statement_prepaid")


class DocEntries(LazySequence[DocEntry]):
    """The time detail: one DocEntry per entry, each made when it is asked for.

    A big month has tens of thousands of entries; the invoice tab writes them
    from `details` and the shared texts below, so only a PDF makes the DocEntry
    objects.  A non-billable entry's billed text is `dash`: it adds nothing to
    the invoiced hours.  Compares equal to the tuple of its DocEntry rows."""

    __slots__ = ("dash", "details", "lang", "no", "yes")

    def __init__(self, details: Sequence[EntryDetail], lang: str) -> None:
        self.details = details
        self.lang = lang
        self.yes, self.no = yes_no(lang, True), yes_no(lang, False)
        self.dash = text(lang, "not_billed")

    def __len__(self) -> int:
        return len(self.details)

    def item(self, i: int) -> DocEntry:
        return self._entry(self.details[i])

    def __repr__(self) -> str:
        return f"DocEntries({len(self.details)} entries, {self.lang!r})"

    def _entry(self, entry: EntryDetail) -> DocEntry:
        lang = self.lang
        return DocEntry(
            day=entry.day,
            day_text=date_text(entry.day, lang),
            task=entry.task,
            category=entry.category,
            notes=entry.notes,
            worked_seconds=entry.worked_seconds,
            billed_seconds=entry.billed_seconds,
            worked_text=duration_text(entry.worked_seconds),
            billed_text=duration_text(entry.billed_seconds) if entry.billable else self.dash,
            rush=entry.rush,
            billable=entry.billable,
            rush_text=self.yes if entry.rush else "",
            billable_text=self.yes if entry.billable else self.no,
            ref=entry.ref,
        )
