"""How the written tabs look to a person: headers never cut (en and vi), wrapped
Validation texts get tall rows (written as <row ht>, and LibreOffice keeps the
next row clear of them), titled and landscape Report and Aging tabs whose long
names and alerts wrap, and retainer lines that name their month in words."""

from __future__ import annotations

import math
import re
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from vaxl.core.labels import text as core_text
from vaxl.core.models import Book, CellRef, Client, Problem, RegisterRow, Settings
from vaxl.core.results import AgingRow, LedgerRow, ReportRow, RunResult
from vaxl.io.sheetxml import sheet_part
from vaxl.io.xlsx_write import write_grids
from vaxl.layout.aging import aging_grid
from vaxl.layout.fit import LINE_HEIGHT, fit_rows, needs_wrap, shown_text, text_width
from vaxl.layout.grid import Grid, Style
from vaxl.layout.ledger import ledger_grid
from vaxl.layout.register import register_grid
from vaxl.layout.report import report_grid
from vaxl.layout.validation import HEADER_ROW, validation_grid

LONG_NAME = "Công ty TNHH Thương mại Dịch vụ Xuất nhập khẩu Hoa Sen Ví Dụ"  # 60 characters
LONG_ALERT = ("Low balance: 92% of prepaid hours used, 1.50 h left; "
              "Credit of 40.00 USD not yet applied")


def client(key: str, name: str, currency: str = "USD") -> Client:
    return Client(key=key, id=key, name=name, currency=currency, ref=CellRef("Clients", 2))


def book(lang: str) -> Book:
    return Book(settings=Settings(language=lang),
                clients=(client("ACME", "Acme LLC"), client("HOASEN", LONG_NAME, "VND")),
                tab_names=("Settings", "Clients", "Timesheet"))


def report_rows() -> tuple[ReportRow, ...]:
    common: dict[str, object] = dict(billing="retainer", hours_worked=D("12.5"),
                                     billable_hours=D("12.5"), rush_share=D(0))
    return (
        ReportRow(client_key="ACME", client_name="Acme LLC", currency="USD",
                  amount_billed=D("1472.50"), effective_rate=D("117.80"),
                  prepaid_balance=D("1.5"), alerts=tuple(LONG_ALERT.split("; ")),
                  **common),  # type: ignore[arg-type]
        ReportRow(client_key="HOASEN", client_name=LONG_NAME, currency="VND",
                  amount_billed=D("5000000"), effective_rate=D("400000"),
                  prepaid_balance=None, **common),  # type: ignore[arg-type]
    )


def aging_rows() -> list[AgingRow]:
    return [AgingRow(number="HD-2026-0001", client_key="HOASEN", currency="VND",
                     issue_date=date(2026, 12, 1), due_date=date(2026, 12, 8), days_overdue=2,
                     bucket="1-30", balance=D("917000"))]


def all_tabs(lang: str) -> list[tuple[Grid, int]]:
    """(grid, header row) of every tab vaxl writes besides invoices."""
    b = book(lang)
    register = register_grid([RegisterRow(number="HD-2026-0001", client_key="HOASEN",
                                          period="2026-11", currency="VND",
                                          total=D("5500000"), tab="HD-2026-0001")], b.settings)
    ledger = ledger_grid([LedgerRow(client_key="HOASEN", month="2026-11", kind="retainer",
                                    included=D(20), carried_in=D(0), used=D("18.5"),
                                    overage=D(0), expired=D(0), carried_out=D("1.5"))], b)
    result = RunResult(period="2026-11", report=report_rows())
    problems = [Problem(severity="error", tab="Clients", cell="C3", column="Billing",
                        value="monthly", message="Billing must be hourly.", fix="Pick one.")]
    return [(register, 1), (ledger, 1), (report_grid(result, b), 3),
            (aging_grid(aging_rows(), b, today=date(2026, 12, 10)), 3),
            (validation_grid(problems, b), HEADER_ROW)]


# --- widths -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_header_fits_its_column(lang: str) -> None:
    # A column at least one character wider than its header's letters shows it whole
    # (`Mã khách hàng` was cut to `Mã khách hàn` in a 12-wide column).
    for grid, header_row in all_tabs(lang):
        for (r, c), cell in grid.cells.items():
            if r == header_row and isinstance(cell.value, str):
                assert grid.col_widths[c] >= len(cell.value) + 1, (grid.name, cell.value)


