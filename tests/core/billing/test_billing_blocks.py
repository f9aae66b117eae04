"""Rule 5 (blocks) and rule 6 (Prepaid = no) for block clients."""

from __future__ import annotations

from billing_kit import D, block, book, client, entry, only_invoice, rate, run


def _blk(**kw):  # type: ignore[no-untyped-def]
    base = dict(rate="50", overage_rate="60")
    base.update(kw)
    return client("BLK", "block", **base)


def _rows(result, reference: str):  # type: ignore[no-untyped-def]
    return {
        r.month: r
        for r in result.ledger
        if r.client_key == "BLK" and r.kind == "block" and r.reference == reference
    }


def test_block_billed_in_its_month_at_amount_or_hours_times_rate() -> None:
    # B-1: 10 h for 450 (Amount given) -> 1 x 450.00
    # B-2: 4 h, no Amount -> 4 h x Rate 50 = 200.00
    bk = book(
        [_blk()],
        [],
        blocks=[
            block("2026-11-02", "10:00", "BLK", amount="450", reference="B-1"),
            block("2026-11-20", "4:00", "BLK", reference="B-2"),
            block("2026-10-20", "4:00", "BLK", reference="OLD"),  # October: not on this invoice
        ],
    )
    inv = only_invoice(run(bk), "BLK")
    assert [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in inv.lines] == [
        ("Block of 10 hours (B-1)", D(1), D(450), D("450.00")),
        ("Block of 4 hours (B-2)", D(4), D(50), D("200.00")),
    ]
    assert inv.subtotal == D("650.00")


def test_block_expiring_on_the_work_date_is_still_usable_that_day() -> None:
    # B-1: 5 h bought 2026-10-01, Expires 2026-11-10 (its last usable day).
    # 11-10: 3 h drawn from B-1 (still usable that day). 11-11: 2 h, B-1 expired -> overage
    # 2 h x 60 = 120.00. B-1's 2 unused hours are forfeited in November.
    bk = book(
        [_blk()],
        [entry("2026-11-10", "3:00", "BLK"), entry("2026-11-11", "2:00", "BLK")],
        blocks=[block("2026-10-01", "5:00", "BLK", expires="2026-11-10", reference="B-1")],
    )
    result = run(bk)
    inv = only_invoice(result, "BLK")
    assert [(ln.kind, ln.quantity, ln.amount) for ln in inv.lines] == [
        ("overage", D(2), D("120.00"))
    ]
    assert [e.prepaid_seconds for e in inv.entries] == [3 * 3600, 0]
    b1 = _rows(result, "B-1")
    assert (b1["2026-10"].included, b1["2026-10"].carried_out) == (D(5), D(5))
    nov = b1["2026-11"]
    assert (nov.carried_in, nov.used, nov.expired, nov.carried_out) == (D(5), D(3), D(2), D(0))
    assert _rows(result, "")["2026-11"].overage == D(2)
    assert "2 h of block B-1 expired unused" in result.report[0].alerts


def test_oldest_block_first_and_only_blocks_dated_on_or_before_the_work() -> None:
    # B-1 (2026-10-01, 4 h) and B-2 (2026-11-05, 10 h).
    # 11-03: 2 h -> B-1 (B-2 not bought yet): B-1 left 2.
    # 11-06: 6 h -> B-1's 2 first, then 4 from B-2: B-2 left 6. No overage.
    bk = book(
        [_blk()],
        [entry("2026-11-06", "6:00", "BLK"), entry("2026-11-03", "2:00", "BLK")],
        blocks=[
            block("2026-11-05", "10:00", "BLK", amount="400", reference="B-2"),
            block("2026-10-01", "4:00", "BLK", reference="B-1"),
        ],
    )
    result = run(bk)
    b1, b2 = _rows(result, "B-1")["2026-11"], _rows(result, "B-2")["2026-11"]
    assert (b1.carried_in, b1.used, b1.carried_out) == (D(4), D(4), D(0))
    assert (b2.included, b2.used, b2.carried_out) == (D(10), D(4), D(6))
    inv = only_invoice(result, "BLK")
    assert [ln.kind for ln in inv.lines] == ["block"]  # only B-2's purchase
    assert result.report[0].prepaid_balance == D(6)


