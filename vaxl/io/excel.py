"""Live Excel through xlwings: the Validate, Invoices, Report and Run buttons.

    RunPython "import vaxl.io.excel as x; x.validate()"      (a button's macro)
    validate(book=None) / invoices(book=None) / report(book=None) / run(book=None)

Each entry point takes an xlwings Book (default: `xw.Book.caller()`, the
workbook whose button was clicked) and

1. reads every input tab with one range read (its used range), plus the number
   formats of the small tabs (Settings, Clients, Blocks) where the engine can
   give them synchronously (desktop Excel); xlwings Lite and Server send values
   only, so there the contract's unknown-format percent rule applies;
2. reads the billing month from the `vaxl` control tab (`Month` in A1, the
   month in B1; empty or missing: the last complete month);
3. calls `vaxl.service.run_action`, exactly as the CLI does;
4. plans every output tab (vaxl.io.excel_grid) and only then writes: a tab
   that does not exist is added, each tab gets one value write plus batched
   formatting, the `_vaxl` manifest is hidden.

A failure before step 4 leaves the workbook as it was and shows an alert with
the fix; no traceback reaches the user.  Only xlwings' public API is used, so
the same code serves desktop RunPython, xlwings Lite and xlwings Server.
"""

from __future__ import annotations

import sys
import traceback
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from vaxl.errors import MissingExtra, VaxlError
from vaxl.io.excel_grid import SheetPlan, plan_grid, write_plan
from vaxl.service import Outcome, last_complete_month, run_action
from vaxl.sheets.raw import RawBook, RawTab, tab_key

try:
    import xlwings as xw
except ImportError as _missing:  # pragma: no cover - exercised only without the extra
    raise MissingExtra("excel", "xlwings") from _missing

__all__ = [
    "CONTROL_TAB",
    "invoices",
    "parse_month",
    "read_book",
    "read_month",
    "report",
    "run",
    "run_in_excel",
    "validate",
]

CONTROL_TAB = "vaxl"
MONTH_LABEL = "Month"
# A live default: the month before today's, in a locale-independent formula.
MONTH_FORMULA = (
    '=YEAR(EOMONTH(TODAY(),-1))&"-"&TEXT(MONTH(EOMONTH(TODAY(),-1)),"00")'
)
_EPOCH = datetime(1899, 12, 30)
_FORMAT_TABS = ("Settings", "Clients", "Blocks")
_MAX_FORMAT_CELLS = 2000
_TITLE = "vaxl"


# ----------------------------------------------------------------------- entry points


def validate(book: Any = None, *, today: date | None = None) -> Outcome | None:
    """Check the input tabs and write the Validation tab."""
    return run_in_excel("validate", book, today=today)


def invoices(book: Any = None, *, today: date | None = None) -> Outcome | None:
    """Bill the month: invoice tabs, the Invoices register, Retainers."""
    return run_in_excel("invoice", book, today=today)


def report(book: Any = None, *, today: date | None = None) -> Outcome | None:
    """The month's report, Aging and Retainers."""
    return run_in_excel("report", book, today=today)


def run(book: Any = None, *, today: date | None = None) -> Outcome | None:
    """Everything: invoices, register, retainers, report and aging."""
    return run_in_excel("run", book, today=today)


def pdfs(book: Any = None, *, today: date | None = None) -> list[Path]:
    """Button: the month's invoices, then one PDF per invoice in a folder next to the
    workbook (`<workbook folder>/vaxl-invoices-YYYY-MM/`).  Desktop Excel only: xlwings
    Lite and Server have no folder to write to."""
    book = book if book is not None else xw.Book.caller()
    folder = _pdf_folder(book)
    if folder is None:
        _alert(book, "PDF invoices need the workbook saved on this computer (desktop Excel).\n\n"
               "Save the workbook, or run: vaxl invoice book.xlsx --pdf out/", "critical")
        return []
    outcome = run_in_excel("invoice", book, today=today)
    if outcome is None or outcome.period is None:
        return []
    from vaxl.delivery import deliver

    try:
        written = deliver(outcome, pdf_dir=folder / f"vaxl-invoices-{outcome.period}",
                          base=folder)
    except VaxlError as err:
        _alert(book, err.message + ("\n\n" + err.fix if err.fix else ""), "critical")
        return []
    if written:
        _alert(book, f"{len(written)} PDF invoice(s) written to {written[0].parent}.", "info")
    return written


