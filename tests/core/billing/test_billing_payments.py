"""Payments (named, oldest first, credits) and aging."""

from __future__ import annotations

import pytest
from billing_kit import D, book, client, d, entry, payment, register_row, run

from vaxl.core.aging import bucket


def _history():  # type: ignore[no-untyped-def]
    return [
        register_row(
            "INV-2026-0001",
            "ACME",
            "2026-08",
            issue="2026-09-01",
            due="2026-09-15",
            total="100",
            row=2,
        ),
        register_row(
            "INV-2026-0002",
            "ACME",
            "2026-09",
            issue="2026-10-01",
            due="2026-10-15",
            total="200",
            row=3,
        ),
    ]


def _paid(result) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {r.number: (r.paid, r.balance) for r in result.invoice_register}


def test_named_first_then_unnamed_to_the_oldest_open_invoice() -> None:
    # named 30 -> INV-2; unnamed 150 -> INV-1 100 (full), then INV-2 50 -> INV-2 paid 80.
    # November's new invoice (1 h x 50 = 50.00) gets nothing.
    bk = book(
        [client("ACME")],
        [entry("2026-11-03", "1:00")],
        invoices=_history(),
        payments=[
            payment("2026-10-20", "150"),
            payment("2026-10-25", "30", invoice_no="inv-2026-0002"),
        ],
    )
    result = run(bk)
    assert _paid(result) == {
        "INV-2026-0001": (D(100), D(0)),
        "INV-2026-0002": (D(80), D(120)),
        "INV-2026-0003": (D(0), D("50.00")),
    }
    # statuses are never changed automatically
    assert [r.status for r in result.invoice_register] == ["sent", "sent", "draft"]


def test_overpayment_is_a_credit_for_the_next_open_invoice() -> None:
    # named 130 to INV-1 (total 100): 30 credit -> INV-2 (oldest still open).
    bk = book(
        [client("ACME")],
        [],
        invoices=_history(),
        payments=[payment("2026-09-20", "130", invoice_no="INV-2026-0001")],
    )
    assert _paid(run(bk)) == {"INV-2026-0001": (D(100), D(0)), "INV-2026-0002": (D(30), D(170))}


def test_credit_flows_into_this_runs_invoice_and_leftover_is_reported() -> None:
    # unnamed 400: INV-1 100, INV-2 200, November 50.00 -> 50.00 credit left over
    bk = book(
        [client("ACME")],
        [entry("2026-11-03", "1:00")],
        invoices=_history(),
        payments=[payment("2026-11-20", "400")],
    )
    result = run(bk)
    assert _paid(result)["INV-2026-0003"] == (D("50.00"), D("0.00"))
    (inv,) = result.invoices
    assert (inv.paid, inv.balance) == (D("50.00"), D("0.00"))
    assert result.report[0].alerts == ("Credit of 50.00 USD not yet applied to an invoice",)


def test_paid_and_void_invoices_take_no_unnamed_money() -> None:
    rows = _history()
    rows[0] = rows[0].model_copy(update={"status": "paid"})
    bk = book([client("ACME")], [], invoices=rows, payments=[payment("2026-11-20", "50")])
    assert _paid(run(bk)) == {"INV-2026-0001": (D(0), D(100)), "INV-2026-0002": (D(50), D(150))}


def test_payment_naming_an_unknown_invoice_is_held_as_credit() -> None:
    # INV-9999 exists nowhere: 60 is held (the checks warn), no invoice takes it.
    bk = book(
        [client("ACME")],
        [],
        invoices=_history(),
        payments=[payment("2026-11-20", "60", invoice_no="INV-9999")],
    )
    result = run(bk)
    assert _paid(result) == {"INV-2026-0001": (D(0), D(100)), "INV-2026-0002": (D(0), D(200))}
    assert result.report[0].alerts == ("Credit of 60.00 USD not yet applied to an invoice",)


def test_payment_naming_the_number_this_run_creates_applies_to_it() -> None:
    # November's invoice becomes INV-2026-0003 (2 h x 50 = 100.00); the payment names it.
    bk = book(
        [client("ACME")],
        [entry("2026-11-03", "2:00")],
        invoices=_history(),
        payments=[payment("2026-11-28", "100", invoice_no="INV-2026-0003")],
    )
    result = run(bk)
    assert _paid(result)["INV-2026-0003"] == (D("100.00"), D("0.00"))
    assert result.invoices[0].balance == D("0.00")
    assert result.report[0].alerts == ()


def test_payment_to_a_void_invoice_becomes_credit_with_a_warning() -> None:
    rows = _history()
    rows[0] = rows[0].model_copy(update={"status": "void"})
    bk = book(
        [client("ACME")],
        [],
        invoices=rows,
        payments=[payment("2026-11-20", "60", invoice_no="INV-2026-0001")],
    )
    result = run(bk)
    # the 60 goes to the oldest open invoice, INV-2
    assert _paid(result) == {"INV-2026-0001": (D(0), D(100)), "INV-2026-0002": (D(60), D(140))}
    (warn,) = [p for p in result.problems if p.code == "payment_to_void_invoice"]
    assert (warn.tab, warn.value) == ("Payments", "INV-2026-0001")


def test_excluded_client_register_rows_stay_as_written() -> None:
    from vaxl.core.models import Problem

    rows = [r.model_copy(update={"paid": D(7), "balance": D(93)}) for r in _history()[:1]]
    problems = (Problem(severity="error", tab="Payments", message="x", client_id="ACME"),)
    bk = book([client("ACME")], [], invoices=rows, payments=[payment("2026-11-20", "60")])
    result = run(bk, problems=problems)
    assert _paid(result) == {"INV-2026-0001": (D(7), D(93))}


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
    ],
)
def test_aging_buckets(days: int, expected: str) -> None:
    assert bucket(days) == expected


def test_aging_lists_open_invoices_by_days_past_due() -> None:
    # today 2026-12-20: due 12-15 -> 5 days (1-30); due 10-15 -> 66 (61-90);
    # due 12-25 -> current; paid-status and void rows and zero balances are left out.
    rows = [
        register_row("A", "ACME", "2026-11", issue="2026-12-01", due="2026-12-15", total="10"),
        register_row("B", "ACME", "2026-09", issue="2026-10-01", due="2026-10-15", total="20"),
        register_row(
            "C", "ACME", "2026-10", issue="2026-12-11", due="2026-12-25", total="30", status="draft"
        ),
        register_row(
            "D", "ACME", "2026-07", issue="2026-08-01", due="2026-08-15", total="40", status="paid"
        ),
        register_row(
            "E", "ACME", "2026-06", issue="2026-07-01", due="2026-07-15", total="50", status="void"
        ),
        register_row("F", "ACME", "2026-05", issue="2026-06-01", due="2026-06-15", total="0"),
    ]
    result = run(book([client("ACME")], [], invoices=rows), today="2026-12-20")
    assert [(a.number, a.days_overdue, a.bucket, a.balance) for a in result.aging] == [
        ("B", 66, "61-90", D(20)),
        ("A", 5, "1-30", D(10)),
        ("C", 0, "current", D(30)),
    ]
    assert result.aging[0].due_date == d("2026-10-15")
