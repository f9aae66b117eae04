"""check() on what the real parser makes of raw tabs: cells in A1 form, the
user's headers, and no second report of a cell the parser already flagged."""

from __future__ import annotations

from datetime import date

from vaxl.core.checks import check
from vaxl.sheets.parse import parse_workbook
from vaxl.sheets.raw import RawBook, RawTab


def test_checks_name_the_cells_of_parsed_tabs() -> None:
    clients = RawTab("Khách hàng", [
        ["Mã KH", "Tên khách hàng", "Email", "Billing", "Hourly Rate", "Tax Rate"],
        ["ACME", "Acme Corp", "jane@acme", "hourly", 50, "150%"],
        [" acme ", "Acme again", "", "hourly", 50, None],
        ["RET", "Retainer Co", "", "retainr", 40, None],
        ["PLAIN", "Plain Co", "", "hourly", "fifty", None],
    ], first_row=3, first_col=2)
    timesheet = RawTab("Timesheet", [
        ["Date", "Client ID", "Task", "Category", "Hours"],
        ["2026-11-03", "ACMEE", "Inbox", "Admin", 1],
        ["2026-11-03", "ACME", "Inbox", "Admin", 0],
        ["2026-12-05", "ACME", "Inbox", "Admin", 2],
    ])
    raw = RawBook(tabs={"Khách hàng": clients, "Timesheet": timesheet},
                  tab_names=["Khách hàng", "Timesheet"])
    parsed = parse_workbook(raw)
    # the parser reports the unreadable Rate of PLAIN (sheet row 7, column F)
    assert [(p.tab, p.cell) for p in parsed.problems] == [("Khách hàng", "F7")]
    problems = check(parsed.book, today=date(2026, 12, 1), already=parsed.problems,
                     columns=parsed.columns)
    assert [(p.tab, p.cell, p.column, p.code, p.severity) for p in problems] == [
        ("Khách hàng", "D4", "Email", "bad_email", "error"),
        ("Khách hàng", "G4", "Tax Rate", "percent_out_of_range", "error"),
        ("Khách hàng", "B5", "Mã KH", "duplicate_client_id", "error"),
        ("Khách hàng", "E6", "Billing", "unknown_billing", "error"),
        ("Timesheet", "B2", "Client ID", "unknown_client", "error"),
        ("Timesheet", "E3", "Hours", "hours_out_of_range", "error"),
        ("Timesheet", "A4", "Date", "future_date", "warning"),
    ]
    assert problems[4].message == "Unknown client 'ACMEE' — did you mean 'ACME'?"
