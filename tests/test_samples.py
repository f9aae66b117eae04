"""The sample workbooks: deterministic, committed up to date, realistic and valid."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from vaxl.core.models import BILLING_MODELS
from vaxl.samples import (
    MONTHS,
    SAMPLE_ISSUE_DATE,
    SAMPLE_MONTH,
    SAMPLE_TODAY,
    build_sample,
    sample_bytes,
)
from vaxl.sheets.spec import TABS

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = {"en": ROOT / "sample_workbooks" / "assistant-en.xlsx",
             "vi": ROOT / "sample_workbooks" / "assistant-vi.xlsx"}
LANGS = ["en", "vi"]


def tab(lang: str, name: str) -> str:
    return TABS[name].vi if lang == "vi" else TABS[name].name


@pytest.fixture(scope="module", params=LANGS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    lang = request.param
    path = build_sample(tmp_path_factory.mktemp(lang) / f"sample-{lang}.xlsx", lang=lang)
    return lang, path


def load(lang: str, path: Path):
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.service import load_book

    book, problems = load_book(read_workbook(path), SAMPLE_TODAY)
    return lang, path, book, problems


@pytest.fixture(scope="module")
def loaded(built):
    return load(*built)


@pytest.fixture(scope="module")
def english():
    return load("en", COMMITTED["en"])


@pytest.fixture(scope="module")
def vietnamese():
    return load("vi", COMMITTED["vi"])


@pytest.mark.parametrize("lang", LANGS)
def test_building_twice_gives_identical_bytes(lang: str, tmp_path: Path):
    first = build_sample(tmp_path / "a.xlsx", lang=lang).read_bytes()
    second = build_sample(tmp_path / "b.xlsx", lang=lang).read_bytes()
    assert first == second == sample_bytes(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_committed_sample_equals_a_fresh_build(lang: str):
    assert COMMITTED[lang].is_file(), "run: python sample_workbooks/build.py"
    assert COMMITTED[lang].read_bytes() == sample_bytes(lang), (
        "stale sample; run: python sample_workbooks/build.py")


def test_build_script_check_mode_passes_on_committed_files():
    done = subprocess.run([sys.executable, str(ROOT / "sample_workbooks" / "build.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "assistant-en.xlsx: up to date" in done.stdout


def test_validates_with_no_errors_and_realistic_warnings(loaded):
    lang, _, book, problems = loaded
    assert [p for p in problems if p.severity == "error"] == []
    if lang == "en":
        assert any("repeats row" in p.message for p in problems), "the planted duplicate"


def test_covers_every_billing_model_and_three_months(loaded):
    lang, _, book, _ = loaded
    assert {c.billing for c in book.clients} == set(BILLING_MODELS)
    assert {e.day.strftime("%Y-%m") for e in book.entries} == set(MONTHS)
    assert MONTHS[-1] == SAMPLE_MONTH
    low, high = (200, 300) if lang == "en" else (80, 200)
    assert low <= len(book.entries) <= high
    assert any(e.rush for e in book.entries)
    assert any(not e.billable for e in book.entries)
    assert len(book.blocks) == 2
    assert {b.expires is None for b in book.blocks} == {True, False}
    assert {b.amount is None for b in book.blocks} == {True, False}
    assert any(c.commission is not None for c in book.closings)
    assert any(c.commission is None for c in book.closings)
    assert any(p.invoice_no == "" for p in book.payments)
    assert any(r.prepaid is False for r in book.rates)
    assert any(c.tax_rate > 0 for c in book.clients)
    retainers = [c for c in book.clients if c.billing == "retainer"]
    assert retainers and all(c.retainer_fee and c.retainer_hours for c in retainers)


def test_english_sample_details(english):
    _, _, book, _ = english
    clients = {c.key: c for c in book.clients}
    assert len(clients) == 10
    hourly = [c for c in clients.values() if c.billing == "hourly" and c.currency == "USD"]
    assert 3 <= len(hourly) <= 5 and all(20 <= c.rate <= 45 for c in hourly)
    assert sorted(c.retainer_hours for c in clients.values() if c.billing == "retainer") \
        == [10, 20]
    assert any(c.rollover_months == 2 for c in clients.values())
    assert {c.currency for c in clients.values()} == {"USD", "EUR"}
    assert {c.tax_rate for c in clients.values()} >= {Decimal("0.08875"), Decimal("0.1")}
    assert [c.key for c in clients.values() if not c.active] == ["WILLOW"]
    rates = {(r.client_key, r.category): (r.rate, r.prepaid) for r in book.rates}
    assert rates[(None, "Web Development")] == (100, False)
    assert rates[(None, "Market Research")] == (85, True)
    assert rates[("HARBOR", "Medical Transcription")][0] == 75
    assert rates[("LUMEN", "Translation")][0] == 60
    assert max(r.rate for r in book.rates) == 100
    assert book.settings.business_name == "Bright Desk Virtual Assistance"
    assert all(c.email.endswith("example.com") for c in clients.values())
    us = ["".join(ch for ch in c.phone if ch.isdigit())[-10:] for c in clients.values()
          if c.currency == "USD"]
    assert us and all(p[3:8] == "55501" for p in us), us  # the fictional 555-01xx range


def test_english_cells_are_of_realistic_kinds():
    wb = openpyxl.load_workbook(COMMITTED["en"])
    ws = wb["Timesheet"]
    heads = [c.value for c in ws[1]]
    assert "Invoice sent?" in heads  # the assistant's own column
    date_col, hours_col = heads.index("Date"), heads.index("Hours")
    dates = [r[date_col].value for r in ws.iter_rows(min_row=2)]
    hours = [r[hours_col] for r in ws.iter_rows(min_row=2)]
    real_dates = sum(isinstance(d, datetime | date) for d in dates)
    text_dates = [d for d in dates if isinstance(d, str)]
    assert real_dates > 0.9 * len(dates) and text_dates
    assert any(isinstance(h.value, float) for h in hours)
    assert any(isinstance(h.value, str) and ":" in h.value for h in hours)
    durations = [h for h in hours if isinstance(h.value, time_types)]
    assert durations and all(h.number_format == "[h]:mm" for h in durations)
    assert any(h.value is None for h in hours)  # Start and End instead
    assert "Referral source" in [c.value for c in wb["Clients"][1]]
    assert "My notes" in wb.sheetnames
    assert wb["My notes"].merged_cells.ranges


time_types = (timedelta, datetime)  # openpyxl reads an [h]:mm cell as timedelta or datetime


def test_vietnamese_sample_details(vietnamese):
    _, path, book, _ = vietnamese
    wb = openpyxl.load_workbook(path)
    for name in ("Settings", "Clients", "Rates", "Timesheet", "Blocks", "Closings", "Payments"):
        assert tab("vi", name) in wb.sheetnames
    assert book.settings.language == "vi" and book.settings.currency == "VND"
    assert book.settings.date_order == "DMY"
    assert {c.currency for c in book.clients} == {"VND"}
    assert 5 <= len(book.clients) <= 7
    assert all(150000 <= c.rate <= 400000 for c in book.clients if c.rate is not None)
    ws = wb[tab("vi", "Timesheet")]
    typed = [c.value for c in ws["A"][1:] if isinstance(c.value, str)]
    assert typed and all(int(t.split("/")[0]) <= 31 for t in typed)
    assert any(int(t.split("/")[0]) > 12 for t in typed), "a day-first date that MDY cannot read"
    assert any(any(ch in e.task for ch in "ăâđêôơư") for e in book.entries)


def test_payments_name_the_invoices_of_a_first_november_run(built):
    """Payment invoice numbers match the clients and the hand-checked totals:
    ORBIT's retainer fee 350.00 and SUMMIT's 760.00 (no overage, no rush, no tax),
    KEYS 0.25% x 389,000 = 972.50 plus a 500.00 override; NOVA pays part.  Vietnamese:
    HOASEN 5,000,000 fee + 10% tax, NHADAT 3,000,000 per closing + a 2,000,000 override."""
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.service import run_action

    lang, path = built
    out = run_action("run", read_workbook(path), today=SAMPLE_TODAY, period=SAMPLE_MONTH,
                     issue_date=SAMPLE_ISSUE_DATE)
    assert not out.has_errors
    invoices = {i.public()["number"]: i.public() for i in out.result.invoices}
    expected_full = ({"ORBIT": "350.00", "SUMMIT": "760.00", "KEYS": "1472.50"} if lang == "en"
                     else {"HOASEN": "5500000", "NHADAT": "5000000"})
    for payment in out.book.payments:
        if not payment.invoice_no:
            continue
        invoice = invoices[payment.invoice_no]
        assert invoice["client_id"] == payment.client_key
        if payment.client_key in expected_full:
            assert invoice["total"] == expected_full[payment.client_key]
            assert payment.amount == Decimal(invoice["total"])
        else:
            assert payment.amount < Decimal(invoice["total"])
