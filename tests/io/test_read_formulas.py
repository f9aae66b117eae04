"""Formulas with no calculated value (a workbook written by a script, never opened
in Excel): found in the sheet XML and reported at their cell, not as "empty"."""

from __future__ import annotations

import threading
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from parse_kit import parsed_both

from vaxl.io import xlsx_read
from vaxl.io.xlsx_read import read_workbook, uncalculated_cells
from vaxl.service import run_action

NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _sheet(cells: bytes, *, ns: bytes = NS, close: bytes = b"</worksheet>") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ns
            + b"<sheetData>" + cells + b"</sheetData>" + close)


# (what, sheet XML cells, the cells with a formula and no value)
CASES: list[tuple[str, bytes, list[tuple[int, int]]]] = [
    ("openpyxl: empty <v />", b'<row r="2"><c r="E2"><f>0.5*2</f><v /></c></row>', [(2, 5)]),
    ("no <v> at all", b'<row r="5"><c r="E5"><f>A5*2</f></c></row>', [(5, 5)]),
    ("<v></v>", b'<row r="3"><c r="B3" s="1"><f>1+1</f><v></v></c></row>', [(3, 2)]),
    ("calculated number", b'<row r="2"><c r="E2"><f>0.5*2</f><v>1</v></c></row>', []),
    ("calculated empty text", b'<row r="2"><c r="E2" t="str"><f>""</f><v></v></c></row>', []),
    ("text formula never calculated", b'<row r="2"><c r="E2" t="str"><f>A1</f></c></row>',
     [(2, 5)]),
    ("calculated error", b'<row r="2"><c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>', []),
    ("shared formula child without value",
     b'<row r="2"><c r="E2"><f t="shared" ref="E2:E3" si="0">A2*2</f><v>2</v></c></row>'
     b'<row r="3"><c r="E3"><f t="shared" si="0"/></c></row>', [(3, 5)]),
    ("shared formula child with value",
     b'<row r="2"><c r="E2"><f t="shared" ref="E2:E3" si="0">A2*2</f><v>2</v></c></row>'
     b'<row r="3"><c r="E3"><f t="shared" si="0"/><v>4</v></c></row>', []),
    ("no formulas", b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>f</t>'
     b'</is></c></row>', []),
    ("pretty printed",
     b'\n  <row r="7">\n    <c r="AA7">\n      <f>1+1</f>\n      <v/>\n    </c>\n  </row>\n',
     [(7, 27)]),
    ("several in a row",
     b'<row r="4"><c r="A4"><v>1</v></c><c r="C4"><f>A4</f><v/></c><c r="D4"><f>A4</f>'
     b'<v>1</v></c><c r="E4"><f>A4*2</f><v/></c></row>', [(4, 3), (4, 5)]),
]


@pytest.mark.parametrize(("what", "cells", "expected"), CASES, ids=[c[0] for c in CASES])
def test_uncalculated_cells(what: str, cells: bytes, expected: list[tuple[int, int]]) -> None:
    data = _sheet(cells)
    assert uncalculated_cells(data) == expected
    # the parse that a scan falls back to agrees on every case
    assert sorted(xlsx_read._uncalculated_parse(data)) == expected


@pytest.mark.parametrize(("what", "cells", "expected"), CASES, ids=[c[0] for c in CASES])
def test_uncalculated_cells_with_a_namespace_prefix(what: str, cells: bytes,
                                                    expected: list[tuple[int, int]]) -> None:
    prefixed = cells
    for tag in (b"row", b"c", b"f", b"v", b"is", b"t"):
        prefixed = prefixed.replace(b"<" + tag + b" ", b"<x:" + tag + b" ")
        prefixed = prefixed.replace(b"<" + tag + b">", b"<x:" + tag + b">")
        prefixed = prefixed.replace(b"<" + tag + b"/>", b"<x:" + tag + b"/>")
        prefixed = prefixed.replace(b"</" + tag + b">", b"</x:" + tag + b">")
    data = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<x:sheetData>" + prefixed + b"</x:sheetData></x:worksheet>")
    assert uncalculated_cells(data) == expected


def test_a_comment_is_parsed_not_scanned() -> None:
    data = _sheet(b'<!-- <c r="A1"><f>x</f></c> --><row r="2"><c r="E2"><f>1</f><v/></c></row>')
    assert xlsx_read.uncalculated_scan(data) is None
    assert uncalculated_cells(data) == [(2, 5)]


