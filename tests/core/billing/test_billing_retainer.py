"""Rule 4 (retainers) and rule 6 (Prepaid = no) for retainer clients."""

from __future__ import annotations

from billing_kit import D, book, client, entry, ledger_of, only_invoice, rate, run

from vaxl.core.retainers import run_retainer


def _retainer(**kw):  # type: ignore[no-untyped-def]
    base = dict(
        rate="40",
        retainer_hours="10",
        retainer_fee="500",
        overage_rate="60",
        rollover_months=1,
        start_date=None,
    )
    base.update(kw)
    return client("RET", "retainer", **base)


def _conserved(row) -> bool:  # type: ignore[no-untyped-def]
    return row.included + row.carried_in == row.used + row.expired + row.carried_out


def test_rollover_one_month_usable_next_month_gone_the_month_after() -> None:
    from billing_kit import d

    # 10 h a month, Rollover 1, start October.
    # Oct: 6 h used -> 4 h of October left, usable through November.
    # Nov: 3 h, drawn from October's 4 first -> October 1 left, expires at the end of
    #      November (expired 1); November's 10 carried out.
    # Dec: 25 h against Nov's 10 + Dec's 10 = 20 -> overage 5 h (had October's hour still
    #      been usable it would be 4). Invoice: fee 500 + 5 h x 60 = 300 -> 800.00.
    ret = _retainer(start_date=d("2026-10-01"))
    entries = [
        entry("2026-10-05", "6:00", "RET"),
        entry("2026-11-05", "3:00", "RET"),
        entry("2026-12-05", "25:00", "RET"),
    ]
    result = run(book([ret], entries), "2026-12", issue="2027-01-02", today="2027-01-02")
    led = ledger_of(result, "RET")
    assert list(led) == ["2026-10", "2026-11", "2026-12"]
    oct_, nov, dec = led["2026-10"], led["2026-11"], led["2026-12"]
    assert (oct_.included, oct_.carried_in, oct_.used, oct_.expired, oct_.carried_out) == (
        D(10),
        D(0),
        D(6),
        D(0),
        D(4),
    )
    assert (nov.included, nov.carried_in, nov.used, nov.expired, nov.carried_out) == (
        D(10),
        D(4),
        D(3),
        D(1),
        D(10),
    )
    assert (dec.included, dec.carried_in, dec.used, dec.overage, dec.expired, dec.carried_out) == (
        D(10),
        D(10),
        D(20),
        D(5),
        D(0),
        D(0),
    )
    assert all(_conserved(r) for r in led.values())
    inv = only_invoice(result, "RET")
    assert [(ln.kind, ln.amount) for ln in inv.lines] == [
        ("retainer", D("500.00")),
        ("overage", D("300.00")),
    ]
    assert inv.total == D("800.00")
    assert inv.period == "2026-12"


def test_rollover_zero_expires_in_its_own_month() -> None:
    # 10 h, 4 used in November -> 6 expire at the end of November.
    result = run(book([_retainer(rollover_months=0)], [entry("2026-11-03", "4:00", "RET")]))
    nov = ledger_of(result, "RET")["2026-11"]
    assert (nov.used, nov.expired, nov.carried_out) == (D(4), D(6), D(0))


def test_oldest_carried_hours_drawn_first() -> None:
    # Rollover 2, 10 h, start September. Sep 2 h (8 left), Oct 0 h (Sep 8 + Oct 10),
    # Nov 9 h: Sep's 8 first (Sep + 2 = Nov, its last month), then 1 from October.
    # End Nov: Sep bucket empty (nothing expires), Oct 9 + Nov 10 = 19 carried out.
    # Drawing the month's own first would expire 8 Sep hours instead.
    from billing_kit import d

    ret = _retainer(rollover_months=2, start_date=d("2026-09-01"))
    result = run(
        book([ret], [entry("2026-09-10", "2:00", "RET"), entry("2026-11-10", "9:00", "RET")])
    )
    nov = ledger_of(result, "RET")["2026-11"]
    assert (nov.carried_in, nov.used, nov.expired, nov.carried_out) == (D(18), D(9), D(0), D(19))


def test_fee_billed_every_month_even_without_work() -> None:
    from billing_kit import d

    # Start September, no entries at all: November still bills the 500 fee.
    result = run(book([_retainer(start_date=d("2026-09-15"))], []))
    inv = only_invoice(result, "RET")
    assert [(ln.kind, ln.quantity, ln.amount) for ln in inv.lines] == [
        ("retainer", D(1), D("500.00"))
    ]
    assert inv.lines[0].description == "Monthly retainer November 2026 (10 h included)"
    assert list(ledger_of(result, "RET")) == ["2026-09", "2026-10", "2026-11"]


def test_first_month_is_first_entry_without_start_date() -> None:
    # First entry in October -> months Oct and Nov; nothing before.
    result = run(book([_retainer()], [entry("2026-10-20", "1:00", "RET", billable=False)]))
    assert list(ledger_of(result, "RET")) == ["2026-10", "2026-11"]
    assert only_invoice(result, "RET").subtotal == D("500.00")


