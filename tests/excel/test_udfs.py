"""vaxl's Excel functions: hand-checked figures, the CLI's figures, the parse cache."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from excel_kit import PERIOD, SAMPLE, TODAY, json_book

import vaxl.udfs as u
from vaxl.io.xlsx_read import read_workbook
from vaxl.service import run_action


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    u.cache_clear()


def caller_of(path: Path, **extra: Any) -> Any:
    """The calling cell of a UDF, as xlwings hands it (a Range of the workbook)."""
    return json_book(path, extra or None).sheets[0]["A1"]


def test_hand_checked_figures(small_book: Path) -> None:
    c = caller_of(small_book)
    assert u.VAXL_RATE("ACME", "Admin", caller=c) == 40
    assert u.VAXL_RATE("acme", "translation", caller=c) == 60
    assert u.VAXL_RATE("ACME", "Translation", True, caller=c) == 90
    assert u.VAXL_HOURS("ACME", "2026-11", caller=c) == 2.5
    assert u.VAXL_HOURS("ACME", "2026-10", caller=c) == 2
    assert u.VAXL_TO_BILL("ACME", "2026-11", caller=c) == 175
    assert u.VAXL_TO_BILL("RET", "2026-11", caller=c) == 500
    assert u.VAXL_PREPAID_LEFT("RET", "2026-11", caller=c) == 6
    summary = u.VAXL_SUMMARY("2026-11", caller=c)
    assert summary[0] == u.SUMMARY_HEADER
    assert [row[0] for row in summary[1:]] == ["ACME", "RET"]
    assert summary[1][4:7] == [2.5, 2.5, 175.0]


def test_errors_are_messages_in_the_cell(small_book: Path) -> None:
    c = caller_of(small_book)
    assert u.VAXL_RATE("ACMEE", "Admin", caller=c) == (
        "vaxl: unknown client 'ACMEE' (did you mean 'ACME'?)"
    )
    assert u.VAXL_HOURS("ACME", "Novembre", caller=c).startswith("vaxl: 'Novembre' is not a month")
    assert u.VAXL_PREPAID_LEFT("ACME", caller=c).startswith("vaxl: 'ACME' has no prepaid hours")
    assert u.VAXL_INVOICE_TOTAL("INV-9", caller=c).startswith("vaxl: no invoice 'INV-9'")


def test_a_client_with_data_errors_says_where(small_book: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(small_book)
    book["Timesheet"].append([date(2026, 11, 9), "ACME", "Call", "Admin", "lots"])
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    message = u.VAXL_TO_BILL("ACME", "2026-11", caller=caller_of(broken))
    assert message.startswith("vaxl: client 'ACME' has 1 data error(s), first at Timesheet!E8")


def test_figures_equal_the_cli(tmp_path: Path) -> None:
    book = tmp_path / "cli.xlsx"
    shutil.copyfile(SAMPLE, book)
    today = date.today().isoformat()
    done = subprocess.run(
        [sys.executable, "-m", "vaxl", "invoice", str(book), "--month", PERIOD, "--json",
         "--issue-date", today],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    invoices = json.loads(done.stdout)["invoices"]
    assert len(invoices) == 9
    c = caller_of(book)  # the workbook as the CLI left it, register included
    for invoice in invoices:
        total = float(invoice["total"])
        assert u.VAXL_TO_BILL(invoice["client_id"], PERIOD, caller=c) == total
        assert u.VAXL_INVOICE_TOTAL(invoice["number"], caller=c) == total
        assert u.VAXL_HOURS(invoice["client_id"], PERIOD, caller=c) >= float(invoice["hours"]) - 1


def test_summary_and_prepaid_equal_the_service_report() -> None:
    c = caller_of(SAMPLE)
    outcome = run_action("report", read_workbook(SAMPLE), today=TODAY, period=PERIOD)
    rows = {r[0]: r for r in u.VAXL_SUMMARY(PERIOD, caller=c)[1:]}
    assert set(rows) == {r.client_key for r in outcome.result.report}
    for report in outcome.result.report:
        row = rows[report.client_key]
        assert row[4] == float(report.hours_worked)
        assert row[6] == float(report.amount_billed)
        assert u.VAXL_HOURS(report.client_key, PERIOD, caller=c) == float(report.hours_worked)
    # MAPLE's block: 10 h carried in, 8 h used -> the report's alert says 2.00 h left
    assert u.VAXL_PREPAID_LEFT("MAPLE", PERIOD, caller=c) == 2
    assert "2.00 h left" in rows["MAPLE"][10]


def test_a_thousand_cells_parse_the_workbook_once(small_book: Path) -> None:
    c = caller_of(small_book)
    results = {u.VAXL_TO_BILL("ACME", "2026-11", caller=c) for _ in range(1000)}
    assert results == {175.0}
    assert u.stats.parses == 1 and u.stats.bills == 1 and u.stats.hits == 999


def test_the_cache_follows_the_content_not_the_workbook(small_book: Path) -> None:
    import xlwings as xw
    from excel_kit import book_json

    assert u.VAXL_HOURS("ACME", "2026-11", caller=caller_of(small_book)) == 2.5
    assert u.VAXL_HOURS("ACME", "2026-11", caller=caller_of(small_book)) == 2.5
    assert u.stats.parses == 1  # the same content sent again: no new parse
    payload = book_json(small_book)  # the user edits Timesheet!E2 from 0:20 to 2 h
    timesheet = next(s for s in payload["sheets"] if s["name"] == "Timesheet")
    timesheet["values"][1][4] = 2
    edited = xw.Book(json=payload).sheets[0]["A1"]
    assert u.VAXL_HOURS("ACME", "2026-11", caller=edited) == pytest.approx(2.5 - 1 / 3 + 2)
    assert u.stats.parses == 2


def test_udf_billing_pauses_the_collector_and_puts_it_back(small_book: Path, monkeypatch
                                                           ) -> None:
    """Billing behind the UDFs runs with the cyclic collector paused, as a run does."""
    import gc

    import vaxl.core.billing as billing

    seen: list[bool] = []
    real = billing.bill

    def watching(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(billing, "bill", watching)
    assert gc.isenabled()
    assert u.VAXL_TO_BILL("ACME", "2026-11", caller=caller_of(small_book)) == 175
    assert seen == [False]
    assert gc.isenabled()
