"""Every validation rule and every cell form, through the real `vaxl` command.

One workbook breaks each rule once, on its own row; one `vaxl validate --json`
run must report each problem at its tab and cell, with exit code 1, and write
the same problems to the Validation tab.  A second workbook holds every cell
form the contract lists and must bill to hand-computed figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

TODAY = "2026-11-27"


def vaxl(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vaxl", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd,
    )


def _sheet(wb: openpyxl.Workbook, name: str, header: list[str], rows: list[list[object]]):
    ws = wb.create_sheet(name)
    ws.append(header)
    for row in rows:
        ws.append(row)
    return ws


D = dt.date

CLIENT_HEADER = ["Client ID", "Client Name", "Email", "Phone", "Billing", "Rate", "Currency",
                 "Retainer Hours", "Retainer Fee", "Commission per Closing", "Commission Rate",
                 "Tax Rate", "Start Date", "End Date", "Active"]
#               A        B               C                    D              E          F    G
CLIENTS = [
    ["ACME", "Acme Corp", "billing@acme.example.com", "+12025550143", "hourly", 40, "USD",
     None, None, None, None, None, None, None, "yes"],                                    # row 2 ok
    [" acme ", "Acme Again", None, None, "hourly", 40, "USD"],  # 3 duplicate
    [None, "No Id Co", None, None, "hourly", 30, "USD"],  # 4 missing id
    ["WEIRD", "Weird", None, None, "hourlyy", 30, "USD"],                                # 5 billing
    ["NORATE", "No Rate", None, None, "hourly", None, "USD"],                            # 6 no rate
    ["NEG", "Negative", None, None, "hourly", -5, "USD"],  # 7 rate <= 0
    ["RET", "Retainer", None, None, "retainer", 30, "USD", None, None],                  # 8 terms
    ["COMBOTH", "Both", None, None, "commission", None, "USD", None, None, 500, "3%"],    # 9 both
    ["COMNONE", "Neither", None, None, "commission", None, "USD"],  # 10 neither
    ["BADMAIL", "Bad Mail", "not-an-email", None, "hourly", 30, "USD"],                  # 11 e-mail
    ["BADPHONE", "Bad Phone", None, "12", "hourly", 30, "USD"],                          # 12 phone
    ["CUR", "Currency", None, None, "hourly", 30, "XYZ"],  # 13 currency
    ["TAX", "Tax", None, None, "hourly", 30, "USD", None, None, None, None, "150%"],  # 14 percent
    ["OLD", "Old", None, None, "hourly", 30, "USD", None, None, None, None, None, None,
     None, "no"],  # 15 inactive
    ["WIN", "Window", None, None, "hourly", 30, "USD", None, None, None, None, None,
     D(2026, 11, 10), D(2026, 11, 20)],                                                  # 16 window
    ["BLK", "Block", None, None, "block", None, "USD"],                                  # 17 block
    ["REALTOR", "Realtor", None, None, "commission", None, "USD", None, None, None, "3%"],  # 18
    ["ONEPCT", "One", None, None, "hourly", 30, "USD", None, None, None, None, 1],       # 19 bare 1
]
TIMESHEET = [
    [D(2026, 11, 3), "ACME", "Inbox", "Admin", 2, "no", "yes"],       # 2 ok
    [D(2026, 11, 3), "ACMEE", "Typo", "Admin", 1, "no", "yes"],       # 3 unknown client
    ["03/04/2026", "ACME", "Ambiguous", "Admin", 1, "no", "yes"],     # 4 ambiguous date
    ["not a date", "ACME", "Bad date", "Admin", 1, "no", "yes"],      # 5 bad date
    [D(2026, 12, 15), "ACME", "Future", "Admin", 1, "no", "yes"],     # 6 future
    [D(2026, 11, 4), "ACME", "Zero", "Admin", 0, "no", "yes"],        # 7 hours <= 0
    [D(2026, 11, 4), "ACME", "Too long", "Admin", 25, "no", "yes"],   # 8 hours > 24
    [D(2026, 11, 5), "ACME", "Day one", "Admin", 13, "no", "yes"],    # 9 day > 24 h
    [D(2026, 11, 5), "ACME", "Day two", "Research", 12, "no", "yes"],  # 10 day > 24 h
    [D(2026, 11, 6), "ACME", "Rush?", "Admin", 1, "maybe", "yes"],    # 11 rush not yes/no
    [D(2026, 11, 6), "ACME", "Bill?", "Admin", 1, "no", "perhaps"],   # 12 billable not yes/no
    [D(2026, 11, 7), "OLD", "Old client", "Admin", 1, "no", "yes"],   # 13 inactive
    [D(2026, 11, 2), "WIN", "Too early", "Admin", 1, "no", "yes"],    # 14 outside window
    [D(2026, 11, 9), "ACME", "Call", "Admin", 1, "no", "yes"],        # 15
    [D(2026, 11, 9), "ACME", "Call", "Admin", 1, "no", "yes"],        # 16 duplicate of 15
    [D(2026, 11, 10), "ACME", "Hours?", "Admin", "abc", "no", "yes"],  # 17 bad hours
]

# (tab, cell, code, severity): each is one rule, placed by the rows above.
EXPECTED = [
    ("Clients", "A3", "duplicate_client_id", "error"),
    ("Clients", "A4", "missing_client_id", "error"),
    ("Clients", "E5", "unknown_billing", "error"),
    ("Clients", "F6", "missing_rate", "error"),
    ("Clients", "F7", "rate_not_positive", "error"),
    ("Clients", "H8", "missing_retainer_hours", "error"),
    ("Clients", "I8", "missing_retainer_fee", "error"),
    ("Clients", "K9", "commission_terms_both", "error"),
    ("Clients", "J10", "commission_terms_missing", "error"),
    ("Clients", "C11", "bad_email", "error"),
    ("Clients", "D12", "bad_phone", "warning"),
    ("Clients", "G13", "unknown_currency", "error"),
    ("Clients", "L14", "percent_out_of_range", "error"),
    ("Clients", "L19", "ambiguous_percent", "warning"),
    ("Timesheet", "B3", "unknown_client", "error"),
    ("Timesheet", "A4", "ambiguous_date", "error"),
    ("Timesheet", "A5", "bad_date", "error"),
    ("Timesheet", "A6", "future_date", "warning"),
    ("Timesheet", "E7", "hours_out_of_range", "error"),
    ("Timesheet", "E8", "hours_out_of_range", "error"),
    ("Timesheet", "E10", "day_over_24h", "error"),
    ("Timesheet", "F11", "not_yes_no", "error"),
    ("Timesheet", "G12", "not_yes_no", "error"),
    ("Timesheet", "B13", "inactive_client", "warning"),
    ("Timesheet", "A14", "outside_client_window", "warning"),
    ("Timesheet", "E16", "duplicate_entry", "warning"),
    ("Timesheet", "E17", "bad_hours", "error"),
    ("Blocks", "D2", "block_no_amount", "error"),
    ("Blocks", "B3", "unknown_client", "error"),
    ("Closings", "D2", "closing_no_terms", "error"),
    ("Payments", "D2", "amount_not_positive", "error"),
    ("Payments", "B3", "unknown_client", "error"),
    ("Rates", "A2", "unknown_client", "error"),
    ("Rates", "C3", "rate_not_positive", "error"),
    ("Settings", "", "invoice_pattern_no_counter", "error"),
]


@pytest.fixture(scope="module")
def broken_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Settings", ["Setting", "Value"], [["Invoice Number", "INV-{YYYY}"]])
    _sheet(wb, "Clients", CLIENT_HEADER, CLIENTS)
    _sheet(wb, "Rates", ["Client ID", "Category", "Rate", "Prepaid"],
           [["ACMEE", "Translation", 60, "yes"], ["ACME", "Research", 0, "yes"]])
    _sheet(wb, "Timesheet", ["Date", "Client ID", "Task", "Category", "Hours", "Rush",
                             "Billable"], TIMESHEET)
    _sheet(wb, "Blocks", ["Date", "Client ID", "Hours", "Amount", "Expires", "Reference"],
           [[D(2026, 11, 1), "BLK", 10, None, None, "B-1"],
            [D(2026, 11, 1), "NOSUCH", 5, 100, None, "B-2"]])
    _sheet(wb, "Closings", ["Date", "Client ID", "Reference", "Sale Price", "Commission"],
           [[D(2026, 11, 10), "REALTOR", "12 Elm St", None, None]])
    _sheet(wb, "Payments", ["Date", "Client ID", "Invoice No", "Amount", "Note"],
           [[D(2026, 11, 10), "ACME", None, -50, None], [D(2026, 11, 10), "ACMEE", None, 50, None]])
    path = tmp_path_factory.mktemp("rules") / "broken.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def broken_run(broken_book: Path) -> tuple[subprocess.CompletedProcess[str], dict]:
    result = vaxl("validate", str(broken_book), "--json", "--today", TODAY)
    return result, json.loads(result.stdout)


def test_validate_exits_1_and_prints_only_json(broken_run) -> None:
    result, payload = broken_run
    assert result.returncode == 1, result.stderr
    assert set(payload) >= {"issues"}
    for issue in payload["issues"]:
        assert set(issue) >= {"severity", "tab", "cell", "column", "value", "message", "fix"}
        assert issue["message"] and issue["fix"], issue


@pytest.mark.parametrize(("tab", "cell", "code", "severity"), EXPECTED,
                         ids=[f"{t}!{c or '-'}:{code}" for t, c, code, _ in EXPECTED])
def test_rule_reported_at_its_cell(broken_run, tab: str, cell: str, code: str,
                                   severity: str) -> None:
    _, payload = broken_run
    found = [i for i in payload["issues"] if i["tab"] == tab and i["code"] == code
             and (not cell or i["cell"] == cell)]
    assert found, f"no {code} at {tab}!{cell}: " + json.dumps(
        [i for i in payload["issues"] if i["tab"] == tab], indent=1)
    assert found[0]["severity"] == severity


def test_did_you_mean(broken_run) -> None:
    _, payload = broken_run
    typo = next(i for i in payload["issues"] if i["tab"] == "Timesheet" and i["cell"] == "B3")
    assert "ACME" in typo["message"] + typo["fix"]
    assert typo["value"] == "ACMEE"


def test_validation_tab_matches_output(broken_run, broken_book: Path) -> None:
    _, payload = broken_run
    wb = CalamineWorkbook.from_path(str(broken_book))
    assert "Validation" in wb.sheet_names
    rows = wb.get_sheet_by_name("Validation").to_python()
    text = "\n".join(" ".join(str(v) for v in row) for row in rows)
    for issue in payload["issues"]:
        assert issue["message"] in text


def test_bad_workbook_is_reported_on_the_terminal(broken_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.xlsx"
    result = vaxl("validate", str(broken_book), "--output", str(out), "--today", TODAY)
    assert result.returncode == 1
    assert "error(s)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# --- every cell form, billed -------------------------------------------------------------

def _forms_book(path: Path) -> None:
    """One hourly client at $30; every hour form once (hand sum below)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Settings", ["Setting", "Value"], [["Date Order", "DMY"], ["Payment Terms", 30]])
    clients = _sheet(wb, "Clients", ["Client ID", "Client Name", "Billing", "Rate", "Tax Rate"],
                     [["HOUR", "Hourly Co", "hourly", 30, 0.1]])
    clients["E2"].number_format = "0%"      # a percent cell holding the fraction: 10%
    ts = _sheet(wb, "Timesheet", ["Date", "Client ID", "Task", "Category", "Hours", "Rush",
                                  "Billable"], [
        [D(2026, 11, 2), "HOUR", "decimal", "Admin", 1.5, "N", "Y"],
        ["2026-11-03", "HOUR", "iso text date", "Admin", "1:30", "no", "yes"],
        ["04/11/2026", "HOUR", "DMY text date", "Admin", "1h30m", "FALSE", "TRUE"],
        [46330, "HOUR", "serial date", "Admin", "90m", 0, 1],
        [D(2026, 11, 6), "HOUR", "comma", "Admin", "1,5", "không", "có"],
        [D(2026, 11, 9), "HOUR", "time cell", "Admin", dt.time(1, 30), None, None],
        [D(2026, 11, 10), "HOUR", "third", "Admin", "0:20", None, "x"],
        [D(2026, 11, 10), "HOUR", "third", "Admin", "0:20", None, "x"],
        [D(2026, 11, 10), "HOUR", "third", "Admin", "0:20", None, "x"],
        [D(2026, 11, 11), "HOUR", "not billed", "Admin", 4, None, "no"],
    ])
    ts["E7"].number_format = "h:mm"
    wb.save(path)


