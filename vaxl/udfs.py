"""vaxl's Excel functions (xlwings UDFs), over a parse cache keyed by the tabs' content.

    =VAXL_RATE("ACME", "Translation", TRUE)   hourly rate for a category, with rush
    =VAXL_HOURS("ACME", "2026-11")            hours worked in a month
    =VAXL_PREPAID_LEFT("ACME")                prepaid hours left (this month; or [month])
    =VAXL_TO_BILL("ACME", "2026-11")          the month's invoice total for the client
    =VAXL_INVOICE_TOTAL("INV-2026-0007")      an invoice's total from the Invoices tab
    =VAXL_SUMMARY("2026-11")                  array: the month's per-client summary

Every function reads the workbook's tabs (one range read per tab) and hands the
values to `Figures.of(raw)`, which hashes them: equal content -> the parsed
book and its billing runs come from the cache, so a sheet with 1,000 of these
cells parses the timesheet once.  Problems never raise into Excel: a cell shows
a readable message such as `vaxl: unknown client 'ACMEE'`.

The pure part (Figures and the lowercase functions) imports no xlwings; the
xlwings Lite script (macros/main.py) uses it with the values its scripts read.
Desktop UDFs are volatile because they read tabs Excel does not pass them.
"""

from __future__ import annotations

import difflib
import hashlib
import pickle
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from vaxl.core.models import Book, Client, Problem
from vaxl.core.results import RunResult
from vaxl.sheets.raw import RawBook

__all__ = [
    "Figures",
    "SUMMARY_HEADER",
    "UdfError",
    "cache_clear",
    "hours",
    "invoice_total",
    "prepaid_left",
    "rate",
    "stats",
    "summary",
    "to_bill",
]

SUMMARY_HEADER = [
    "Client ID", "Client Name", "Billing", "Currency", "Hours Worked", "Billable Hours",
    "Amount Billed", "Effective Rate", "Rush Share", "Prepaid Left", "Alerts",
]
_CACHE_SIZE = 4
_EPOCH = datetime(1899, 12, 30)


class UdfError(Exception):
    """A message for the cell (`vaxl: ...`)."""


@dataclass
class Stats:
    """How often the cache had to work (tests count parses)."""

    parses: int = 0
    bills: int = 0
    hits: int = 0


stats = Stats()
_cache: OrderedDict[str, Figures] = OrderedDict()


def cache_clear() -> None:
    _cache.clear()
    stats.parses = stats.bills = stats.hits = 0


