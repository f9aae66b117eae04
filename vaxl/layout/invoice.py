"""One invoice as a tab a client would accept: printed portrait, one page wide.

    invoice_grid(doc: InvoiceDoc, invoice: Invoice) -> Grid    (named invoice.tab)

Columns: A Date | B Task | C Category | D Worked | E Billed | F Rush | G Billable
for the time detail; the line table spans them as Description (A:C) | Quantity
(D) | Unit Price (E) | Amount (F:G).  Totals are live formulas, each carrying the
Invoice's own figure as its value:
    Subtotal = SUM(amounts), Tax = ROUND(Subtotal * rate, minor units),
    Total = Subtotal + Tax, Paid (a value), Balance Due = Total - Paid.
Hours lines show their unit (`10.25 h` at `$45.00 / h`) through number formats,
so quantities and prices stay numbers; counts show `1`.  In the time detail a
non-billable entry's Billed reads `—`, so the Billed total is the billed time.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from vaxl.core.models import col_letter
from vaxl.core.results import Invoice, detail_columns
from vaxl.layout import styles as S
from vaxl.layout.fit import fit_columns, width_for
from vaxl.layout.formats import (
    DATE_FORMATS,
    DURATION_FORMAT,
    HOURS_FORMAT,
    hours_qty_format,
    money_format,
    per_hour_format,
    seconds_to_days,
    sheet_link,
    tab_name,
)
from vaxl.layout.grid import Block, Cell, Grid, Style, Value, a1
from vaxl.layout.invoice_doc import InvoiceDoc, is_hours_line
from vaxl.layout.labels import text

__all__ = ["AMOUNT_COL", "LAST_COL", "EntryCells", "invoice_grid", "invoice_tab_name"]

WIDTHS: dict[int, float] = {1: 13, 2: 32, 3: 17, 4: 13, 5: 16, 6: 9, 7: 13}
CATEGORY_MOST = 26  # the widest the Category column grows for long category names
AMOUNT_COL = 6  # F (merged F:G)
LAST_COL = 7


def invoice_tab_name(invoice: Invoice) -> str:
    return tab_name(invoice.tab or invoice.number)


def invoice_grid(doc: InvoiceDoc, invoice: Invoice, shared: EntryCells | None = None) -> Grid:
    """The invoice tab: header blocks, lines, live totals, statement, time detail.
    `shared`: the time detail's cells, shared by the invoices of one run."""
    grid = Grid(name=invoice_tab_name(invoice), kind="invoice", landscape=False, fit_width=True)
    grid.col_widths.update(WIDTHS)
    money = S.with_format(S.CELL, money_format(doc.currency, doc.language), "right")

    row = _header(grid, doc, invoice)
    row = _bill_to(grid, doc, row + 1)
    lines_top = row + 2
    row = _lines(grid, doc, row + 1, money)
    fit_columns(grid, lines_top, last_row=row, grow=True)  # `1,500.000 ₫/giờ` fits
    row = _totals(grid, doc, row, money)
    row = _footer(grid, doc, row + 1)
    if doc.statement:
        row = _statement(grid, doc, row + 1)
    if doc.entries:
        _entries(grid, doc, row + 1, shared or EntryCells())
    return grid


@lru_cache(maxsize=64)
def _letter(col: int) -> str:
    return col_letter(col)


def _merge(grid: Grid, row: int, first: int, last: int) -> None:
    if last > first:
        grid.merges.append(f"{_letter(first)}{row}:{_letter(last)}{row}")


def _band(grid: Grid, row: int, style: Style, first: int = 1, last: int = LAST_COL) -> None:
    """Give empty cells of a row the style, so fills and borders run across."""
    for col in range(first, last + 1):
        if (row, col) not in grid.placed:
            grid.set(row, col, None, style)


def _header(grid: Grid, doc: InvoiceDoc, invoice: Invoice) -> int:
    business = list(doc.business)
    if business:
        grid.set(1, 1, business[0], S.SUBTITLE)
        for offset, line in enumerate(business[1:], start=2):
            grid.set(offset, 1, line, S.CELL)
    grid.set(1, 5, doc.title, S.aligned(S.TITLE, "right"))
    _merge(grid, 1, 5, LAST_COL)
    if invoice.status in ("paid", "void"):
        grid.set(2, 5, text(doc.language, f"status_{invoice.status}").upper(),
                 S.aligned(S.WARN, "right"))
        _merge(grid, 2, 5, LAST_COL)
    row = 3
    for pair in doc.meta:
        grid.set(row, 5, pair.label, S.LABEL_RIGHT)
        strong = pair.key in ("invoice_no", "due_date")
        grid.set(row, 6, pair.text, S.aligned(S.STRONG if strong else S.CELL, "right"))
        _merge(grid, row, 6, LAST_COL)
        row += 1
    return max(row - 1, len(business))


def _bill_to(grid: Grid, doc: InvoiceDoc, row: int) -> int:
    row += 1
    grid.set(row, 1, doc.bill_to_label.upper(), S.LABEL)
    for index, line in enumerate(doc.bill_to):
        row += 1
        grid.set(row, 1, line, S.STRONG if index == 0 else S.CELL)
    return row


