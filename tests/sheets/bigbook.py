"""A generated vaxl workbook with a large Timesheet (for speed tests and measurements)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter


def make_big_book(path: Path, rows: int = 100_000, clients: int = 50, seed: int = 7) -> Path:
    """Clients + Timesheet with `rows` entries over five years (about 12 hours a day):
    date cells, float hours (every 10th an h:mm cell of 5, 10 or 15 minutes),
    Rush mostly empty with some Y, Billable mostly empty with some N."""
    rnd = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    time_fmt = book.add_format({"num_format": "h:mm"})
    sheet = book.add_worksheet("Clients")
    sheet.write_row(0, 0, ["Client ID", "Client Name", "Billing", "Rate", "Currency"])
    ids = [f"C{i:03d}" for i in range(clients)]
    for i, cid in enumerate(ids, start=1):
        sheet.write_row(i, 0, [cid, f"Client {i}", "hourly", 40 + i, "USD"])
    sheet = book.add_worksheet("Timesheet")
    sheet.write_row(0, 0, ["Date", "Client ID", "Task", "Category", "Hours", "Rush",
                           "Billable", "Notes"])
    start = date(2021, 11, 1)
    categories = ["Admin", "Scheduling", "Research", "Translation", "Bookkeeping"]
    for r in range(1, rows + 1):
        sheet.write_datetime(r, 0, start + timedelta(days=r % 1825), date_fmt)
        sheet.write_string(r, 1, rnd.choice(ids))
        sheet.write_string(r, 2, f"Task {r}")
        sheet.write_string(r, 3, rnd.choice(categories))
        if r % 10 == 0:
            sheet.write_number(r, 4, rnd.randint(1, 3) * 5 / 1440, time_fmt)
        else:
            sheet.write_number(r, 4, rnd.randint(1, 6) / 20)
        if r % 7 == 0:
            sheet.write_string(r, 5, "Y")
        if r % 13 == 0:
            sheet.write_string(r, 6, "N")
        if r % 5 == 0:
            sheet.write_string(r, 7, "note")
    book.close()
    return path
