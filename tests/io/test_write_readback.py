"""What write_grids writes reads back exactly: in openpyxl (values, types, styles,
links, panes, print setup), in python-calamine, and in LibreOffice headless
(which also redraws the native chart)."""

from __future__ import annotations

import csv
import posixpath
import subprocess
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from vaxl.io.xlsx_write import write_grids
from vaxl.layout.grid import Chart, Grid, Style

RISKY_TEXT = ["=SUM(A1)", "+1", "-x", "@x", "=1+1", " leading space", "a_x0041_b", "tab\there"]
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def make_book(path: Path, date_1904: bool = False) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    ws = wb.add_worksheet("Timesheet")
    ws.write_row(0, 0, ["Date", "Client ID", "Hours"])
    ws.write_row(1, 0, ["2026-11-03", "ACME", 1.5])
    wb.close()
    return path


def report_grid() -> Grid:
    g = Grid("Report 2026-11", landscape=True, fit_width=True)
    g.set(1, 1, "Report", Style(bold=True, size=16, color="1F3864"))
    g.merges.append("A1:D1")
    g.put_row(3, ["Client", "Hours", "Amount", "Since"], Style(bold=True, fill="DDEEFF",
                                                               border="box", align="center"))
    g.put_row(4, ["ACME", Decimal("12.50"), Decimal("625.00"), date(2026, 1, 5)])
    g.put_row(5, ["BETA", 3, 150.25, datetime(2026, 2, 1, 13, 30)])
    g.set(6, 1, "Total", Style(italic=True))
    g.set(6, 2, Decimal("15.50"), Style(num_format="#,##0.00", border="double-bottom"),
          formula="SUM(B4:B5)")
    g.set(6, 3, Decimal("775.25"), formula="=SUM(C4:C5)")
    g.set(7, 1, True)
    g.set(7, 2, "open", formula='IF(B6>0,"open","none")')
    g.set(8, 1, "Long text that wraps in its cell", Style(wrap=True))
    for i, text in enumerate(RISKY_TEXT, start=10):
        g.set(i, 1, text)
    g.set(20, 1, "Go to the timesheet", link="'Timesheet'!C2")
    g.set(21, 1, "vaxl", link="https://example.com/a?b=1&c=2")
    g.col_widths = {1: 30, 2: 12.5}
    g.freeze = (4, 2)
    g.charts.append(Chart("Hours by client", "A4:A5", "B4:B5", "Hours", 3, 7))
    return g


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = make_book(tmp_path_factory.mktemp("readback") / "book.xlsx")
    hidden = Grid("_vaxl", hidden="veryHidden")
    hidden.put_row(1, ["Tab", "Kind"])
    write_grids(book, [report_grid(), Grid("Quiet", hidden="hidden"), hidden])
    return book


def test_openpyxl_reads_values_and_types(written: Path) -> None:
    wb = openpyxl.load_workbook(written)
    assert wb.sheetnames == ["Timesheet", "Report 2026-11", "Quiet", "_vaxl"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "hidden",
                                                          "veryHidden"]
    ws = wb["Report 2026-11"]
    assert ws["A4"].value == "ACME"
    assert ws["B4"].value == 12.5 and ws["C4"].value == 625
    assert ws["D4"].value == datetime(2026, 1, 5) and ws["D4"].is_date
    assert ws["D5"].value == datetime(2026, 2, 1, 13, 30)
    assert ws["C5"].value == 150.25
    assert ws["B6"].value == "=SUM(B4:B5)" and ws["C6"].value == "=SUM(C4:C5)"
    assert ws["A7"].value is True and ws["A7"].data_type == "b"
    for i, text in enumerate(RISKY_TEXT, start=10):
        cell = ws.cell(i, 1)
        assert cell.data_type == "s", text
        if "_x0041_" in text:
            # Excel's rule: a literal `_xHHHH_` is written `_x005F_xHHHH_`; openpyxl does
            # not decode inline strings (calamine and LibreOffice do: see their tests).
            assert cell.value == "a_x005F_x0041_b"
        else:
            assert cell.value == text, text
    assert wb["Timesheet"]["C2"].value == 1.5


def test_openpyxl_reads_cached_formula_results(written: Path) -> None:
    ws = openpyxl.load_workbook(written, data_only=True)["Report 2026-11"]
    assert ws["B6"].value == 15.5
    assert ws["C6"].value == 775.25
    assert ws["B7"].value == "open"