def _pdf_folder(book: Any) -> Path | None:
    try:
        full = Path(str(book.fullname))
    except Exception:  # the JSON-book engine (Lite/Server) has no file behind the book
        return None
    return full.parent if full.is_absolute() and full.parent.is_dir() else None


def run_in_excel(action: str, book: Any = None, *, today: date | None = None) -> Outcome | None:
    """Run `action` on a live workbook; errors become an alert, never a traceback.

    Returns the Outcome (None when the action failed and nothing was written)."""
    book = book if book is not None else xw.Book.caller()
    today = today or date.today()
    try:
        outcome, plans, control = _prepare(action, book, today)
    except VaxlError as err:
        _alert(book, err.message + ("\n\n" + err.fix if err.fix else ""), "critical")
        return None
    except Exception as err:  # a bug or an Excel failure: say so without a traceback
        traceback.print_exc(file=sys.stderr)
        _alert(
            book,
            f"vaxl could not finish ({type(err).__name__}: {err}). Nothing was changed.",
            "critical",
        )
        return None
    try:
        _write(book, plans, control, outcome)
    except Exception as err:
        traceback.print_exc(file=sys.stderr)
        _alert(
            book,
            f"Excel refused a change while vaxl was writing ({type(err).__name__}: {err}).\n\n"
            "Close any cell you are editing, unprotect vaxl's tabs and click the button again.",
            "critical",
        )
        return None
    _alert(book, _summary(outcome), "info")
    return outcome


# ----------------------------------------------------------------------- reading


def _wanted(name: str) -> bool:
    from vaxl.io.xlsx_read import wanted_tab

    return wanted_tab(name)


