"""vaxl for xlwings Lite (Excel on the web, Windows and Mac without a local Python).

Setup: open the xlwings Lite add-in, paste this file into the `main.py` tab and
macros/requirements.txt into the `requirements.txt` tab (see docs/excel.md).

Scripts (run from the Lite task pane, or from the sheet buttons named below):
    vaxl_validate, vaxl_invoices, vaxl_report, vaxl_run

Functions (type them in any cell):
    =VAXL_RATE("ACME", "Translation", TRUE)   =VAXL_HOURS("ACME", "2026-11")
    =VAXL_PREPAID_LEFT("ACME")                =VAXL_TO_BILL("ACME", "2026-11")
    =VAXL_INVOICE_TOTAL("INV-2026-0001")      =VAXL_SUMMARY("2026-11")

Excel does not let a Lite function read the workbook by itself, so the functions
use the tabs as the last vaxl script read them: after editing the Timesheet,
run any vaxl script (e.g. vaxl_validate) and the functions recalculate.  The
same core computes everything: nothing here is billing logic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import xlwings as xw
from xlwings import func, script

from vaxl import udfs
from vaxl.io import excel
from vaxl.sheets.raw import RawBook

_last: dict[str, RawBook] = {}


def _remember(book: xw.Book) -> None:
    _last["raw"] = excel.read_book(book)


def _figures() -> udfs.Figures:
    raw = _last.get("raw")
    if raw is None:
        raise udfs.UdfError("vaxl: run a vaxl script (e.g. vaxl_validate) once to load the tabs")
    return udfs.Figures.of(raw, date.today())


# ----------------------------------------------------------------------- scripts


@script(button="[vaxlValidate]vaxl!D2", show_taskpane=False)
def vaxl_validate(book: xw.Book) -> None:
    """Check the input tabs; problems go to the Validation tab."""
    _remember(book)
    excel.validate(book)


@script(button="[vaxlInvoices]vaxl!D4", show_taskpane=False)
def vaxl_invoices(book: xw.Book) -> None:
    """Invoice tabs, the Invoices register and Retainers for the month in vaxl!B1."""
    _remember(book)
    excel.invoices(book)


@script(button="[vaxlReport]vaxl!D6", show_taskpane=False)
def vaxl_report(book: xw.Book) -> None:
    """The month's report, Aging and Retainers."""
    _remember(book)
    excel.report(book)


@script
def vaxl_run(book: xw.Book) -> None:
    """Everything at once: invoices, register, retainers, report and aging."""
    _remember(book)
    excel.run(book)


# ----------------------------------------------------------------------- functions


@func
def VAXL_RATE(client: Any, category: Any, rush: Any = False) -> Any:
    """Hourly rate of a category for a client (incl. rush surcharge when rush is TRUE)."""
    return udfs.answer(lambda: udfs.rate(_figures(), client, category, rush))


@func
def VAXL_HOURS(client: Any, month: Any) -> Any:
    """Hours worked for a client in a month ("2026-11")."""
    return udfs.answer(lambda: udfs.hours(_figures(), client, month, date.today()))


@func
def VAXL_PREPAID_LEFT(client: Any, month: Any = None) -> Any:
    """Prepaid hours still unused in a month (default: this month)."""
    return udfs.answer(lambda: udfs.prepaid_left(_figures(), client, month, date.today()))


@func
def VAXL_TO_BILL(client: Any, month: Any) -> Any:
    """A client's invoice total for a month."""
    return udfs.answer(lambda: udfs.to_bill(_figures(), client, month, date.today()))


@func
def VAXL_INVOICE_TOTAL(number: Any) -> Any:
    """An invoice's total from the Invoices tab."""
    return udfs.answer(lambda: udfs.invoice_total(_figures(), number))


@func
def VAXL_SUMMARY(month: Any) -> Any:
    """The month's per-client summary as an array (header row first)."""
    return udfs.answer(lambda: udfs.summary(_figures(), month, date.today()))
