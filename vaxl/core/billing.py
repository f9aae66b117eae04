"""The billing engine: `bill(book, problems, period=..., issue_date=..., today=...)`.

Stages, each a small function of its own module:
pricing (time rounding, rates) -> prepaid draw-down (retainers, blocks) ->
lines (invoicing, commission) -> totals -> numbering -> payments -> report, aging.

Decisions where the contract is silent (all of them in docs/billing.md):
- A client is billed for a month inside its Start Date..End Date window (by
  month) and when Active; a client with any error problem is not billed.
- Re-runs: a (client, period) in the register keeps its number and row.  A
  `draft` is recomputed and takes this run's issue date; `sent`, `paid` and
  `void` are frozen and only compared with the data (a warning on drift).
- Hours covered by a retainer or block cost nothing beyond the fee or block;
  rush surcharges are on the entry's category rate, covered or not.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Literal, TypeVar

from vaxl.core.aging import aging_rows
from vaxl.core.blocks import BlockMonth, BlockSpec, run_blocks
from vaxl.core.checks import MAX_DAY_SECONDS, settings_broken
from vaxl.core.commission import commission_lines
from vaxl.core.invoicing import (
    Works,
    drift_problem,
    empty_draft_problem,
    fingerprint,
    totals,
    work_lines,
)
from vaxl.core.labels import fmt_money, text
from vaxl.core.models import (
    Block,
    Book,
    Client,
    Closing,
    Entries,
    Entry,
    Problem,
    RegisterRow,
    Settings,
)
from vaxl.core.money import round_money
from vaxl.core.months import first_day, last_day, month_of, month_text, parse_period
from vaxl.core.numbering import Numberer, tab_name
from vaxl.core.payments import apply_payments
from vaxl.core.pricing import (
    RateBook,
    ResolvedRate,
    client_rounding,
    client_surcharge,
    exact_hours,
    hours,
    hours_2,
    overage_rate,
    round_seconds,
    time_amount,
)
from vaxl.core.reports import low_balance_alerts, report_row
from vaxl.core.results import (
    EntryDetails,
    Invoice,
    InvoiceLine,
    LedgerRow,
    ReportRow,
    RunResult,
    StatementRow,
)
from vaxl.core.retainers import run_retainer

__all__ = ["Priced", "bill", "price_ahead", "without_new_invoices"]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_FROZEN = ("sent", "paid", "void")


@dataclass(slots=True)
class ClientMonth:
    """One client's month before numbering: what to bill and what to report."""

    client: Client
    lines: list[InvoiceLine]
    details: EntryDetails
    statement: tuple[StatementRow, ...]
    ledger: list[LedgerRow]
    worked: int
    billable: int
    rush: int
    prepaid_left: int | None
    alerts: list[str] = field(default_factory=list)

    @property
    def billed(self) -> int:
        """Seconds billed as time (covered hours included; none for commission clients)."""
        return 0 if self.client.billing == "commission" else self.billable


def _seconds(hours_: Decimal | None) -> int:
    if hours_ is None:
        return 0
    return int((hours_ * 3600).to_integral_value(rounding=ROUND_HALF_UP))


def _billed_in(client: Client, month: int) -> bool:
    """Whether the client is billed for `month`: Active, and the month inside its Start
    Date..End Date window (errors aside)."""
    if not client.active:
        return False
    if client.start_date is not None and month < month_of(client.start_date):
        return False
    return client.end_date is None or month <= month_of(client.end_date)


def _st(label: str, seconds: int) -> StatementRow:
    return StatementRow(label=label, hours=hours(seconds))