def content_key(raw: RawBook) -> str:
    """A hash of everything the parser sees: tab names, positions, values, formats."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(pickle.dumps(raw.tab_names, protocol=5))
    for name in sorted(raw.tabs):
        tab = raw.tabs[name]
        digest.update(
            pickle.dumps(
                (name, tab.first_row, tab.first_col, tab.rows, tab.number_formats), protocol=5
            )
        )
    return digest.hexdigest()


@dataclass
class Figures:
    """One workbook content, parsed once; billing runs cached per (month, today)."""

    book: Book
    problems: list[Problem]
    runs: dict[tuple[str, date], RunResult] = field(default_factory=dict)

    @classmethod
    def of(cls, raw: RawBook, today: date) -> Figures:
        """The parsed workbook for these tab values, from the cache when seen before."""
        key = f"{content_key(raw)}:{today.isoformat()}"
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            stats.hits += 1
            return found
        from vaxl.service import load_book

        stats.parses += 1
        book, problems = load_book(raw, today)
        figures = cls(book, problems)
        _cache[key] = figures
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return figures

    def run(self, month: str, today: date) -> RunResult:
        found = self.runs.get((month, today))
        if found is None:
            from vaxl.core.billing import bill
            from vaxl.service import collector_paused

            stats.bills += 1
            with collector_paused():
                found = bill(self.book, self.problems, period=month, issue_date=today,
                             today=today)
            self.runs[(month, today)] = found
        return found

    def client(self, client_id: Any) -> Client:
        wanted = str(client_id or "").strip().upper()
        if not wanted:
            raise UdfError("vaxl: give a Client ID, e.g. \"ACME\"")
        for client in self.book.clients:
            if client.key == wanted:
                errors = [p for p in self.problems
                          if p.severity == "error" and (p.client_id or "").upper() == wanted]
                if errors:
                    first = errors[0]
                    where = f"{first.tab}!{first.cell}" if first.cell else first.tab
                    raise UdfError(
                        f"vaxl: client '{client.id}' has {len(errors)} data error(s), "
                        f"first at {where}: click Validate"
                    )
                return client
        keys = [c.key for c in self.book.clients]
        close = difflib.get_close_matches(wanted, keys, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UdfError(f"vaxl: unknown client '{str(client_id).strip()}'{hint}")


def month_of(value: Any, default: str | None = None) -> str:
    """`2026-11`, `2026-11-01`, `11/2026`, a date cell or a date serial -> `2026-11`."""
    from vaxl.core.months import month_text, parse_period

    if value is None or (isinstance(value, str) and not value.strip()):
        if default is not None:
            return default
        raise UdfError("vaxl: give a month, e.g. \"2026-11\"")
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 1:
        day = _EPOCH + timedelta(days=int(value))
        return f"{day.year:04d}-{day.month:02d}"
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%m/%Y", "%Y/%m"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return f"{parsed.year:04d}-{parsed.month:02d}"
    try:
        return month_text(parse_period(text))
    except ValueError:
        raise UdfError(f"vaxl: '{text}' is not a month; write it as \"2026-11\"") from None


def _yes(value: Any) -> bool:
    from vaxl.sheets.cells import read_yesno

    found = read_yesno(value, False)
    if isinstance(found, bool):
        return found
    raise UdfError(f"vaxl: rush must be TRUE or FALSE, not '{value}'")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _report_row(figures: Figures, client: Client, month: str, today: date) -> Any:
    result = figures.run(month, today)
    for row in result.report:
        if row.client_key == client.key:
            return row
    return None


# ----------------------------------------------------------------------- the functions (pure)


def rate(figures: Figures, client_id: Any, category: Any, rush: Any = False) -> float:
    """Hourly rate of `category` for the client (Rates tab, else its Rate), plus
    the client's Rush Surcharge when `rush`."""
    from vaxl.core.pricing import RateBook, client_surcharge, rush_rate

    client = figures.client(client_id)
    if client.billing == "commission":
        raise UdfError(f"vaxl: '{client.id}' is billed by commission, not by the hour")
    found = RateBook(figures.book.rates).resolve(client, str(category or "").strip())
    value = found.rate
    if _yes(rush):
        value = rush_rate(value, client_surcharge(client, figures.book.settings))
    return float(value)


def hours(figures: Figures, client_id: Any, month: Any, today: date) -> float:
    """Hours worked for the client in the month (every entry, as the report counts them)."""
    client = figures.client(client_id)
    row = _report_row(figures, client, month_of(month), today)
    return float(row.hours_worked) if row is not None else 0.0


def prepaid_left(figures: Figures, client_id: Any, month: Any, today: date) -> float:
    """Prepaid hours still unused in the month (default: this month): the month's
    retainer hours and those carried in, or the blocks' hours, less the hours
    used (and less block hours forfeited).  Retainer hours that lapse at the
    month's end still count: they can be worked until then.  This is the
    figure of the report's low-balance alert ("2.00 h left")."""
    client = figures.client(client_id)
    if client.billing not in ("retainer", "block"):
        raise UdfError(f"vaxl: '{client.id}' has no prepaid hours (billing: {client.billing})")
    this_month = f"{today.year:04d}-{today.month:02d}"
    wanted = month_of(month, this_month)
    result = figures.run(wanted, today)
    left = sum(
        (row.left_this_month for row in result.ledger
         if row.client_key == client.key and row.month == wanted),
        Decimal(0),
    )
    return float(left)


