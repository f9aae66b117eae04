"""An Excel Table (ListObject) with a Totals Row reads as the plain range would:
the totals row is not data, and every other row keeps its sheet number."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from openpyxl.worksheet.table import Table, TableColumn
from parse_kit import parsed_both

from vaxl.io.xlsx_read import read_workbook

TS = ["Date", "Client ID", "Task", "Hours"]
ROWS: list[list[Any]] = [
    [date(2026, 11, 3), "ACME", "Inbox", 1.5],
    [date(2026, 11, 4), "ACME", "Calls", 2.0],
]
CLIENTS = ["Client ID", "Client Name", "Billing", "Rate"]


def _xlsxwriter_book(path: Path, *, at: tuple[int, int] = (0, 0), total_row: bool = True,
                     below: list[Any] | None = None, clients_table: bool = False) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    dates = wb.add_format({"num_format": "yyyy-mm-dd"})
    sheet = wb.add_worksheet("Timesheet")
    top, left = at
    columns = [{"header": "Date", "total_string": "Total", "format": dates},
               {"header": "Client ID"}, {"header": "Task"},
               {"header": "Hours", "total_function": "sum"}]
    sheet.add_table(top, left, top + len(ROWS) + (1 if total_row else 0), left + 3,
                    {"total_row": total_row, "columns": columns, "data": ROWS})
    if below is not None:  # a row under the table, after a gap
        sheet.write_row(top + len(ROWS) + 3, left, below)
    clients = wb.add_worksheet("Clients")
    data = [["ACME", "Acme", "hourly", 40]]
    if clients_table:
        clients.add_table(0, 0, 2, 3, {"total_row": True, "data": data, "columns": [
            {"header": "Client ID", "total_string": "Total"}, {"header": "Client Name"},
            {"header": "Billing"}, {"header": "Rate", "total_function": "average"}]})
    else:
        clients.write_row(0, 0, CLIENTS)
        clients.write_row(1, 0, data[0])
    wb.close()
    return path


def _openpyxl_book(path: Path, *, totals: int = 1) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Timesheet"
    ws.append(TS)
    for row in ROWS:
        ws.append(row)
    last = len(ROWS) + 1
    if totals:
        ws.append(["Total", None, None, f"=SUBTOTAL(109,D2:D{last})"])  # no cached value
    table = Table(displayName="TimeLog", ref=f"A1:D{last + totals}", totalsRowCount=totals)
    table.tableColumns = [TableColumn(id=i + 1, name=h) for i, h in enumerate(TS)]
    if totals:
        table.tableColumns[0].totalsRowLabel = "Total"
        table.tableColumns[3].totalsRowFunction = "sum"
    ws.add_table(table)
    clients = wb.create_sheet("Clients")
    clients.append(CLIENTS)
    clients.append(["ACME", "Acme", "hourly", 40])
    wb.save(path)
    return path


def _parse(path: Path) -> Any:
    raw = read_workbook(path)
    return raw, parsed_both(raw)


@pytest.mark.parametrize("maker", [_xlsxwriter_book, _openpyxl_book], ids=["xlsxwriter",
                                                                          "openpyxl"])
def test_totals_row_is_not_a_timesheet_row(tmp_path: Path, maker: Any) -> None:
    raw, parsed = _parse(maker(tmp_path / "t.xlsx"))
    assert parsed.problems == []
    assert [(e.day, e.client_key, e.seconds, e.ref.row) for e in parsed.book.entries] == [
        (date(2026, 11, 3), "ACME", 5400, 2), (date(2026, 11, 4), "ACME", 7200, 3)]
    tab = raw.tabs["Timesheet"]
    assert len(tab.rows) == 3  # header and two rows: the totals row at the end is dropped
    assert tab.uncalculated == {}  # the totals row's SUBTOTAL is not reported either


def test_without_totals_row_every_table_row_is_data(tmp_path: Path) -> None:
    for maker in (lambda p: _xlsxwriter_book(p, total_row=False),
                  lambda p: _openpyxl_book(p, totals=0)):
        _, parsed = _parse(maker(tmp_path / "plain.xlsx"))
        assert parsed.problems == []
        assert [e.ref.row for e in parsed.book.entries] == [2, 3]


def test_rows_below_the_table_keep_their_numbers(tmp_path: Path) -> None:
    # The table is A1:D4 (totals row 4); a row typed under it, at row 6, is still read.
    raw, parsed = _parse(_xlsxwriter_book(tmp_path / "below.xlsx",
                                          below=["soon", "ACME", "Late entry", 1]))
    assert raw.tabs["Timesheet"].rows[3] == ["", "", "", ""]  # the totals row, emptied
    assert [(p.code, p.cell) for p in parsed.problems] == [("bad_date", "A6")]
    assert [e.ref.row for e in parsed.book.entries] == [2, 3]


def test_table_away_from_a1(tmp_path: Path) -> None:
    # Header at C3: data rows 4-5, totals row 6; a bad cell names its real position.
    path = tmp_path / "offset.xlsx"
    _xlsxwriter_book(path, at=(2, 2), below=[date(2026, 11, 5), "ACME", "x", "lots"])
    raw, parsed = _parse(path)
    tab = raw.tabs["Timesheet"]
    assert (tab.first_row, tab.first_col) == (3, 3)
    assert [e.ref.row for e in parsed.book.entries] == [4, 5]
    assert [(p.code, p.cell) for p in parsed.problems] == [("bad_hours", "F8")]


def test_clients_table_totals_row_is_not_a_client(tmp_path: Path) -> None:
    raw, parsed = _parse(_xlsxwriter_book(tmp_path / "c.xlsx", clients_table=True))
    assert [c.key for c in parsed.book.clients] == ["ACME"]
    assert parsed.problems == []
    assert len(raw.tabs["Clients"].rows) == 2


def test_totals_rows_as_the_table_part_says(tmp_path: Path) -> None:
    """totalsRowCount is read from the part itself: two totals rows drop two rows."""
    import zipfile

    path = _openpyxl_book(tmp_path / "two.xlsx")
    edited = tmp_path / "two-edited.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(edited, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/tables/"):
                assert b'totalsRowCount="1"' in data
                data = data.replace(b'totalsRowCount="1"', b'totalsRowCount="2"')
            out.writestr(info, data)
    raw, parsed = _parse(edited)
    # A1:D4 with two totals rows: rows 3 and 4 are not data.
    assert [e.ref.row for e in parsed.book.entries] == [2]
    assert len(raw.tabs["Timesheet"].rows) == 2
