"""An agency's workbook through the real `vaxl` command: the Assistant column.

Several assistants log time in one Timesheet, so a calendar day holds more than
24 hours in all; the 24-hours-a-day rule must count each assistant's own day.
Each case is one header spelling (English and Vietnamese books); the clean book
must invoice to hand-computed figures, the broken one must flag exactly the
rows of the assistant who logged 25 hours in a day.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

TODAY = "2026-11-27"
NOV5, NOV6 = dt.date(2026, 11, 5), dt.date(2026, 11, 6)


def vaxl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vaxl", *args],
                          capture_output=True, text=True, timeout=120)


@dataclass(frozen=True)
class Lang:
    name: str
    clients_tab: str
    clients_header: list[str]
    timesheet_tab: str
    timesheet_header: list[str]  # in the order of the row tuples below


EN = Lang("en", "Clients", ["Client ID", "Client Name", "Billing", "Rate"],
          "Timesheet", ["Date", "Client ID", "Task", "Hours", "Assistant"])
# A Vietnamese agency, its Assistant column (Trợ lý) before the hours.
VI = Lang("vi", "Khách hàng", ["Mã khách hàng", "Tên khách hàng", "Hình thức", "Đơn giá"],
          "Bảng chấm công", ["Ngày", "Mã khách hàng", "Công việc", "Số giờ", "Trợ lý"])
VI_ORDER = [0, 1, 2, 4, 3]  # Ngày, Mã KH, Công việc, Trợ lý, Số giờ: hours in column E

# (date, client, task, hours, assistant)
CLEAN = [
    (NOV5, "ACME", "Inbox", 13, "Ana Nguyen"),      # row 2
    (NOV5, "BOLT", "Bookkeeping", 12, "Ben Smith"),  # row 3
    (NOV5, "ACME", "Owner's own call", 3, None),     # row 4: the owner, no name
]  # Nov 5 holds 28 h in all, at most 13 h for anyone
LONG_DAY = [
    (NOV6, "ACME", "Research", 13, "Chi Tran"),      # row 5
    (NOV6, "BOLT", "Research", 12, " chi tran "),    # row 6: the same person, typed again
    (NOV6, "ACME", "Inbox", 1, "Ana Nguyen"),        # row 7
]


def _book(path: Path, lang: Lang, rows: list[tuple[object, ...]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    clients = wb.create_sheet(lang.clients_tab)
    clients.append(lang.clients_header)
    clients.append(["ACME", "Acme Corp", "hourly", 40])
    clients.append(["BOLT", "Bolt Ltd", "hourly", 30])
    ts = wb.create_sheet(lang.timesheet_tab)
    order = VI_ORDER if lang is VI else list(range(5))
    ts.append([lang.timesheet_header[i] for i in order])
    for row in rows:
        ts.append([row[i] for i in order])
    wb.save(path)
    return path


@pytest.mark.parametrize("lang", [EN, VI], ids=["Assistant", "Trợ lý"])
def test_an_agency_day_over_24h_in_all_is_billed(lang: Lang, tmp_path: Path) -> None:
    book = _book(tmp_path / "agency.xlsx", lang, CLEAN)
    result = vaxl("invoice", str(book), "--month", "2026-11", "--json", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert [i for i in payload["issues"] if i["severity"] == "error"] == []
    totals = {inv["client_id"]: (inv["subtotal"], inv["total"]) for inv in payload["invoices"]}
    # ACME: 13 h + 3 h = 16 h x $40 = $640.00; BOLT: 12 h x $30 = $360.00; no tax.
    assert totals == {"ACME": ("640.00", "640.00"), "BOLT": ("360.00", "360.00")}


@pytest.mark.parametrize("lang", [EN, VI], ids=["Assistant", "Trợ lý"])
def test_one_assistant_over_24h_is_flagged_on_their_rows_only(lang: Lang, tmp_path: Path) -> None:
    book = _book(tmp_path / "agency.xlsx", lang, CLEAN + LONG_DAY)
    result = vaxl("validate", str(book), "--json", "--today", TODAY)
    assert result.returncode == 1, result.stdout + result.stderr
    issues = json.loads(result.stdout)["issues"]
    over = [i for i in issues if i["code"] == "day_over_24h"]
    hours = "D" if lang is EN else "E"
    assert [(i["tab"], i["cell"], i["severity"]) for i in over] == [
        (lang.timesheet_tab, f"{hours}5", "error"), (lang.timesheet_tab, f"{hours}6", "error")]
    assert "25 hours are logged on 2026-11-06 by assistant 'Chi Tran'" in over[0]["message"]
    assert "by assistant 'chi tran'" in over[1]["message"]  # as typed, trimmed
    assert all(i["severity"] != "error" for i in issues if i["code"] != "day_over_24h")
