"""Finding the header row and mapping columns (en, vi, odd spellings)."""

from __future__ import annotations

import unicodedata

import pytest

from vaxl.sheets.headers import find_tab, find_tab_name, map_header, tab_matches
from vaxl.sheets.raw import RawBook, RawTab
from vaxl.sheets.spec import CLIENTS, TIMESHEET

TS_HEADER = ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable", "Notes"]


@pytest.mark.parametrize(
    "client_header",
    ["Client ID", "client_id", "ClientID", "CLIENT-ID", " client id ", "Client", "Mã khách hàng",
     "Mã KH", "client.id"],
)
def test_client_id_spellings(client_header: str) -> None:
    tab = RawTab("Timesheet", [["Date", client_header, "Hours"]])
    header, problems = map_header(tab, TIMESHEET)
    assert header is not None and problems == []
    assert header.columns["client_id"] == 1
    assert header.labels["client_id"] == client_header.strip()


def test_vietnamese_headers_map_like_english_ones() -> None:
    vi = ["Ngày", "Mã khách hàng", "Công việc", "Loại công việc", "Số giờ", "Gấp", "Tính phí",
          "Ghi chú"]
    header, problems = map_header(RawTab("Bảng chấm công", [vi]), TIMESHEET)
    assert problems == [] and header is not None
    assert header.columns == {
        "date": 0, "client_id": 1, "task": 2, "category": 3, "hours": 4, "rush": 5,
        "billable": 6, "notes": 7,
    }


def test_decomposed_unicode_headers_match() -> None:
    nfd = [unicodedata.normalize("NFD", h) for h in ("Ngày", "Mã khách hàng", "Số giờ")]
    header, problems = map_header(RawTab("T", [nfd]), TIMESHEET)
    assert header is not None and problems == []
    assert set(header.columns) == {"date", "client_id", "hours"}


def test_unknown_columns_are_ignored() -> None:
    tab = RawTab("Timesheet", [["Mood", "Date", "Client ID", "Hours", "Colour"]])
    header, problems = map_header(tab, TIMESHEET)
    assert header is not None and problems == []
    assert header.columns == {"date": 1, "client_id": 2, "hours": 3}


def test_header_below_empty_rows_and_offset_columns() -> None:
    rows = [[None, None, None], ["", "  ", None], ["Date", "Client ID", "Hours"]]
    tab = RawTab("Timesheet", rows, first_row=2, first_col=3)
    header, problems = map_header(tab, TIMESHEET)
    assert header is not None and problems == []
    assert header.row == 4 and header.index == 2
    assert header.letter("hours") == "E"


def test_header_must_be_within_the_first_ten_rows() -> None:
    tab = RawTab("Timesheet", [["Date", "Client ID", "Hours"]], first_row=11)
    assert map_header(tab, TIMESHEET) == (None, [])
    tab = RawTab("Timesheet", [["Date", "Client ID", "Hours"]], first_row=10)
    assert map_header(tab, TIMESHEET)[0] is not None


def test_a_title_row_above_the_header_is_skipped() -> None:
    rows = [["My timesheet 2026"], [], TS_HEADER]
    header, problems = map_header(RawTab("Timesheet", rows), TIMESHEET)
    assert header is not None and problems == []
    assert header.row == 3


def test_missing_required_column_is_reported_at_the_header_row() -> None:
    rows = [[None], ["Date", "Task", "Hours"]]
    header, problems = map_header(RawTab("Timesheet", rows), TIMESHEET)
    assert header is not None
    assert len(problems) == 1
    p = problems[0]
    assert (p.severity, p.tab, p.code, p.column) == ("error", "Timesheet", "missing_column",
                                                    "Client ID")
    assert p.cell == "D2"  # the first free cell right of the header
    assert "Add a column headed 'Client ID'" in p.fix


def test_clients_missing_two_columns_reports_both() -> None:
    header, problems = map_header(RawTab("Clients", [["Client ID", "Rate"]]), CLIENTS)
    assert header is not None
    assert sorted(p.column for p in problems) == ["Billing", "Client Name"]


def test_empty_tab_has_no_header_and_no_problem() -> None:
    assert map_header(RawTab("Timesheet", []), TIMESHEET) == (None, [])
    assert map_header(RawTab("Timesheet", [[None, ""]]), TIMESHEET) == (None, [])


@pytest.mark.parametrize("name", ["Timesheet", " timesheet ", "TIMESHEET", "Bảng chấm công",
                                  "Timesheets", "time log"])
def test_tab_names(name: str) -> None:
    assert tab_matches(name, TIMESHEET)


def test_find_tab_prefers_the_english_name() -> None:
    tabs = {"Timesheets": RawTab("Timesheets", []), "timesheet": RawTab("timesheet", [])}
    raw = RawBook(tabs=tabs)
    assert find_tab_name(raw.tabs, TIMESHEET) == "timesheet"
    tab = find_tab(raw, TIMESHEET)
    assert tab is not None and tab.name == "timesheet"
    assert find_tab(raw, CLIENTS) is None