def test_vietnamese_headers_that_were_cut() -> None:
    tabs = {grid.name: (grid, row) for grid, row in all_tabs("vi")}
    register, _ = tabs["Invoices"]
    assert register.cells[(1, 2)].value == "Mã khách hàng"
    assert register.col_widths[2] >= 14
    aging, row = tabs["Aging"]
    assert aging.cells[(row, 5)].value == "Số ngày quá hạn"
    assert aging.col_widths[5] >= 16


def test_content_widens_its_column_up_to_a_cap() -> None:
    ledger = next(g for g, _ in all_tabs("vi") if g.name == "Retainers")
    # the client column grows for a long name but stops at the cap
    assert 28 <= ledger.col_widths[2] <= 40


# --- row heights --------------------------------------------------------------


def words_problem(words: int) -> Problem:
    # eight lower-case letters and a space: never fewer than 55 characters a line fit in 55
    return Problem(severity="warning", tab="Timesheet", cell="E147", column="Hours", value="2",
                   message=" ".join(["abcdefgh"] * words), fix="Delete this row.")


def test_long_problems_get_tall_rows_short_ones_keep_the_default() -> None:
    grid = validation_grid([words_problem(30), words_problem(2)], book("en"))
    long_row, short_row = HEADER_ROW + 1, HEADER_ROW + 2
    width = grid.col_widths[6]
    assert width <= 55
    # 30 words of 9 characters: at most floor(width / 9) words a line
    lines = math.ceil(30 / math.floor(width / 9))
    assert grid.row_heights[long_row] >= lines * LINE_HEIGHT
    assert short_row not in grid.row_heights
    # every cell of a problem row wraps, so they line up at the same edge of a tall row
    assert all(grid.cells[(long_row, c)].style.wrap for c in range(1, 8))


def test_fit_rows_counts_newlines_and_only_wrapped_cells() -> None:
    grid = Grid("T", col_widths={1: 20, 2: 20})
    grid.set(1, 1, "one\ntwo\nthree", Style(wrap=True))
    grid.set(2, 1, "x " * 60, Style())  # not wrapped: spills, never grows the row
    fit_rows(grid, 1)
    assert grid.row_heights == {1: 3 * LINE_HEIGHT}


def test_sheet_xml_writes_row_heights_only_when_set() -> None:
    grid = Grid("T")
    grid.set(1, 1, "a")
    grid.set(2, 1, "b")
    plain = sheet_part(grid, lambda style: 0).xml.decode()
    assert ' ht="' not in plain and '<row r="2">' in plain
    grid.row_heights[2] = 45.0
    tall = sheet_part(grid, lambda style: 0).xml.decode()
    assert '<row r="2" ht="45" customHeight="1">' in tall and '<row r="1">' in tall


def make_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Timesheet").write_row(0, 0, ["Date", "Client ID", "Hours"])
    wb.close()
    return path


def test_row_heights_read_back_in_openpyxl(tmp_path: Path) -> None:
    grid = validation_grid([words_problem(30), words_problem(2)], book("en"))
    written = write_grids(make_book(tmp_path / "b.xlsx"), [grid])
    ws = openpyxl.load_workbook(written)["Validation"]
    tall = ws.row_dimensions[HEADER_ROW + 1]
    assert tall.height == pytest.approx(grid.row_heights[HEADER_ROW + 1])
    assert tall.customHeight
    assert ws.row_dimensions[HEADER_ROW + 2].height is None


def test_libreoffice_keeps_the_next_row_clear_of_wrapped_text(
    soffice: str, tmp_path: Path
) -> None:
    problems = [words_problem(30),
                Problem(severity="warning", tab="Timesheet", cell="E150", column="Hours",
                        value="3", message="Zebra row.", fix="Quokka fix.")]
    grid = validation_grid(problems, book("en"))
    src = write_grids(make_book(tmp_path / "b.xlsx"), [grid])
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=120,
    )
    pdf = tmp_path / "out" / "b.pdf"
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = [(w, float(y0), float(y1)) for y0, y1, w in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
        html)]
    wrapped = [w for w in words if w[0] == "abcdefgh"]
    after = [w for w in words if w[0] in ("Zebra", "Quokka", "E150")]
    lines = {round(y0) for _, y0, _ in wrapped}
    assert len(lines) >= 5, "the 30-word message should wrap over several lines"
    lowest_wrapped = max(y1 for _, _, y1 in wrapped)
    assert after and min(y0 for _, y0, _ in after) > lowest_wrapped


