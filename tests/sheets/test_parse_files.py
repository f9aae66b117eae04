"""parse_book on real .xlsx files written by openpyxl and xlsxwriter, read by vaxl's reader."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.table import Table

from vaxl.io.xlsx_read import read_workbook
from vaxl.sheets.parse import parse_book

TS = ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable", "Notes"]


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def test_workbook_with_every_input_tab(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    settings = wb.active
    settings.title = "Settings"
    settings.append(["Setting", "Value"])
    settings.append(["Rush Surcharge", 1.5])
    settings["B2"].number_format = "0%"  # 150%
    settings.append(["Low Balance Alert", 0.75])
    settings["B3"].number_format = "0.00%"
    settings.append(["Date Order", "DMY"])
    clients = wb.create_sheet("Clients")
    clients.append(["Client ID", "Client Name", "Billing", "Rate", "Retainer Hours",
                    "Rush Surcharge", "Tax Rate", "Commission Rate"])
    clients.append(["ACME", "Acme", "retainer", 45.5, timedelta(hours=20), 1, 0.1, None])
    clients["F2"].number_format = "0%"  # 100%, not 1%
    clients["E2"].number_format = "[h]:mm"
    clients.append(["BETA", "Beta", "commission", None, None, 1, None, 3])
    sheet = wb.create_sheet("Timesheet")
    sheet.append(TS)
    sheet.append([date(2026, 11, 3), "acme", "Inbox", "Admin", 1.25, None, None, None])
    sheet.append([datetime(2026, 11, 4, 0, 0), "acme", "Call", "Admin", time(0, 20)])
    sheet["E3"].number_format = "h:mm"
    sheet.append(["05/11/2026", "beta", "Viewing", "", timedelta(hours=26, minutes=30), "Y"])
    sheet["E4"].number_format = "[h]:mm"
    sheet.append([46330, "acme", "", "", "1h30m", "x", "no"])  # a serial in a General cell
    blocks = wb.create_sheet("Blocks")
    blocks.append(["Date", "Client ID", "Hours", "Amount", "Expires"])
    blocks.append([date(2026, 10, 1), "acme", time(10, 0), 450, date(2027, 9, 30)])
    blocks["C2"].number_format = "h:mm"
    parsed, problems = parse_book(read_workbook(save(wb, tmp_path / "book.xlsx")))

    assert parsed.settings.rush_surcharge == Decimal("1.5")
    assert parsed.settings.low_balance_alert == Decimal("0.75")
    acme, beta = parsed.clients
    assert acme.rate == Decimal("45.5") and acme.retainer_hours == Decimal(20)
    assert acme.rush_surcharge == Decimal(1) and acme.tax_rate == Decimal("0.1")
    assert beta.rush_surcharge == Decimal("0.01") and beta.commission_rate == Decimal("0.03")
    assert [(p.code, p.tab, p.cell) for p in problems] == [
        ("ambiguous_percent", "Clients", "F3")]
    assert [(e.day, e.client_key, e.seconds, e.rush, e.billable) for e in parsed.entries] == [
        (date(2026, 11, 3), "ACME", 4500, False, True),
        (date(2026, 11, 4), "ACME", 1200, False, True),
        (date(2026, 11, 5), "BETA", 95400, True, True),
        (date(2026, 11, 4), "ACME", 5400, True, False),
    ]
    assert [e.ref.row for e in parsed.entries] == [2, 3, 4, 5]
    assert parsed.blocks[0].seconds == 36000 and parsed.blocks[0].amount == Decimal(450)
    assert parsed.tab_names == ("Settings", "Clients", "Timesheet", "Blocks")


def test_1904_date_system(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    sheet = wb.active
    sheet.title = "Timesheet"
    sheet.append(TS)
    sheet.append([date(2026, 11, 3), "A", "", "", 26.5 / 24])
    sheet["E2"].number_format = "h:mm"  # shown as 2:30, a 1904 "date" under the hood
    sheet.append([date(2026, 11, 4), "A", "", "", 1.5 / 24])
    sheet["E3"].number_format = "[h]:mm"
    parsed, problems = parse_book(read_workbook(save(wb, tmp_path / "mac.xlsx")))
    assert problems == []
    assert [(e.day, e.seconds) for e in parsed.entries] == [
        (date(2026, 11, 3), 95400), (date(2026, 11, 4), 5400)]


def test_excel_table_and_header_below_a_title(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Timesheet"
    sheet["B1"] = "Timesheet for November"
    for col, text in enumerate(TS, start=2):
        sheet.cell(row=3, column=col, value=text)
    sheet.append([None, date(2026, 11, 3), "A", "Inbox", "Admin", 2])
    sheet.append([None, date(2026, 11, 4), "A", "Filing", "Admin", "oops"])
    sheet.add_table(Table(displayName="Log", ref="B3:I5"))
    parsed, problems = parse_book(read_workbook(save(wb, tmp_path / "table.xlsx")))
    assert [(e.seconds, e.ref.row) for e in parsed.entries] == [(7200, 4)]
    assert [(p.code, p.cell) for p in problems] == [("bad_hours", "F5")]


def test_vietnamese_workbook(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    clients = wb.active
    clients.title = "Khách hàng"
    clients.append(["Mã khách hàng", "Tên khách hàng", "Hình thức", "Đơn giá", "Tiền tệ"])
    clients.append(["lan", "Công ty Lan", "hourly", 250000, "vnd"])
    sheet = wb.create_sheet("Bảng chấm công")
    sheet.append(["Ngày", "Mã khách hàng", "Công việc", "Loại công việc", "Số giờ", "Gấp",
                  "Tính phí", "Ghi chú"])
    sheet.append([date(2026, 11, 3), "LAN", "Dịch", "Translation", "1,5", "có", "không", ""])
    parsed, problems = parse_book(read_workbook(save(wb, tmp_path / "vi.xlsx")))
    assert problems == []
    assert parsed.clients[0].currency == "VND" and parsed.clients[0].rate == Decimal(250000)
    entry = parsed.entries[0]
    assert (entry.seconds, entry.rush, entry.billable, entry.ref.tab) == (
        5400, True, False, "Bảng chấm công")


def test_not_a_vaxl_workbook_file(tmp_path: Path) -> None:
    from vaxl.errors import UnusableWorkbook

    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    with pytest.raises(UnusableWorkbook, match="not a vaxl workbook"):
        parse_book(read_workbook(save(wb, tmp_path / "budget.xlsx")))
