"""Rules 1-3 and 8: time rounding, rates, hourly lines, rush, money rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from billing_kit import D, book, client, entry, only_invoice, rate, run, secs

from vaxl.core.models import Settings
from vaxl.core.pricing import RateBook, round_seconds


@pytest.mark.parametrize(
    ("seconds", "minutes", "mode", "expected"),
    [
        (secs("0:07"), 0, "up", secs("0:07")),  # 0 = exact
        (secs("0:07"), 15, "up", secs("0:15")),
        (secs("0:15"), 15, "up", secs("0:15")),  # already a multiple
        (secs("0:15:01"), 15, "up", secs("0:30")),  # one second over
        (secs("0:07"), 15, "nearest", 0),  # 7 < 7.5 -> down
        (secs("0:07:30"), 15, "nearest", secs("0:15")),  # tie goes up
        (secs("0:22"), 15, "nearest", secs("0:15")),
        (secs("0:23"), 15, "nearest", secs("0:30")),
        (secs("0:01"), 6, "up", secs("0:06")),
        (secs("0:04"), 5, "up", secs("0:05")),
        (secs("0:11"), 10, "up", secs("0:20")),
        (secs("0:31"), 30, "up", secs("1:00")),
        (secs("1:01"), 60, "up", secs("2:00")),
        (secs("1:29"), 60, "nearest", secs("1:00")),
        (0, 15, "up", 0),
    ],
)
def test_round_seconds(seconds: int, minutes: int, mode: str, expected: int) -> None:
    assert round_seconds(seconds, minutes, mode) == expected


def test_three_twenty_minute_entries_are_exactly_one_hour() -> None:
    # 3 x 1200 s = 3600 s = 1 h exactly; 1 h x 45 = 45.00
    bk = book(
        [client(rate="45")],
        [entry("2026-11-02", "0:20"), entry("2026-11-03", "0:20"), entry("2026-11-04", "0:20")],
    )
    inv = only_invoice(run(bk))
    (line,) = inv.lines
    assert line.quantity == Decimal(1)
    assert line.seconds == 3600
    assert line.amount == D("45.00")
    assert inv.total == D("45.00")


def test_line_amount_rounded_once_per_line_not_per_entry() -> None:
    # rate 10, three 0:20 entries. Per entry: 10/3 = 3.333.. -> 3.33 each -> 9.99 (wrong);
    # per line: 10 x 3600/3600 = 10.00 (right)
    bk = book(
        [client(rate="10")],
        [entry("2026-11-02", "0:20"), entry("2026-11-03", "0:20"), entry("2026-11-04", "0:20")],
    )
    assert only_invoice(run(bk)).subtotal == D("10.00")


def test_client_time_rounding_beats_settings_and_keeps_worked_time() -> None:
    # Settings round to 60 min, the client to 15: 0:07 -> 0:15 = 0.25 h x 40 = 10.00
    settings = Settings(time_rounding=60)
    bk = book(
        [client(rate="40", time_rounding=15)], [entry("2026-11-02", "0:07")], settings=settings
    )
    inv = only_invoice(run(bk))
    assert inv.lines[0].amount == D("10.00")
    (detail,) = inv.entries
    assert (detail.worked_seconds, detail.billed_seconds) == (420, 900)


def test_settings_rounding_nearest() -> None:
    # nearest 30 min: 0:44 -> 0:30, 0:46 -> 1:00; total 1.5 h x 20 = 30.00
    settings = Settings(time_rounding=30, rounding_mode="nearest")
    bk = book(
        [client(rate="20")],
        [entry("2026-11-02", "0:44"), entry("2026-11-03", "0:46")],
        settings=settings,
    )
    inv = only_invoice(run(bk))
    assert inv.lines[0].quantity == D("1.5")
    assert inv.subtotal == D("30.00")


def test_non_billable_entries_are_reported_not_billed() -> None:
    bk = book(
        [client(rate="50")],
        [entry("2026-11-02", "1:00"), entry("2026-11-03", "2:00", billable=False)],
    )
    result = run(bk)
    inv = only_invoice(result)
    assert inv.subtotal == D("50.00")  # 1 h x 50
    assert len(inv.entries) == 2
    (row,) = result.report
    assert row.hours_worked == D(3)
    assert row.billable_hours == D(1)


def test_hourly_client_with_only_non_billable_time_gets_no_invoice() -> None:
    bk = book([client()], [entry("2026-11-02", "2:00", billable=False)])
    result = run(bk)
    assert result.invoices == ()
    assert result.invoice_register == ()


@pytest.mark.parametrize(
    ("rates", "category", "expected_rate", "prepaid"),
    [
        ([], "Research", D("50"), True),  # client Rate
        ([rate("research", "70")], "Research", D("70"), True),  # all-clients row, any case
        ([rate("Research", "70"), rate("RESEARCH", "90", key="acme")], "research", D("90"), True),
        ([rate("Research", "90", key="OTHER")], "Research", D("50"), True),  # not this client's
        ([rate("Translation", "80", prepaid=False)], "translation", D("80"), False),
    ],
)
def test_rate_resolution_order(rates, category, expected_rate, prepaid) -> None:  # type: ignore[no-untyped-def]
    book_rates = RateBook(rates)
    found = book_rates.resolve(client(rate="50"), category)
    assert (found.rate, found.prepaid) == (expected_rate, prepaid)


def test_one_line_per_category_and_rate_case_insensitive() -> None:
    # Research rate 70 (all clients): 1:00 + 0:30 (typed 'research') = 1.5 h x 70 = 105.00
    # Admin at the client's 50: 2 h = 100.00
    bk = book(
        [client(rate="50")],
        [
            entry("2026-11-02", "1:00", category="Research"),
            entry("2026-11-03", "0:30", category="research"),
            entry("2026-11-04", "2:00", category="Admin"),
        ],
        rates=[rate("Research", "70")],
    )
    inv = only_invoice(run(bk))
    got = {(line.description, line.quantity, line.unit_price, line.amount) for line in inv.lines}
    assert got == {
        ("Admin", D(2), D(50), D("100.00")),
        ("Research", D("1.5"), D(70), D("105.00")),
    }
    assert inv.subtotal == D("205.00")


def test_rush_surcharge_is_its_own_line_on_the_unrounded_amount() -> None:
    # rate 33.33, 0:20 rush: amount = 33.33/3 = 11.11 (11.11 exactly: 33.33 x 1200/3600)
    # rush 50% of the unrounded 11.11 = 5.555 -> 5.56 (half up)
    bk = book([client(rate="33.33")], [entry("2026-11-02", "0:20", rush=True, category="Research")])
    inv = only_invoice(run(bk))
    assert [(ln.kind, ln.amount) for ln in inv.lines] == [("time", D("11.11")), ("rush", D("5.56"))]
    assert inv.lines[1].description == "Rush surcharge 50% — Research"
    assert inv.total == D("16.67")


def test_rush_uses_unrounded_base() -> None:
    # rate 0.05 x 0:06 (0.1 h): base 0.005 -> time line 0.01 (half up).
    # rush 50% of the unrounded 0.005 = 0.0025 -> 0.00
    # (50% of the rounded 0.01 would be 0.005 -> 0.01: the wrong answer).
    bk = book(
        [client(rate="0.05", rush_surcharge="0.5")],
        [entry("2026-11-02", "0:06", rush=True)],
    )
    inv = only_invoice(run(bk))
    assert [(ln.kind, ln.amount) for ln in inv.lines] == [("time", D("0.01")), ("rush", D("0.00"))]


def test_client_rush_surcharge_beats_settings() -> None:
    # 2 h x 40 = 80.00; client's 25% of 80 = 20.00 (Settings 50% would give 40.00)
    bk = book([client(rate="40", rush_surcharge="0.25")], [entry("2026-11-02", "2:00", rush=True)])
    inv = only_invoice(run(bk))
    assert [ln.amount for ln in inv.lines] == [D("80.00"), D("20.00")]
    assert inv.lines[1].description == "Rush surcharge 25% — Admin"


def test_float_cells_half_up_through_decimal() -> None:
    # rate 2.675 (a float cell: binary 2.67499999..) x 1 h = 2.675 -> 2.68 half up
    # rate 33.35 x 1.5 h = 50.025 -> 50.03 (binary float gives 50.025000000000006 / 50.02)
    from vaxl.core.money import to_decimal

    bk = book(
        [client("A", rate=to_decimal(2.675)), client("B", rate=to_decimal(33.35))],
        [entry("2026-11-02", "1:00", "A"), entry("2026-11-02", "1:30", "B")],
    )
    result = run(bk)
    assert only_invoice(result, "A").total == D("2.68")
    assert only_invoice(result, "B").total == D("50.03")


def test_point_one_times_three_hours() -> None:
    # rate 0.1 (float cell) x 3 h = 0.3 exactly -> 0.30; tax 10% x 0.30 = 0.03
    from vaxl.core.money import to_decimal

    bk = book(
        [client(rate=to_decimal(0.1), tax_rate=to_decimal(0.1))],
        [entry("2026-11-02", "1:00"), entry("2026-11-03", "1:00"), entry("2026-11-04", "1:00")],
    )
    inv = only_invoice(run(bk))
    assert (inv.subtotal, inv.tax, inv.total) == (D("0.30"), D("0.03"), D("0.33"))


@pytest.mark.parametrize("currency", ["VND", "JPY"])
def test_zero_decimal_currencies(currency: str) -> None:
    # rate 150,001 x 0:30 = 75,000.5 -> 75,001 (half up, 0 decimals)
    # rush 50% of 75,000.5 = 37,500.25 -> 37,500
    # tax 10% x 112,501 = 11,250.1 -> 11,250; total 123,751
    bk = book(
        [client(rate="150001", currency=currency, tax_rate="0.1")],
        [entry("2026-11-02", "0:30", rush=True)],
    )
    inv = only_invoice(run(bk))
    assert [ln.amount for ln in inv.lines] == [D("75001"), D("37500")]
    assert (inv.subtotal, inv.tax, inv.total) == (D("112501"), D("11250"), D("123751"))
    assert inv.currency == currency


def test_tax_rounded_once_on_subtotal() -> None:
    # two lines of 0.05 (0:20 x 0.15 each), tax 10%:
    # per line 0.005 -> 0.01 each = 0.02 (wrong); once on the subtotal 0.10 x 10% = 0.01.
    bk = book(
        [client(rate="0.15", tax_rate="0.1")],
        [
            entry("2026-11-02", "0:20", category="A"),  # 0.15/3 = 0.05
            entry("2026-11-02", "0:20", category="B"),  # 0.05
        ],
    )
    inv = only_invoice(run(bk))
    assert inv.subtotal == D("0.10")
    assert inv.tax == D("0.01")
    assert inv.total == D("0.11")


def test_month_boundaries_first_and_last_day() -> None:
    # 2026-11-01 and 2026-11-30 are in November; 10-31 and 12-01 are not. 2 h x 50 = 100.00
    bk = book(
        [client()],
        [
            entry("2026-10-31", "5:00"),
            entry("2026-11-01", "1:00"),
            entry("2026-11-30", "1:00"),
            entry("2026-12-01", "7:00"),
        ],
    )
    inv = only_invoice(run(bk))
    assert inv.subtotal == D("100.00")
    assert [e.day.isoformat() for e in inv.entries] == ["2026-11-01", "2026-11-30"]


def test_vietnamese_line_descriptions() -> None:
    bk = book(
        [client(rate="100000", currency="VND")],
        [entry("2026-11-02", "1:00", category="", rush=True)],
        settings=Settings(language="vi"),
    )
    inv = only_invoice(run(bk))
    assert inv.language == "vi"
    assert [ln.description for ln in inv.lines] == ["Dịch vụ", "Phụ phí gấp 50%"]
