"""The records vaxl reads from a workbook, each remembering its cell.

Small tabs (Settings, Clients, Rates, Blocks, Closings, Payments, the invoice
register) become frozen pydantic models.  Timesheet rows are frozen slotted
dataclasses instead (Entry), and a whole Timesheet is kept column by column
(Entries), each Entry made only when asked for: a timesheet can hold 300,000
rows, and a validated model (or any object) per row would cost more than
reading the file.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from vaxl.core.records import LazySequence, slot_builder

__all__ = [
    "BILLING_MODELS",
    "Billing",
    "Block",
    "Book",
    "CellRef",
    "Client",
    "Closing",
    "Entries",
    "Entry",
    "Payment",
    "Problem",
    "RegisterRow",
    "Settings",
    "Severity",
    "SpecialtyRate",
    "Status",
    "ENTRY_COLUMNS",
    "ProblemColumns",
    "col_letter",
    "col_number",
    "new_entry",
    "problem_columns",
    "problems_of",
]

Billing = Literal["hourly", "retainer", "block", "commission"]
BILLING_MODELS: tuple[str, ...] = ("hourly", "retainer", "block", "commission")
Severity = Literal["error", "warning"]
Status = Literal["draft", "sent", "paid", "void"]


def col_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_number(letters: str) -> int:
    """A -> 1, aa -> 27 (col_letter's inverse)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


@dataclass(frozen=True, slots=True)
class CellRef:
    """Where a value came from.

    Fields:
        tab: the tab's name as the workbook spells it.
        row: sheet row as a person sees it (1-based, header included).
        col: 1-based column number; 0 when the reference is to a whole row.
    """

    tab: str
    row: int
    col: int = 0

    @property
    def a1(self) -> str:
        """`E14`, or `14` for a whole row."""
        return f"{col_letter(self.col)}{self.row}" if self.col else str(self.row)

    def at(self, col: int) -> CellRef:
        """The same row, another column."""
        return CellRef(self.tab, self.row, col)

    def __str__(self) -> str:
        return f"{self.tab}!{self.a1}"


class Problem(BaseModel):
    """One thing wrong (error) or worth a look (warning) in the workbook.

    Fields:
        severity: `error` excludes the row's client from billing; `warning` never blocks.
        tab, cell, column: where it is (`Timesheet`, `E14`, `Hours`); cell may be empty.
        value: the offending value as text.
        message: what is wrong, in one sentence.
        fix: what to do about it, in one sentence.
        client_id: the client the problem belongs to, when known (canonical key).
        code: a stable machine name of the rule (e.g. `hours_out_of_range`).
    """

    model_config = ConfigDict(frozen=True)

    severity: Severity
    tab: str
    cell: str = ""
    column: str = ""
    value: str = ""
    message: str
    fix: str = ""
    client_id: str | None = None
    code: str = ""

    def public(self) -> dict[str, str]:
        """The contract's JSON shape."""
        return {
            "severity": self.severity,
            "tab": self.tab,
            "cell": self.cell,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "fix": self.fix,
            "code": self.code,
        }


# Problems as one list per field (Problem's field order), and back: a helper process
# that ran the checks sends them so.  Pickled one by one, tens of thousands of
# problems (a Timesheet wrong on every row) would take longer to send than to check.
ProblemColumns = tuple[list[Any], ...]


def problem_columns(problems: Sequence[Problem]) -> ProblemColumns:
    """One list per field of Problem, in its field order."""
    fields = tuple(Problem.model_fields)
    if not problems:
        return tuple([] for _ in fields)
    return tuple(map(list, zip(*map(operator.attrgetter(*fields), problems), strict=True)))


def problems_of(columns: ProblemColumns) -> list[Problem]:
    """The problems problem_columns gave, equal to them, made without validation
    (the values were validated once already).  Each counts every field as set
    (model_fields_set), as model_construct would; vaxl reads no such flag."""
    make = _problem_maker()
    return [make(values) for values in zip(*columns, strict=True)]


@cache
def _problem_maker() -> Callable[[tuple[Any, ...]], Problem]:
    """A Problem from its field values: pydantic's own model_construct, or, when it
    makes exactly the same object (checked here, once), the same steps inline in
    a third of its time."""
    fields = tuple(Problem.model_fields)
    all_set = frozenset(fields)
    new, put = object.__new__, object.__setattr__

    def construct(values: tuple[Any, ...]) -> Problem:
        return Problem.model_construct(**dict(zip(fields, values, strict=True)))

    def inline(values: tuple[Any, ...]) -> Problem:
        problem = new(Problem)
        put(problem, "__dict__", dict(zip(fields, values, strict=True)))
        put(problem, "__pydantic_fields_set__", set(all_set))
        put(problem, "__pydantic_extra__", None)
        put(problem, "__pydantic_private__", None)
        return problem

    sample = tuple(f"value {i}" for i in range(len(fields)))
    slow, quick = construct(sample), inline(sample)
    same = all(getattr(slow, name, None) == getattr(quick, name, None)
               for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__",
                            "__pydantic_private__"))
    return inline if same else construct


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class Settings(_Record):
    """The Settings tab, every key defaulted as the contract says.

    Fields:
        business_name, business_address, business_email, tax_id: printed on invoices.
        currency: default ISO 4217 currency.
        invoice_number: numbering pattern ({YYYY}, {YY}, {MM}, {CLIENT}, N... counter).
        rush_surcharge: default rush surcharge as a fraction (0.5 = 50%).
        time_rounding: minutes per entry (0, 5, 6, 10, 15, 30, 60).
        rounding_mode: `up` or `nearest`.
        date_order: `DMY`, `MDY` or None (ambiguous text dates are then errors).
        payment_terms: days from issue date to due date.
        language: `en` or `vi`.
        low_balance_alert: fraction of prepaid hours used that raises an alert.
        logo: optional path of a logo image for PDF invoices.
        paper: `A4` or `Letter` for PDF invoices.
        payment_instructions: how clients pay (bank, PayPal, ...), printed on invoices.
    """

    business_name: str = ""
    business_address: str = ""
    business_email: str = ""
    tax_id: str = ""
    currency: str = "USD"
    invoice_number: str = "INV-{YYYY}-{NNNN}"
    rush_surcharge: Decimal = Decimal("0.5")
    time_rounding: int = 0
    rounding_mode: Literal["up", "nearest"] = "up"
    date_order: Literal["DMY", "MDY"] | None = None
    payment_terms: int = 14
    language: Literal["en", "vi"] = "en"
    low_balance_alert: Decimal = Decimal("0.8")
    logo: str = ""
    paper: Literal["A4", "Letter"] = "A4"
    payment_instructions: str = ""


