"""What billing produces: invoices, ledger rows, report rows, aging rows.

Layouts (vaxl/layout), the JSON output, PDFs and every surface render these;
none of them computes money of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from vaxl.core.models import CellRef, Entries, Problem, RegisterRow
from vaxl.core.money import minor_units, round_money
from vaxl.core.records import LazySequence, slot_builder

__all__ = [
    "AgingRow",
    "DetailColumns",
    "EntryDetail",
    "EntryDetails",
    "Invoice",
    "InvoiceLine",
    "LedgerRow",
    "ReportRow",
    "RunResult",
    "StatementRow",
    "detail_columns",
]

LineKind = Literal["time", "rush", "overage", "retainer", "block", "commission", "credit"]


_COUNTS = frozenset({"retainer", "commission"})  # lines counted in units, not hours


def _short(value: Decimal, places: int, most: int) -> Decimal:
    """`value` with `places` decimals when that is exact, else rounded to `most`
    (hours of 0:20 entries print as 6.6667, not with 28 digits)."""
    exact = value.quantize(Decimal(1).scaleb(-places))
    if exact == value:
        return exact
    return value.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class InvoiceLine(_Result):
    """One line of an invoice.

    Fields:
        description: text printed on the line (in the invoice language).
        kind: time, rush, overage, retainer fee, block purchase, commission.
        category: the Timesheet category, where the line prices time.
        quantity: hours (for time lines) or a count (fees, closings).
        unit_price: price per unit (the rate; for rush, the surcharge base).
        amount: the line's amount, rounded to the currency's minor unit.
        seconds: billed seconds behind a time line (0 otherwise).
    """

    description: str
    kind: LineKind
    category: str = ""
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    seconds: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryDetail:
    """One timesheet entry as the invoice's detail shows it.

    A frozen slotted dataclass rather than a pydantic model: a month can hold
    100,000 entries and a validated model per entry would dominate billing
    time.  Build it with keywords, as before.

    Fields:
        day, task, category, notes: the entry.
        worked_seconds: time as logged; billed_seconds: after Time Rounding.
        rush, billable: flags.
        prepaid_seconds: the part drawn from retainer or block hours.
        ref: the Timesheet row it came from.
    """

    day: date
    task: str
    category: str
    notes: str = ""
    worked_seconds: int
    billed_seconds: int
    rush: bool
    billable: bool
    prepaid_seconds: int = 0
    ref: CellRef


# EntryDetail(day, task, category, notes, worked_seconds, billed_seconds, rush, billable,
# prepaid_seconds, ref), its slots filled directly.
_new_detail = slot_builder(EntryDetail, (
    "day", "task", "category", "notes", "worked_seconds", "billed_seconds", "rush", "billable",
    "prepaid_seconds", "ref"))


class EntryDetails(LazySequence[EntryDetail]):
    """A month's entry details kept as the Timesheet's columns: for each entry its row
    in `table` (an index into its columns), its billed and its prepaid seconds.  An
    EntryDetail is made only when one is read: a big month has tens of thousands, and
    an invoice tab reads the columns (`detail_columns`).  Compares equal to the tuple
    of its EntryDetails."""

    __slots__ = ("billed", "drawn", "rows", "table")

    def __init__(self, table: Entries, rows: list[int], billed: list[int],
                 drawn: list[int]) -> None:
        self.table, self.rows, self.billed, self.drawn = table, rows, billed, drawn

    def __len__(self) -> int:
        return len(self.rows)

    def item(self, i: int) -> EntryDetail:
        j, t = self.rows[i], self.table
        return _new_detail(t.day[j], t.task[j], t.category[j], t.notes[j],  # type: ignore[no-any-return]
                           t.seconds[j], self.billed[i], t.rush[j], t.billable[j],
                           self.drawn[i], t.ref(j))

    def __repr__(self) -> str:
        return f"EntryDetails({len(self)} entries)"


@dataclass(frozen=True, slots=True)
class DetailColumns:
    """Entry details as columns, for a layout that writes thousands of rows.

    Fields:
        day, task, category, worked, billed, rush, billable: one value per entry
            (worked and billed in seconds).
        row: each entry's Timesheet row number.
        place: the (tab, column) every entry links to, when they all share one;
            else None and `refs` holds each entry's CellRef.
    """

    day: Sequence[date]
    task: Sequence[str]
    category: Sequence[str]
    worked: Sequence[int]
    billed: Sequence[int]
    rush: Sequence[bool]
    billable: Sequence[bool]
    row: Sequence[int]
    place: tuple[str, int] | None
    refs: Sequence[CellRef] | None = None


def detail_columns(details: Sequence[EntryDetail]) -> DetailColumns:
    """The details as columns: read from the Timesheet's columns when they are
    EntryDetails (no EntryDetail made), else from each EntryDetail."""
    if isinstance(details, EntryDetails) and details.table.refs is None:
        t, rows = details.table, details.rows
        return DetailColumns(
            day=list(map(t.day.__getitem__, rows)), task=list(map(t.task.__getitem__, rows)),
            category=list(map(t.category.__getitem__, rows)),
            worked=list(map(t.seconds.__getitem__, rows)), billed=details.billed,
            rush=list(map(t.rush.__getitem__, rows)),
            billable=list(map(t.billable.__getitem__, rows)),
            row=list(map(t.row.__getitem__, rows)), place=(t.tab, 0))
    refs = [d.ref for d in details]
    places = {(r.tab, r.col) for r in refs}
    return DetailColumns(
        day=[d.day for d in details], task=[d.task for d in details],
        category=[d.category for d in details], worked=[d.worked_seconds for d in details],
        billed=[d.billed_seconds for d in details], rush=[d.rush for d in details],
        billable=[d.billable for d in details], row=[r.row for r in refs],
        place=next(iter(places)) if len(places) == 1 else None,
        refs=None if len(places) == 1 else refs)


def _details_as_given(value: Any, validate: ValidatorFunctionWrapHandler
                      ) -> Sequence[EntryDetail]:
    """Billing's EntryDetails as they are (validated when made); anything else (records,
    dicts from JSON) validated into a tuple of EntryDetail."""
    if isinstance(value, EntryDetails):
        return value
    return tuple(validate(value))


# An invoice's time detail: EntryDetails from billing, or a tuple of EntryDetail; dumped
# (and so sent as JSON) as a tuple of records either way.
Details = Annotated[
    Sequence[EntryDetail],
    WrapValidator(_details_as_given),
    PlainSerializer(tuple, return_type=tuple[EntryDetail, ...]),
]


class StatementRow(_Result):
    """A line of the retainer or block statement printed on an invoice.

    Fields:
        label: e.g. `Included this month`, `Carried in from 2026-09`, `Block B-12`.
        hours: hours (Decimal) for that line; negative for hours drawn or expired.
    """

    label: str
    hours: Decimal


class Invoice(_Result):
    """An invoice for one client and one month.

    Fields:
        number: the invoice number (kept across re-runs).
        client_key, client_name: who is billed (name as on the Clients tab).
        client_email, client_address, client_contact: for the client block and e-mails.
        period: `YYYY-MM`.
        issue_date, due_date: dates.
        currency: ISO 4217 code of every amount on it.
        language: `en` or `vi`.
        lines: the lines, in print order.
        subtotal, tax_rate, tax, total: as the contract's rule 8 computes them.
        paid, balance: payments applied so far and what is still due.
        status: draft, sent, paid or void.
        hours: billed hours on the invoice (time lines).
        entries: the detail of every entry of the month (EntryDetails from billing).
        statement: the retainer or block statement (empty when none applies).
        fingerprint: hash of the lines, to detect later changes.
        frozen: True when the invoice was sent, paid or void and was not rewritten.
        tab: the invoice's tab name.
    """

    number: str
    client_key: str
    client_name: str
    client_email: str = ""
    client_address: str = ""
    client_contact: str = ""
    period: str
    issue_date: date
    due_date: date
    currency: str
    language: Literal["en", "vi"] = "en"
    lines: tuple[InvoiceLine, ...]
    subtotal: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal = Decimal(0)
    balance: Decimal
    status: str = "draft"
    hours: Decimal = Decimal(0)
    entries: Details = ()
    statement: tuple[StatementRow, ...] = ()
    fingerprint: str = ""
    frozen: bool = False
    tab: str = ""

    def public(self) -> dict[str, object]:
        """The contract's JSON shape (money as decimal strings)."""
        return {
            "number": self.number,
            "client_id": self.client_key,
            "client_name": self.client_name,
            "period": self.period,
            "issue_date": self.issue_date.isoformat(),
            "due_date": self.due_date.isoformat(),
            "currency": self.currency,
            "subtotal": str(round_money(self.subtotal, self.currency)),
            "tax": str(round_money(self.tax, self.currency)),
            "total": str(round_money(self.total, self.currency)),
            "paid": str(round_money(self.paid, self.currency)),
            "balance": str(round_money(self.balance, self.currency)),
            "status": self.status,
            "hours": str(_short(self.hours, 2, 4)),
            "lines": [
                {
                    "description": line.description,
                    "kind": line.kind,
                    "quantity": str(_short(line.quantity, 0 if line.kind in _COUNTS else 2, 4)),
                    "unit_price": str(_short(line.unit_price, minor_units(self.currency), 4)),
                    "amount": str(round_money(line.amount, self.currency)),
                }
                for line in self.lines
            ],
        }


