"""parse_book on in-memory RawBooks: records, cell refs, and every problem code."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from parse_kit import raw_book as book

from vaxl.core.models import CellRef, Problem
from vaxl.errors import UnusableWorkbook
from vaxl.sheets.parse import parse_book, parse_workbook
from vaxl.sheets.raw import RawBook, RawTab

TS = ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable", "Notes"]
CL = ["Client ID", "Client Name", "Billing", "Rate", "Currency", "Rush Surcharge", "Tax Rate",
      "Retainer Hours", "Retainer Fee", "Active", "Start Date"]
D = date(2026, 11, 3)


def ts(*rows: list[Any], header: list[str] = TS, **more: list[list[Any]]) -> RawBook:
    return book(Timesheet=[header, *rows], **more)


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, problems
    return found[0]


# --- the workbook as a whole ------------------------------------------------------


def test_not_a_vaxl_workbook() -> None:
    raw = book(Sheet1=[["a", "b"]])
    with pytest.raises(UnusableWorkbook) as err:
        parse_book(raw)
    assert "test.xlsx is not a vaxl workbook: it has no Clients or Timesheet tab" in str(err.value)
    assert "vaxl init" in err.value.fix


@pytest.mark.parametrize("name", ["clients", " CLIENTS ", "Khách hàng", "Bảng chấm công",
                                  "time log"])
def test_any_spelling_of_clients_or_timesheet_makes_a_vaxl_workbook(name: str) -> None:
    parsed, problems = parse_book(book(**{name: []}))
    assert problems == [] and parsed.entries == () and parsed.clients == ()


def test_timesheet_rows_become_entries_with_their_cells() -> None:
    raw = ts(
        [D, " acme ", "Inbox", " Admin ", 1.5, "", None, " note "],
        [None] * 8,  # a fully empty row is skipped
        [D, "Beta", "Call", "Scheduling", time(0, 20), "Y", "n", ""],
    )
    parsed, problems = parse_book(raw)
    assert problems == []
    first, second = parsed.entries
    assert (first.day, first.client_key, first.task, first.category, first.seconds) == (
        D, "ACME", "Inbox", "Admin", 5400)
    assert (first.rush, first.billable, first.notes) == (False, True, "note")
    assert first.ref == CellRef("Timesheet", 2, 0)
    assert (second.seconds, second.rush, second.billable) == (1200, True, False)
    assert second.ref.row == 4  # the row a person sees, the empty row counted


def test_rows_keep_their_sheet_position_when_the_tab_starts_lower() -> None:
    raw = RawBook(tabs={"Timesheet": RawTab("Timesheet", [TS, [D, "A", "", "", 1.0]],
                                            first_row=5, first_col=2)},
                  tab_names=["Timesheet"])
    parsed, problems = parse_book(raw)
    bad = ts([D, "A", "", "", "abc"])
    bad.tabs["Timesheet"].first_row, bad.tabs["Timesheet"].first_col = 5, 2
    _, bad_problems = parse_book(bad)
    assert parsed.entries[0].ref == CellRef("Timesheet", 6, 0)
    assert only(bad_problems, "bad_hours").cell == "F6"


def test_ragged_rows_and_missing_optional_columns() -> None:
    raw = ts([D, "A", 2], ["2026-11-04", "B", "1:30", "yes"], header=["Date", "Client ID", "Hours",
                                                                     "Rush"])
    parsed, problems = parse_book(raw)
    assert problems == []
    assert [(e.client_key, e.seconds, e.rush, e.task) for e in parsed.entries] == [
        ("A", 7200, False, ""), ("B", 5400, True, "")]


def test_start_and_end_times_when_hours_is_empty() -> None:
    header = [*TS, "Start", "End"]
    raw = ts(
        [D, "A", "", "", None, "", "", "", time(9), time(10, 30)],
        [D, "A", "", "", "", "", "", "", "23:00", "1:00"],  # crosses midnight
        [D, "A", "", "", 2.0, "", "", "", time(9), time(10)],  # Hours wins
        header=header,
    )
    parsed, problems = parse_book(raw)
    assert problems == []
    assert [e.seconds for e in parsed.entries] == [5400, 7200, 7200]


def test_timesheet_without_hours_but_with_start_end_columns_is_readable() -> None:
    raw = ts([D, "A", "9:00", "9:45"], header=["Date", "Client ID", "Start", "End"])
    parsed, problems = parse_book(raw)
    assert problems == [] and parsed.entries[0].seconds == 2700


def test_date_order_from_settings_reads_text_dates() -> None:
    settings = [["Setting", "Value"], ["Date Order", "DMY"]]
    parsed, problems = parse_book(ts(["03/04/2026", "A", "", "", 1.0], Settings=settings))
    assert problems == [] and parsed.entries[0].day == date(2026, 4, 3)
    settings = [["Setting", "Value"], ["Thứ tự ngày", "tháng/ngày/năm"]]
    parsed, problems = parse_book(ts(["03/04/2026", "A", "", "", 1.0], Settings=settings))
    assert problems == [] and parsed.entries[0].day == date(2026, 3, 4)


# --- timesheet problems -----------------------------------------------------------

TIMESHEET_PROBLEMS = [
    # (row, code, cell, column)
    (["03/04/2026", "A", "", "", 1.0], "ambiguous_date", "A2", "Date"),
    (["someday", "A", "", "", 1.0], "bad_date", "A2", "Date"),
    ([None, "A", "", "", 1.0], "missing_date", "A2", "Date"),
    ([D, "", "", "", 1.0], "missing_client_id", "B2", "Client ID"),
    ([D, "A", "", "", "lots"], "bad_hours", "E2", "Hours"),
    ([D, "A", "", "", None], "missing_hours", "E2", "Hours"),
    ([D, "A", "", "", 1.0, "maybe"], "not_yes_no", "F2", "Rush"),
    ([D, "A", "", "", 1.0, "", "sometimes"], "not_yes_no", "G2", "Billable"),
]


@pytest.mark.parametrize(("row", "code", "cell", "column"), TIMESHEET_PROBLEMS)
def test_timesheet_problems(row: list[Any], code: str, cell: str, column: str) -> None:
    parsed, problems = parse_book(ts(row))
    p = only(problems, code)
    assert (p.severity, p.tab, p.cell, p.column) == ("error", "Timesheet", cell, column)
    assert p.message and p.fix
    assert len(problems) == 1


def test_a_row_whose_required_cell_fails_yields_no_entry() -> None:
    parsed, problems = parse_book(ts(["someday", "A", "", "", 1.0], [D, "A", "", "", "x"],
                                     [D, "A", "", "", 1.0]))
    assert [e.ref.row for e in parsed.entries] == [4]
    assert [p.code for p in problems] == ["bad_date", "bad_hours"]


def test_an_unreadable_optional_cell_keeps_the_entry_with_its_default() -> None:
    parsed, problems = parse_book(ts([D, "A", "", "", 1.0, "maybe"]))
    assert len(parsed.entries) == 1 and parsed.entries[0].rush is False
    assert [p.code for p in problems] == ["not_yes_no"]


def test_problems_carry_the_client_the_value_and_the_typed_header() -> None:
    header = ["date", "client_id", "hours", "Gấp"]
    _, problems = parse_book(ts([D, " acme ", "1:99", "perhaps"], header=header))
    hours, rush = problems
    assert (hours.client_id, hours.value, hours.column, hours.cell) == ("ACME", "1:99", "hours",
                                                                        "C2")
    assert (rush.client_id, rush.value, rush.column, rush.code) == ("ACME", "perhaps", "Gấp",
                                                                    "not_yes_no")


def test_start_end_problems() -> None:
    header = ["Date", "Client ID", "Hours", "Start", "End"]
    _, problems = parse_book(ts([D, "A", None, "9:00", None], [D, "A", None, "nine", "10:00"],
                                header=header))
    assert [(p.code, p.cell) for p in problems] == [("missing_end", "E2"), ("bad_time", "D3")]


def test_timesheet_missing_columns() -> None:
    parsed, problems = parse_book(ts([D, 1.0], header=["Date", "Hours"]))
    p = only(problems, "missing_column")
    assert (p.column, p.cell) == ("Client ID", "C1")
    assert parsed.entries == ()
    parsed, problems = parse_book(ts([D, "A", "x"], header=["Date", "Client ID", "Task"]))
    assert only(problems, "missing_column").column == "Hours"
    assert parsed.entries == ()


# --- Settings ---------------------------------------------------------------------


def test_settings_with_and_without_header_english_and_vietnamese() -> None:
    rows = [
        ["Setting", "Value"],
        ["Business Name", "  Lan VA Services "],
        ["currency", "vnd"],
        ["Rush Surcharge", 0.25],
        ["Time Rounding", 15],
        ["Rounding Mode", "Nearest"],
        ["Payment Terms", "30 days"],
        ["Ngôn ngữ", "Tiếng Việt"],
        ["Low Balance Alert", "90%"],
        ["Invoice Number", "{CLIENT}-{YY}{MM}-{NNN}"],
        ["Paper Size", "letter"],
    ]
    s, problems = parse_book(book(Clients=[], Settings=rows))
    assert problems == []
    st = s.settings
    assert (st.business_name, st.currency, st.rush_surcharge, st.time_rounding) == (
        "Lan VA Services", "VND", Decimal("0.25"), 15)
    assert (st.rounding_mode, st.payment_terms, st.language, st.low_balance_alert) == (
        "nearest", 30, "vi", Decimal("0.9"))
    assert (st.invoice_number, st.paper, st.date_order) == ("{CLIENT}-{YY}{MM}-{NNN}", "Letter",
                                                            None)
    headerless = book(Clients=[], Settings=[["Currency", "EUR"], ["Date Order", "mdy"]])
    s, problems = parse_book(headerless)
    assert problems == [] and (s.settings.currency, s.settings.date_order) == ("EUR", "MDY")


@pytest.mark.parametrize(
    ("key", "value", "field", "default"),
    [
        ("Currency", "dollars", "currency", "USD"),
        ("Time Rounding", 7, "time_rounding", 0),
        ("Time Rounding", "often", "time_rounding", 0),
        ("Rounding Mode", "sideways", "rounding_mode", "up"),
        ("Date Order", "YMD", "date_order", None),
        ("Payment Terms", "soon", "payment_terms", 14),
        ("Payment Terms", -3, "payment_terms", 14),
        ("Language", "fr", "language", "en"),
        ("Rush Surcharge", "lots", "rush_surcharge", Decimal("0.5")),
        ("Paper Size", "A3", "paper", "A4"),
    ],
)
def test_bad_settings_fall_back_to_the_default(key: str, value: object, field: str,
                                               default: object) -> None:
    rows = [["Setting", "Value"], ["Business Name", "X"], [key, value]]
    parsed, problems = parse_book(book(Clients=[], Settings=rows))
    p = only(problems, "bad_setting")
    assert (p.severity, p.tab, p.cell, p.column) == ("error", "Settings", "B3", "Value")
    assert p.value and p.fix
    assert getattr(parsed.settings, field) == default


def test_unknown_setting_is_a_warning_and_bare_one_percent_warns() -> None:
    rows = [["Setting", "Value"], ["Date Ordr", "DMY"], ["Rush Surcharge", 1]]
    parsed, problems = parse_book(book(Clients=[], Settings=rows))
    unknown = only(problems, "unknown_setting")
    assert (unknown.severity, unknown.cell, unknown.value) == ("warning", "A2", "Date Ordr")
    bare = only(problems, "ambiguous_percent")
    assert (bare.severity, bare.cell) == ("warning", "B3")
    assert parsed.settings.rush_surcharge == Decimal("0.01")
    assert parsed.settings.date_order is None


def test_percent_setting_uses_the_cell_format() -> None:
    raw = book(Clients=[], Settings=[["Setting", "Value"], ["Rush Surcharge", 1.5]])
    raw.tabs["Settings"].number_formats = [["", ""], ["", "0%"]]
    parsed, problems = parse_book(raw)
    assert problems == [] and parsed.settings.rush_surcharge == Decimal("1.5")


# --- Clients, Rates, Blocks, Closings, Payments, register, manifest -----------------


def test_clients() -> None:
    rows = [
        CL,
        [" acme ", "Acme Ltd", "Retainer", 45, "", 0.3, 10, 20, 900, "", "2026-01-01"],
        ["beta", "Beta", "hourly", "50.50", "eur", "", "", "", "", "no", ""],
    ]
    parsed, problems = parse_book(book(Clients=rows, Settings=[["Currency", "gbp"]]))
    assert problems == []
    acme, beta = parsed.clients
    assert (acme.key, acme.id, acme.billing, acme.rate, acme.currency) == (
        "ACME", "acme", "retainer", Decimal(45), "GBP")
    assert (acme.rush_surcharge, acme.tax_rate) == (Decimal("0.3"), Decimal("0.1"))
    assert (acme.retainer_hours, acme.retainer_fee) == (Decimal(20), Decimal(900))
    assert (acme.active, acme.start_date, acme.ref) == (True, date(2026, 1, 1),
                                                        CellRef("Clients", 2, 0))
    assert (beta.rate, beta.currency, beta.active, beta.tax_rate) == (
        Decimal("50.50"), "EUR", False, Decimal(0))


def test_client_retainer_hours_as_a_duration() -> None:
    rows = [CL[:3] + ["Retainer Hours"], ["A", "A", "retainer", timedelta(hours=12, minutes=30)]]
    parsed, problems = parse_book(book(Clients=rows))
    assert problems == [] and parsed.clients[0].retainer_hours == Decimal("12.5")


CLIENT_PROBLEMS = [
    ("Rate", "forty", "bad_money", "error"),
    ("Rush Surcharge", "high", "bad_percent", "error"),
    ("Tax Rate", 1, "ambiguous_percent", "warning"),
    ("Retainer Hours", "ten", "bad_hours", "error"),
    ("Active", "perhaps", "not_yes_no", "error"),
    ("Start Date", "03/04/2026", "ambiguous_date", "error"),
]


@pytest.mark.parametrize(("column", "value", "code", "severity"), CLIENT_PROBLEMS)
def test_client_problems(column: str, value: object, code: str, severity: str) -> None:
    header = ["Client ID", "Client Name", "Billing", column]
    parsed, problems = parse_book(book(Clients=[header, ["acme", "Acme", "hourly", value]]))
    p = only(problems, code)
    assert (p.severity, p.cell, p.column, p.client_id) == (severity, "D2", column, "ACME")
    assert len(parsed.clients) == 1  # the record stays; its client is excluded by the error


def test_client_payment_terms_must_be_whole() -> None:
    header = ["Client ID", "Client Name", "Billing", "Payment Terms"]
    _, problems = parse_book(book(Clients=[header, ["a", "A", "hourly", 7.5]]))
    assert only(problems, "bad_integer").cell == "D2"


def test_client_without_id_is_not_a_record() -> None:
    parsed, problems = parse_book(book(Clients=[CL[:3], ["", "Nameless", "hourly"]]))
    assert parsed.clients == ()
    assert only(problems, "missing_client_id").cell == "A2"


def test_client_percent_formats() -> None:
    raw = book(Clients=[["Client ID", "Client Name", "Billing", "Rush Surcharge"],
                        ["A", "A", "hourly", 1.0], ["B", "B", "hourly", 1.0]])
    raw.tabs["Clients"].number_formats = [["", "", "", ""], ["", "", "", "0%"],
                                          ["", "", "", "General"]]
    parsed, problems = parse_book(raw)
    assert [c.rush_surcharge for c in parsed.clients] == [Decimal(1), Decimal("0.01")]
    assert [p.cell for p in problems] == ["D3"]


def test_rates() -> None:
    rows = [["Client ID", "Category", "Rate", "Prepaid"],
            ["", "Translation", 60, ""], ["acme", "Research", "55", "no"],
            ["acme", "", 10, ""], ["acme", "Admin", "", ""], ["acme", "Admin", "cheap", "x"]]
    parsed, problems = parse_book(book(Clients=[], Rates=rows))
    assert [(r.client_key, r.category, r.rate, r.prepaid) for r in parsed.rates] == [
        (None, "Translation", Decimal(60), True), ("ACME", "Research", Decimal(55), False)]
    assert [(p.code, p.cell) for p in problems] == [
        ("missing_category", "B4"), ("missing_rate", "C5"), ("bad_money", "C6")]


def test_blocks() -> None:
    rows = [["Date", "Client ID", "Hours", "Amount", "Expires", "Reference"],
            [D, "a", 10, "", "", "B-1"], [D, "a", "1:30", 100, date(2027, 1, 1), ""],
            [D, "a", "", 5, "", ""], [D, "a", 5, "free", "never", ""]]
    parsed, problems = parse_book(book(Clients=[], Blocks=rows))
    first, second, third = parsed.blocks
    assert (first.seconds, first.amount, first.expires, first.reference) == (36000, None, None,
                                                                             "B-1")
    assert (second.seconds, second.amount, second.expires) == (5400, Decimal(100),
                                                               date(2027, 1, 1))
    assert third.ref.row == 5 and third.amount is None
    assert [(p.code, p.cell) for p in problems] == [
        ("missing_hours", "C4"), ("bad_money", "D5"), ("bad_date", "E5")]


def test_closings_and_payments() -> None:
    closings = [["Date", "Client ID", "Reference", "Sale Price", "Commission"],
                ["2026-11-03", "a", "12 Elm St", "450,000.00", ""], [D, "a", "", "", "lots"]]
    payments = [["Date", "Client ID", "Invoice No", "Amount", "Note"],
                [D, "a", "INV-2026-0001", 472.5, "thanks"], [D, "a", "", None, ""],
                ["", "a", "", 5, ""]]
    parsed, problems = parse_book(book(Clients=[], Closings=closings, Payments=payments))
    assert parsed.closings[0].sale_price == Decimal("450000.00")
    assert parsed.closings[1].commission is None
    assert [(p.invoice_no, p.amount) for p in parsed.payments] == [("INV-2026-0001",
                                                                    Decimal("472.5"))]
    assert [(p.tab, p.code, p.cell) for p in problems] == [
        ("Closings", "bad_money", "E3"), ("Payments", "missing_amount", "D3"),
        ("Payments", "missing_date", "A4")]


REGISTER = ["Invoice No", "Client ID", "Period", "Issue Date", "Due Date", "Currency",
            "Subtotal", "Tax", "Total", "Paid", "Balance", "Status", "Hours", "Fingerprint",
            "Tab"]


def test_register_and_manifest() -> None:
    rows = [REGISTER,
            ["INV-2026-0001", "acme", "2026-10", D, date(2026, 11, 17), "usd", 450, 0, 450, "",
             450, "Sent", 10, "abc", "INV-2026-0001"],
            ["INV-2026-0002", "beta", date(2026, 10, 1), "", "", "", "", "", "", "", "", "", "",
             "", ""]]
    manifest = [["Tab", "Kind"], ["Invoices", "register"], ["INV-2026-0001", "invoice"]]
    parsed, problems = parse_book(book(Clients=[], Invoices=rows, _vaxl=manifest))
    assert problems == []
    first, second = parsed.invoices
    assert (first.number, first.client_key, first.period, first.status, first.total) == (
        "INV-2026-0001", "ACME", "2026-10", "sent", Decimal(450))
    assert (first.paid, first.hours, first.currency, first.ref) == (
        Decimal(0), Decimal(10), "USD", CellRef("Invoices", 2, 0))
    assert (second.period, second.status, second.total) == ("2026-10", "draft", Decimal(0))
    assert parsed.vaxl_tabs == ("Invoices", "INV-2026-0001")
    assert parsed.tab_names == ("Clients", "Invoices", "_vaxl")


def test_register_problems() -> None:
    rows = [REGISTER, ["", "acme", "", "", "", "", "lots", "", "", "", "", "", "many", "", ""]]
    parsed, problems = parse_book(book(Clients=[], Invoices=rows,
                                       _vaxl=[["Tab", "Kind"], ["Invoices", "register"]]))
    # The row is kept exactly as typed (never lost), marked unread so billing skips it.
    (kept,) = parsed.invoices
    assert kept.unread and dict(kept.unread)["subtotal"] == "lots"
    assert dict(kept.unread)["hours"] == "many"
    assert [(p.code, p.cell) for p in problems] == [
        ("missing_invoice_no", "A2"), ("missing_period", "C2"), ("bad_money", "G2"),
        ("bad_number", "M2")]


def test_a_users_own_invoices_tab_is_not_read_as_the_register() -> None:
    rows = [["Invoice", "Amount"], ["mine", 5]]
    parsed, problems = parse_book(book(Clients=[], Invoices=rows))
    assert parsed.invoices == () and problems == []


def test_column_map_for_checks() -> None:
    parsed = parse_workbook(ts([D, "A", "", "", 1.0], header=["Date", "client id", "Task",
                                                             "Category", "Hours"]))
    assert parsed.columns["Timesheet"]["client_id"] == (2, "client id")
    assert parsed.columns["Timesheet"]["hours"] == (5, "Hours")
