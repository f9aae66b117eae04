"""The gspread path against the local Sheets API stand-in (see conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from vaxl.errors import VaxlError
from vaxl.io.gsheets import run_gsheet
from vaxl.service import run_action
from vaxl.sheets.raw import RawBook, RawTab

ROOT = Path(__file__).resolve().parents[2]
KEY = "1GsheetPathTestKey_abcdefghijklmnop"
TODAY = date(2026, 12, 10)


def workbook(clients: int = 3) -> dict[str, list[list[Any]]]:
    """A small real-looking sheet: hourly, retainer and block clients, November work."""
    rows = [["Client ID", "Client Name", "Billing", "Rate", "Retainer Hours", "Retainer Fee",
             "Rush Surcharge", "Email"]]
    ts = [["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable"]]
    kinds = ["hourly", "retainer", "block"]
    small = clients > 20  # keep each day under 24 h of work across all clients
    for i in range(clients):
        cid = f"C{i:03d}"
        kind = kinds[i % 3]
        rows.append([cid, f"Client {i} & Co", kind, 40 + i % 7,
                     10 if kind == "retainer" else "", 400 if kind == "retainer" else "",
                     0.25 if i % 2 else "", f"c{i}@example.com"])
        ts.append([date(2026, 11, 3 + i % 20), cid, "=HYPERLINK(\"http://evil\")", "Admin",
                   time(0, 3) if small else time(1, 30), "Y" if i % 4 == 0 else "", ""])
        ts.append([date(2026, 11, 10 + i % 15), cid, "Inbox", "Admin", 0.05 if small else 2.25,
                   "", ""])
    blocks = [["Date", "Client ID", "Hours", "Amount", "Expires", "Reference"]]
    for i in range(2, clients, 3):
        blocks.append([date(2026, 11, 1), f"C{i:03d}", 10, 380, "", f"B{i}"])
    return {
        "Settings": [["Setting", "Value"], ["Business Name", "Ana VA"], ["Currency", "USD"]],
        "Clients": rows,
        "Timesheet": ts,
        "Blocks": blocks,
        "Notes": [["my own tab"], ["=SUM(1,2)"]],
    }


def seed(api: Any, clients: int = 3) -> Any:
    book = api.book(KEY)
    percent_col = 6
    for name, rows in workbook(clients).items():
        formats = ({(r, percent_col): "0%" for r in range(1, len(rows))}
                   if name == "Clients" else None)
        book.add_sheet(name, rows, formats)
    return book


def raw_equivalent(clients: int = 3) -> RawBook:
    """The same workbook as a file reader would hand it to the parser."""
    book = RawBook(tab_names=list(workbook(clients)))
    for name, rows in workbook(clients).items():
        values = [[None if v == "" else (float(v) if type(v) is int else v) for v in row]
                  for row in rows]
        width = max(len(r) for r in values)
        formats = [["0%" if name == "Clients" and c == 6 and r > 0 else "" for c in range(width)]
                   for r in range(len(values))]
        book.tabs[name] = RawTab(name, values, number_formats=formats)
    return book


def grid_value(value: Any) -> Any:
    """What the stand-in should hold for a grid value (typed, dates as serials)."""
    if isinstance(value, date):
        return float((value - date(1899, 12, 30)).days)
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return value


def test_run_reads_once_writes_once_three_requests(sheets_api: Any) -> None:
    seed(sheets_api.api)
    client = sheets_api.client()
    done = run_gsheet("run", KEY, client=client, today=TODAY, period="2026-11", issue_date=TODAY)

    # The quota budget: metadata, one read of every input tab, one write.
    methods = [m for m, _ in sheets_api.api.log]
    assert methods == ["GET", "GET", "POST"], sheets_api.api.log
    assert "includeGridData" in sheets_api.api.log[1][1]
    assert sheets_api.api.log[2][1].endswith(":batchUpdate")
    assert done.requests == 3

    # Same answers as the service on the same cells read from a file.
    expected = run_action("run", raw_equivalent(), today=TODAY, period="2026-11", issue_date=TODAY)
    assert done.outcome.public() == expected.public()
    assert len(expected.result.invoices) == 3

    book = sheets_api.api.books[KEY]
    titles = [s.title for s in book.sheets]
    for grid in expected.grids:
        assert grid.name in titles, grid.name
        sheet = book.sheet(grid.name)
        assert sheet.hidden == (grid.hidden != "visible")
        for (r, c), cell in grid.cells.items():
            stored = sheet.cells.get((r - 1, c - 1), {}).get("userEnteredValue", {})
            if cell.formula:
                assert stored == {"formulaValue": f"={cell.formula}"}
            elif cell.value is None:
                assert stored == {}
            else:
                assert next(iter(stored.values())) == grid_value(cell.value), (grid.name, r, c)
        if grid.freeze:
            assert sheet.frozen_rows == grid.freeze[0] - 1

    # User text that looks like a formula is stored as text, never as a formula.
    texts = [d["userEnteredValue"] for s in book.sheets for d in s.cells.values()
             if "userEnteredValue" in d and "HYPERLINK" in json.dumps(d["userEnteredValue"])]
    assert texts and all(t == {"stringValue": "=HYPERLINK(\"http://evil\")"} for t in texts)
    # Input tabs and the user's own tab are untouched.
    assert book.sheet("Notes").value(1, 0) == "=SUM(1,2)"
    assert book.sheet("Timesheet").value(1, 2) == "=HYPERLINK(\"http://evil\")"


def test_durations_dates_and_percents_are_read_typed(sheets_api: Any) -> None:
    book = seed(sheets_api.api)
    from vaxl.io.gsheets import read_book

    raw, _, _ = read_book(sheets_api.client(), KEY)
    ts = raw.tabs["Timesheet"]
    assert ts.rows[1][0] == date(2026, 11, 3)
    assert ts.rows[1][4] == time(1, 30)  # a duration cell, not the fraction 0.0625
    clients = raw.tabs["Clients"]
    assert clients.rows[2][6] == 0.25 and clients.format_at(2, 6) == "0%"
    assert raw.tab_names == [s.title for s in book.sheets]
    assert "Notes" not in raw.tabs  # only tabs vaxl reads are fetched


def test_a_long_duration_and_a_datetime(sheets_api: Any) -> None:
    from vaxl.io.gsheets import _cell

    assert _cell({"effectiveValue": {"numberValue": 1.25},
                  "effectiveFormat": {"numberFormat": {"type": "TIME", "pattern": "[h]:mm"}}})[0] \
        == timedelta(hours=30)
    assert _cell({"effectiveValue": {"numberValue": 46329.5},
                  "effectiveFormat": {"numberFormat": {"type": "DATE_TIME"}}})[0].hour == 12
    assert _cell({"effectiveValue": {"errorValue": {"type": "REF"}}})[0] == "#REF!"


def test_a_second_run_rewrites_vaxls_tabs_in_place(sheets_api: Any) -> None:
    seed(sheets_api.api)
    first = run_gsheet("run", KEY, client=sheets_api.client(), today=TODAY, period="2026-11",
                       issue_date=TODAY)
    ids = {s.title: s.sheet_id for s in sheets_api.api.books[KEY].sheets}
    sheets_api.api.log.clear()
    second = run_gsheet("run", KEY, client=sheets_api.client(), today=TODAY, period="2026-11",
                        issue_date=TODAY)
    assert [m for m, _ in sheets_api.api.log] == ["GET", "GET", "POST"]
    assert {s.title: s.sheet_id for s in sheets_api.api.books[KEY].sheets} == ids
    numbers = [inv["number"] for inv in first.outcome.public()["invoices"]]
    assert [inv["number"] for inv in second.outcome.public()["invoices"]] == numbers
    assert first.outcome.public()["invoices"] == second.outcome.public()["invoices"]


@pytest.mark.parametrize("clients", [5, 500])
def test_request_count_does_not_grow_with_clients(sheets_api: Any, clients: int) -> None:
    seed(sheets_api.api, clients)
    done = run_gsheet("invoice", KEY, client=sheets_api.client(), today=TODAY, period="2026-11",
                      issue_date=TODAY)
    assert len(done.outcome.result.invoices) == clients
    assert len(sheets_api.api.log) == 3
    titles = {s.title for s in sheets_api.api.books[KEY].sheets}
    assert {inv.number for inv in done.outcome.result.invoices} <= titles


def test_429_is_retried_with_backoff(sheets_api: Any) -> None:
    seed(sheets_api.api)
    sheets_api.api.fail_next = [429, 429, 503]
    client = sheets_api.client()
    done = run_gsheet("validate", KEY, client=client, today=TODAY)
    assert [m for m, _ in sheets_api.api.log] == ["GET"] * 5 + ["POST"]
    assert done.requests == 6
    assert len(client.http_client.slept) == 3  # type: ignore[attr-defined]
    assert "Validation" in {s.title for s in sheets_api.api.books[KEY].sheets}


def test_gives_up_on_persistent_5xx_with_a_clear_message(sheets_api: Any) -> None:
    seed(sheets_api.api)
    sheets_api.api.fail_next = [503] * 20
    with pytest.raises(VaxlError) as caught:
        run_gsheet("validate", KEY, client=sheets_api.client(), today=TODAY)
    assert "failing right now" in caught.value.message
    assert len(sheets_api.api.log) == 6  # max_tries


def test_404_names_the_key_and_where_to_find_it(sheets_api: Any) -> None:
    with pytest.raises(VaxlError) as caught:
        run_gsheet("validate", "no-such-key", client=sheets_api.client(), today=TODAY)
    assert "no-such-key" in caught.value.message
    assert "/d/" in caught.value.fix
    assert len(sheets_api.api.log) == 1  # a 404 is not retried


def test_403_names_the_service_account_to_share_with(sheets_api: Any) -> None:
    seed(sheets_api.api)
    sheets_api.api.forbidden.add(KEY)
    client = sheets_api.client()
    client.http_client.auth = SimpleNamespace(  # type: ignore[attr-defined]
        service_account_email="vaxl-bot@ana-va.iam.gserviceaccount.com")
    with pytest.raises(VaxlError) as caught:
        run_gsheet("validate", KEY, client=client, today=TODAY)
    text = str(caught.value)
    assert "vaxl-bot@ana-va.iam.gserviceaccount.com" in caught.value.message
    assert "Share the sheet with vaxl-bot@ana-va.iam.gserviceaccount.com" in text


def test_a_users_own_tab_with_vaxls_name_is_never_overwritten(sheets_api: Any) -> None:
    book = seed(sheets_api.api)
    book.add_sheet("Validation", [["my notes about validation"]])
    with pytest.raises(VaxlError) as caught:
        run_gsheet("validate", KEY, client=sheets_api.client(), today=TODAY)
    assert "Validation" in caught.value.message
    assert [m for m, _ in sheets_api.api.log] == ["GET", "GET"]  # nothing written
    assert sheets_api.api.books[KEY].sheet("Validation").value(0, 0) == "my notes about validation"


def test_cli_gsheet_without_credentials_is_a_clear_one_liner(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "vaxl", "gsheet", "validate", KEY,
                           "--credentials", str(tmp_path / "missing.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "credentials" in done.stderr.lower() and "Traceback" not in done.stderr