class LedgerRow(_Result):
    """Prepaid hours of one client in one month (retainer) or one block.

    Fields:
        client_key, month (`YYYY-MM`), kind (`retainer` or `block`), reference
        (block reference, empty for retainers).
        included: hours added this month (retainer hours, or the block's hours in its month).
        carried_in: hours still usable from earlier months / blocks.
        used: prepaid hours drawn this month.
        overage: hours beyond prepaid time, billed at Overage Rate.
        expired: hours that expired or were forfeited this month.
        carried_out: hours still usable after this month.
    Conservation: included + carried_in = used + expired + carried_out.
    """

    client_key: str
    month: str
    kind: Literal["retainer", "block"]
    reference: str = ""
    included: Decimal
    carried_in: Decimal
    used: Decimal
    overage: Decimal
    expired: Decimal
    carried_out: Decimal

    @property
    def left_this_month(self) -> Decimal:
        """Prepaid hours still usable during the month: what the month brought less what
        was used.  Retainer hours that lapse at the month's end count until then; a
        block's forfeited hours do not."""
        left = self.included + self.carried_in - self.used
        return left - self.expired if self.kind == "block" else left


class ReportRow(_Result):
    """One client's line in `Report YYYY-MM`.

    Fields:
        client_key, client_name, billing, currency.
        hours_worked: all entries; billable_hours: billable entries (rounded).
        amount_billed: the month's invoice total before tax (0 without one).
        effective_rate: amount billed / hours worked (commission / hours for commission
            clients); None without hours.
        rush_share: share of billable hours that were rush (fraction).
        prepaid_balance: prepaid hours left after the month (None for hourly/commission).
        alerts: e.g. low balance, prepaid hours used up.
    """

    client_key: str
    client_name: str
    billing: str
    currency: str
    hours_worked: Decimal
    billable_hours: Decimal
    amount_billed: Decimal
    effective_rate: Decimal | None
    rush_share: Decimal
    prepaid_balance: Decimal | None
    alerts: tuple[str, ...] = ()