def test_work_before_any_block_is_overage() -> None:
    # 11-01: 1 h, the only block is bought 11-02 -> 1 h x 60 = 60.00 overage;
    # 11-02: block 5 h x 50 = 250.00
    bk = book(
        [_blk()],
        [entry("2026-11-01", "1:00", "BLK")],
        blocks=[block("2026-11-02", "5:00", "BLK")],
    )
    inv = only_invoice(run(bk), "BLK")
    assert sorted((ln.kind, ln.amount) for ln in inv.lines) == [
        ("block", D("250.00")),
        ("overage", D("60.00")),
    ]


def test_prepaid_no_category_for_block_client() -> None:
    # Translation 80 Prepaid no: 1 h -> 80.00, block untouched (10 h left)
    bk = book(
        [_blk()],
        [entry("2026-11-03", "1:00", "BLK", category="Translation")],
        blocks=[block("2026-10-01", "10:00", "BLK", reference="B-1")],
        rates=[rate("Translation", "80", key="BLK", prepaid=False)],
    )
    result = run(bk)
    inv = only_invoice(result, "BLK")
    assert [(ln.kind, ln.amount) for ln in inv.lines] == [("time", D("80.00"))]
    assert _rows(result, "B-1")["2026-11"].used == D(0)
    assert result.report[0].prepaid_balance == D(10)


def test_covered_month_without_anything_to_bill_has_no_invoice_but_rush_makes_one() -> None:
    blocks = [block("2026-10-01", "10:00", "BLK", reference="B-1")]
    quiet = run(book([_blk()], [entry("2026-11-03", "1:00", "BLK")], blocks=blocks))
    assert quiet.invoices == ()
    # rush on covered time: 50% x 1 h x 50 = 25.00
    rushed = run(book([_blk()], [entry("2026-11-03", "1:00", "BLK", rush=True)], blocks=blocks))
    inv = only_invoice(rushed, "BLK")
    assert [(ln.kind, ln.amount) for ln in inv.lines] == [("rush", D("25.00"))]
    assert _rows(rushed, "B-1")["2026-11"].used == D(1)


def test_earlier_months_draw_down_and_ledger_conserves() -> None:
    # B-1 10 h in September, 4 h used in Sep, 3 in Oct, 5 in Nov -> 3 covered + 2 overage in Nov
    bk = book(
        [_blk()],
        [
            entry("2026-09-10", "4:00", "BLK"),
            entry("2026-10-10", "3:00", "BLK"),
            entry("2026-11-10", "5:00", "BLK"),
        ],
        blocks=[block("2026-09-01", "10:00", "BLK", reference="B-1")],
    )
    result = run(bk)
    rows = _rows(result, "B-1")
    assert [(m, r.used, r.carried_out) for m, r in rows.items()] == [
        ("2026-09", D(4), D(6)),
        ("2026-10", D(3), D(3)),
        ("2026-11", D(3), D(0)),
    ]
    for r in rows.values():
        assert r.included + r.carried_in == r.used + r.expired + r.carried_out
    inv = only_invoice(result, "BLK")
    assert [(ln.kind, ln.amount) for ln in inv.lines] == [("overage", D("120.00"))]  # 2 h x 60
    assert result.report[0].alerts == ("No prepaid hours left: 2.00 h billed as overage",)


def test_block_statement_lines() -> None:
    bk = book(
        [_blk()],
        [entry("2026-11-10", "3:00", "BLK")],
        blocks=[block("2026-11-01", "10:00", "BLK", amount="400", reference="B-9")],
    )
    inv = only_invoice(run(bk), "BLK")
    assert [(s.label, s.hours) for s in inv.statement] == [
        ("Block B-9: available", D(10)),
        ("Block B-9: used", D(-3)),
        ("Hours left in blocks", D(7)),
    ]