def test_every_cell_form_bills_exactly(tmp_path: Path) -> None:
    book = tmp_path / "forms.xlsx"
    _forms_book(book)
    result = vaxl("invoice", str(book), "--month", "2026-11", "--json", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["issues"] == [] or all(i["severity"] == "warning" for i in payload["issues"])
    (inv,) = payload["invoices"]
    # 6 entries of 1.5 h + three 0:20 = 9 h + 1 h = 10 h; the 4 h entry is not billable.
    # 10 h x $30 = $300.00; tax 10% = $30.00; total $330.00.  Serial 46330 = 2026-11-05.
    assert inv["hours"] in ("10", "10.00", "10.0000")
    assert inv["subtotal"] == "300.00"
    assert inv["tax"] == "30.00"
    assert inv["total"] == "330.00"


def test_not_a_vaxl_workbook_is_refused_untouched(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.active["A1"] = "Rent"
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = vaxl("validate", str(path))
    assert result.returncode == 2
    assert "not a vaxl workbook" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_init_then_validate_clean_and_never_overwrite(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    assert vaxl("init", str(book)).returncode == 0
    before = book.read_bytes()
    again = vaxl("init", str(book))
    assert again.returncode == 2 and "exists" in again.stderr
    assert book.read_bytes() == before
    result = vaxl("validate", str(book), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["issues"] == []


def test_lock_file_refuses(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    vaxl("init", str(book))
    (tmp_path / "~$book.xlsx").write_bytes(b"\x00" * 165)
    before = book.read_bytes()
    result = vaxl("validate", str(book))
    assert result.returncode == 2
    assert "Excel" in result.stderr
    assert book.read_bytes() == before


def test_help_has_examples() -> None:
    for command in ("validate", "invoice", "report", "run", "init", "demo"):
        result = vaxl(command, "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout, command
