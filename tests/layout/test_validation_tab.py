"""The Validation tab and the `_vaxl` manifest: their grids, and the Validation
tab written into a real workbook and read back by openpyxl, python-calamine and
LibreOffice."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from vaxl.core.models import Book, Problem, Settings
from vaxl.io.xlsx_write import write_grids
from vaxl.layout.manifest import MANIFEST_TAB, manifest_grid, tab_kind, vaxl_tab_names
from vaxl.layout.validation import cell_link, problem_order, validation_grid
from vaxl.sheets.raw import RawBook, RawTab

TABS = ("Settings", "Clients", "Timesheet", "Blocks")


def problems() -> list[Problem]:
    return [
        Problem(severity="warning", tab="Timesheet", cell="B9", column="Client ID",
                value="acme ", message="Client ID has a trailing space.", fix="Remove it."),
        Problem(severity="error", tab="Timesheet", cell="E14", column="Hours", value="=SUM(A1)",
                message="Hours is not a number.", fix="Type hours like 1.5 or 1:30."),
        Problem(severity="error", tab="Clients", cell="C3", column="Billing", value="monthly",
                message="Billing must be hourly, retainer, block or commission.",
                fix="Pick one of the four."),
        Problem(severity="error", tab="Timesheet", cell="E9", column="Hours", value="-1",
                message="Hours cannot be negative.", fix="Type a positive number."),
        Problem(severity="warning", tab="Blocks", cell="", column="", value="",
                message="The Blocks tab is empty.", fix=""),
        Problem(severity="error", tab="Timesheet", cell="12", column="", value="",
                message="The row has no date.", fix="Add the date."),
    ]


def book(language: str = "en") -> Book:
    return Book(settings=Settings(language=language), tab_names=TABS)


def test_rows_are_sorted_errors_first_then_tab_order_then_row() -> None:
    grid = validation_grid(problems(), book())
    rows = grid.values()
    assert rows[0][0] == "Validation"
    assert rows[1][0] == "4 errors, 2 warnings"
    assert rows[3] == ["Severity", "Tab", "Cell", "Column", "Value", "Problem", "How to fix"]
    body = [r[:3] for r in rows[4:]]
    assert body == [
        ["error", "Clients", "C3"],
        ["error", "Timesheet", "E9"],
        ["error", "Timesheet", "12"],
        ["error", "Timesheet", "E14"],
        ["warning", "Timesheet", "B9"],
        ["warning", "Blocks", None],
    ]
    assert grid.name == "Validation" and grid.kind == "validation"
    assert grid.freeze == (5, 1)


def test_cells_link_to_the_problem_cell() -> None:
    grid = validation_grid(problems(), book())
    links = {grid.cells[(r, 3)].value: grid.cells[(r, 3)].link for r in range(5, 11)}
    assert links == {"C3": "'Clients'!C3", "E9": "'Timesheet'!E9", "12": "'Timesheet'!A12",
                     "E14": "'Timesheet'!E14", "B9": "'Timesheet'!B9", None: None}
    assert cell_link("Bob's tab", "e5") == "'Bob''s tab'!E5"
    assert cell_link("Timesheet", "") is None


def test_no_link_to_a_tab_that_is_not_in_the_workbook() -> None:
    missing = Problem(severity="error", tab="Rates", cell="A1", message="The Rates tab is missing.")
    grid = validation_grid([missing], book())
    assert grid.cells[(5, 3)].value == "A1" and grid.cells[(5, 3)].link is None


def test_colours_and_layout() -> None:
    grid = validation_grid(problems(), book())
    error, warning = grid.cells[(5, 1)].style, grid.cells[(9, 1)].style
    assert error is not None and warning is not None
    assert error.color != warning.color and error.fill != warning.fill
    assert grid.cells[(6, 6)].style is not None and grid.cells[(6, 6)].style.wrap
    assert grid.col_widths[6] >= 40 and len(grid.col_widths) == 7
    assert grid.cells[(4, 1)].style is not None and grid.cells[(4, 1)].style.bold


def test_no_problems_is_a_green_line() -> None:
    grid = validation_grid([], book())
    summary = grid.cells[(2, 1)]
    assert summary.value == "No problems found"
    assert summary.style is not None and summary.style.color is not None
    assert summary.style.color.startswith("1E6B")  # green
    assert grid.max_row == 4


def test_singular_counts() -> None:
    one_each = [problems()[0], problems()[1]]
    assert validation_grid(one_each, book()).cells[(2, 1)].value == "1 error, 1 warning"


def test_vietnamese_labels() -> None:
    grid = validation_grid(problems(), book("vi"))
    rows = grid.values()
    assert rows[0][0] == "Kiểm tra dữ liệu"
    assert rows[1][0] == "4 lỗi, 2 cảnh báo"
    assert rows[3] == ["Mức độ", "Trang tính", "Ô", "Cột", "Giá trị", "Vấn đề", "Cách sửa"]
    assert rows[4][0] == "lỗi" and rows[-1][0] == "cảnh báo"
    assert grid.name == "Validation"
    assert validation_grid([], book("vi")).cells[(2, 1)].value == "Không có vấn đề nào"


def test_problem_order_is_stable_for_unknown_tabs() -> None:
    ps = [Problem(severity="error", tab="Zeta", cell="A2", message="m"),
          Problem(severity="error", tab="alpha", cell="A2", message="m"),
          Problem(severity="error", tab="Clients", cell="AA2", message="m"),
          Problem(severity="error", tab="Clients", cell="B2", message="m")]
    ordered = [(p.tab, p.cell) for p in problem_order(ps, TABS)]
    assert ordered == [("Clients", "B2"), ("Clients", "AA2"), ("alpha", "A2"), ("Zeta", "A2")]


# --- manifest -----------------------------------------------------------------------


def test_manifest_lists_tabs_sorted_with_kinds_and_itself() -> None:
    grid = manifest_grid({"Validation", "INV-2026-0002", "Invoices", "Report 2026-11",
                          "INV-2026-0001", "Aging", "Retainers"})
    assert grid.name == MANIFEST_TAB and grid.hidden == "veryHidden"
    assert grid.values() == [
        ["Tab", "Kind"],
        ["_vaxl", "manifest"],
        ["Aging", "aging"],
        ["INV-2026-0001", "invoice"],
        ["INV-2026-0002", "invoice"],
        ["Invoices", "register"],
        ["Report 2026-11", "report"],
        ["Retainers", "retainers"],
        ["Validation", "validation"],
    ]
    assert tab_kind(" validation ") == "validation"


def test_manifest_round_trip_through_a_raw_book() -> None:
    grid = manifest_grid({"Validation", "INV-2026-0001"})
    raw = RawBook(tabs={"_vaxl": RawTab("_vaxl", grid.values())},
                  tab_names=["Timesheet", "Validation", "INV-2026-0001", "_vaxl"])
    assert vaxl_tab_names(raw) == {"Validation", "INV-2026-0001", "_vaxl"}
    assert manifest_grid(vaxl_tab_names(raw)).values() == grid.values()


def test_manifest_forgets_tabs_the_user_deleted() -> None:
    rows = [["Tab", "Kind"], ["Validation", "validation"], ["Report 2026-10", "report"]]
    raw = RawBook(tabs={"_VAXL": RawTab("_VAXL", rows)},
                  tab_names=["Validation", "_VAXL"])
    assert vaxl_tab_names(raw) == {"Validation"}
    assert vaxl_tab_names(RawBook(tabs={"_vaxl": RawTab("_vaxl", rows)})) == {
        "Validation", "Report 2026-10"}


def test_manifest_read_from_an_offset_tab() -> None:
    raw = RawBook(tabs={"_vaxl": RawTab("_vaxl", [["Validation"], [None], ["  "], ["Aging"]],
                                        first_row=2)})
    assert vaxl_tab_names(raw) == {"Validation", "Aging"}
    assert vaxl_tab_names(RawBook()) == set()


# --- written and read back -------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("validation") / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in TABS:
        wb.add_worksheet(name).write("A1", name)
    wb.close()
    grid = validation_grid(problems(), book())
    write_grids(path, [grid, manifest_grid({grid.name})])
    return path


def test_openpyxl_reads_the_validation_tab_exactly(written: Path) -> None:
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames == [*TABS, "Validation", "_vaxl"]
    assert wb["_vaxl"].sheet_state == "veryHidden"
    ws = wb["Validation"]
    expected = validation_grid(problems(), book()).values()
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert got == expected
    assert ws["C5"].hyperlink.location == "'Clients'!C3"
    assert ws["C8"].hyperlink.location == "'Timesheet'!E14"
    assert ws["E8"].value == "=SUM(A1)" and ws["E8"].data_type == "s"
    assert ws.freeze_panes == "A5"
    assert ws["A2"].font.b


def test_calamine_reads_the_validation_tab(written: Path) -> None:
    wb = python_calamine.CalamineWorkbook.from_path(str(written))
    rows = wb.get_sheet_by_name("Validation").to_python()
    expected = validation_grid(problems(), book()).values()
    assert [[v if v != "" else None for v in row] for row in rows] == expected
    manifest = wb.get_sheet_by_name("_vaxl").to_python()
    assert manifest == [["Tab", "Kind"], ["_vaxl", "manifest"], ["Validation", "validation"]]


@pytest.mark.libreoffice
def test_libreoffice_shows_the_validation_tab(written: Path, soffice: str,
                                              tmp_path: Path) -> None:
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,5"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", fmt, "--outdir", str(tmp_path), str(written)],
        check=True, capture_output=True, timeout=120,
    )
    out = tmp_path / "book-Validation.csv"
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[1][0] == "4 errors, 2 warnings"
    assert rows[3] == ["Severity", "Tab", "Cell", "Column", "Value", "Problem", "How to fix"]
    assert rows[7][:6] == ["error", "Timesheet", "E14", "Hours", "=SUM(A1)",
                           "Hours is not a number."]