def test_no_start_no_entries_no_invoice() -> None:
    result = run(book([_retainer()], []))
    assert result.invoices == ()
    assert ledger_of(result, "RET") == {}


def test_end_date_stops_retainer_months() -> None:
    from billing_kit import d

    ret = _retainer(start_date=d("2026-09-01"), end_date=d("2026-10-15"))
    assert run(book([ret], []), "2026-11").invoices == ()
    in_october = run(book([ret], []), "2026-10", issue="2026-11-01", today="2026-11-01")
    assert only_invoice(in_october, "RET").subtotal == D("500.00")
    assert list(ledger_of(in_october, "RET")) == ["2026-09", "2026-10"]


def test_rush_on_covered_hours_is_billed_and_draws_no_extra_hours() -> None:
    # 2 h rush, covered by the retainer: used 2 h (not 3); rush 50% x 2 h x 40 = 40.00
    result = run(book([_retainer()], [entry("2026-11-03", "2:00", "RET", rush=True)]))
    inv = only_invoice(result, "RET")
    assert [(ln.kind, ln.amount) for ln in inv.lines] == [
        ("retainer", D("500.00")),
        ("rush", D("40.00")),
    ]
    assert ledger_of(result, "RET")["2026-11"].used == D(2)
    (detail,) = inv.entries
    assert detail.prepaid_seconds == 7200


def test_prepaid_no_category_billed_at_its_rate_and_draws_nothing() -> None:
    # Translation 80/h, Prepaid = no: 2 h -> 160.00, draws nothing.
    # Admin 12 h against 10 h -> 2 h overage x 60 = 120.00.
    bk = book(
        [_retainer()],
        [
            entry("2026-11-03", "2:00", "RET", category="Translation"),
            entry("2026-11-04", "12:00", "RET", category="Admin"),
        ],
        rates=[rate("Translation", "80", prepaid=False)],
    )
    result = run(bk)
    inv = only_invoice(result, "RET")
    assert {(ln.kind, ln.category, ln.quantity, ln.unit_price, ln.amount) for ln in inv.lines} == {
        ("retainer", "", D(1), D(500), D("500.00")),
        ("time", "Translation", D(2), D(80), D("160.00")),
        ("overage", "Admin", D(2), D(60), D("120.00")),
    }
    nov = ledger_of(result, "RET")["2026-11"]
    assert (nov.used, nov.overage) == (D(10), D(2))
    assert inv.total == D("780.00")


def test_prepaid_specialty_hours_are_covered_and_overage_uses_overage_rate() -> None:
    # Research 90/h (Prepaid yes): 8 h Admin then 4 h Research on later dates.
    # 10 h cover Admin 8 + Research 2; Research 2 h left are overage at 60 (not 90) = 120.00
    bk = book(
        [_retainer()],
        [
            entry("2026-11-03", "8:00", "RET", category="Admin"),
            entry("2026-11-10", "4:00", "RET", category="Research"),
        ],
        rates=[rate("Research", "90")],
    )
    inv = only_invoice(run(bk), "RET")
    assert [(ln.kind, ln.category, ln.amount) for ln in inv.lines] == [
        ("retainer", "", D("500.00")),
        ("overage", "Research", D("120.00")),
    ]


def test_overage_rate_defaults_to_rate() -> None:
    # no Overage Rate: 1 h over x Rate 40 = 40.00
    bk = book([_retainer(overage_rate=None)], [entry("2026-11-03", "11:00", "RET")])
    inv = only_invoice(run(bk), "RET")
    assert inv.lines[-1].amount == D("40.00")


def test_statement_and_low_balance_alert() -> None:
    # 9 of 10 h used = 90% >= 80% (Settings default) -> alert, 1 h left
    result = run(book([_retainer()], [entry("2026-11-03", "9:00", "RET")]))
    inv = only_invoice(result, "RET")
    st = {s.label: s.hours for s in inv.statement}
    assert st["Included this month"] == D(10)
    assert st["Used this month"] == D(-9)
    assert st["Balance carried forward"] == D(1)
    (row,) = result.report
    assert row.prepaid_balance == D(1)
    assert row.alerts == ("Low balance: 90% of prepaid hours used, 1.00 h left",)


def test_no_alert_below_threshold() -> None:
    result = run(book([_retainer()], [entry("2026-11-03", "7:00", "RET")]))
    assert result.report[0].alerts == ()


def test_run_retainer_unit_conserves_seconds() -> None:
    # months 0..2, 100 s a month, rollover 1; draws 50 (m0), 170 (m1), 0 (m2)
    # m0: 100 in, 50 used, 50 out. m1: 50 + 100, 150 used, 20 overage, 0 out.
    months, drawn = run_retainer(0, 2, 100, 1, [(0, 50), (1, 170)])
    assert drawn == [50, 150]
    assert [(m.used, m.overage, m.carried_out) for m in months] == [
        (50, 0, 50),
        (150, 20, 0),
        (0, 0, 100),
    ]
    for m in months:
        assert m.included + m.carried_in == m.used + m.expired + m.carried_out
