"""vaxl.io.xlsx_read: which tabs are read, where they start, number formats, CSV, other formats."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from vaxl.io.xlsx_read import read_file, read_workbook
from vaxl.sheets.parse import parse_book

TS = ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable", "Notes"]


def test_only_contract_tabs_are_read_and_all_names_listed(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "private"
    names = ("Clients", "timesheet ", "Invoices", "_vaxl", "Report 2026-10", "Kh\u00e1ch h\u00e0ng")
    for name in names:
        wb.create_sheet(name)["A1"] = "x"
    wb["_vaxl"].sheet_state = "hidden"
    wb.save(tmp_path / "b.xlsx")
    raw = read_workbook(tmp_path / "b.xlsx")
    assert raw.tab_names == ["Notes", "Clients", "timesheet ", "Invoices", "_vaxl",
                             "Report 2026-10", "Kh\u00e1ch h\u00e0ng"]
    assert sorted(raw.tabs) == sorted(["Clients", "timesheet ", "Invoices", "_vaxl",
                                       "Kh\u00e1ch h\u00e0ng"])
    assert raw.source == "b.xlsx"


def test_tab_position_and_huge_declared_dimension_are_handled(tmp_path: Path) -> None:
    path = tmp_path / "off.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Timesheet")
    sheet.write_row(3, 2, ["Date", "Client ID", "Hours"])
    sheet.write_row(4, 2, ["2026-11-03", "A", 1.5])
    fmt = book.add_format({"bg_color": "yellow"})
    sheet.write_blank(1048575, 16383, None, fmt)  # a formatted empty cell at XFD1048576
    book.close()
    raw = read_workbook(path)
    tab = raw.tabs["Timesheet"]
    assert (tab.first_row, tab.first_col) == (4, 3)
    assert tab.rows[0] == ["Date", "Client ID", "Hours"]
    parsed, problems = parse_book(raw)
    assert problems == [] and parsed.entries[0].ref.row == 5


def test_number_formats_of_small_tabs(tmp_path: Path) -> None:
    path = tmp_path / "fmt.xlsx"
    book = xlsxwriter.Workbook(str(path))
    pct = book.add_format({"num_format": "0%"})
    pct2 = book.add_format({"num_format": "0.0%"})
    custom = book.add_format({"num_format": "#,##0.00 [$USD]"})
    sheet = book.add_worksheet("Clients")
    sheet.write_row(1, 1, ["Client ID", "Client Name", "Billing", "Rush Surcharge", "Rate"])
    sheet.write_row(2, 1, ["A", "A", "hourly"])
    sheet.write_number(2, 4, 1.0, pct)
    sheet.write_number(2, 5, 45, custom)
    sheet.write_row(3, 1, ["B", "B", "hourly"])
    sheet.write_number(3, 4, 0.125, pct2)
    ts = book.add_worksheet("Timesheet")
    ts.write_row(0, 0, TS)
    book.close()
    raw = read_file(path, "xlsx")
    clients = raw.tabs["Clients"]
    assert clients.format_at(1, 3) == "0%"
    assert clients.format_at(1, 4) == "#,##0.00 [$USD]"
    assert clients.format_at(2, 3) == "0.0%"
    assert clients.format_at(0, 0) == ""
    assert raw.tabs["Timesheet"].number_formats is None  # the big tab is never scanned
    parsed, problems = parse_book(raw)
    assert problems == []
    assert [c.rush_surcharge for c in parsed.clients] == [Decimal(1), Decimal("0.125")]


def test_builtin_percent_format_ids(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Settings"
    sheet.append(["Rush Surcharge", 2])
    sheet["B1"].number_format = "0%"  # openpyxl stores builtin id 9
    wb.create_sheet("Clients")
    wb.save(tmp_path / "s.xlsx")
    raw = read_workbook(tmp_path / "s.xlsx")
    assert raw.tabs["Settings"].format_at(0, 1) == "0%"
    assert parse_book(raw)[0].settings.rush_surcharge == Decimal(2)


def test_durations_come_back_typed(tmp_path: Path) -> None:
    """What calamine gives for [h]:mm and h:mm cells, and that both read as hours."""
    path = tmp_path / "dur.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Timesheet")
    sheet.write_row(0, 0, ["Date", "Client ID", "Hours"])
    elapsed = book.add_format({"num_format": "[h]:mm"})
    clock = book.add_format({"num_format": "h:mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for row, (hours, fmt) in enumerate([(1.5, elapsed), (26.5, elapsed), (1.5, clock),
                                        (26.5, clock)], start=1):
        sheet.write_datetime(row, 0, __import__("datetime").datetime(2026, 11, 3), day)
        sheet.write_string(row, 1, "A")
        sheet.write_number(row, 2, hours / 24, fmt)
    book.close()
    raw = read_workbook(path)
    kinds = [type(r[2]).__name__ for r in raw.tabs["Timesheet"].rows[1:]]
    assert kinds == ["timedelta", "timedelta", "time", "datetime"]
    assert raw.tabs["Timesheet"].rows[1][2] == timedelta(hours=1, minutes=30)
    parsed, problems = parse_book(raw)
    assert problems == []
    assert [e.seconds for e in parsed.entries] == [5400, 95400, 5400, 95400]


@pytest.mark.parametrize(
    ("name", "content", "tab"),
    [
        ("Timesheet.csv", "Date,Client ID,Hours\n2026-11-03,A,1.5\n", "Timesheet"),
        ("export.csv", "Date;Client ID;Task;Hours\n2026-11-03;A;x;1,5\n", "Timesheet"),
        ("clients.csv", "Client ID,Client Name,Billing\nA,A,hourly\n", "Clients"),
        ("people.csv", "Client ID\tClient Name\tBilling\tRate\nA\tA\thourly\t45\n", "Clients"),
    ],
)
def test_csv_maps_to_a_tab(tmp_path: Path, name: str, content: str, tab: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    raw = read_workbook(path)
    assert raw.tab_names == [tab]
    parsed, problems = parse_book(raw)
    assert problems == []
    if tab == "Timesheet":
        assert parsed.entries[0].seconds == 5400 and parsed.entries[0].day == date(2026, 11, 3)
    else:
        assert parsed.clients[0].key == "A"


def test_csv_encodings(tmp_path: Path) -> None:
    text = "Client ID,Client Name,Billing\nNGA,Nguy\u1ec5n Nga,hourly\n"
    for encoding in ("utf-8-sig", "utf-16"):
        path = tmp_path / f"Clients-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        raw = read_workbook(path)
        assert parse_book(raw)[0].clients[0].name == "Nguy\u1ec5n Nga"
    path = tmp_path / "Clients.csv"
    path.write_bytes("Client ID,Client Name,Billing\nJOS,Jos\u00e9,hourly\n".encode("cp1252"))
    assert parse_book(read_workbook(path))[0].clients[0].name == "Jos\u00e9"


def test_csv_that_is_no_tab_is_not_a_vaxl_workbook(tmp_path: Path) -> None:
    from vaxl.errors import UnusableWorkbook

    path = tmp_path / "shopping.csv"
    path.write_text("item,price\nmilk,2\n")
    raw = read_workbook(path)
    with pytest.raises(UnusableWorkbook, match="not a vaxl workbook"):
        parse_book(raw)


@pytest.mark.libreoffice
def test_xls_and_ods_read_through_the_guard(tmp_path: Path, soffice: str) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Timesheet"
    sheet.append(TS)
    sheet.append([date(2026, 11, 3), "A", "Inbox", "Admin", 1.25, "Y"])
    sheet.append([date(2026, 11, 4), "A", "Inbox", "Admin", 0.5 / 24, None])
    sheet["E3"].number_format = "h:mm"
    source = tmp_path / "book.xlsx"
    wb.save(source)
    out = tmp_path / "out"
    for fmt in ("xls", "ods"):
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
             "--convert-to", fmt, "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )
        converted = out / f"book.{fmt}"
        before = converted.read_bytes()
        parsed, problems = parse_book(read_workbook(converted))
        assert problems == []
        assert [(e.day, e.seconds, e.rush) for e in parsed.entries] == [
            (date(2026, 11, 3), 4500, True), (date(2026, 11, 4), 1800, False)]
        assert converted.read_bytes() == before
    shutil.rmtree(out)
