"""The validation rules of vaxl.core.checks, one or more table rows per rule.

Every case builds a small Book straight from the records.  The base book is
clean (asserted below); each case changes one thing and names the problem it
must produce: code, severity, tab, cell (the row number: no column map is
given), column, value, client, and words the message and the fix must hold.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from vaxl.core import checks
from vaxl.core.checks import check
from vaxl.core.models import (
    Block,
    Book,
    CellRef,
    Client,
    Closing,
    Entry,
    Payment,
    Problem,
    RegisterRow,
    Settings,
    SpecialtyRate,
)

TODAY = date(2026, 12, 1)
NOV3 = date(2026, 11, 3)
D = Decimal


def client(cid: str, row: int, **kw: Any) -> Client:
    base: dict[str, Any] = dict(
        key=cid.strip().upper(), id=cid.strip(), name=f"{cid.strip().title()} Corp",
        billing="hourly", rate=D(50), currency="USD", ref=CellRef("Clients", row),
    )
    base.update(kw)
    return Client(**base)


ACME = client("ACME", 2, email="jane@acme.com", phone="+1 212 555 0100")
RET = client("RET", 3, billing="retainer", rate=D(40), retainer_hours=D(10),
             retainer_fee=D(400), rollover_months=1)
BLK = client("BLK", 4, billing="block", rate=D(45))
COM = client("COM", 5, billing="commission", rate=None, commission_rate=D("0.03"))
FIX = client("FIX", 6, billing="commission", rate=None, commission_per_closing=D(250))
VN = client("HANOI", 7, currency="VND", rate=D(200000), phone="0912 345 678")
CLIENTS = (ACME, RET, BLK, COM, FIX, VN)


def entry(row: int, client_key: str = "ACME", day: date = NOV3, hours: str = "1",
          task: str = "Inbox", category: str = "Admin", **kw: Any) -> Entry:
    base: dict[str, Any] = dict(
        day=day, client_key=client_key, task=task, category=category,
        seconds=int(D(hours) * 3600), rush=False, billable=True, notes="",
        ref=CellRef("Timesheet", row),
    )
    base.update(kw)
    return Entry(**base)


ENTRIES = (
    entry(2), entry(3, "RET", hours="2.5", category="Translation"),
    entry(4, "BLK", hours="0.5"), entry(5, "COM", hours="3", category="Showings"),
    entry(6, "HANOI", day=date(2026, 11, 4), hours="8", category="Web Development"),
)
RATES = (
    SpecialtyRate(client_key="ACME", category="Translation", rate=D(70),
                  ref=CellRef("Rates", 2)),
    SpecialtyRate(client_key=None, category="Translation", rate=D(60), ref=CellRef("Rates", 3)),
    SpecialtyRate(client_key="RET", category="Translation", rate=D(65), prepaid=False,
                  ref=CellRef("Rates", 4)),
)
BLOCKS = (Block(day=date(2026, 11, 1), client_key="BLK", seconds=10 * 3600,
                expires=date(2027, 4, 30), ref=CellRef("Blocks", 2)),)
CLOSINGS = (
    Closing(day=NOV3, client_key="COM", reference="12 Elm St", sale_price=D(400000),
            ref=CellRef("Closings", 2)),
    Closing(day=NOV3, client_key="FIX", reference="3 Oak Ave", ref=CellRef("Closings", 3)),
    Closing(day=NOV3, client_key="COM", reference="9 Pine Rd", commission=D(5000),
            ref=CellRef("Closings", 4)),
)
INVOICES = (
    RegisterRow(number="INV-2026-0001", client_key="ACME", period="2026-10", status="sent",
                ref=CellRef("Invoices", 2)),
    RegisterRow(number="INV-2026-0002", client_key="RET", period="2026-10", status="paid",
                ref=CellRef("Invoices", 3)),
)
PAYMENTS = (
    Payment(day=NOV3, client_key="ACME", invoice_no="inv-2026-0001", amount=D("100.50"),
            ref=CellRef("Payments", 2)),
    Payment(day=NOV3, client_key="RET", amount=D(400), ref=CellRef("Payments", 3)),
)


def book(**kw: Any) -> Book:
    base: dict[str, Any] = dict(
        clients=CLIENTS, entries=ENTRIES, rates=RATES, blocks=BLOCKS, closings=CLOSINGS,
        payments=PAYMENTS, invoices=INVOICES,
    )
    base.update(kw)
    return Book(**base)


def replace_client(cid: str, **kw: Any) -> tuple[Client, ...]:
    return tuple(c.model_copy(update=kw) if c.key == cid else c for c in CLIENTS)


def test_the_base_book_is_clean() -> None:
    assert check(book(), today=TODAY) == []


@dataclass
class Case:
    """One rule firing: what to change and the problem it must give."""

    id: str
    book: Book
    code: str
    severity: str
    tab: str
    cell: str
    column: str
    client_id: str | None
    value: str = ""
    message: tuple[str, ...] = ()
    fix: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # other codes the change rightly causes too
    count: int = 1
    settings: dict[str, Any] = field(default_factory=dict)


CASES = [
    # --- Clients
    Case("missing client id", book(clients=(*CLIENTS, client("", 8))),
         "missing_client_id", "error", "Clients", "8", "Client ID", None,
         message=("no Client ID",), fix=("Client ID",)),
    Case("client without ID or name", book(clients=(*CLIENTS, client("", 8, name=""))),
         "missing_client_name", "error", "Clients", "8", "Client Name", None,
         message=("The client on row 8 has no Client Name",), also=("missing_client_id",)),
    Case("duplicate id, case and spaces ignored", book(clients=(*CLIENTS, client(" acme ", 8))),
         "duplicate_client_id", "error", "Clients", "8", "Client ID", "ACME", "acme",
         message=("'acme'", "row 2"), fix=("own Client ID",)),
    Case("missing name", book(clients=replace_client("ACME", name="  ")),
         "missing_client_name", "error", "Clients", "2", "Client Name", "ACME",
         message=("ACME",), fix=("name",)),
    Case("unknown billing with suggestion", book(clients=replace_client("RET", billing="retainr")),
         "unknown_billing", "error", "Clients", "3", "Billing", "RET", "retainr",
         message=("'retainr'", "did you mean 'retainer'"), fix=("retainer",)),
    Case("unknown billing without suggestion", book(clients=replace_client("ACME", billing="zz")),
         "unknown_billing", "error", "Clients", "2", "Billing", "ACME", "zz",
         message=("'zz'",), fix=("hourly, retainer, block or commission",)),
    Case("missing billing", book(clients=replace_client("ACME", billing="")),
         "missing_billing", "error", "Clients", "2", "Billing", "ACME",
         message=("no Billing",), fix=("hourly, retainer, block or commission",)),
    Case("hourly without rate", book(clients=replace_client("ACME", rate=None)),
         "missing_rate", "error", "Clients", "2", "Rate", "ACME",
         message=("hourly", "no Rate"), fix=("above 0",)),
    Case("block without rate", book(clients=replace_client("BLK", rate=None),
                                    blocks=()),
         "missing_rate", "error", "Clients", "4", "Rate", "BLK", message=("block",)),
    Case("zero rate", book(clients=replace_client("ACME", rate=D(0))),
         "rate_not_positive", "error", "Clients", "2", "Rate", "ACME", "0",
         message=("Rate 0",), fix=("above 0",)),
    Case("negative rate", book(clients=replace_client("RET", rate=D("-40"))),
         "rate_not_positive", "error", "Clients", "3", "Rate", "RET", "-40",
         message=("-40",)),
    Case("retainer without hours", book(clients=replace_client("RET", retainer_hours=None)),
         "missing_retainer_hours", "error", "Clients", "3", "Retainer Hours", "RET",
         message=("no Retainer Hours",), fix=("above 0",)),
    Case("retainer with zero hours", book(clients=replace_client("RET", retainer_hours=D(0))),
         "retainer_hours_not_positive", "error", "Clients", "3", "Retainer Hours", "RET", "0",
         fix=("above 0",)),
    Case("retainer without fee", book(clients=replace_client("RET", retainer_fee=None)),
         "missing_retainer_fee", "error", "Clients", "3", "Retainer Fee", "RET",
         message=("no Retainer Fee",), fix=("0 is allowed",)),
    Case("retainer with negative fee", book(clients=replace_client("RET", retainer_fee=D(-1))),
         "negative_value", "error", "Clients", "3", "Retainer Fee", "RET", "-1",
         message=("negative",), fix=("0 or more",)),
    Case("commission with both terms",
         book(clients=replace_client("COM", commission_per_closing=D(100))),
         "commission_terms_both", "error", "Clients", "5", "Commission Rate", "COM", "3%",
         message=("both",), fix=("only one",)),
    Case("commission with neither term",
         book(clients=replace_client("COM", commission_rate=None), closings=()),
         "commission_terms_missing", "error", "Clients", "5", "Commission per Closing", "COM",
         message=("no Commission per Closing",), fix=("Commission Rate",)),
    Case("bad e-mail", book(clients=replace_client("ACME", email="jane@acme")),
         "bad_email", "error", "Clients", "2", "Email", "ACME", "jane@acme",
         message=("'jane@acme'",), fix=("name@example.com",)),
    Case("bad e-mail with two @", book(clients=replace_client("ACME", email="a@@b.com")),
         "bad_email", "error", "Clients", "2", "Email", "ACME", "a@@b.com",
         message=("'a@@b.com'",)),
    Case("unreadable phone is a warning", book(clients=replace_client("ACME", phone="555-1234")),
         "bad_phone", "warning", "Clients", "2", "Phone", "ACME", "555-1234",
         message=("'555-1234'",), fix=("country code",)),
    Case("US national number for a VND client",
         book(clients=replace_client("HANOI", phone="(415) 555-0132")),
         "bad_phone", "warning", "Clients", "7", "Phone", "HANOI", "(415) 555-0132"),
    Case("unknown currency", book(clients=replace_client("ACME", currency="XYZ")),
         "unknown_currency", "error", "Clients", "2", "Currency", "ACME", "XYZ",
         message=("'XYZ'",), fix=("USD",)),
    Case("tax above 100%", book(clients=replace_client("ACME", tax_rate=D("1.5"))),
         "percent_out_of_range", "error", "Clients", "2", "Tax Rate", "ACME", "150%",
         message=("150%", "100%"), fix=("Tax Rate",)),
    Case("negative tax", book(clients=replace_client("ACME", tax_rate=D("-0.1"))),
         "percent_out_of_range", "error", "Clients", "2", "Tax Rate", "ACME", "-10%"),
    Case("commission rate above 100%",
         book(clients=replace_client("COM", commission_rate=D("1.2"))),
         "percent_out_of_range", "error", "Clients", "5", "Commission Rate", "COM", "120%"),
    Case("rush above 500%", book(clients=replace_client("ACME", rush_surcharge=D("5.5"))),
         "percent_out_of_range", "error", "Clients", "2", "Rush Surcharge", "ACME", "550%",
         message=("500%",)),
    Case("negative overage rate", book(clients=replace_client("RET", overage_rate=D(-5))),
         "negative_value", "error", "Clients", "3", "Overage Rate", "RET", "-5",
         message=("Overage Rate -5",)),
    Case("negative rollover", book(clients=replace_client("RET", rollover_months=-1)),
         "negative_value", "error", "Clients", "3", "Rollover Months", "RET", "-1"),
    Case("negative payment terms", book(clients=replace_client("ACME", payment_terms=-14)),
         "negative_value", "error", "Clients", "2", "Payment Terms", "ACME", "-14"),
    Case("time rounding 7", book(clients=replace_client("ACME", time_rounding=7)),
         "bad_time_rounding", "error", "Clients", "2", "Time Rounding", "ACME", "7",
         message=("7",), fix=("15",)),
    Case("end before start",
         book(clients=replace_client("ACME", start_date=date(2026, 1, 1),
                                     end_date=date(2025, 12, 31))),
         "end_before_start", "error", "Clients", "2", "End Date", "ACME", "2025-12-31",
         message=("2025-12-31", "2026-01-01"), fix=("End Date",),
         also=("outside_client_window",)),
    # --- Rates
    Case("rate for an unknown client", book(rates=(
        SpecialtyRate(client_key="ACMEE", category="Admin", rate=D(55),
                      ref=CellRef("Rates", 5)),)),
         "unknown_client", "error", "Rates", "5", "Client ID", "ACMEE", "ACMEE",
         message=("did you mean 'ACME'",), fix=("'ACME'",)),
    Case("zero specialty rate", book(rates=(
        SpecialtyRate(client_key=None, category="Admin", rate=D(0), ref=CellRef("Rates", 5)),)),
         "rate_not_positive", "error", "Rates", "5", "Rate", None, "0",
         message=("'Admin'",), fix=("above 0",)),
    Case("duplicate client rate, case-insensitive", book(rates=(
        *RATES, SpecialtyRate(client_key="ACME", category=" translation ", rate=D(80),
                              ref=CellRef("Rates", 6)))),
         "duplicate_rate", "warning", "Rates", "6", "Category", "ACME", "translation",
         message=("row 2", "wins"), fix=("Delete",)),
    Case("duplicate all-clients rate", book(rates=(
        *RATES, SpecialtyRate(client_key=None, category="TRANSLATION", rate=D(80),
                              ref=CellRef("Rates", 6)))),
         "duplicate_rate", "warning", "Rates", "6", "Category", None, "TRANSLATION",
         message=("all clients", "row 3")),
    # --- Timesheet
    Case("zero hours", book(entries=(*ENTRIES, entry(7, hours="0"))),
         "hours_out_of_range", "error", "Timesheet", "7", "Hours", "ACME", "0",
         fix=("above 0",)),
    Case("25 hours", book(entries=(*ENTRIES, entry(7, day=NOV3 + timedelta(1), hours="25"))),
         "hours_out_of_range", "error", "Timesheet", "7", "Hours", "ACME", "25",
         message=("25 hours",), fix=("24 hours",)),
    Case("future date", book(entries=(*ENTRIES, entry(7, day=date(2026, 12, 2)))),
         "future_date", "warning", "Timesheet", "7", "Date", "ACME", "2026-12-02",
         message=("2026-12-02", "2026-12-01"), fix=("Check the date",)),
    Case("before the client's start",
         book(clients=replace_client("ACME", start_date=date(2026, 11, 10))),
         "outside_client_window", "warning", "Timesheet", "2", "Date", "ACME", "2026-11-03",
         message=("2026-11-10",), fix=("Start Date",)),
    Case("after the client's end",
         book(clients=replace_client("RET", end_date=date(2026, 10, 31))),
         "outside_client_window", "warning", "Timesheet", "3", "Date", "RET", "2026-11-03",
         message=("2026-10-31",)),
    Case("inactive client", book(clients=replace_client("BLK", active=False)),
         "inactive_client", "warning", "Timesheet", "4", "Client ID", "BLK", "BLK",
         message=("inactive",), fix=("Active",)),
    Case("likely duplicate entry", book(entries=(
        *ENTRIES, entry(7, "acme", task="inbox", category="ADMIN"))),
         "duplicate_entry", "warning", "Timesheet", "7", "Hours", "ACME", "1",
         message=("row 2",), fix=("row 2",)),
    # --- Blocks
    Case("block for unknown client", book(blocks=(
        Block(day=NOV3, client_key="BLOCKY", seconds=3600, amount=D(10),
              ref=CellRef("Blocks", 3)),)),
         "unknown_client", "error", "Blocks", "3", "Client ID", "BLOCKY", "BLOCKY",
         message=("'BLOCKY'",)),
    Case("block of zero hours", book(blocks=(
        Block(day=NOV3, client_key="BLK", seconds=0, ref=CellRef("Blocks", 3)),)),
         "hours_not_positive", "error", "Blocks", "3", "Hours", "BLK", "0",
         fix=("hours",)),
    Case("block with nothing to price it", book(
        clients=replace_client("BLK", rate=None), blocks=(
            Block(day=NOV3, client_key="BLK", seconds=3600, ref=CellRef("Blocks", 3)),)),
         "block_no_amount", "error", "Blocks", "3", "Amount", "BLK",
         message=("no Amount", "no Rate"), fix=("Amount",), also=("missing_rate",)),
    Case("block expiring before its date", book(blocks=(
        Block(day=NOV3, client_key="BLK", seconds=3600, expires=date(2026, 11, 2),
              ref=CellRef("Blocks", 3)),)),
         "expires_before_date", "error", "Blocks", "3", "Expires", "BLK", "2026-11-02",
         message=("2026-11-02", "2026-11-03"), fix=("never expires",)),
    Case("block for an hourly client", book(blocks=(
        Block(day=NOV3, client_key="ACME", seconds=3600, ref=CellRef("Blocks", 3)),)),
         "block_for_non_block_client", "warning", "Blocks", "3", "Client ID", "ACME", "ACME",
         message=("'hourly'",), fix=("block",)),
    # --- Closings
    Case("closing for unknown client", book(closings=(
        Closing(day=NOV3, client_key="CMO", commission=D(1), ref=CellRef("Closings", 5)),)),
         "unknown_client", "error", "Closings", "5", "Client ID", "CMO", "CMO"),
    Case("closing for an hourly client", book(closings=(
        Closing(day=NOV3, client_key="ACME", commission=D(1), ref=CellRef("Closings", 5)),)),
         "closing_for_non_commission_client", "warning", "Closings", "5", "Client ID", "ACME",
         "ACME", message=("'hourly'",), fix=("commission",)),
    Case("closing without sale price for a rate client", book(closings=(
        Closing(day=NOV3, client_key="COM", ref=CellRef("Closings", 5)),)),
         "closing_no_terms", "error", "Closings", "5", "Sale Price", "COM",
         message=("no Sale Price",), fix=("Sale Price",)),
    Case("closing for a client with no terms at all", book(
        clients=replace_client("COM", commission_rate=None), closings=(
            Closing(day=NOV3, client_key="COM", sale_price=D(1000),
                    ref=CellRef("Closings", 5)),)),
         "closing_no_terms", "error", "Closings", "5", "Commission", "COM",
         message=("no Commission",), fix=("Commission",), also=("commission_terms_missing",)),
    Case("negative sale price", book(closings=(
        Closing(day=NOV3, client_key="COM", sale_price=D(-5), ref=CellRef("Closings", 5)),)),
         "negative_value", "error", "Closings", "5", "Sale Price", "COM", "-5",
         message=("Sale Price -5",)),
    # --- Payments
    Case("payment from unknown client", book(payments=(
        Payment(day=NOV3, client_key="ACNE", amount=D(1), ref=CellRef("Payments", 4)),)),
         "unknown_client", "error", "Payments", "4", "Client ID", "ACNE", "ACNE",
         message=("did you mean 'ACME'",)),
    Case("zero payment", book(payments=(
        Payment(day=NOV3, client_key="ACME", amount=D(0), ref=CellRef("Payments", 4)),)),
         "amount_not_positive", "error", "Payments", "4", "Amount", "ACME", "0",
         fix=("above 0",)),
    Case("payment for an invoice not in the register", book(payments=(
        Payment(day=NOV3, client_key="ACME", invoice_no="INV-2026-0099", amount=D(5),
                ref=CellRef("Payments", 4)),)),
         "payment_invoice_unknown", "warning", "Payments", "4", "Invoice No", "ACME",
         "INV-2026-0099", message=("'INV-2026-0099'", "unapplied credit"),
         fix=("Invoice No",)),
    Case("payment for another client's invoice", book(payments=(
        Payment(day=NOV3, client_key="ACME", invoice_no="INV-2026-0002", amount=D(5),
                ref=CellRef("Payments", 4)),)),
         "payment_invoice_other_client", "error", "Payments", "4", "Invoice No", "ACME",
         "INV-2026-0002", message=("'RET'",), fix=("Invoice No",)),
    # --- Settings
    Case("invoice pattern without counter",
         book(settings=Settings(invoice_number="INV-{YYYY}-{MM}")),
         "invoice_pattern_no_counter", "error", "Settings", "", "Invoice Number", None,
         "INV-{YYYY}-{MM}", message=("INV-{YYYY}-{MM}",), fix=("{NNNN}",)),
    Case("low balance alert above 100%",
         book(settings=Settings(low_balance_alert=D("1.2"))),
         "percent_out_of_range", "error", "Settings", "", "Low Balance Alert", None, "120%",
         message=("120%",), fix=("80%",)),
    Case("default rush surcharge above 500%",
         book(settings=Settings(rush_surcharge=D(6))),
         "percent_out_of_range", "error", "Settings", "", "Rush Surcharge", None, "600%",
         message=("600%", "500%"), fix=("50%",)),
    Case("negative low balance alert",
         book(settings=Settings(low_balance_alert=D("-0.05"))),
         "percent_out_of_range", "error", "Settings", "", "Low Balance Alert", None, "-5%"),
    # --- the register
    Case("unknown status", book(invoices=(
        INVOICES[0], INVOICES[1].model_copy(update={"status": "sen"}))),
         "unknown_status", "error", "Invoices", "3", "Status", "RET", "sen",
         message=("draft, sent, paid, void", "did you mean 'sent'"), fix=("draft",)),
    Case("duplicate invoice number", book(invoices=(
        *INVOICES, RegisterRow(number="inv-2026-0001 ", client_key="RET", period="2026-09",
                               ref=CellRef("Invoices", 4)))),
         "duplicate_invoice_number", "error", "Invoices", "4", "Invoice No", "RET",
         "inv-2026-0001 ", message=("row 2",), fix=("never reused",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule(case: Case) -> None:
    problems = check(case.book, today=TODAY)
    assert {p.code for p in problems} == {case.code, *case.also}, problems
    hits = [p for p in problems if p.code == case.code]
    assert len(hits) == case.count, hits
    p = hits[0]
    assert (p.severity, p.tab, p.cell, p.column, p.client_id, p.value) == (
        case.severity, case.tab, case.cell, case.column, case.client_id, case.value
    )
    for words in case.message:
        assert words in p.message, p.message
    for words in case.fix:
        assert words in p.fix, p.fix
    assert p.message.endswith((".", "?")) and p.fix.endswith(".")


# --- rules with several problems, and the rules that must stay quiet -------------------------


def test_more_than_24_hours_a_day_flags_every_entry_of_that_day() -> None:
    long_day = (entry(7, hours="13"), entry(8, "RET", hours="11.5"))
    problems = check(book(entries=(*ENTRIES, *long_day)), today=TODAY)
    over = [p for p in problems if p.code == "day_over_24h"]
    # 2 Nov-3 entries of the base book (ACME 1 h, RET 2.5 h, BLK 0.5 h, COM 3 h) + 24.5 h = 31.5 h
    assert [(p.cell, p.client_id) for p in over] == [
        ("2", "ACME"), ("3", "RET"), ("4", "BLK"), ("5", "COM"), ("7", "ACME"), ("8", "RET")]
    assert all(p.severity == "error" and "31.5 hours" in p.message for p in over)
    assert all("2026-11-03" in p.message for p in over)
    assert {p.code for p in problems} == {"day_over_24h"}


def test_exactly_24_hours_a_day_is_fine() -> None:
    day = date(2026, 11, 20)
    entries = tuple(entry(10 + i, day=day, hours="6", task=f"t{i}") for i in range(4))
    assert check(book(entries=entries), today=TODAY) == []


def test_out_of_range_entry_is_not_added_into_the_day_total() -> None:
    day = date(2026, 11, 20)
    problems = check(book(entries=(entry(10, day=day, hours="30"), entry(11, day=day))),
                     today=TODAY)
    assert [(p.code, p.cell) for p in problems] == [("hours_out_of_range", "10")]


@pytest.mark.parametrize("change", [
    dict(clients=replace_client("RET", retainer_fee=D(0))),
    dict(clients=replace_client("ACME", rush_surcharge=D(5), tax_rate=D(1))),
    dict(clients=replace_client("ACME", phone="(212) 555-0100")),
    dict(clients=replace_client("ACME", phone="00 84 912 345 678")),
    dict(clients=replace_client("ACME", email="", phone="")),
    dict(clients=replace_client("ACME", time_rounding=6, start_date=NOV3, end_date=NOV3)),
    dict(clients=replace_client("RET", overage_rate=D(0), rollover_months=0, payment_terms=0)),
    dict(entries=(*ENTRIES, entry(7, "COM", hours="2", billable=True, category="Open house"))),
    dict(entries=(*ENTRIES, entry(7, category="Basket weaving"))),
    dict(entries=(*ENTRIES, entry(7, " acme ", hours="1", task="Inbox 2"))),
    dict(entries=(*ENTRIES, entry(7, day=TODAY))),
    dict(entries=(*ENTRIES, entry(7, task="Inbox", hours="2"))),
    dict(rates=(*RATES, SpecialtyRate(client_key="BLK", category="Translation", rate=D(1),
                                      ref=CellRef("Rates", 9)))),
    dict(blocks=(Block(day=NOV3, client_key="blk", seconds=3600, expires=NOV3,
                       amount=D(0), ref=CellRef("Blocks", 3)),)),
    dict(payments=(Payment(day=NOV3, client_key="ret", invoice_no=" INV-2026-0002",
                           amount=D("0.01"), ref=CellRef("Payments", 4)),)),
    dict(settings=Settings(invoice_number="{CLIENT}/{YY}/{NNN}", low_balance_alert=D(1))),
    dict(invoices=(INVOICES[0].model_copy(update={"status": " Void "}),)),
], ids=lambda change: next(iter(change)))
def test_valid_variations_give_no_problem(change: dict[str, Any]) -> None:
    assert check(book(**change), today=TODAY) == []


def test_block_with_amount_needs_no_rate() -> None:
    b = book(clients=replace_client("BLK", billing="block", rate=None),
             blocks=(Block(day=NOV3, client_key="BLK", seconds=3600, amount=D(45),
                           ref=CellRef("Blocks", 3)),))
    assert [p.code for p in check(b, today=TODAY)] == ["missing_rate"]


def test_unknown_client_message_is_exact() -> None:
    problems = check(book(entries=(entry(9, "ACMEE"),)), today=TODAY)
    assert [p.message for p in problems] == ["Unknown client 'ACMEE' — did you mean 'ACME'?"]
    assert problems[0].fix == "Change the Client ID to 'ACME', or add 'ACMEE' to the Clients tab."
    assert (problems[0].tab, problems[0].cell, problems[0].client_id) == ("Timesheet", "9",
                                                                         "ACMEE")


def test_did_you_mean_uses_client_names_too() -> None:
    problems = check(book(entries=(entry(9, "HANOI CORP"),)), today=TODAY)
    assert "did you mean 'HANOI'?" in problems[0].message


def test_no_suggestion_when_nothing_is_close() -> None:
    problems = check(book(entries=(entry(9, "ZQXJ"),)), today=TODAY)
    assert problems[0].message == "Unknown client 'ZQXJ' — it is not on the Clients tab."
    assert "did you mean" not in problems[0].fix


def test_missing_client_id_on_a_timesheet_row() -> None:
    problems = check(book(entries=(entry(9, "  "),)), today=TODAY)
    assert [(p.code, p.cell, p.column, p.client_id) for p in problems] == [
        ("missing_client_id", "9", "Client ID", None)]


def test_ids_compare_case_and_space_insensitively_everywhere() -> None:
    lower = tuple(c.model_copy(update={"key": f" {c.key.lower()} "}) for c in CLIENTS)
    b = book(clients=lower, entries=(entry(2, "Acme"), entry(3, " ret ", category="x")))
    assert check(b, today=TODAY) == []


def test_suggestions_are_computed_once_per_unknown_id(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = difflib.get_close_matches

    def counting(word: str, *args: Any, **kw: Any) -> list[str]:
        calls.append(word)
        return real(word, *args, **kw)

    monkeypatch.setattr(checks.difflib, "get_close_matches", counting)
    entries = tuple(entry(10 + i, "ACMEE" if i % 2 else "BLKK", day=NOV3 + timedelta(i),
                          task=str(i)) for i in range(500))
    problems = check(book(entries=entries), today=date(2030, 1, 1))
    assert sorted(calls) == ["ACMEE", "BLKK"]
    assert len(problems) == 500
    assert {p.message for p in problems} == {
        "Unknown client 'ACMEE' — did you mean 'ACME'?",
        "Unknown client 'BLKK' — did you mean 'BLK'?"}


def test_problems_are_sorted_by_tab_then_row() -> None:
    b = book(
        entries=(*ENTRIES, entry(30, "X1"), entry(9, "X2")),
        clients=replace_client("ACME", rate=None),
        settings=Settings(invoice_number="INV"),
    )
    got = [(p.tab, p.cell) for p in check(b, today=TODAY)]
    assert got == [("Settings", ""), ("Clients", "2"), ("Timesheet", "9"), ("Timesheet", "30")]


# --- cells, columns and problems the parser already reported --------------------------------

COLUMNS = {
    "Bảng chấm công": {"date": (1, "Ngày"), "client_id": (2, "Mã KH"), "hours": (5, "Số giờ")},
    "clients": {"rate": (8, "Hourly Rate"), "client_id": (1, "Client ID")},
}


def test_column_map_gives_a1_cells_and_the_typed_header() -> None:
    e = entry(14, hours="0", ref=CellRef("Bảng chấm công", 14))
    b = book(entries=(e,), clients=replace_client("ACME", rate=None))
    problems = check(b, today=TODAY, columns=COLUMNS)
    assert [(p.tab, p.cell, p.column, p.code) for p in problems] == [
        ("Clients", "H2", "Hourly Rate", "missing_rate"),
        ("Bảng chấm công", "E14", "Số giờ", "hours_out_of_range"),
    ]


def test_a_field_missing_from_the_map_falls_back_to_row_and_english_header() -> None:
    b = book(clients=replace_client("ACME", email="x@"))
    [p] = check(b, today=TODAY, columns=COLUMNS)
    assert (p.cell, p.column) == ("2", "Email")


def parser_problem(tab: str, cell: str, column: str) -> Problem:
    return Problem(severity="error", tab=tab, cell=cell, column=column, value="?",
                   message="The parser could not read this.", code="unreadable")


@pytest.mark.parametrize(("already", "columns", "silenced"), [
    # same cell, with a column map
    (parser_problem("Timesheet", "E7", "Hours"), COLUMNS | {"Timesheet": {"hours": (5, "Hours")}},
     True),
    # same row and column, no map: matched by row + header (any alias of the column)
    (parser_problem("Timesheet", "E7", "Hours"), None, True),
    (parser_problem("timesheet ", "E7", "Duration"), None, True),
    (parser_problem("Bảng chấm công", "E7", "Số giờ"), None, True),
    # a whole missing column silences that column's row reports
    (parser_problem("Timesheet", "", "Hours"), None, True),
    # another cell of the row, another row, another tab: still reported
    (parser_problem("Timesheet", "A7", "Date"), None, False),
    (parser_problem("Timesheet", "E8", "Hours"), None, False),
    (parser_problem("Blocks", "C7", "Hours"), None, False),
    (parser_problem("Timesheet", "F7", "Hours"), COLUMNS | {"Timesheet": {"hours": (5, "Hours")}},
     False),
])
def test_already_reported_cells_are_not_reported_again(
    already: Problem, columns: Any, silenced: bool
) -> None:
    b = book(entries=(*ENTRIES, entry(7, hours="0")))
    problems = check(b, today=TODAY, already=[already], columns=columns)
    assert [p.code for p in problems] == ([] if silenced else ["hours_out_of_range"])


@pytest.mark.parametrize("missing", [
    parser_problem("Clients", "", "Rate"),
    parser_problem("Clients", "W1", "Rate").model_copy(update={"code": "missing_column"}),
])
def test_missing_rate_column_silences_per_client_missing_rate(missing: Problem) -> None:
    b = book(clients=tuple(c.model_copy(update={"rate": None}) for c in CLIENTS), blocks=())
    assert {p.code for p in check(b, today=TODAY)} == {"missing_rate"}
    assert check(b, today=TODAY, already=[missing]) == []


def test_settings_problems_of_the_parser_are_kept_apart() -> None:
    """A parser problem on one Settings value does not hide another setting's problem."""
    b = book(settings=Settings(invoice_number="INV"))
    already = [parser_problem("Settings", "B4", "Value")]
    assert [p.code for p in check(b, today=TODAY, already=already)] == [
        "invoice_pattern_no_counter"]


# --- volume (speed itself is measured by `make bench`, never in a test) ---------------------


def test_100k_clean_entries_give_no_problem() -> None:
    keys = [c.key for c in CLIENTS if c.key != "COM"]
    start = date(2000, 1, 1)
    entries = tuple(
        Entry(day=start + timedelta(days=i // 8), client_key=keys[i % len(keys)],
              task=f"task {i}", category="Admin", seconds=1800 + (i % 5) * 300,
              rush=False, billable=True, notes="", ref=CellRef("Timesheet", i + 2))
        for i in range(100_000))
    big = book(entries=entries, blocks=(), closings=(), payments=(), invoices=())
    assert check(big, today=date(2040, 1, 1)) == []