class Client(_Record):
    """A row of the Clients tab.

    Fields:
        key: canonical ID (trimmed, upper case) used for every comparison.
        id: the ID as the user typed it (trimmed).
        name, contact, email, phone, address: details printed on invoices;
            phone normalised to E.164 where possible.
        billing: hourly, retainer, block or commission.
        rate: base hourly rate (None for commission clients).
        currency: ISO 4217 code (defaulted from Settings).
        retainer_hours, retainer_fee: retainer terms.
        rollover_months: months unused retainer hours stay usable.
        overage_rate: price of hours beyond prepaid time (None: rate).
        rush_surcharge: fraction (None: Settings).
        commission_per_closing, commission_rate: commission terms (rate is a fraction).
        tax_rate: fraction.
        payment_terms: days (None: Settings).
        time_rounding: minutes (None: Settings).
        start_date, end_date: active billing window.
        active: whether the client is billed.
        ref: the row (CellRef with col 0).
    """

    key: str
    id: str
    name: str = ""
    contact: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    billing: str = "hourly"
    rate: Decimal | None = None
    currency: str = "USD"
    retainer_hours: Decimal | None = None
    retainer_fee: Decimal | None = None
    rollover_months: int = 0
    overage_rate: Decimal | None = None
    rush_surcharge: Decimal | None = None
    commission_per_closing: Decimal | None = None
    commission_rate: Decimal | None = None
    tax_rate: Decimal = Decimal(0)
    payment_terms: int | None = None
    time_rounding: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    active: bool = True
    ref: CellRef