def bill_client(
    client: Client,
    entries: EntryRun,
    blocks: list[Block],
    closings: list[Closing],
    *,
    month: int,
    settings: Settings,
    rates: RateBook,
) -> ClientMonth:
    """Price one client's month.  `entries` and `blocks` are sorted by (day, row)."""
    lang = settings.language
    cur = client.currency
    billing = client.billing
    prepaid_client = billing in ("retainer", "block")
    minutes = client_rounding(client, settings)
    mode = settings.rounding_mode
    start_day = first_day(month)
    end_day = last_day(month)

    table, indices = entries.table, entries.indices
    work_rows: list[int] = []  # the month's entries, as columns (see Works)
    work_billed: list[int] = []
    work_rates: list[ResolvedRate] = []
    drawing_months: list[int] = []
    drawing_days: list[date] = []
    drawing_seconds: list[int] = []
    drawing_works: list[tuple[int, int]] = []  # (drawing, index in works) of the month's
    by_category: dict[str, ResolvedRate] = {}
    # The client's rows are read from the Timesheet's columns: the month's, and for a
    # prepaid client the earlier months', which only draw hours.
    day_of, billable_of, rush_of = table.day, table.billable, table.rush
    category_of, seconds_of = table.category, table.seconds
    for i in indices if prepaid_client else entries.from_day(start_day):
        day = day_of[i]
        if day > end_day:
            break
        in_period = day >= start_day
        draws = prepaid_client and billable_of[i]
        if not in_period and not draws:
            continue
        category = category_of[i]
        rate = by_category.get(category)
        if rate is None:
            rate = by_category[category] = rates.resolve(client, category)
        seconds = seconds_of[i]
        billed = round_seconds(seconds, minutes, mode) if minutes else seconds
        if in_period:
            work_rows.append(i)
            work_billed.append(billed)
            work_rates.append(rate)
        if draws and rate.prepaid and billed > 0:
            if in_period:
                drawing_works.append((len(drawing_days), len(work_rows) - 1))
            drawing_days.append(day)
            drawing_months.append(day.year * 12 + day.month - 1)
            drawing_seconds.append(billed)

    drawn_by_work = [0] * len(work_rows)
    lines: list[InvoiceLine] = []
    statement: list[StatementRow] = []
    ledger: list[LedgerRow] = []
    alerts: list[str] = []
    prepaid_left: int | None = None

    if billing == "retainer":
        if client.start_date is not None:
            first = month_of(client.start_date)
        elif indices:
            first = month_of(day_of[indices[0]])
        else:
            first = month + 1
        included = _seconds(client.retainer_hours)
        rows, drawn = run_retainer(
            first,
            month,
            included,
            client.rollover_months,
            list(zip(drawing_months, drawing_seconds, strict=True)),
        )
        for pos, k in drawing_works:
            drawn_by_work[k] = drawn[pos]
        for r in rows:
            ledger.append(
                LedgerRow(
                    client_key=client.key,
                    month=month_text(r.month),
                    kind="retainer",
                    included=hours(r.included),
                    carried_in=hours(r.carried_in),
                    used=hours(r.used),
                    overage=hours(r.overage),
                    expired=hours(r.expired),
                    carried_out=hours(r.carried_out),
                )
            )
        if rows and rows[-1].month == month:
            now = rows[-1]
            fee = client.retainer_fee or _ZERO
            lines.append(
                InvoiceLine(
                    description=text(
                        lang, "retainer_fee", period=month_text(month), hours=hours(included)
                    ),
                    kind="retainer",
                    quantity=_ONE,
                    unit_price=fee,
                    amount=round_money(fee, cur),
                )
            )
            statement = [
                _st(text(lang, "st_carried_in"), now.carried_in),
                _st(text(lang, "st_included"), now.included),
                _st(text(lang, "st_used"), -now.used),
                _st(text(lang, "st_expired"), -now.expired),
                _st(text(lang, "st_balance"), now.carried_out),
            ]
            if now.overage:
                statement.append(_st(text(lang, "st_overage"), now.overage))
            prepaid_left = now.carried_out
            alerts += low_balance_alerts(
                lang,
                available=now.included + now.carried_in,
                used=now.used,
                overage=now.overage,
                threshold=settings.low_balance_alert,
            )
    elif billing == "block":
        mine = [b for b in blocks if b.day <= end_day]
        specs = [BlockSpec(b.day, b.expires, b.seconds) for b in mine]
        run = run_blocks(specs, list(zip(drawing_days, drawing_seconds, strict=True)), month)
        for pos, k in drawing_works:
            drawn_by_work[k] = run.drawn[pos]
        months = sorted({bm.month for bm in run.months} | set(run.overage))
        by_month: dict[int, list[BlockMonth]] = defaultdict(list)
        for bm in run.months:
            by_month[bm.month].append(bm)
        for m in months:
            for bm in by_month.get(m, []):
                ledger.append(
                    LedgerRow(
                        client_key=client.key,
                        month=month_text(m),
                        kind="block",
                        reference=_block_ref(mine[bm.block]),
                        included=hours(bm.included),
                        carried_in=hours(bm.carried_in),
                        used=hours(bm.used),
                        overage=_ZERO,
                        expired=hours(bm.expired),
                        carried_out=hours(bm.carried_out),
                    )
                )
            if run.overage.get(m):
                ledger.append(
                    LedgerRow(
                        client_key=client.key,
                        month=month_text(m),
                        kind="block",
                        reference="",
                        included=_ZERO,
                        carried_in=_ZERO,
                        used=_ZERO,
                        overage=hours(run.overage[m]),
                        expired=_ZERO,
                        carried_out=_ZERO,
                    )
                )
        base_rate = client.rate or _ZERO
        for b in mine:
            if month_of(b.day) != month:
                continue
            label_hours = hours(b.seconds)
            ref = b.reference.strip()
            description = (
                text(lang, "block_ref", hours=label_hours, reference=ref)
                if ref
                else text(lang, "block", hours=label_hours)
            )
            if b.amount is not None:
                qty, price, amount = _ONE, b.amount, round_money(b.amount, cur)
            else:
                qty, price = exact_hours(b.seconds), base_rate
                amount = time_amount(base_rate, b.seconds, cur)
            lines.append(
                InvoiceLine(
                    description=description,
                    kind="block",
                    quantity=qty,
                    unit_price=price,
                    amount=amount,
                    seconds=b.seconds,
                )
            )
        now_rows = by_month.get(month, [])
        over_now = run.overage.get(month, 0)
        for bm in now_rows:
            ref = _block_ref(mine[bm.block])
            statement.append(
                _st(text(lang, "st_block_available", reference=ref), bm.included + bm.carried_in)
            )
            if bm.used:
                statement.append(_st(text(lang, "st_block_used", reference=ref), -bm.used))
            if bm.expired:
                statement.append(_st(text(lang, "st_block_expired", reference=ref), -bm.expired))
                alerts.append(text(lang, "alert_forfeit", hours=hours(bm.expired), reference=ref))
        left = sum(bm.carried_out for bm in now_rows)
        if now_rows or over_now:
            statement.append(_st(text(lang, "st_blocks_left"), left))
        if over_now:
            statement.append(_st(text(lang, "st_overage"), over_now))
        prepaid_left = left
        # A block is used up over its whole life, not month by month: the share used is
        # (hours bought - hours left - hours forfeited) / hours bought, of the blocks open now.
        bought = sum(mine[bm.block].seconds for bm in now_rows)
        forfeited = sum(bm.expired for bm in now_rows)
        alerts[:0] = low_balance_alerts(
            lang,
            available=bought,
            used=bought - left - forfeited,
            overage=over_now,
            threshold=settings.low_balance_alert,
        )

    if billing == "commission":
        lines += commission_lines(client, (c for c in closings if month_of(c.day) == month), lang)
    else:
        lines += work_lines(
            Works(table, work_rows, work_billed, work_rates, drawn_by_work),
            prepaid_client=prepaid_client,
            overage_rate=overage_rate(client),
            surcharge=client_surcharge(client, settings),
            currency=cur,
            language=lang,
        )

    worked = sum(map(seconds_of.__getitem__, work_rows))
    billable = rush = 0
    for i, billed in zip(work_rows, work_billed, strict=True):
        if billable_of[i]:
            billable += billed
            if rush_of[i]:
                rush += billed
    return ClientMonth(
        client=client,
        lines=lines,
        details=EntryDetails(table, work_rows, work_billed, drawn_by_work),
        statement=tuple(statement),
        ledger=ledger,
        worked=worked,
        billable=billable,
        rush=rush,
        prepaid_left=prepaid_left,
        alerts=alerts,
    )