# --- Report and Aging ----------------------------------------------------------


@pytest.mark.parametrize("lang,title", [("en", "Report — November 2026"),
                                        ("vi", "Báo cáo — Tháng 11/2026")])
def test_report_title_landscape_and_wrapped_long_texts(lang: str, title: str) -> None:
    grid = report_grid(RunResult(period="2026-11", report=report_rows()), book(lang))
    assert grid.cells[(1, 1)].value == title
    assert grid.landscape and grid.fit_width
    acme, hoasen = 4, 5
    alerts = grid.cells[(acme, 11)]
    name = grid.cells[(hoasen, 2)]
    assert alerts.value == LONG_ALERT and alerts.style.wrap
    assert name.value == LONG_NAME and name.style.wrap
    # wrapped columns stay narrower than their text, and their rows grow instead
    assert grid.col_widths[11] < len(LONG_ALERT) and grid.col_widths[2] < len(LONG_NAME)
    assert grid.row_heights[acme] >= 2 * LINE_HEIGHT
    assert grid.row_heights[hoasen] >= 2 * LINE_HEIGHT
    # the short name beside the long alert does not wrap
    assert not grid.cells[(acme, 2)].style.wrap


@pytest.mark.parametrize("lang,title", [("en", "Aging at 10 Dec 2026"),
                                        ("vi", "Tuổi nợ tính đến 10/12/2026")])
def test_aging_title_names_the_date(lang: str, title: str) -> None:
    grid = aging_grid(aging_rows(), book(lang), today=date(2026, 12, 10))
    assert grid.cells[(1, 1)].value == title
    assert grid.landscape and grid.fit_width
    name = grid.cells[(4, 2)]
    assert name.value == LONG_NAME and name.style.wrap and grid.row_heights[4] >= 30


def test_needs_wrap_compares_text_with_the_column() -> None:
    assert not needs_wrap("Acme LLC", None, 30)
    assert needs_wrap(LONG_NAME, None, 30)
    assert needs_wrap("short\n" + "x" * 40, None, 30)


# --- wording ------------------------------------------------------------------


def test_retainer_line_names_the_month_in_words() -> None:
    assert (core_text("en", "retainer_fee", period="2026-11", hours=10)
            == "Monthly retainer November 2026 (10 h included)")
    assert (core_text("vi", "retainer_fee", period="2026-11", hours=20)
            == "Phí trọn gói tháng 11/2026 (gồm 20 giờ)")
    assert (core_text("en", "retainer_fee", period="2027-01", hours=5)
            == "Monthly retainer January 2027 (5 h included)")
    # anything that is not YYYY-MM is printed as given
    assert core_text("en", "retainer_fee", period="Q4", hours=1).startswith("Monthly retainer Q4")


# --- the estimates themselves -------------------------------------------------------


def test_text_width_reads_vietnamese_the_same_composed_or_not() -> None:
    composed = "Số ngày quá hạn"
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    assert text_width(decomposed) == pytest.approx(text_width(composed))
    assert text_width("Client ID", bold=True) > text_width("Client ID")
    assert text_width("WWWW") > text_width("0000") > text_width("iiii")
    assert text_width("x", size=22) == pytest.approx(2 * text_width("x"))


@pytest.mark.parametrize("value,code,shown", [
    (D("4432.25"), '"$"#,##0.00;-"$"#,##0.00', "$4,432.25"),
    (D("1500000"), '#,##0 "₫";-#,##0 "₫"', "1,500,000 ₫"),
    (D("0.125"), "0.0%", "12.5%"),
    (D("12.5"), '#,##0.00" h"', "12.50 h"),
    (None, "0", ""),
    ("Acme", None, "Acme"),
])
def test_shown_text_is_as_long_as_what_the_cell_shows(value: object, code: str | None,
                                                     shown: str) -> None:
    # the literal may sit on the other side of the number; the length is what sizes a column
    assert len(shown_text(value, code)) == len(shown)
