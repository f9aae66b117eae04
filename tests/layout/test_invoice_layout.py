"""invoice_doc and invoice_grid on hand-built USD and VND invoices.

Figures checked by hand:
  USD: 12.5 h x 45 = 562.50; 3.25 h x 60 = 195.00; rush 45.00 -> subtotal 802.50;
       tax 8.25% = 66.20625 -> 66.21; total 868.71; paid 100 -> balance 768.71.
  VND: 2.5 h x 300,000 = 750,000; 1.75 h x 450,000 = 787,500; rush 150,000
       -> subtotal 1,687,500; tax 7.5% = 126,562.5 -> 126,563 (half up);
       total 1,814,063; nothing paid.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from vaxl.core.models import CellRef, Client, Entries, Settings
from vaxl.core.results import EntryDetail, EntryDetails, Invoice, InvoiceLine, StatementRow
from vaxl.layout.grid import Grid
from vaxl.layout.invoice import invoice_grid
from vaxl.layout.invoice_doc import invoice_doc

SETTINGS_EN = Settings(
    business_name="Lan Nguyen Virtual Assistance",
    business_address="12 Nguyen Hue, District 1\nHo Chi Minh City",
    business_email="lan@example.com",
    tax_id="0312345678",
)
SETTINGS_VI = SETTINGS_EN.model_copy(update={"language": "vi"})


def usd_invoice(**update: object) -> Invoice:
    lines = (
        InvoiceLine(description="Admin", kind="time", category="Admin", quantity=D("12.5"),
                    unit_price=D("45"), amount=D("562.50"), seconds=45000),
        InvoiceLine(description="Translation", kind="time", category="Translation",
                    quantity=D("3.25"), unit_price=D("60"), amount=D("195.00"), seconds=11700),
        InvoiceLine(description="Rush surcharge 50%", kind="rush", quantity=D("2"),
                    unit_price=D("22.50"), amount=D("45.00")),
    )
    entries = (
        EntryDetail(day=date(2026, 11, 3), task="Inbox triage", category="Admin",
                    worked_seconds=5340, billed_seconds=5400, rush=False, billable=True,
                    ref=CellRef("Timesheet", 14)),
        EntryDetail(day=date(2026, 11, 4), task="=cmd|' /C calc'!A0", category="Admin",
                    worked_seconds=1800, billed_seconds=1800, rush=True, billable=False,
                    ref=CellRef("Timesheet", 15)),
    )
    inv = Invoice(
        number="INV-2026-0007", client_key="ACME", client_name="Acme Holdings LLC",
        client_email="ap@acme.example", client_address="500 Market St\nSan Francisco, CA",
        client_contact="Jane Doe", period="2026-11", issue_date=date(2026, 12, 1),
        due_date=date(2026, 12, 15), currency="USD", lines=lines, subtotal=D("802.50"),
        tax_rate=D("0.0825"), tax=D("66.21"), total=D("868.71"), paid=D("100"),
        balance=D("768.71"), entries=entries, tab="INV-2026-0007",
        statement=(StatementRow(label="Included this month", hours=D("10")),
                   StatementRow(label="Used", hours=D("-12.5"))),
    )
    return inv.model_copy(update=update) if update else inv


def vnd_invoice() -> Invoice:
    lines = (
        InvoiceLine(description="Quản lý email", kind="time", category="Admin",
                    quantity=D("2.5"), unit_price=D("300000"), amount=D("750000"), seconds=9000),
        InvoiceLine(description="Dịch thuật", kind="time", category="Translation",
                    quantity=D("1.75"), unit_price=D("450000"), amount=D("787500"), seconds=6300),
        InvoiceLine(description="Phụ phí gấp 50%", kind="rush", quantity=D("1"),
                    unit_price=D("150000"), amount=D("150000")),
    )
    entries = (
        EntryDetail(day=date(2026, 11, 3), task="Trả lời email", category="Admin",
                    worked_seconds=8940, billed_seconds=9000, rush=True, billable=True,
                    ref=CellRef("Bảng chấm công", 5)),
    )
    return Invoice(
        number="HD-2026-0003", client_key="MINHANH", client_name="Công ty TNHH Minh Anh",
        period="2026-11", issue_date=date(2026, 12, 1), due_date=date(2026, 12, 31),
        currency="VND", language="vi", lines=lines, subtotal=D("1687500"), tax_rate=D("0.075"),
        tax=D("126563"), total=D("1814063"), balance=D("1814063"), entries=entries,
        tab="HD-2026-0003",
    )


CLIENT = Client(key="ACME", id="Acme", phone="+14155550123", billing="retainer",
                ref=CellRef("Clients", 2))


def find(grid: Grid, value: object) -> tuple[int, int]:
    hits = [pos for pos, cell in grid.cells.items() if cell.value == value]
    assert hits, f"{value!r} not on the grid"
    return min(hits)


# --- InvoiceDoc -------------------------------------------------------------


def test_doc_usd_texts() -> None:
    doc = invoice_doc(usd_invoice(), SETTINGS_EN, CLIENT)
    assert doc.title == "INVOICE"
    assert doc.business == (
        "Lan Nguyen Virtual Assistance", "12 Nguyen Hue, District 1", "Ho Chi Minh City",
        "lan@example.com", "Tax ID: 0312345678",
    )
    assert doc.bill_to == (
        "Acme Holdings LLC", "Jane Doe", "500 Market St", "San Francisco, CA",
        "ap@acme.example", "+1 415-555-0123",
    )
    meta = {m.key: (m.label, m.text) for m in doc.meta}
    assert meta == {
        "invoice_no": ("Invoice No", "INV-2026-0007"),
        "issue_date": ("Issue Date", "1 Dec 2026"),
        "due_date": ("Due Date", "15 Dec 2026"),
        "period": ("Period", "November 2026"),
        "payment_terms": ("Payment Terms", "Net 14"),
    }
    assert [(t.label, t.amount, t.text) for t in doc.totals] == [
        ("Subtotal", D("802.50"), "$802.50"),
        ("Tax (8.25%)", D("66.21"), "$66.21"),
        ("Total", D("868.71"), "$868.71"),
        ("Paid", D("100"), "$100.00"),
        ("Balance Due", D("768.71"), "$768.71"),
    ]
    # hours carry their unit; the numbers behind them are unchanged
    assert [(x.quantity_text, x.unit_price_text, x.amount_text) for x in doc.lines] == [
        ("12.50 h", "$45.00 / h", "$562.50"), ("3.25 h", "$60.00 / h", "$195.00"),
        ("2.00 h", "$22.50 / h", "$45.00"),
    ]
    assert [(x.quantity, x.unit_price) for x in doc.lines] == [
        (D("12.5"), D("45")), (D("3.25"), D("60")), (D("2"), D("22.50"))]
    assert doc.statement_title == "Retainer statement"
    assert [r.hours_text for r in doc.statement] == ["10.00", "-12.50"]
    first = doc.entries[0]
    assert (first.day_text, first.worked_text, first.billed_text) == ("3 Nov 2026", "1:29", "1:30")
    assert doc.entries[1].rush_text == "Yes" and doc.entries[1].billable_text == "No"
    # not billable: nothing billed shows, though the seconds stay on the record
    assert doc.entries[1].billed_text == "—" and doc.entries[1].billed_seconds == 1800
    assert doc.footer == ("Payment is due within 14 days, by 15 Dec 2026.",
                          "Thank you for your business!")
    assert doc.business_name == "Lan Nguyen Virtual Assistance"
    assert doc.client_name == "Acme Holdings LLC" and doc.client_email == "ap@acme.example"


def test_doc_vnd_vietnamese() -> None:
    doc = invoice_doc(vnd_invoice(), SETTINGS_VI, None)
    nbsp = "\xa0"
    assert doc.title == "HÓA ĐƠN"
    assert doc.line_headers == ("Mô tả", "Số lượng", "Đơn giá", "Thành tiền")
    assert [t.label for t in doc.totals] == [
        "Cộng", "Thuế (7,5%)", "Tổng cộng", "Đã thanh toán", "Còn phải trả"]
    assert doc.total("subtotal").text == f"1.687.500{nbsp}₫"
    assert doc.total("tax").text == f"126.563{nbsp}₫"
    assert doc.lines[1].quantity_text == "1,75 giờ"
    assert doc.lines[1].unit_price_text == f"450.000{nbsp}₫/giờ"
    meta = {m.key: m.text for m in doc.meta}
    assert meta["issue_date"] == "01/12/2026" and meta["due_date"] == "31/12/2026"
    assert meta["period"] == "Tháng 11/2026" and meta["payment_terms"] == "30 ngày"
    assert doc.entries[0].rush_text == "Có" and doc.entries[0].billable_text == "Có"
    assert doc.statement_title == "" and doc.statement == ()
    assert doc.bill_to == ("Công ty TNHH Minh Anh",)
    assert doc.minor_units == 0


def test_doc_due_on_receipt_and_no_tax_label() -> None:
    inv = usd_invoice(due_date=date(2026, 12, 1), tax_rate=D(0), tax=D(0), total=D("802.50"),
                      balance=D("702.50"))
    doc = invoice_doc(inv, Settings(), None)
    assert {m.key: m.text for m in doc.meta}["payment_terms"] == "Due on receipt"
    assert doc.total("tax").label == "Tax"
    assert doc.footer[0] == "Payment is due on receipt."
    assert doc.business == ()


# --- invoice_grid -------------------------------------------------------------


def test_grid_lines_and_total_formulas_carry_invoice_figures() -> None:
    inv = usd_invoice()
    grid = invoice_grid(invoice_doc(inv, SETTINGS_EN, CLIENT), inv)
    assert grid.name == "INV-2026-0007" and grid.kind == "invoice"
    assert grid.landscape is False and grid.fit_width is True
    r, c = find(grid, "Admin")
    amounts = [grid.cells[(r + i, 6)].value for i in range(3)]
    assert amounts == [D("562.50"), D("195.00"), D("45.00")]
    first, last = r, r + 2

    labels = ["Subtotal", "Tax (8.25%)", "Total", "Paid", "Balance Due"]
    rows = [find(grid, label)[0] for label in labels]
    assert rows == list(range(last + 1, last + 6))
    sub, tax, total, paid, balance = (grid.cells[(row, 6)] for row in rows)
    assert sub.formula == f"SUM(F{first}:F{last})" and sub.value == D("802.50")
    assert tax.formula == f"ROUND(F{rows[0]}*0.0825,2)" and tax.value == D("66.21")
    assert total.formula == f"F{rows[0]}+F{rows[1]}" and total.value == D("868.71")
    assert paid.formula is None and paid.value == D("100")
    assert balance.formula == f"F{rows[2]}-F{rows[3]}" and balance.value == D("768.71")
    assert sub.style is not None and sub.style.num_format == '"$"#,##0.00;-"$"#,##0.00'
    assert f"F{rows[4]}:G{rows[4]}" in grid.merges


def test_grid_entry_detail_links_and_durations() -> None:
    inv = usd_invoice()
    grid = invoice_grid(invoice_doc(inv, SETTINGS_EN, CLIENT), inv)
    r, _ = find(grid, date(2026, 11, 3))
    row = grid.cells[(r, 1)]
    assert row.link == "'Timesheet'!A14"
    assert grid.cells[(r + 1, 1)].link == "'Timesheet'!A15"
    worked, billed = grid.cells[(r, 4)], grid.cells[(r, 5)]
    assert worked.value * 86400 == pytest.approx(5340) and billed.value * 86400 == 5400
    assert worked.style.num_format == "[h]:mm"
    # user text that looks like a formula stays a value, never a formula
    assert grid.cells[(r + 1, 2)].value == "=cmd|' /C calc'!A0"
    assert grid.cells[(r + 1, 2)].formula is None
    # the second entry is not billable: Billed shows a dash, which SUM skips
    assert grid.cells[(r + 1, 5)].value == "—" and grid.cells[(r + 1, 5)].formula is None
    assert grid.cells[(r + 1, 4)].value * 86400 == pytest.approx(1800)
    total_row = find(grid, "Total time")[0]
    assert total_row == r + 2
    assert grid.cells[(total_row, 4)].formula == f"SUM(D{r}:D{r + 1})"
    assert grid.cells[(total_row, 4)].value * 86400 == pytest.approx(7140)
    assert grid.cells[(total_row, 5)].formula == f"SUM(E{r}:E{r + 1})"
    assert grid.cells[(total_row, 5)].value * 86400 == pytest.approx(5400)
    # statement section with its hours
    s_row, _ = find(grid, "Included this month")
    assert grid.cells[(s_row, 4)].value == D("10")
    assert grid.cells[(s_row + 1, 4)].value == D("-12.5")
    assert find(grid, "Retainer statement")[0] < s_row < r


def test_counts_read_1_and_hours_carry_their_unit() -> None:
    retainer = InvoiceLine(description="Monthly retainer November 2026 (10 h included)",
                           kind="retainer", quantity=D("1"), unit_price=D("350"),
                           amount=D("350.00"))
    inv = usd_invoice(lines=(retainer, *usd_invoice().lines[:1]))
    doc = invoice_doc(inv, SETTINGS_EN, CLIENT)
    assert (doc.lines[0].quantity_text, doc.lines[0].unit_price_text) == ("1", "$350.00")
    assert (doc.lines[1].quantity_text, doc.lines[1].unit_price_text) == ("12.50 h", "$45.00 / h")
    grid = invoice_grid(doc, inv)
    r = find(grid, retainer.description)[0]
    count, fee = grid.cells[(r, 4)], grid.cells[(r, 5)]
    hours, rate = grid.cells[(r + 1, 4)], grid.cells[(r + 1, 5)]
    assert (count.value, count.style.num_format) == (D("1"), "#,##0")
    assert (fee.value, fee.style.num_format) == (D("350"), '"$"#,##0.00;-"$"#,##0.00')
    assert (hours.value, hours.style.num_format) == (D("12.5"), '#,##0.00" h"')
    assert (rate.value, rate.style.num_format) == (D("45"),
                                                   '"$"#,##0.00" / h";-"$"#,##0.00" / h"')


def test_grid_vnd_vietnamese_has_no_decimals() -> None:
    inv = vnd_invoice()
    grid = invoice_grid(invoice_doc(inv, SETTINGS_VI, None), inv)
    for label in ("HÓA ĐƠN", "Mô tả", "Số lượng", "Đơn giá", "Thành tiền", "Cộng", "Tổng cộng",
                  "Đã thanh toán", "Còn phải trả", "Ngày lập", "Hạn thanh toán"):
        find(grid, label)
    sub_row = find(grid, "Cộng")[0]
    tax = grid.cells[(sub_row + 1, 6)]
    assert tax.formula == f"ROUND(F{sub_row}*0.075,0)" and tax.value == D("126563")
    fmt = tax.style.num_format
    assert fmt == '#,##0 "₫";-#,##0 "₫"' and "." not in fmt
    assert grid.cells[(find(grid, "Còn phải trả")[0], 6)].value == D("1814063")
    entry_row = find(grid, date(2026, 11, 3))[0]
    assert grid.cells[(entry_row, 1)].link == "'Bảng chấm công'!A5"
    line = find(grid, "Dịch thuật")[0]
    assert grid.cells[(line, 4)].style.num_format == '#,##0.00" giờ"'
    assert grid.cells[(line, 5)].style.num_format == '#,##0 "₫/giờ";-#,##0 "₫/giờ"'
    # the unit price column is wide enough for `450.000 ₫/giờ`
    assert grid.col_widths[5] >= len("450.000 ₫/giờ") + 1


def test_grid_paid_invoice_is_stamped() -> None:
    inv = usd_invoice(status="paid")
    grid = invoice_grid(invoice_doc(inv, SETTINGS_EN, CLIENT), inv)
    assert find(grid, "PAID") == (2, 5)
    draft = invoice_grid(invoice_doc(usd_invoice(), SETTINGS_EN, CLIENT), usd_invoice())
    assert (2, 5) not in draft.cells


def test_grid_without_lines_or_entries() -> None:
    inv = usd_invoice(lines=(), entries=(), statement=(), subtotal=D(0), tax=D(0), total=D(0),
                      paid=D(0), balance=D(0))
    grid = invoice_grid(invoice_doc(inv, SETTINGS_EN, None), inv)
    sub_row = find(grid, "Subtotal")[0]
    assert grid.cells[(sub_row, 6)].formula is None and grid.cells[(sub_row, 6)].value == D(0)
    assert not any(c.value == "Time detail" for c in grid.cells.values())


def test_doc_entries_are_made_when_asked_for_and_read_like_a_tuple() -> None:
    """The time detail is a lazy sequence (a big month has tens of thousands of rows):
    indexing, slicing, iterating and comparing it give the same DocEntry rows."""
    invoice = usd_invoice()
    doc = invoice_doc(invoice, SETTINGS_EN, CLIENT)
    rows = tuple(doc.entries)
    assert len(doc.entries) == len(invoice.entries) == len(rows) >= 2
    assert doc.entries.details is invoice.entries
    assert doc.entries == rows and rows == tuple(doc.entries[:])
    assert doc.entries[-1] == rows[-1] and doc.entries[1:] == rows[1:]
    assert [e.ref for e in rows] == [d.ref for d in invoice.entries]
    assert [e.worked_seconds for e in rows] == [d.worked_seconds for d in invoice.entries]
    assert doc.entries != rows[:-1]
    assert doc == invoice_doc(invoice, SETTINGS_EN, CLIENT)


def test_entry_details_from_billing_lay_out_as_their_records() -> None:
    """Billing hands the time detail as Timesheet rows (EntryDetails): the tab is the
    one its EntryDetail records make, links included."""
    records = usd_invoice().entries
    table = Entries("Timesheet", day=[e.day for e in records],
                    client_key=["ACME"] * 2, task=[e.task for e in records],
                    category=[e.category for e in records],
                    seconds=[e.worked_seconds for e in records], rush=[e.rush for e in records],
                    billable=[e.billable for e in records], notes=[e.notes for e in records],
                    row=[e.ref.row for e in records], assistant=["", ""])
    details = EntryDetails(table, [0, 1], [e.billed_seconds for e in records],
                           [e.prepaid_seconds for e in records])
    assert details == records
    from_rows = usd_invoice(entries=details)
    from_records = usd_invoice()
    assert (invoice_grid(invoice_doc(from_rows, SETTINGS_EN, CLIENT), from_rows)
            == invoice_grid(invoice_doc(from_records, SETTINGS_EN, CLIENT), from_records))


def test_entries_from_two_tabs_link_each_to_its_own() -> None:
    first, second = usd_invoice().entries
    moved = dataclasses.replace(second, ref=CellRef("Old log", 7, 3))
    inv = usd_invoice(entries=(first, moved))
    grid = invoice_grid(invoice_doc(inv, SETTINGS_EN, CLIENT), inv)
    r, _ = find(grid, date(2026, 11, 3))
    assert grid.cells[(r, 1)].link == "'Timesheet'!A14"
    assert grid.cells[(r + 1, 1)].link == "'Old log'!C7"