def _block_ref(block: Block) -> str:
    return block.reference.strip() or block.day.isoformat()


_Keyed = TypeVar("_Keyed", Block, Closing)
_BY_ROW = attrgetter("ref.row")
_BY_DAY = attrgetter("day")


def _group(items: Sequence[_Keyed]) -> dict[str, list[_Keyed]]:
    """Rows by canonical client key, each list in (day, row) order."""
    ordered = sorted(items, key=_BY_ROW)
    ordered.sort(key=_BY_DAY)  # stable: row order within a day
    out: dict[str, list[_Keyed]] = defaultdict(list)
    for item in ordered:
        out[item.client_key.upper()].append(item)
    return out


@dataclass(frozen=True, slots=True)
class EntryRun:
    """One client's entries in (day, row) order: rows `indices` of the Timesheet's
    columns `table`.  Billing reads the columns; it makes no Entry."""

    table: Entries
    indices: list[int]

    def from_day(self, day: date) -> list[int]:
        """The rows dated `day` or later, in (day, row) order."""
        return self.indices[bisect_left(self.indices, day, key=self.table.day.__getitem__):]


_NO_ENTRIES = EntryRun(Entries.of(()), [])


def _group_entries(entries: Sequence[Entry]) -> dict[str, EntryRun]:
    """Entries by canonical client key, each client's in (day, row) order (as _group)."""
    table = Entries.of(entries)
    rows = table.row
    order = (list(range(len(rows))) if rows == sorted(rows)  # the parser's order: by row
             else sorted(range(len(rows)), key=rows.__getitem__))
    order.sort(key=table.day.__getitem__)  # stable: row order within a day
    keys = table.client_key
    upper = {key: key.upper() for key in set(keys)}
    by_key: dict[str, list[int]] = {key: [] for key in upper.values()}
    for i, key in zip(order, map(keys.__getitem__, order), strict=True):
        by_key[upper[key]].append(i)
    return {key: EntryRun(table, indices) for key, indices in by_key.items()}


