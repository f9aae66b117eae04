"""`vaxl run` on the sample workbooks, end to end, judged by outside parties:
LibreOffice recalculates every invoice tab's formulas, the committed expected
results (golden files), and re-runs that must keep numbers and frozen invoices.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from vaxl.layout.labels import text as label
from vaxl.samples import golden_view

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
RUN_ARGS = ["--month", "2026-11", "--issue-date", "2026-12-01", "--today", "2026-12-10", "--json"]


def vaxl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vaxl", *args], capture_output=True,
                          text=True, timeout=180)


def run_json(book: Path, *extra: str) -> dict:
    result = vaxl("run", str(book), *RUN_ARGS, *extra)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


_golden_view = golden_view


@pytest.fixture(scope="module", params=["en", "vi"])
def ran(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    lang = request.param
    folder = tmp_path_factory.mktemp(f"run-{lang}")
    book = folder / f"assistant-{lang}.xlsx"
    shutil.copy(SAMPLES / f"assistant-{lang}.xlsx", book)
    return lang, book, run_json(book)


def test_golden_results(ran) -> None:
    lang, _, payload = ran
    expected = json.loads((SAMPLES / f"expected-{lang}.json").read_text(encoding="utf-8"))
    assert golden_view(payload) == expected


def test_money_adds_up(ran) -> None:
    _, _, payload = ran
    assert payload["invoices"]
    for inv in payload["invoices"]:
        lines = sum((Decimal(line["amount"]) for line in inv["lines"]), Decimal(0))
        assert Decimal(inv["subtotal"]) == lines, inv["number"]
        assert Decimal(inv["total"]) == Decimal(inv["subtotal"]) + Decimal(inv["tax"])
        assert Decimal(inv["balance"]) == Decimal(inv["total"]) - Decimal(inv["paid"])


def _labelled_value(rows: list[list[object]], wanted: str) -> object:
    for row in rows:
        for i, cell in enumerate(row):
            if isinstance(cell, str) and cell.strip() == wanted:
                numbers = [v for v in row[i + 1:] if isinstance(v, (int, float))]
                if numbers:
                    return numbers[-1]
    raise AssertionError(f"no '{wanted}' row")


def test_libreoffice_recalculates_the_same_totals(ran, soffice: str, tmp_path: Path) -> None:
    lang, book, payload = ran
    profile = tmp_path / "profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"),
         str(book)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    recalculated = CalamineWorkbook.from_path(str(tmp_path / "out" / book.name))
    register = {inv["number"]: inv for inv in payload["invoices"]}
    assert set(register) <= set(recalculated.sheet_names)
    for number, inv in register.items():
        rows = recalculated.get_sheet_by_name(number).to_python()
        for key, field in (("subtotal", "subtotal"), ("total", "total"),
                           ("balance_due", "balance")):
            got = Decimal(repr(_labelled_value(rows, label(lang, key))))
            assert got == Decimal(inv[field]), (number, key, got, inv[field])


def test_rerun_keeps_numbers_and_tabs(ran, tmp_path: Path) -> None:
    lang, book, first = ran
    again = tmp_path / book.name
    shutil.copy(book, again)
    second = run_json(again)
    assert [i["number"] for i in second["invoices"]] == [i["number"] for i in first["invoices"]]
    assert _golden_view(second) == _golden_view(first)
    names = CalamineWorkbook.from_path(str(again)).sheet_names
    assert len(names) == len({n.casefold() for n in names})


def _sheet_part(path: Path, tab: str) -> bytes:
    """The bytes of one tab's worksheet part, found through workbook.xml and its rels."""
    import re

    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{re.escape(tab)}"[^>]*r:id="([^"]+)"', workbook)
        assert rid, tab
        target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) \
            or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
        assert target, tab
        name = target.group(1).lstrip("/")
        return zf.read(name if name.startswith("xl/") else f"xl/{name}")


def test_sent_invoice_is_frozen_and_drift_is_reported(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copy(SAMPLES / "assistant-en.xlsx", book)
    first = run_json(book)
    inv = next(i for i in first["invoices"] if i["client_id"] == "HARBOR")
    # The assistant marks the invoice sent and later logs one more November hour.
    wb = openpyxl.load_workbook(book)
    register = wb["Invoices"]
    for row in register.iter_rows(min_row=2):
        if row[0].value == inv["number"]:
            row[11].value = "sent"
    timesheet = wb["Timesheet"]
    header = [c.value for c in timesheet[1]]
    new = [None] * len(header)
    import datetime as dt
    new[header.index("Date")] = dt.datetime(2026, 11, 28)
    new[header.index("Client ID")] = "HARBOR"
    new[header.index("Task")] = "Late entry"
    new[header.index("Category")] = "Admin"
    new[header.index("Hours")] = 1
    timesheet.append(new)
    wb.save(book)
    before = _sheet_part(book, inv["number"])

    second = run_json(book)
    after = _sheet_part(book, inv["number"])
    assert after == before
    again = next(i for i in second["invoices"] if i["number"] == inv["number"])
    assert again["total"] == inv["total"] and again["status"] == "sent"
    drift = [i for i in second["issues"] if inv["number"] in i["message"]
             and i["severity"] == "warning"]
    assert drift, second["issues"]
    assert "1.00" in drift[0]["message"] or "+1" in drift[0]["message"]


def test_invoice_writes_pdfs_and_email_drafts(tmp_path: Path) -> None:
    from email import policy
    from email.parser import BytesParser

    from tests.conftest import need_tool

    book = tmp_path / "book.xlsx"
    shutil.copy(SAMPLES / "assistant-en.xlsx", book)
    out = tmp_path / "out"
    result = vaxl("invoice", str(book), *RUN_ARGS, "--pdf", str(out), "--email", str(out))
    assert result.returncode == 0, result.stderr
    invoices = json.loads(result.stdout)["invoices"]
    pdftotext = need_tool("pdftotext")
    for inv in invoices:
        pdf = out / f"{inv['number']}.pdf"
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert inv["number"] in text
        assert f"{Decimal(inv['total']):,.2f}" in text, (inv["number"], inv["total"])
        assert "Example Bank, account 000123456" in text  # Settings' Payment Instructions
        message = BytesParser(policy=policy.default).parsebytes(
            (out / f"{inv['number']}.eml").read_bytes())
        assert inv["number"] in message["Subject"]
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content() == pdf.read_bytes()