class SpecialtyRate(_Record):
    """A row of the Rates tab.

    Fields:
        client_key: canonical client ID, or None for every client.
        category: the category it prices, compared case-insensitively (stored as typed).
        rate: hourly rate.
        prepaid: whether these hours draw from retainer/block hours.
        ref: the row.
    """

    client_key: str | None
    category: str
    rate: Decimal
    prepaid: bool = True
    ref: CellRef


@dataclass(frozen=True, slots=True)
class Entry:
    """A row of the Timesheet tab.

    Fields:
        day: the work date.
        client_key: canonical client ID.
        task, category, notes: as typed (category trimmed).
        seconds: worked time in whole seconds (durations read to the nearest second).
        rush: rush turnaround.
        billable: whether it is billed.
        ref: the row (CellRef with col 0).
        assistant: who did the work (the optional Assistant column of an agency's
            book), trimmed; compared case-insensitively; "" for a solo assistant.
    """

    day: date
    client_key: str
    task: str
    category: str
    seconds: int
    rush: bool
    billable: bool
    notes: str
    ref: CellRef
    assistant: str = ""


_ENTRY_FIELDS = ("day", "client_key", "task", "category", "seconds", "rush", "billable",
                 "notes", "ref", "assistant")
# Entries' columns: an Entry's fields, its row number in place of its CellRef.
ENTRY_COLUMNS = tuple("row" if name == "ref" else name for name in _ENTRY_FIELDS)


class Entries(LazySequence[Entry]):
    """The Timesheet's entries, kept column by column; an Entry is made when one is
    asked for.

    A big Timesheet has 100,000 rows or more: the checks and billing read the
    columns, and an Entry exists only where one is read (a problem's report,
    `item`).  Entry i is `Entry(day[i], client_key[i], ..., ref,
    assistant[i])` with `ref = CellRef(tab, row[i], 0)` (or `refs[i]` when the
    entries came from records, `Entries.of`).  Read-only; compares equal to any
    sequence of the same entries (the tuple the plain parser makes)."""

    __slots__ = ("assistant", "billable", "category", "client_key", "day", "notes", "refs",
                 "row", "rush", "seconds", "tab", "task")

    def __init__(
        self,
        tab: str,
        *,
        day: list[date],
        client_key: list[str],
        task: list[str],
        category: list[str],
        seconds: list[int],
        rush: list[bool],
        billable: list[bool],
        notes: list[str],
        row: list[int],
        assistant: list[str],
        refs: list[CellRef] | None = None,
    ) -> None:
        self.tab = tab
        self.day, self.client_key, self.task, self.category = day, client_key, task, category
        self.seconds, self.rush, self.billable, self.notes = seconds, rush, billable, notes
        self.row, self.assistant, self.refs = row, assistant, refs

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> Entries:
        """The entries as columns (themselves if they already are)."""
        if isinstance(entries, Entries):
            return entries
        refs = [e.ref for e in entries]
        return cls(refs[0].tab if refs else "", day=[e.day for e in entries],
                   client_key=[e.client_key for e in entries], task=[e.task for e in entries],
                   category=[e.category for e in entries], seconds=[e.seconds for e in entries],
                   rush=[e.rush for e in entries], billable=[e.billable for e in entries],
                   notes=[e.notes for e in entries], row=[r.row for r in refs],
                   assistant=[e.assistant for e in entries], refs=refs)

    def ref(self, i: int) -> CellRef:
        """Entry i's row."""
        return self.refs[i] if self.refs is not None else _new_ref(self.tab, self.row[i], 0)

    def __len__(self) -> int:
        return len(self.day)

    def item(self, i: int) -> Entry:
        """Entry i."""
        return new_entry(self.day[i], self.client_key[i], self.task[i],  # type: ignore[no-any-return]
                         self.category[i], self.seconds[i], self.rush[i], self.billable[i],
                         self.notes[i], self.ref(i), self.assistant[i])

    def __repr__(self) -> str:
        return f"Entries({self.tab!r}, {len(self)} rows)"