@dataclass(frozen=True, slots=True)
class _Grouped:
    """A book's rows as billing reads them: rates, and each client's entries, blocks
    and closings (by canonical key, in (day, row) order)."""

    rates: RateBook
    entries: dict[str, EntryRun]
    blocks: dict[str, list[Block]]
    closings: dict[str, list[Closing]]

    @classmethod
    def of(cls, book: Book) -> _Grouped:
        return cls(RateBook(book.rates), _group_entries(book.entries), _group(book.blocks),
                   _group(book.closings))

    def price(self, client: Client, month: int, settings: Settings) -> ClientMonth:
        """The client's `month`, priced (bill_client)."""
        return bill_client(
            client,
            self.entries.get(client.key, _NO_ENTRIES),
            self.blocks.get(client.key, []),
            self.closings.get(client.key, []),
            month=month,
            settings=settings,
            rates=self.rates,
        )


@dataclass(frozen=True, slots=True)
class Priced:
    """Clients' months priced before every check was done (price_ahead), for bill.

    Fields:
        month: the month priced (year * 12 + month - 1).
        grouped: the book's rows as billing reads them.
        months: canonical client key -> its month, for each client priced.
    """

    month: int
    grouped: _Grouped
    months: dict[str, ClientMonth]


def price_ahead(book: Book, problems: Sequence[Problem], *, period: str) -> Priced:
    """The months `bill` would price for `period`, knowing only `problems` (the
    parser's, say, while the checks run elsewhere): bill(priced=...) takes those of
    the clients that every problem leaves billable, and drops the rest.

    A client whose pricing fails here is left out: bill prices it again, and fails
    there only if the client is billed (its data has no error then).
    Raises ValueError when `period` is not `YYYY-MM`."""
    month = parse_period(period)
    grouped = _Grouped.of(book)
    excluded = _excluded(book, problems)
    months: dict[str, ClientMonth] = {}
    for key, client in _first_by_key(book.clients).items():
        if _billed_in(client, month) and key not in excluded:
            try:
                months[key] = grouped.price(client, month, book.settings)
            except Exception:  # the checks will say what is wrong; bill decides
                continue
    return Priced(month, grouped, months)


def _excluded(book: Book, problems: Sequence[Problem]) -> set[str]:
    """The canonical keys of the clients not billed: those with an error, or every
    client when the Settings tab has one."""
    excluded = {p.client_id.upper() for p in problems if p.severity == "error" and p.client_id}
    if settings_broken(problems):  # a wrong Settings value would misprice every client
        excluded |= {c.key for c in book.clients}
    return excluded


def _first_by_key(clients: Sequence[Client]) -> dict[str, Client]:
    """The clients by canonical key, sorted; the first row wins a repeated ID."""
    out: dict[str, Client] = {}
    for client in sorted(clients, key=attrgetter("key")):
        out.setdefault(client.key, client)
    return out


@dataclass(slots=True)
class _Pending:
    """An invoice of this run before payments: new, recomputed draft, or frozen (no month)."""

    client: Client
    month: ClientMonth | None
    row_index: int