def _cell(value: Any) -> Any:
    """Excel hands durations and times of day as datetimes on its day 0
    (30 Dec 1899); the parser wants a time or a timedelta for those."""
    if isinstance(value, datetime) and value < datetime(1900, 3, 1):
        span = value.replace(tzinfo=None) - _EPOCH
        if timedelta(0) <= span < timedelta(days=1):
            seconds = round(span.total_seconds())
            return time(seconds // 3600, seconds // 60 % 60, seconds % 60)
        return span
    return value


def _formats(rng: Any, rows: int, cols: int) -> list[list[str]] | None:
    """Number formats cell by cell where the engine gives them; None where it
    cannot (xlwings Lite and Server read formats only asynchronously)."""
    if rows * cols > _MAX_FORMAT_CELLS:
        return None
    grid: list[list[str]] = [[""] * cols for _ in range(rows)]
    try:
        for j in range(cols):
            column = rng[:, j] if rows > 1 else rng[0, j]
            code = column.number_format
            if code is not None:
                for i in range(rows):
                    grid[i][j] = code
                continue
            for i in range(rows):  # mixed formats in this column: cell by cell
                grid[i][j] = rng[i, j].number_format or ""
    except Exception:  # formats are a refinement: without them percents read by value
        return None
    return grid


def read_book(book: Any) -> RawBook:
    """Every tab vaxl reads, with one range read each (plus formats of the small tabs)."""
    from vaxl.sheets.headers import tab_matches
    from vaxl.sheets.spec import TABS

    sheets = list(book.sheets)
    raw = RawBook(tab_names=[s.name for s in sheets], source=book.name)
    for sheet in sheets:
        if not _wanted(sheet.name):
            continue
        rng = sheet.used_range
        values = rng.options(ndim=2).value or [[None]]
        rows = [[_cell(v) for v in row] for row in values]
        tab = RawTab(sheet.name, rows, rng.row, rng.column)
        if any(tab_matches(sheet.name, TABS[n]) for n in _FORMAT_TABS):
            tab.number_formats = _formats(rng, len(rows), max(map(len, rows), default=0))
        raw.tabs[sheet.name] = tab
    return raw


def parse_month(value: Any) -> str | None:
    """The control cell's month as `YYYY-MM`; None when empty.

    Accepts `2026-11`, `2026-11-01`, `11/2026`, a date cell, or an Excel date serial.
    Raises VaxlError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (datetime, date)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        day = _EPOCH + timedelta(days=int(value))
        return f"{day.year:04d}-{day.month:02d}"
    text = str(value).strip().lstrip("'")
    for fmt in ("%Y-%m", "%Y-%m-%d", "%m/%Y", "%Y/%m"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return f"{parsed.year:04d}-{parsed.month:02d}"
    raise VaxlError(
        f"The billing month in {CONTROL_TAB}!B1 ('{text}') is not a month.",
        f"Type a month such as 2026-11 in {CONTROL_TAB}!B1, "
        "or clear the cell to bill the last complete month.",
    )


def _control_sheet(book: Any) -> Any | None:
    for sheet in book.sheets:
        if tab_key(sheet.name) == CONTROL_TAB:
            return sheet
    return None


def read_month(book: Any, today: date) -> tuple[str, bool]:
    """(billing month, whether the control tab still has to be created)."""
    sheet = _control_sheet(book)
    if sheet is None:
        return last_complete_month(today), True
    value = sheet["B1"].value
    return parse_month(value) or last_complete_month(today), False


# ----------------------------------------------------------------------- run and write


def _prepare(action: str, book: Any, today: date) -> tuple[Outcome, list[SheetPlan], bool]:
    """Everything computed, nothing written."""
    raw = read_book(book)
    period, create_control = (None, False)
    if action != "validate":
        period, create_control = read_month(book, today)
    outcome = run_action(action, raw, today=today, period=period, issue_date=today)
    plans = [plan_grid(grid) for grid in outcome.grids]
    return outcome, plans, create_control


def _sheet(book: Any, name: str) -> Any:
    wanted = tab_key(name)
    for sheet in book.sheets:
        if tab_key(sheet.name) == wanted:
            sheet.clear()
            return sheet
    return book.sheets.add(name, after=book.sheets[-1])


def _write(book: Any, plans: list[SheetPlan], create_control: bool, outcome: Outcome) -> None:
    if create_control:
        control = book.sheets.add(CONTROL_TAB, after=book.sheets[-1])
        control["A1"].value = [
            [MONTH_LABEL, MONTH_FORMULA],
            ["Invoices and Report bill the month in B1. Type a month such as 2026-11 "
             "to bill another one; the formula gives last month.", None],
        ]
        control["A1"].font.bold = True
        control["A:A"].column_width = 14
        control["B:B"].column_width = 12
    for plan in plans:
        write_plan(_sheet(book, plan.name), plan)
    focus = _focus(outcome, plans)
    if focus:
        book.sheets[focus].activate()


def _focus(outcome: Outcome, plans: list[SheetPlan]) -> str | None:
    """The tab to show after the run."""
    names = [p.name for p in plans if not p.hidden]
    if outcome.has_errors or outcome.action == "validate":
        return names[0] if names else None
    wanted = {"invoice": "Invoices", "run": "Invoices"}.get(outcome.action)
    if outcome.action == "report":
        wanted = next((n for n in names if n.startswith("Report ")), None)
    return wanted if wanted in names else (names[0] if names else None)


def _summary(outcome: Outcome) -> str:
    errors = sum(p.severity == "error" for p in outcome.problems)
    warnings = len(outcome.problems) - errors
    found = (
        "No problems found."
        if not outcome.problems
        else f"{errors} error(s), {warnings} warning(s): see the Validation tab."
    )
    if outcome.action == "validate":
        return found
    result = outcome.result
    count = len(result.invoices) if result is not None else 0
    head = {
        "invoice": f"{count} invoice(s) for {outcome.period} written.",
        "report": f"Report {outcome.period} written.",
        "run": f"{count} invoice(s) and the report for {outcome.period} written.",
    }.get(outcome.action, "Done.")
    return f"{head}\n{found}"


def _alert(book: Any, message: str, mode: str) -> None:
    try:
        book.app.alert(message, title=_TITLE, mode=mode)
    except Exception:  # no UI to show it (e.g. a headless run): the message still goes out
        print(f"vaxl: {message}", file=sys.stderr)
