"""Register, Retainers, Report, Aging and the tab list per action."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from vaxl.core.models import Book, CellRef, Client, RegisterRow, Settings
from vaxl.core.results import (
    AgingRow,
    Invoice,
    InvoiceLine,
    LedgerRow,
    ReportRow,
    RunResult,
)
from vaxl.layout.aging import aging_grid
from vaxl.layout.grid import Grid
from vaxl.layout.ledger import ledger_grid
from vaxl.layout.register import register_grid
from vaxl.layout.report import report_grid
from vaxl.layout.tabs import invoice_tabs, summary_grids
from vaxl.sheets.spec import REGISTER, header_key

REGISTER_EN = ["Invoice No", "Client ID", "Period", "Issue Date", "Due Date", "Currency",
               "Subtotal", "Tax", "Total", "Paid", "Balance", "Status", "Hours", "Fingerprint",
               "Tab"]


def client(key: str, name: str, currency: str = "USD") -> Client:
    return Client(key=key, id=key, name=name, currency=currency, ref=CellRef("Clients", 2))


BOOK = Book(clients=(client("ACME", "Acme LLC"), client("BETA", "Beta Co"),
                     client("MINH", "Minh Anh", "VND")))


def reg(number: str, key: str, currency: str = "USD", **kw: object) -> RegisterRow:
    return RegisterRow(number=number, client_key=key, period="2026-11",
                       issue_date=date(2026, 12, 1), due_date=date(2026, 12, 15),
                       currency=currency, tab=number, **kw)


def invoice(number: str, key: str, frozen: bool = False) -> Invoice:
    line = InvoiceLine(description="Admin", kind="time", quantity=D(1), unit_price=D(40),
                       amount=D(40), seconds=3600)
    return Invoice(number=number, client_key=key, client_name=key, period="2026-11",
                   issue_date=date(2026, 12, 1), due_date=date(2026, 12, 15), currency="USD",
                   lines=(line,), subtotal=D(40), tax_rate=D(0), tax=D(0), total=D(40),
                   balance=D(40), frozen=frozen, tab=number,
                   status="sent" if frozen else "draft")


def report_row(key: str, name: str, currency: str, amount: str, **kw: object) -> ReportRow:
    base: dict[str, object] = dict(
        client_key=key, client_name=name, billing="hourly", currency=currency,
        hours_worked=D("10"), billable_hours=D("8"), amount_billed=D(amount),
        effective_rate=D(amount) / 10, rush_share=D("0.25"), prepaid_balance=None)
    base.update(kw)
    return ReportRow(**base)  # type: ignore[arg-type]


# --- register ---------------------------------------------------------------


def test_register_headers_exact_and_values() -> None:
    rows = [reg("INV-2026-0001", "ACME", subtotal=D("100"), tax=D("10"), total=D("110"),
                paid=D("50"), balance=D("60"), status="sent", hours=D("2.5"), fingerprint="ab12"),
            reg("HD-2026-0002", "MINH", "VND", total=D("1500000"), balance=D("1500000"))]
    grid = register_grid(rows, Settings())
    assert grid.name == "Invoices" and grid.freeze == (2, 2)
    assert [grid.cells[(1, c)].value for c in range(1, 16)] == REGISTER_EN
    assert [grid.cells[(2, c)].value for c in range(1, 16)] == [
        "INV-2026-0001", "ACME", "2026-11", date(2026, 12, 1), date(2026, 12, 15), "USD",
        D("100"), D("10"), D("110"), D("50"), D("60"), "sent", D("2.5"), "ab12",
        "INV-2026-0001"]
    assert grid.cells[(2, 1)].link == "'INV-2026-0001'!A1"
    assert grid.cells[(2, 12)].formula is None  # status: a plain value the user edits
    assert grid.cells[(2, 9)].style.num_format == '"$"#,##0.00;-"$"#,##0.00'
    assert "." not in grid.cells[(3, 9)].style.num_format  # VND: no decimals


def test_register_vi_headers_are_the_spec_aliases() -> None:
    grid = register_grid([reg("X-1", "ACME")], Settings(language="vi"))
    headers = [grid.cells[(1, c)].value for c in range(1, 16)]
    assert headers[:3] == ["Số hóa đơn", "Mã khách hàng", "Kỳ"]
    for header, column in zip(headers, REGISTER.columns, strict=True):
        assert header_key(header) in column.keys()


# --- ledger -------------------------------------------------------------------


def test_ledger_rows() -> None:
    rows = [LedgerRow(client_key="ACME", month="2026-11", kind="retainer", included=D(10),
                      carried_in=D("2.5"), used=D("11"), overage=D(0), expired=D("0.5"),
                      carried_out=D(1)),
            LedgerRow(client_key="BETA", month="2026-11", kind="block", reference="B-12",
                      included=D(20), carried_in=D(0), used=D(5), overage=D(0), expired=D(0),
                      carried_out=D(15))]
    grid = ledger_grid(rows, BOOK)
    assert grid.name == "Retainers"
    assert [grid.cells[(1, c)].value for c in range(1, 12)] == [
        "Client ID", "Client", "Month", "Kind", "Reference", "Included", "Carried in", "Used",
        "Overage", "Expired", "Carried out"]
    assert [grid.cells[(2, c)].value for c in range(1, 12)] == [
        "ACME", "Acme LLC", "2026-11", "retainer", "", D(10), D("2.5"), D(11), D(0), D("0.5"),
        D(1)]
    assert grid.cells[(3, 5)].value == "B-12"
    assert grid.cells[(2, 7)].style.num_format == "#,##0.00"


# --- report -------------------------------------------------------------------


def test_report_groups_totals_per_currency_and_charts() -> None:
    rows = (report_row("ACME", "Acme LLC", "USD", "400"),
            report_row("MINH", "Minh Anh", "VND", "1500000", billing="retainer",
                       prepaid_balance=D("3.5"), alerts=("low balance",)),
            report_row("BETA", "Beta Co", "USD", "250.50", hours_worked=D("4.5")))
    grid = report_grid(RunResult(period="2026-11", report=rows), BOOK)
    assert grid.name == "Report 2026-11"
    assert grid.cells[(1, 1)].value == "Report — November 2026"
    assert grid.cells[(3, 1)].value == "Client ID" and grid.freeze == (4, 3)
    assert grid.landscape and grid.fit_width
    # USD rows together (first currency seen), then VND
    assert [grid.cells[(r, 1)].value for r in (4, 5, 6)] == ["ACME", "BETA", "MINH"]
    assert grid.cells[(6, 10)].value == D("3.5")
    assert grid.cells[(6, 11)].value == "low balance"
    assert grid.cells[(4, 9)].style.num_format == "0.0%"
    # short texts do not wrap (tests/layout/test_review_polish.py covers long ones)
    assert not grid.cells[(4, 2)].style.wrap and not grid.cells[(6, 11)].style.wrap

    usd = next(r for (r, c), cell in grid.cells.items() if c == 1 and cell.value == "Total USD")
    vnd = next(r for (r, c), cell in grid.cells.items() if c == 1 and cell.value == "Total VND")
    assert grid.cells[(usd, 7)].value == D("650.50")
    assert grid.cells[(usd, 7)].formula == 'SUMIF($D$4:$D$6,"USD",$G$4:$G$6)'
    assert grid.cells[(usd, 5)].value == D("14.5")
    assert grid.cells[(vnd, 7)].value == D("1500000")
    assert "." not in grid.cells[(vnd, 7)].style.num_format

    assert [(c.categories, c.values) for c in grid.charts] == [("B4:B5", "G4:G5"),
                                                                ("B6:B6", "G6:G6")]
    assert "USD" in grid.charts[0].title and "VND" in grid.charts[1].title
    # below the totals, one under the other, never over the table
    assert grid.charts[0].anchor_row > vnd
    assert grid.charts[1].anchor_row >= grid.charts[0].anchor_row + grid.charts[0].height_rows


def test_report_empty() -> None:
    grid = report_grid(RunResult(period="2026-11"), BOOK)
    assert grid.charts == [] and grid.max_row == 3


# --- aging ------------------------------------------------------------------


@pytest.mark.parametrize("bucket,col", [("current", 6), ("1-30", 7), ("31-60", 8),
                                        ("61-90", 9), ("90+", 10)])
def test_aging_balance_in_its_bucket(bucket: str, col: int) -> None:
    row = AgingRow(number="INV-1", client_key="ACME", currency="USD", issue_date=None,
                   due_date=date(2026, 10, 1), days_overdue=45, bucket=bucket,  # type: ignore[arg-type]
                   balance=D("120.00"))
    grid = aging_grid([row], BOOK, tabs={"INV-1": "INV-1"})
    assert grid.name == "Aging"
    assert grid.cells[(1, 1)].value == "Aging of open invoices"  # no date given
    values = [grid.cells[(4, c)].value for c in range(6, 11)]
    assert values == [D("120.00") if c == col else None for c in range(6, 11)]
    assert grid.cells[(4, 1)].link == "'INV-1'!A1"
    assert grid.cells[(4, 2)].value == "Acme LLC"


def test_aging_totals_per_currency() -> None:
    rows = [
        AgingRow(number="A", client_key="ACME", currency="USD", issue_date=None,
                 due_date=date(2026, 11, 1), days_overdue=10, bucket="1-30", balance=D("10.10")),
        AgingRow(number="B", client_key="MINH", currency="VND", issue_date=None,
                 due_date=date(2026, 11, 1), days_overdue=10, bucket="1-30", balance=D("500000")),
        AgingRow(number="C", client_key="BETA", currency="USD", issue_date=None,
                 due_date=date(2026, 8, 1), days_overdue=100, bucket="90+", balance=D("5.05")),
        AgingRow(number="D", client_key="ACME", currency="USD", issue_date=None,
                 due_date=date(2026, 12, 1), days_overdue=0, bucket="1-30", balance=D("1.01")),
    ]
    grid = aging_grid(rows, BOOK, today=date(2026, 12, 1))
    assert grid.cells[(1, 1)].value == "Aging at 1 Dec 2026"
    assert grid.freeze == (4, 2) and grid.landscape and grid.fit_width
    headers = [grid.cells[(3, c)].value for c in range(1, 11)]
    assert headers == ["Invoice", "Client", "Currency", "Due", "Days overdue", "Current",
                       "1-30", "31-60", "61-90", "90+"]
    usd = next(r for (r, c), cell in grid.cells.items() if c == 1 and cell.value == "Total USD")
    vnd = next(r for (r, c), cell in grid.cells.items() if c == 1 and cell.value == "Total VND")
    assert grid.cells[(usd, 7)].value == D("11.11")
    assert grid.cells[(usd, 7)].formula == 'SUMIF($C$4:$C$7,"USD",$G$4:$G$7)'
    assert grid.cells[(usd, 10)].value == D("5.05")
    assert grid.cells[(vnd, 7)].value == D("500000")
    assert grid.cells[(vnd, 10)].value == D(0)


# --- tabs per action ------------------------------------------------------------


def output_grids(result: RunResult, book: Book, action: str,
                 today: date | None = None) -> list[Grid]:
    """The tabs `action` writes after Validation, as the service puts them together."""
    built = [tab.build() for tab in invoice_tabs(result, book, action)]
    return built + summary_grids(result, book, action, today)


def test_output_grids_per_action() -> None:
    result = RunResult(
        period="2026-11",
        invoices=(invoice("INV-2026-0001", "ACME"), invoice("INV-2026-0002", "BETA", frozen=True)),
        invoice_register=(reg("INV-2026-0001", "ACME"), reg("INV-2026-0002", "BETA")),
        aging=(AgingRow(number="INV-2026-0002", client_key="BETA", currency="USD",
                        issue_date=None, due_date=None, days_overdue=0, bucket="current",
                        balance=D(40)),),
    )
    names = {a: [g.name for g in output_grids(result, BOOK, a)] for a in ("invoice", "report",
                                                                        "run")}
    assert names["invoice"] == ["INV-2026-0001", "Invoices", "Retainers"]
    assert names["report"] == ["Report 2026-11", "Aging", "Retainers"]
    assert names["run"] == ["INV-2026-0001", "Invoices", "Retainers", "Report 2026-11", "Aging"]
    aging = output_grids(result, BOOK, "report", today=date(2026, 12, 10))[1]
    assert aging.cells[(4, 1)].link == "'INV-2026-0002'!A1"
    assert aging.cells[(1, 1)].value == "Aging at 10 Dec 2026"
    with pytest.raises(ValueError):
        output_grids(result, BOOK, "validate")


def test_vietnamese_display_headers() -> None:
    book = BOOK.model_copy(update={"settings": Settings(language="vi")})
    ledger = ledger_grid([], book)
    assert ledger.cells[(1, 6)].value == "Được cấp"
    report = report_grid(RunResult(period="2026-11"), book)
    assert report.cells[(1, 1)].value == "Báo cáo — Tháng 11/2026"
    assert report.cells[(3, 5)].value == "Giờ làm việc"
    aging = aging_grid([], book, today=date(2026, 12, 10))
    assert aging.cells[(1, 1)].value == "Tuổi nợ tính đến 10/12/2026"
    assert aging.cells[(3, 6)].value == "Chưa đến hạn"