_LINE_LEFT = S.aligned(S.ROW, "left")
_LINE_COUNT = S.with_format(S.ROW, "#,##0", "right")
_LINE_FRACTION = S.with_format(S.ROW, "#,##0.00", "right")


def _lines(grid: Grid, doc: InvoiceDoc, row: int, money: Style) -> int:
    """The line table; returns the last row written."""
    row += 1
    desc, qty, unit, amount = doc.line_headers
    grid.set(row, 1, desc, S.HEADER)
    _band(grid, row, S.HEADER, 2, 3)
    _merge(grid, row, 1, 3)
    grid.set(row, 4, qty, S.HEADER_RIGHT)
    grid.set(row, 5, unit, S.HEADER_RIGHT)
    grid.set(row, AMOUNT_COL, amount, S.HEADER_RIGHT)
    _band(grid, row, S.HEADER_RIGHT, 7, 7)
    _merge(grid, row, AMOUNT_COL, LAST_COL)
    row_money = S.with_format(S.ROW, money.num_format, "right")
    hours = S.with_format(S.ROW, hours_qty_format(doc.language), "right")
    per_hour = S.with_format(S.ROW, per_hour_format(doc.currency, doc.language), "right")
    for line in doc.lines:
        row += 1
        hours_like = is_hours_line(line)
        grid.set(row, 1, line.description, _LINE_LEFT)
        _band(grid, row, S.ROW, 2, 3)
        _merge(grid, row, 1, 3)
        count = _LINE_COUNT if line.quantity == line.quantity.to_integral() else _LINE_FRACTION
        grid.set(row, 4, line.quantity, hours if hours_like else count)
        grid.set(row, 5, line.unit_price, per_hour if hours_like else row_money)
        grid.set(row, AMOUNT_COL, line.amount, row_money)
        _band(grid, row, row_money, 7, 7)
        _merge(grid, row, AMOUNT_COL, LAST_COL)
    return row


def _totals(grid: Grid, doc: InvoiceDoc, last_line: int, money: Style) -> int:
    """Subtotal, tax, total, paid and balance due, as formulas with cached values."""
    col = AMOUNT_COL
    first_line = last_line - len(doc.lines) + 1
    sub, tax, total, paid, balance = (last_line + i for i in range(1, 6))
    rate = _decimal_literal(doc.tax_rate)
    formulas = {
        sub: f"SUM({a1(first_line, col)}:{a1(last_line, col)})" if doc.lines else None,
        tax: f"ROUND({a1(sub, col)}*{rate},{doc.minor_units})",
        total: f"{a1(sub, col)}+{a1(tax, col)}",
        paid: None,
        balance: f"{a1(total, col)}-{a1(paid, col)}",
    }
    looks = {
        sub: (S.TOTAL_LABEL, S.with_format(S.CELL, money.num_format, "right")),
        tax: (S.TOTAL_LABEL, S.with_format(S.CELL, money.num_format, "right")),
        total: (S.aligned(S.STRONG, "right"), S.with_format(S.TOTAL, money.num_format, "right")),
        paid: (S.TOTAL_LABEL, S.with_format(S.CELL, money.num_format, "right")),
        balance: (
            S.with_format(S.GRAND_TOTAL, None, "right"),
            S.with_format(S.GRAND_TOTAL, money.num_format, "right"),
        ),
    }
    for row, entry in zip((sub, tax, total, paid, balance), doc.totals, strict=True):
        label_style, value_style = looks[row]
        grid.set(row, 4, entry.label, label_style)
        _band(grid, row, label_style, 5, 5)
        _merge(grid, row, 4, 5)
        grid.set(row, col, entry.amount, value_style, formula=formulas[row])
        _band(grid, row, value_style, 7, 7)
        _merge(grid, row, col, LAST_COL)
    return balance


def _decimal_literal(value: Decimal) -> str:
    text_value = format(value.normalize(), "f")
    return text_value if text_value not in ("-0", "") else "0"


def _footer(grid: Grid, doc: InvoiceDoc, row: int) -> int:
    for line in doc.footer:
        row += 1
        grid.set(row, 1, line, S.NOTE)
    return row


def _section(grid: Grid, row: int, title: str) -> None:
    grid.set(row, 1, title, S.SECTION)
    _band(grid, row, S.SECTION)


def _statement(grid: Grid, doc: InvoiceDoc, row: int) -> int:
    row += 1
    _section(grid, row, doc.statement_title)
    row += 1
    grid.set(row, 4, doc.statement_headers[1], S.LABEL_RIGHT)
    hours = S.with_format(S.ROW, HOURS_FORMAT, "right")
    for item in doc.statement:
        row += 1
        grid.set(row, 1, item.label, S.ROW)
        _band(grid, row, S.ROW, 2, 3)
        _merge(grid, row, 1, 3)
        grid.set(row, 4, item.hours, hours)
    return row