def to_bill(figures: Figures, client_id: Any, month: Any, today: date) -> float:
    """The client's invoice total for the month (0 when nothing is billed)."""
    client = figures.client(client_id)
    result = figures.run(month_of(month), today)
    for invoice in result.invoices:
        if invoice.client_key == client.key:
            return float(invoice.total)
    return 0.0


def invoice_total(figures: Figures, number: Any) -> float:
    """An invoice's total as the Invoices tab holds it."""
    wanted = str(number or "").strip()
    if not wanted:
        raise UdfError("vaxl: give an invoice number, e.g. \"INV-2026-0001\"")
    for row in figures.book.invoices:
        if row.number.strip().casefold() == wanted.casefold():
            return float(row.total)
    raise UdfError(f"vaxl: no invoice '{wanted}' in the Invoices tab (run Invoices first?)")


def summary(figures: Figures, month: Any, today: date) -> list[list[Any]]:
    """The month's per-client summary, header row first."""
    result = figures.run(month_of(month), today)
    out: list[list[Any]] = [list(SUMMARY_HEADER)]
    for row in result.report:
        out.append([
            row.client_key, row.client_name, row.billing, row.currency,
            float(row.hours_worked), float(row.billable_hours), float(row.amount_billed),
            _number(row.effective_rate), float(row.rush_share), _number(row.prepaid_balance),
            "; ".join(row.alerts),
        ])
    return out


def answer(compute: Callable[[], Any]) -> Any:
    """Run one function; any failure becomes the cell's message, never a crash."""
    from vaxl.errors import VaxlError

    try:
        return compute()
    except UdfError as err:
        return str(err)
    except VaxlError as err:
        return f"vaxl: {err.message} {err.fix}".strip()
    except Exception as err:  # a bug must not take Excel's recalculation down
        return f"vaxl: internal error ({type(err).__name__}: {err})"


# ----------------------------------------------------------------------- desktop UDFs

try:
    import xlwings as xw
except ImportError:  # pragma: no cover - the pure part above works without xlwings
    xw = None

if xw is not None:

    def _figures(caller: Any) -> Figures:
        from vaxl.io.excel import read_book

        return Figures.of(read_book(caller.sheet.book), date.today())

    @xw.func(volatile=True)
    def VAXL_RATE(client: Any, category: Any, rush: Any = False, caller: Any = None) -> Any:
        """Hourly rate of a category for a client (incl. rush surcharge when rush is TRUE)."""
        return answer(lambda: rate(_figures(caller), client, category, rush))

    @xw.func(volatile=True)
    def VAXL_HOURS(client: Any, month: Any, caller: Any = None) -> Any:
        """Hours worked for a client in a month ("2026-11")."""
        return answer(lambda: hours(_figures(caller), client, month, date.today()))

    @xw.func(volatile=True)
    def VAXL_PREPAID_LEFT(client: Any, month: Any = None, caller: Any = None) -> Any:
        """Prepaid hours still unused in a month (default: this month)."""
        return answer(lambda: prepaid_left(_figures(caller), client, month, date.today()))

    @xw.func(volatile=True)
    def VAXL_TO_BILL(client: Any, month: Any, caller: Any = None) -> Any:
        """A client's invoice total for a month."""
        return answer(lambda: to_bill(_figures(caller), client, month, date.today()))

    @xw.func(volatile=True)
    def VAXL_INVOICE_TOTAL(number: Any, caller: Any = None) -> Any:
        """An invoice's total from the Invoices tab."""
        return answer(lambda: invoice_total(_figures(caller), number))

    @xw.func(volatile=True)
    def VAXL_SUMMARY(month: Any, caller: Any = None) -> Any:
        """The month's per-client summary as an array (header row first)."""
        return answer(lambda: summary(_figures(caller), month, date.today()))
