"""Helpers for the Excel surface tests: xlwings' own engine for JSON books.

`xw.Book(json=...)` is the engine behind xlwings Lite and xlwings Server: it
takes the workbook as the JSON the Office.js client sends and records every
change as an action (`book.json()["actions"]`).  It is part of xlwings PRO,
used here in tests only under its noncommercial licence key.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from vaxl.bench.surfaces import book_json

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_workbooks" / "assistant-en.xlsx"
TODAY = date(2026, 12, 1)
PERIOD = "2026-11"


def json_book(path: Path, extra: dict[str, list[list[Any]]] | None = None) -> Any:
    import xlwings as xw

    return xw.Book(json=book_json(path, extra))


SMALL = {
    "Clients": [
        ["Client ID", "Client Name", "Billing", "Rate", "Currency", "Retainer Hours",
         "Retainer Fee", "Start Date"],
        ["ACME", "Acme Trading", "hourly", 40, "USD", None, None, None],
        ["RET", "Retainer & Co", "retainer", 50, "USD", 10, 500, datetime(2026, 11, 1)],
    ],
    "Rates": [
        ["Client ID", "Category", "Rate", "Prepaid"],
        ["ACME", "Translation", 60, None],
    ],
    "Timesheet": [
        ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable"],
        [datetime(2026, 11, 2), "ACME", "Inbox", "Admin", "0:20", None, None],
        [datetime(2026, 11, 3), "ACME", "Inbox", "Admin", "0:20", None, None],
        [datetime(2026, 11, 4), "ACME", "=cmd|' /C calc'!A0", "Admin", "0:20", None, None],
        [datetime(2026, 11, 5), "ACME", "Contract DE>EN", "Translation", 1.5, "yes", None],
        [datetime(2026, 11, 6), "RET", "Calls", "Admin", 4, None, None],
        [datetime(2026, 10, 30), "ACME", "October work", "Admin", 2, None, None],
    ],
}


def make_small_book(tmp_path: Path) -> Path:
    """A hand-checkable workbook: ACME hourly at 40 (Translation 60, rush +50%),
    RET on a 10 h / 500 retainer from 2026-11.

    November by hand: ACME 3 x 0:20 Admin = 1 h x 40 = 40; Translation 1.5 h x 60
    = 90 plus rush 50% = 45; total 175 over 2.5 h.  RET: fee 500, 4 h of 10 used,
    6 h left.  One task is formula-looking text that must stay text."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in SMALL.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # user text, not a formula
    path = tmp_path / "small.xlsx"
    book.save(path)
    return path