# Looks of the time detail, built once (a big month writes tens of thousands of rows).
_ENTRY_LEFT = S.aligned(S.ROW, "left")
_ENTRY_DURATION = S.with_format(S.ROW, DURATION_FORMAT, "right")
_ENTRY_FLAG = S.aligned(S.ROW, "center")
_ENTRY_DASH = S.aligned(S.ROW, "right")
_ENTRY_DATE = {
    lang: S.with_format(S.ROW, code, "left") for lang, code in DATE_FORMATS.items()
}
_TOTAL_DURATION = S.with_format(S.TOTAL, DURATION_FORMAT, "right")


class _Shared(dict[Value, Cell]):
    """One Cell per distinct value, in one look, placed in every row that shows it."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style

    def __missing__(self, value: Value) -> Cell:
        cell = self[value] = Cell(value, None, self.style)
        return cell


class _Durations(dict[int, tuple[Decimal, Cell]]):
    """Seconds -> (days, the one Cell that shows them)."""

    def __missing__(self, seconds: int) -> tuple[Decimal, Cell]:
        days = seconds_to_days(seconds)
        shared = self[seconds] = (days, Cell(days, None, _ENTRY_DURATION))
        return shared


class EntryCells:
    """The time detail's cells, one per distinct value and look, shared by every
    invoice of a run: a big month shows the same days, tasks, categories and
    durations in thousands of rows (and the .xlsx writer makes each one's XML once)."""

    def __init__(self) -> None:
        self.days: dict[str, _Shared] = {lang: _Shared(look) for lang, look in _ENTRY_DATE.items()}
        self.tasks = _Shared(_ENTRY_LEFT)
        self.categories = _Shared(S.ROW)
        self.flags = _Shared(_ENTRY_FLAG)
        self.dashes = _Shared(_ENTRY_DASH)  # not invoiced: a dash, which SUM skips
        self.durations = _Durations()


def _entries(grid: Grid, doc: InvoiceDoc, row: int, shared: EntryCells) -> int:
    """Every entry of the month: worked and billed time side by side, linked to
    its Timesheet row; durations are day fractions shown as [h]:mm so they sum.
    Billed is `—` for a non-billable entry, so the Billed total is what was billed."""
    row += 1
    _section(grid, row, doc.entries_title)
    row += 1
    for col, header in enumerate(doc.entry_headers, start=1):
        look = S.HEADER_RIGHT if col in (4, 5) else S.HEADER
        grid.set(row, col, header, S.aligned(look, "center") if col > 5 else look)
    fit_columns(grid, row, last_row=row, grow=True)  # `Giờ thực làm` fits its column
    entries = doc.entries
    # Read as columns: from the Timesheet's own when billing made the details.
    details = detail_columns(entries.details)
    categories = width_for(set(details.category))
    grid.col_widths[3] = max(grid.col_widths.get(3, 0.0), min(categories, CATEGORY_MOST))
    worked_total = billed_total = Decimal(0)
    first = row + 1
    # Every column repeats a few hundred values in thousands of rows: each distinct
    # cell is built once and placed in every row that shows it (a Block, which the
    # .xlsx writer writes a row at a time).
    days = shared.days.get(doc.language, shared.days["en"])
    tasks, categories_, durations = shared.tasks, shared.categories, shared.durations
    flags = shared.flags
    yes, no, rush_no = flags[entries.yes], flags[entries.no], flags[""]
    dash_cell = shared.dashes[entries.dash]
    rows: list[tuple[Cell | None, ...]] = []
    if details.place is not None:  # `'Timesheet'!A`: the row's first cell
        tab, col = details.place
        prefix = sheet_link(tab, _letter(col or 1))
        targets = [f"{prefix}{number}" for number in details.row]
    else:
        assert details.refs is not None
        targets = [f"{sheet_link(ref.tab, _letter(ref.col or 1))}{ref.row}"
                   for ref in details.refs]
    for day, task, category, worked_seconds, billed_seconds, rush, billable in zip(
            details.day, details.task, details.category, details.worked, details.billed,
            details.rush, details.billable, strict=True):
        worked_days, worked = durations[worked_seconds]
        worked_total += worked_days
        if billable:
            billed_days, billed = durations[billed_seconds]
            billed_total += billed_days
        else:
            billed = dash_cell
        rows.append((days[day], tasks[task], categories_[category], worked, billed,
                     yes if rush else rush_no, yes if billable else no))
    # Last: reading grid.cells (fit_columns does) would turn the block back into cells.
    grid.add_block(Block(first, rows, links=targets))
    row = first + len(rows) - 1
    last = row
    row += 1
    grid.set(row, 1, text(doc.language, "total_time"), S.TOTAL)
    _band(grid, row, S.TOTAL, 2, 3)
    for col, cached in ((4, worked_total), (5, billed_total)):
        grid.set(row, col, cached, _TOTAL_DURATION,
                 formula=f"SUM({a1(first, col)}:{a1(last, col)})")
    _band(grid, row, S.TOTAL, 6, 7)
    return row