def test_openpyxl_reads_styles_links_and_layout(written: Path) -> None:
    ws = openpyxl.load_workbook(written)["Report 2026-11"]
    title = ws["A1"]
    assert title.font.b and title.font.sz == 16 and title.font.color.rgb == "FF1F3864"
    header = ws["B3"]
    assert header.font.b and header.fill.fgColor.rgb == "FFDDEEFF"
    assert header.border.left.style == "thin" and header.border.bottom.style == "thin"
    assert header.alignment.horizontal == "center"
    assert ws["B6"].number_format == "#,##0.00"
    assert ws["B6"].border.bottom.style == "double"
    assert ws["A6"].font.i
    assert ws["A8"].alignment.wrap_text
    assert ws["D4"].number_format == "yyyy-mm-dd"
    assert ws["A4"].font.b is False
    assert "A1:D1" in [str(r) for r in ws.merged_cells.ranges]
    assert ws.column_dimensions["A"].width == 30
    assert ws.column_dimensions["B"].width == 12.5
    assert ws.freeze_panes == "B4"
    assert ws["A20"].hyperlink.location == "'Timesheet'!C2"
    assert ws["A21"].hyperlink.target == "https://example.com/a?b=1&c=2"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_calamine_reads_values(written: Path) -> None:
    wb = python_calamine.CalamineWorkbook.from_path(str(written))
    rows = wb.get_sheet_by_name("Report 2026-11").to_python()
    assert rows[3][:4] == ["ACME", 12.5, 625.0, date(2026, 1, 5)]
    assert rows[5][1] == 15.5
    assert [rows[i][0] for i in range(9, 9 + len(RISKY_TEXT))] == RISKY_TEXT


def _part(zf: zipfile.ZipFile, source: str, rel_type: str) -> str:
    rels_name = posixpath.join(posixpath.dirname(source), "_rels",
                               posixpath.basename(source) + ".rels")
    rels = ET.fromstring(zf.read(rels_name))
    target = next(r.get("Target") for r in rels.iter(REL) if r.get("Type").endswith(rel_type))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def test_chart_parts_are_well_formed_and_linked(written: Path) -> None:
    with zipfile.ZipFile(written) as zf:
        wb_rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        root = ET.fromstring(zf.read("xl/workbook.xml"))
        ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        rid_attr = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        rid = next(s.get(rid_attr) for s in root.iter(f"{ns}sheet")
                   if s.get("name") == "Report 2026-11")
        sheet = "xl/" + next(r.get("Target") for r in wb_rels.iter(REL) if r.get("Id") == rid)
        drawing = _part(zf, sheet, "/drawing")
        chart = _part(zf, drawing, "/chart")
        chart_xml = ET.fromstring(zf.read(chart))
        c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
        formulas = [f.text for f in chart_xml.iter(f"{c}f")]
        assert formulas == ["'Report 2026-11'!$A$4:$A$5", "'Report 2026-11'!$B$4:$B$5"]
        assert [v.text for v in chart_xml.iter(f"{c}v")][-2:] == ["12.50", "3"]
        ET.fromstring(zf.read(drawing))
        types = zf.read("[Content_Types].xml").decode()
        assert f'PartName="/{chart}"' in types and f'PartName="/{drawing}"' in types
        assert b"<drawing r:id=" in zf.read(sheet)


def test_1904_workbooks_get_1904_serials(tmp_path: Path) -> None:
    book = make_book(tmp_path / "mac.xlsx", date_1904=True)
    g = Grid("Validation")
    g.set(1, 1, date(2026, 11, 3))
    write_grids(book, [g])
    ws = openpyxl.load_workbook(book)["Validation"]
    assert ws["A1"].value == datetime(2026, 11, 3)
    sheet = next(n for n in zipfile.ZipFile(book).namelist() if n.endswith("sheet2.xml"))
    # 2026-11-03 is day 46329 counted from 1900 and 44867 counted from 1904.
    assert b"<v>44867</v>" in zipfile.ZipFile(book).read(sheet)


def _lo_convert(soffice: str, book: Path, out_dir: Path, fmt: str) -> Path:
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(out_dir), str(book)],
        check=True, capture_output=True, timeout=120,
    )
    return out_dir / (book.stem + "." + fmt.split(":")[0])


@pytest.mark.libreoffice
def test_libreoffice_opens_values_text_and_chart(written: Path, soffice: str,
                                                 tmp_path: Path) -> None:
    out = _lo_convert(soffice, written, tmp_path, "xlsx")
    wb = openpyxl.load_workbook(out)
    assert "Report 2026-11" in wb.sheetnames
    ws = wb["Report 2026-11"]
    assert ws["A4"].value == "ACME" and ws["B4"].value == 12.5
    for i, text in enumerate(RISKY_TEXT, start=10):
        assert ws.cell(i, 1).value == text
        assert ws.cell(i, 1).data_type == "s"
    assert ws["A20"].hyperlink is not None
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert charts, "LibreOffice dropped the chart"
        formulas = [f.text for n in charts for f in ET.fromstring(zf.read(n)).iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/chart}f")]
        assert "'Report 2026-11'!$B$4:$B$5" in formulas


@pytest.mark.libreoffice
def test_libreoffice_shows_values_of_the_second_tab(written: Path, soffice: str,
                                                    tmp_path: Path) -> None:
    """The CSV export of tab 2 (the report) as LibreOffice shows it."""
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2"
    _lo_convert(soffice, written, tmp_path, fmt)
    out = tmp_path / f"{written.stem}-Report 2026-11.csv"
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[3][:3] == ["ACME", "12.5", "625"]
    assert rows[5][1:3] == ["15.5", "775.25"]
    assert rows[6][:2] == ["TRUE", "open"]
    assert [rows[i][0] for i in range(9, 9 + len(RISKY_TEXT))] == RISKY_TEXT