def bill(
    book: Book,
    problems: Sequence[Problem],
    *,
    period: str,
    issue_date: date | None,
    today: date,
    priced: Priced | None = None,
) -> RunResult:
    """Bill the month `period` (YYYY-MM) for every client without errors.

    `issue_date` dates new invoices and re-dates drafts; None dates new invoices
    `today` and lets drafts keep the issue date they have in the register.
    `priced`: months price_ahead priced already (the same book), used as they are.

    Returns the month's invoices, the whole register after the run, the
    prepaid ledger up to the period, the report rows, aging and the problems
    (the input ones plus billing warnings).
    Raises ValueError when `period` is not `YYYY-MM`.
    A caller billing a big book pauses the cyclic collector around it
    (vaxl.service.collector_paused): billing makes many objects and no cycles.
    """
    month = parse_period(period)
    period = month_text(month)
    settings = book.settings
    lang = settings.language
    excluded = _excluded(book, problems)
    if priced is None or priced.month != month:
        priced = Priced(month, _Grouped.of(book), {})
    grouped, ahead = priced.grouped, priced.months

    # Rows vaxl could not read stay out of billing; their numbers still count (never reused).
    register: list[RegisterRow] = [row for row in book.invoices if not row.unread]
    existing: dict[tuple[str, str], int] = {}
    for i, row in enumerate(register):
        slot = (row.client_key.strip().upper(), row.period.strip())
        j = existing.get(slot)
        if j is None or (
            register[j].status.strip().lower() == "void" and row.status.strip().lower() != "void"
        ):
            existing[slot] = i
    numberer = Numberer(settings.invoice_number, book.invoices)
    tabs_taken = {(r.tab or tab_name(r.number)).casefold() for r in book.invoices if r.number}

    out_problems: list[Problem] = list(problems)
    ledger: list[LedgerRow] = []
    months: dict[str, ClientMonth] = {}
    pending: list[_Pending] = []
    clients = _first_by_key(book.clients)
    for client in clients.values():
        if not _billed_in(client, month) or client.key in excluded:
            continue
        cm = ahead.get(client.key)
        if cm is None:
            cm = grouped.price(client, month, settings)
        months[client.key] = cm
        ledger += cm.ledger
        found = existing.get((client.key, period))
        terms = client.payment_terms if client.payment_terms is not None else settings.payment_terms
        new_issue = issue_date or today
        due = new_issue + timedelta(days=terms)
        t = totals(cm.lines, client.tax_rate, client.currency)
        fp = fingerprint(cm.lines, client.currency)
        if found is None:
            if not cm.lines:
                continue
            number = numberer.next(new_issue, client.id or client.key)
            register.append(
                RegisterRow(
                    number=number,
                    client_key=client.key,
                    period=period,
                    issue_date=new_issue,
                    due_date=due,
                    currency=client.currency,
                    subtotal=t.subtotal,
                    tax=t.tax,
                    total=t.total,
                    paid=_ZERO,
                    balance=t.total,
                    status="draft",
                    hours=hours_2(cm.billed),
                    fingerprint=fp,
                    tab=tab_name(number, tabs_taken),
                    ref=None,
                )
            )
            pending.append(_Pending(client, cm, len(register) - 1))
            continue
        row = register[found]
        status = row.status.strip().lower()
        if status in _FROZEN:
            drift = drift_problem(
                row,
                hours_now=hours_2(cm.billed),
                total_now=t.total,
                currency_now=client.currency,
                fingerprint_now=fp,
            )
            if drift is not None:
                out_problems.append(drift)
            pending.append(_Pending(client, None, found))
            continue
        # A draft keeps its issue date unless the run names one (--issue-date).
        draft_issue = issue_date or row.issue_date or today
        register[found] = row.model_copy(
            update={
                "issue_date": draft_issue,
                "due_date": draft_issue + timedelta(days=terms),
                "currency": client.currency,
                "subtotal": t.subtotal,
                "tax": t.tax,
                "total": t.total,
                "hours": hours_2(cm.billed),
                "fingerprint": fp,
                "tab": row.tab or tab_name(row.number),
            }
        )
        if not cm.lines:
            out_problems.append(empty_draft_problem(register[found]))
        pending.append(_Pending(client, cm, found))

    outcome = apply_payments(
        register,
        book.payments,
        skip=excluded,
        currencies={k: c.currency for k, c in clients.items()},
    )
    out_problems += outcome.problems
    for i, paid in enumerate(outcome.paid):
        if paid is not None:
            row = register[i]
            paid = round_money(paid, row.currency)
            register[i] = row.model_copy(update={"paid": paid, "balance": row.total - paid})

    invoices = [_invoice(p, register[p.row_index], lang) for p in pending]
    billed_now = {inv.client_key: inv.subtotal for inv in invoices}

    report: list[ReportRow] = []
    for key, client in clients.items():
        if not _billed_in(client, month):
            continue
        month_of_client = months.get(key)
        if month_of_client is None:  # excluded for errors: report its time, bill nothing
            worked, billable, rush = _plain_times(grouped.entries.get(key, _NO_ENTRIES), client,
                                                  settings, month)
            report.append(
                report_row(
                    client,
                    worked=worked,
                    billable=billable,
                    rush=rush,
                    amount_billed=_ZERO,
                    prepaid_left=None,
                    alerts=[text(lang, "alert_excluded")],
                )
            )
            continue
        cm = month_of_client
        alerts = list(cm.alerts)
        if key in outcome.credit:
            alerts.append(
                text(lang, "alert_credit", amount=fmt_money(outcome.credit[key], client.currency))
            )
        report.append(
            report_row(
                client,
                worked=cm.worked,
                billable=cm.billable,
                rush=cm.rush,
                amount_billed=billed_now.get(key, _ZERO),
                prepaid_left=cm.prepaid_left,
                alerts=alerts,
            )
        )

    return RunResult(
        period=period,
        invoices=tuple(invoices),
        invoice_register=tuple(register) + tuple(r for r in book.invoices if r.unread),
        ledger=tuple(ledger),
        report=tuple(report),
        aging=tuple(aging_rows(register, today)),
        problems=tuple(_settled(out_problems, register)),
    )