class AgingRow(_Result):
    """One open invoice in `Aging`.

    Fields:
        number, client_key, currency, issue_date, due_date.
        days_overdue: days past due at the report date (0 when not yet due).
        bucket: `current`, `1-30`, `31-60`, `61-90` or `90+`.
        balance: amount still due.
    """

    number: str
    client_key: str
    currency: str
    issue_date: date | None
    due_date: date | None
    days_overdue: int
    bucket: Literal["current", "1-30", "31-60", "61-90", "90+"]
    balance: Decimal


class RunResult(_Result):
    """Everything one billing run produces.

    Fields:
        period: `YYYY-MM`.
        invoices: the month's invoices (new, recomputed drafts and frozen ones).
        invoice_register: every row of the `Invoices` register after the run, all periods.
        ledger: prepaid hours per client and month, up to the period.
        report: per client rows of the month.
        aging: open invoices.
        problems: validation problems plus billing warnings (frozen invoice drift).
    """

    period: str
    invoices: tuple[Invoice, ...] = ()
    invoice_register: tuple[RegisterRow, ...] = ()
    ledger: tuple[LedgerRow, ...] = ()
    report: tuple[ReportRow, ...] = ()
    aging: tuple[AgingRow, ...] = ()
    problems: tuple[Problem, ...] = ()