# An Entry from values already read and checked (fields in _ENTRY_FIELDS order),
# without pydantic's validation: the parser and Entries make one per row.
new_entry = slot_builder(Entry, _ENTRY_FIELDS)
_new_ref = slot_builder(CellRef, ("tab", "row", "col"))


class Block(_Record):
    """A row of the Blocks tab: a prepaid block of hours.

    Fields:
        day: purchase date (billed in this month).
        client_key: canonical client ID.
        seconds: hours bought, in seconds.
        amount: price; None means hours x the client's Rate.
        expires: last usable day, or None for never.
        reference: the user's reference.
        ref: the row.
    """

    day: date
    client_key: str
    seconds: int
    amount: Decimal | None = None
    expires: date | None = None
    reference: str = ""
    ref: CellRef


class Closing(_Record):
    """A row of the Closings tab.

    Fields:
        day, client_key, reference: the closing.
        sale_price: the sale price (None when not given).
        commission: an override of the client's terms (None when not given).
        ref: the row.
    """

    day: date
    client_key: str
    reference: str = ""
    sale_price: Decimal | None = None
    commission: Decimal | None = None
    ref: CellRef


class Payment(_Record):
    """A row of the Payments tab.

    Fields:
        day, client_key: when and who paid.
        invoice_no: the invoice paid, or empty for the oldest open one.
        amount: the amount paid (in the client's currency).
        note: free text.
        ref: the row.
    """

    day: date
    client_key: str
    invoice_no: str = ""
    amount: Decimal
    note: str = ""
    ref: CellRef


class RegisterRow(_Record):
    """A row of the `Invoices` register as it stands in the workbook.

    Fields:
        number, client_key, period (YYYY-MM), issue_date, due_date, currency:
            identity of the invoice.
        subtotal, tax, total, paid, balance: money as last written.
        status: draft, sent, paid or void (edited by hand).
        hours: billed hours as last written (to report differences).
        fingerprint: hash of the invoice's lines as last written.
        tab: the name of the invoice's tab.
        ref: the row (None for an invoice this run adds).
        extra: the user's own columns on the register, (header, value) in sheet order;
            written back unchanged beside vaxl's columns.
        unread: for a row vaxl could not read (a required cell empty or unreadable), every
            register cell as typed, (field, value); billing ignores the row (its number
            still counts), and the tab keeps it as it was.
    """

    number: str
    client_key: str
    period: str
    issue_date: date | None = None
    due_date: date | None = None
    currency: str = "USD"
    subtotal: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)
    status: str = "draft"
    hours: Decimal = Decimal(0)
    fingerprint: str = ""
    tab: str = ""
    ref: CellRef | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    unread: tuple[tuple[str, Any], ...] = ()


class Book(_Record):
    """Everything read from a workbook, parsed; input to checks and billing.

    Fields:
        settings: the Settings tab (all defaults when the tab is missing).
        clients, rates, entries, blocks, closings, payments: the input tabs' rows.
        invoices: the `Invoices` register as vaxl last wrote it and the user edited it.
        tab_names: every tab name in the workbook, in order.
        vaxl_tabs: names of the tabs vaxl wrote earlier (from its manifest).
    """

    settings: Settings = Settings()
    clients: tuple[Client, ...] = ()
    rates: tuple[SpecialtyRate, ...] = ()
    entries: Entries | tuple[Entry, ...] = ()
    blocks: tuple[Block, ...] = ()
    closings: tuple[Closing, ...] = ()
    payments: tuple[Payment, ...] = ()
    invoices: tuple[RegisterRow, ...] = ()
    tab_names: tuple[str, ...] = ()
    vaxl_tabs: tuple[str, ...] = ()