def _settled(problems: list[Problem], register: Sequence[RegisterRow]) -> list[Problem]:
    """Drop the checks' `payment_invoice_unknown` warnings for numbers this run created:
    the payment named an invoice the assistant expected, and billing applied it."""
    numbers = {row.number.strip().upper() for row in register}
    return [
        p for p in problems
        if not (p.code == "payment_invoice_unknown" and p.value.strip().upper() in numbers)
    ]


def _invoice(p: _Pending, row: RegisterRow, language: Literal["en", "vi"]) -> Invoice:
    client = p.client
    cm = p.month
    issue = row.issue_date or row.due_date or date.min
    return Invoice(
        number=row.number,
        client_key=client.key,
        client_name=client.name,
        client_email=client.email,
        client_address=client.address,
        client_contact=client.contact,
        period=row.period,
        issue_date=issue,
        due_date=row.due_date or issue,
        currency=row.currency,
        language=language,
        lines=() if cm is None else tuple(cm.lines),
        subtotal=_shown(row.subtotal, row.currency),
        tax_rate=client.tax_rate,
        tax=_shown(row.tax, row.currency),
        total=_shown(row.total, row.currency),
        paid=row.paid,
        balance=row.balance,
        status=row.status.strip().lower(),
        hours=row.hours if cm is None else hours(cm.billed),
        entries=() if cm is None else cm.details,
        statement=() if cm is None else cm.statement,
        fingerprint=row.fingerprint,
        frozen=cm is None,
        tab=row.tab or tab_name(row.number),
    )


def _shown(amount: Decimal, currency: str) -> Decimal:
    """A register figure (maybe read back as 165.0) at the currency's minor unit, when
    that loses nothing; a figure with more decimals is kept as written."""
    rounded = round_money(amount, currency)
    return rounded if rounded == amount else amount


def _plain_times(
    entries: EntryRun, client: Client, settings: Settings, month: int
) -> tuple[int, int, int]:
    """(worked, billable, rush) seconds of an excluded client's month, from its columns."""
    minutes = client_rounding(client, settings)
    table = entries.table
    end_day = last_day(month)
    worked = billable = rush = 0
    for i in entries.from_day(first_day(month)):
        if table.day[i] > end_day:
            break
        seconds = table.seconds[i]
        # Rows of an excluded client may hold the very errors that excluded it.
        if not 0 < seconds <= MAX_DAY_SECONDS:
            continue
        worked += seconds
        if table.billable[i]:
            billed = round_seconds(seconds, minutes, settings.rounding_mode)
            billable += billed
            if table.rush[i]:
                rush += billed
    return worked, billable, rush


def without_new_invoices(result: RunResult, book: Book) -> RunResult:
    """The run as `vaxl report` shows it: report rows keep the month's figures, but
    invoices that are not in the register yet are not issued, so they appear neither
    in the register, nor in Aging, nor in the output."""
    existing = {row.number.strip().upper() for row in book.invoices}

    def kept(number: str) -> bool:
        return number.strip().upper() in existing

    return result.model_copy(
        update={
            "invoices": tuple(i for i in result.invoices if kept(i.number)),
            "invoice_register": tuple(r for r in result.invoice_register if kept(r.number)),
            "aging": tuple(a for a in result.aging if kept(a.number)),
        }
    )