def test_a_sheet_without_formulas_costs_one_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """A big Timesheet with no formula is answered by the byte search alone
    (data validations' <formula1> do not count): no scan, no parse."""
    def boom(data: bytes) -> None:
        raise AssertionError("scanned")

    monkeypatch.setattr(xlsx_read, "uncalculated_scan", boom)
    monkeypatch.setattr(xlsx_read, "_uncalculated_parse", boom)
    row = b'<row r="%d"><c r="A%d"><v>46329</v></c><c r="E%d"><v>1.5</v></c></row>'
    cells = b"".join(row % (i, i, i) for i in range(2, 20_002))
    validation = (b'<dataValidations count="1"><dataValidation type="list" sqref="F2:F9">'
                  b"<formula1>\"Y,N\"</formula1></dataValidation></dataValidations>")
    assert uncalculated_cells(_sheet(cells, close=validation + b"</worksheet>")) == []


# --- whole workbooks written by openpyxl --------------------------------------------

TS = ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable", "Notes", "Invoice?"]
CL = ["Client ID", "Client Name", "Billing", "Rate"]
D = date(2026, 11, 3)
RECALC = "Open the workbook in Excel or LibreOffice and save it, then run vaxl again."


def _book(path: Path, rows: list[list[Any]], clients: list[list[Any]] | None = None,
          settings: list[list[Any]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Timesheet"
    ws.append(TS)
    for row in rows:
        ws.append(row)
    cl = wb.create_sheet("Clients")
    cl.append(CL)
    for row in clients or [["ACME", "Acme", "hourly", 40]]:
        cl.append(row)
    if settings:
        st = wb.create_sheet("Settings")
        st.append(["Setting", "Value"])
        for row in settings:
            st.append(row)
    wb.save(path)
    return path


def _parsed(path: Path) -> Any:
    return parsed_both(read_workbook(path))


def _found(parsed: Any) -> list[tuple[str, str, str, str]]:
    return [(p.severity, f"{p.tab}!{p.cell}", p.column, p.code) for p in parsed.problems]


# (what, the Timesheet's second data row, expected problems, is the row an entry)
TIMESHEET_CASES: list[tuple[str, list[Any], list[tuple[str, str, str, str]], bool]] = [
    ("hours", [D, "ACME", "x", "", "=0.5*2"],
     [("error", "Timesheet!E3", "Hours", "uncalculated_formula")], False),
    ("date", ["=DATE(2026,11,4)", "ACME", "x", "", 1],
     [("error", "Timesheet!A3", "Date", "uncalculated_formula")], False),
    ("client id", [D, '=UPPER("acme")', "x", "", 1],
     [("error", "Timesheet!B3", "Client ID", "uncalculated_formula")], False),
    ("rush (optional, but billed)", [D, "ACME", "x", "", 1, '=IF(1,"Y","N")'],
     [("error", "Timesheet!F3", "Rush", "uncalculated_formula")], True),
    ("category (prices the line)", [D, "ACME", "x", '="Admin"', 1],
     [("error", "Timesheet!D3", "Category", "uncalculated_formula")], True),
    ("notes (descriptive)", [D, "ACME", "x", "", 1, None, None, "=C3"],
     [("warning", "Timesheet!H3", "Notes", "uncalculated_formula")], True),
    ("an unknown column", [D, "ACME", "x", "", 1, None, None, None, "=1"], [], True),
    ("two cells of one row", ['=DATE(2026,11,4)', "ACME", "x", "", "=1+1"],
     [("error", "Timesheet!A3", "Date", "uncalculated_formula"),
      ("error", "Timesheet!E3", "Hours", "uncalculated_formula")], False),
]


@pytest.mark.parametrize(("what", "row", "expected", "entry"), TIMESHEET_CASES,
                         ids=[c[0] for c in TIMESHEET_CASES])
def test_timesheet_formula_without_value(tmp_path: Path, what: str, row: list[Any],
                                         expected: list[tuple[str, str, str, str]],
                                         entry: bool) -> None:
    parsed = _parsed(_book(tmp_path / "f.xlsx", [[D, "ACME", "ok", "", 1.5], row]))
    assert _found(parsed) == expected  # and never also "... is empty"
    assert [e.ref.row for e in parsed.book.entries] == ([2, 3] if entry else [2])
    for p in parsed.problems:
        assert p.message == (f"The formula in Timesheet!{p.cell} has no calculated value (the "
                             "file was saved by a program that does not calculate).")
        assert p.fix == RECALC and p.value == ""


def test_a_trailing_row_of_formulas_only_is_reported_at_its_row(tmp_path: Path) -> None:
    # calamine leaves out row 4 (no values at all); vaxl still reads and reports it
    parsed = _parsed(_book(tmp_path / "t.xlsx", [[D, "ACME", "ok", "", 1.5], [],
                                                 ["=A2+1", "=B2", None, None, "=E2"]]))
    assert sorted(_found(parsed)) == [
        ("error", "Timesheet!A4", "Date", "uncalculated_formula"),
        ("error", "Timesheet!B4", "Client ID", "uncalculated_formula"),
        ("error", "Timesheet!E4", "Hours", "uncalculated_formula")]
    assert [e.ref.row for e in parsed.book.entries] == [2]


def test_the_brief_example_e2(tmp_path: Path) -> None:
    path = tmp_path / "e2.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Timesheet"
    ws.append(["Date", "Client ID", "Task", "Category", "Hours"])
    ws.append([D, "ACME", "x", "", None])
    ws["E2"] = "=0.5*2"
    wb.create_sheet("Clients").append(CL)
    wb.save(path)
    parsed = _parsed(path)
    assert _found(parsed) == [("error", "Timesheet!E2", "Hours", "uncalculated_formula")]
    assert parsed.problems[0].message.startswith("The formula in Timesheet!E2 has no calculated")


def test_clients_and_settings_formulas_and_no_missing_rate(tmp_path: Path) -> None:
    path = _book(tmp_path / "c.xlsx", [[D, "ACME", "ok", "", 1.5]],
                 clients=[["ACME", "Acme", "hourly", "=40+5"]],
                 settings=[["Payment Terms", "=7*2"], ["Business Email", '="a@b.c"']])
    outcome = run_action("validate", read_workbook(path), today=date(2026, 12, 1),
                         period="2026-11")
    got = [(p.severity, f"{p.tab}!{p.cell}", p.code) for p in outcome.problems]
    assert got == [("error", "Settings!B2", "uncalculated_formula"),
                   ("warning", "Settings!B3", "uncalculated_formula"),
                   ("error", "Clients!D2", "uncalculated_formula")]  # no "has no Rate"
    assert outcome.book.settings.payment_terms == 14
    assert "the default is used" in outcome.problems[0].message


def test_rates_category_formula(tmp_path: Path) -> None:
    path = _book(tmp_path / "r.xlsx", [[D, "ACME", "ok", "", 1.5]])
    wb = openpyxl.load_workbook(path)
    rates = wb.create_sheet("Rates")
    rates.append(["Client ID", "Category", "Rate"])
    rates.append(["ACME", '="Design"', 60])
    wb.save(path)
    parsed = _parsed(path)
    assert _found(parsed) == [("error", "Rates!B2", "Category", "uncalculated_formula")]
    assert parsed.book.rates == ()


def test_formulas_with_cached_values_are_read_as_values(tmp_path: Path) -> None:
    path = tmp_path / "cached.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ts = wb.add_worksheet("Timesheet")
    ts.write_row(0, 0, TS[:5])
    ts.write_row(1, 0, ["2026-11-03", "ACME", "x", ""])
    ts.write_formula(1, 4, "=0.5*3", None, 1.5)
    wb.add_worksheet("Clients").write_row(0, 0, CL)
    wb.close()
    parsed = _parsed(path)
    assert parsed.problems == []
    assert [e.seconds for e in parsed.book.entries] == [5400]


def test_facts_are_read_inline_where_threads_cannot_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_threads(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_threads)
    parsed = _parsed(_book(tmp_path / "n.xlsx", [[D, "ACME", "x", "", "=1"]]))
    assert _found(parsed) == [("error", "Timesheet!E2", "Hours", "uncalculated_formula")]


def test_a_damaged_table_part_costs_only_the_refinement(tmp_path: Path) -> None:
    """Facts that cannot be read leave the values as calamine gave them."""
    path = _book(tmp_path / "d.xlsx", [[D, "ACME", "x", "", 1.5]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info.filename))
        out.writestr("xl/worksheets/_rels/sheet1.xml.rels",
                     b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                     b'relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
                     b'formats.org/officeDocument/2006/relationships/table" '
                     b'Target="../tables/table1.xml"/></Relationships>')
        out.writestr("xl/tables/table1.xml", b"<table ref='A1:E2' totalsRowCount='x'")
    parsed = _parsed(broken)
    assert parsed.problems == [] and len(parsed.book.entries) == 1
