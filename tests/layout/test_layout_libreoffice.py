"""End to end through a real engine: grids -> .xlsx (formulas only, no cached
values) -> LibreOffice recalculates -> the results equal vaxl's own figures to
the minor unit.  And the USD invoice prints to a PDF that reads like an invoice."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from python_calamine import CalamineWorkbook

from vaxl.core.models import Book, CellRef, Client
from vaxl.core.money import round_money, to_decimal
from vaxl.core.results import AgingRow, ReportRow, RunResult
from vaxl.layout.aging import aging_grid
from vaxl.layout.grid import Grid
from vaxl.layout.invoice import invoice_grid
from vaxl.layout.invoice_doc import invoice_doc
from vaxl.layout.report import report_grid

pytestmark = pytest.mark.libreoffice

_HERE = Path(__file__).resolve().parent


def _load_invoice_tests():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("_inv_cases", _HERE / "test_invoice_layout.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_inv_cases"] = module
    spec.loader.exec_module(module)
    return module


cases = _load_invoice_tests()


def need_tool(name: str) -> None:
    """As tests/conftest.py: skip locally, fail in CI, when a tool is missing."""
    if shutil.which(name) is None:
        message = f"{name} is not installed"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)


def write_xlsx(grids: list[Grid], path: Path) -> None:
    """Test-only sink: formulas without cached values, so the engine must compute."""
    wb = Workbook()
    wb.active.title = "Timesheet"
    thin = Side(style="thin", color="9CA3AF")
    for grid in grids:
        ws = wb.create_sheet(grid.name)
        for (r, c), cell in grid.cells.items():
            target = ws.cell(r, c)
            if cell.formula:
                target.value = "=" + cell.formula
            else:
                value = cell.value
                target.value = float(value) if isinstance(value, D) else value
                if isinstance(value, str):
                    target.data_type = "s"
            style = cell.style
            if style is not None:
                target.font = Font(bold=style.bold, italic=style.italic, size=style.size or 10,
                                   color=style.color)
                if style.fill:
                    target.fill = PatternFill("solid", fgColor=style.fill)
                sides = {"box": dict(left=thin, right=thin, top=thin, bottom=thin),
                         "bottom": dict(bottom=thin), "top": dict(top=thin),
                         "double-bottom": dict(top=thin, bottom=Side(style="double"))}
                target.border = Border(**sides.get(style.border or "", {}))
                if style.num_format:
                    target.number_format = style.num_format
                target.alignment = Alignment(horizontal=style.align, wrap_text=style.wrap)
        for col, width in grid.col_widths.items():
            ws.column_dimensions[ws.cell(1, col).column_letter].width = width
        for merge in grid.merges:
            ws.merge_cells(merge)
        ws.page_setup.orientation = "landscape" if grid.landscape else "portrait"
        if grid.fit_width:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
    wb.save(path)


def convert(soffice: str, src: Path, fmt: str, tmp: Path) -> Path:
    out = tmp / f"out-{fmt}"
    profile = (tmp / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=120,
    )
    result = out / (src.stem + "." + fmt.split(":")[0])
    assert result.exists(), f"LibreOffice produced no {fmt}"
    return result


def _label_row(grid: Grid, label: str, col: int = 4) -> int:
    return next(r for (r, c), cell in grid.cells.items() if c == col and cell.value == label)


def test_libreoffice_recalculates_totals_to_the_cent(soffice: str, tmp_path: Path) -> None:
    usd = cases.usd_invoice()
    vnd = cases.vnd_invoice()
    g_usd = invoice_grid(invoice_doc(usd, cases.SETTINGS_EN, cases.CLIENT), usd)
    g_vnd = invoice_grid(invoice_doc(vnd, cases.SETTINGS_VI, None), vnd)
    book = Book(clients=(Client(key="ACME", id="ACME", name="Acme", ref=CellRef("Clients", 2)),))
    report = report_grid(RunResult(period="2026-11", report=(
        ReportRow(client_key="ACME", client_name="Acme", billing="hourly", currency="USD",
                  hours_worked=D("1.1"), billable_hours=D("1"), amount_billed=D("0.10"),
                  effective_rate=None, rush_share=D(0), prepaid_balance=None),
        ReportRow(client_key="BETA", client_name="Beta", billing="hourly", currency="USD",
                  hours_worked=D("2.2"), billable_hours=D("2"), amount_billed=D("0.20"),
                  effective_rate=None, rush_share=D(0), prepaid_balance=None),
    )), book)
    aging = aging_grid([
        AgingRow(number="A", client_key="ACME", currency="USD", issue_date=None,
                 due_date=date(2026, 11, 1), days_overdue=40, bucket="31-60", balance=D("0.10")),
        AgingRow(number="B", client_key="ACME", currency="USD", issue_date=None,
                 due_date=date(2026, 11, 1), days_overdue=40, bucket="31-60", balance=D("0.20")),
    ], book)
    src = tmp_path / "book.xlsx"
    write_xlsx([g_usd, g_vnd, report, aging], src)
    recalculated = convert(soffice, src, "xlsx", tmp_path)
    wb = CalamineWorkbook.from_path(str(recalculated))

    def value(sheet: str, row: int, col: int, currency: str) -> D:
        """The engine's result; it must already sit on the minor unit (no float noise
        beyond 1e-6), so an unrounded tax formula would fail here."""
        data = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        raw = to_decimal(data[row - 1][col - 1])
        rounded = round_money(raw, currency)
        assert abs(raw - rounded) < D("1e-6"), (sheet, row, col, raw)
        return rounded

    checks = 0
    for inv, grid in ((usd, g_usd), (vnd, g_vnd)):
        for key in ("subtotal", "tax", "total", "paid", "balance"):
            label = invoice_doc(inv, cases.SETTINGS_VI if inv.language == "vi" else
                                cases.SETTINGS_EN, None).total(key).label
            got = value(grid.name, _label_row(grid, label), 6, inv.currency)
            assert got == getattr(inv, key), (inv.number, key)
            checks += 1
    assert checks == 10
    usd_total = _label_row(report, "Total USD", 1)
    assert value(report.name, usd_total, 7, "USD") == D("0.30")
    assert value(report.name, usd_total, 5, "USD") == D("3.30")
    aging_total = _label_row(aging, "Total USD", 1)
    assert value("Aging", aging_total, 8, "USD") == D("0.30")


def test_invoice_prints_as_one_portrait_page(soffice: str, tmp_path: Path) -> None:
    need_tool("pdftotext")
    need_tool("pdfinfo")
    usd = cases.usd_invoice()
    grid = invoice_grid(invoice_doc(usd, cases.SETTINGS_EN, cases.CLIENT), usd)
    src = tmp_path / "invoice.xlsx"
    write_xlsx([grid], src)
    # print only the invoice: drop the placeholder Timesheet tab
    from openpyxl import load_workbook

    wb = load_workbook(src)
    del wb["Timesheet"]
    wb.save(src)
    pdf = convert(soffice, src, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    for expected in ("INVOICE", "INV-2026-0007", "Acme Holdings LLC", "Balance Due",
                     "$802.50", "$66.21", "$868.71", "$768.71", "Retainer statement",
                     "Time detail", "Payment is due within 14 days, by 15 Dec 2026."):
        assert expected in text, expected


def test_real_writer_output_prints(soffice: str, tmp_path: Path) -> None:
    """The project's own writer (vaxl.io.xlsx_write) carries these grids into a
    workbook that LibreOffice prints with every figure and the report chart."""
    need_tool("pdftotext")
    from vaxl.io.xlsx_write import write_grids

    base = tmp_path / "base.xlsx"
    wb = Workbook()
    wb.active.title = "Timesheet"
    wb.save(base)
    usd = cases.usd_invoice()
    vnd = cases.vnd_invoice()
    report = report_grid(RunResult(period="2026-11", report=(
        ReportRow(client_key="ACME", client_name="Acme", billing="hourly", currency="USD",
                  hours_worked=D("15.75"), billable_hours=D("15.75"), amount_billed=D("802.50"),
                  effective_rate=D("50.95"), rush_share=D("0.1"), prepaid_balance=None),
    )), Book())
    grids = [invoice_grid(invoice_doc(usd, cases.SETTINGS_EN, cases.CLIENT), usd),
             invoice_grid(invoice_doc(vnd, cases.SETTINGS_VI, None), vnd), report]
    out = write_grids(base, grids, output=tmp_path / "book.xlsx")
    pdf = convert(soffice, out, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for expected in ("INVOICE", "868.71", "768.71", "HÓA ĐƠN", "Còn phải trả",
                     "Amount billed per client (USD)", "Total USD"):
        assert expected in text, expected
    # separators follow LibreOffice's locale; the VND total has no decimals either way
    assert re.search(r"1[.,]814[.,]063 ₫", text), "VND balance"
    assert not re.search(r"1[.,]814[.,]063[.,]00", text)
