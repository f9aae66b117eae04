"""Invoice numbers, re-runs, drafts and frozen invoices."""

from __future__ import annotations

import pytest
from billing_kit import D, book, client, d, entry, only_invoice, register_row, run

from vaxl.core.models import Settings
from vaxl.core.numbering import Numberer, format_number, tab_name


def _two_clients():  # type: ignore[no-untyped-def]
    # Clients listed BETA first: numbering follows Client ID order, not row order.
    return book(
        [client("BETA", rate="10"), client("ACME", rate="20")],
        [entry("2026-11-03", "1:00", "BETA"), entry("2026-11-03", "1:00", "ACME")],
    )


def test_new_numbers_follow_the_highest_of_the_issue_year_in_client_order() -> None:
    old = [
        register_row("INV-2026-0007", "OLD", "2026-06", issue="2026-07-01", status="paid"),
        register_row("INV-2025-0042", "OLD", "2025-12", issue="2025-12-31", status="paid"),
    ]
    bk = _two_clients().model_copy(update={"invoices": tuple(old)})
    result = run(bk)
    assert {i.client_key: i.number for i in result.invoices} == {
        "ACME": "INV-2026-0008",
        "BETA": "INV-2026-0009",
    }
    # the register keeps the old rows first, then the new ones
    assert [r.number for r in result.invoice_register] == [
        "INV-2026-0007",
        "INV-2025-0042",
        "INV-2026-0008",
        "INV-2026-0009",
    ]
    acme = only_invoice(result, "ACME")
    assert (acme.issue_date, acme.due_date) == (d("2026-12-01"), d("2026-12-15"))  # 14 days
    assert acme.tab == "INV-2026-0008"


def test_counter_restarts_each_issue_year() -> None:
    old = [register_row("INV-2026-0009", "OLD", "2026-11", issue="2026-12-01")]
    bk = _two_clients().model_copy(update={"invoices": tuple(old)})
    result = run(bk, "2026-12", issue="2027-01-04", today="2027-01-04")
    # December has no work: nothing to bill
    assert result.invoices == ()
    bk2 = book([client("ACME")], [entry("2026-12-30", "1:00", "ACME")], invoices=old)
    result2 = run(bk2, "2026-12", issue="2027-01-04", today="2027-01-04")
    assert only_invoice(result2).number == "INV-2027-0001"


def test_void_numbers_are_never_reused() -> None:
    old = [
        register_row("INV-2026-0004", "X", "2026-09", issue="2026-10-01"),
        register_row("INV-2026-0005", "X", "2026-10", issue="2026-11-01", status="void"),
    ]
    bk = book([client("ACME")], [entry("2026-11-03", "1:00")], invoices=old)
    assert only_invoice(run(bk)).number == "INV-2026-0006"


def test_rerun_keeps_numbers_and_figures() -> None:
    first = run(_two_clients())
    again = run(
        _two_clients().model_copy(update={"invoices": first.invoice_register}),
        issue="2026-12-01",
    )
    assert again.invoice_register == first.invoice_register
    assert [(i.number, i.total) for i in again.invoices] == [
        (i.number, i.total) for i in first.invoices
    ]


def test_draft_is_recomputed_under_its_number_with_the_run_issue_date() -> None:
    old = [
        register_row(
            "INV-2026-0003",
            "ACME",
            "2026-11",
            status="draft",
            issue="2026-11-30",
            due="2026-12-14",
            total="10",
            hours="0.5",
            row=4,
        )
    ]
    # now 2 h x 50 = 100.00
    bk = book([client("ACME")], [entry("2026-11-03", "2:00")], invoices=old)
    result = run(bk, issue="2026-12-02")
    inv = only_invoice(result)
    assert (inv.number, inv.total, inv.frozen, inv.status) == (
        "INV-2026-0003",
        D("100.00"),
        False,
        "draft",
    )
    assert inv.issue_date == d("2026-12-02")
    (row,) = result.invoice_register
    assert (row.number, row.total, row.hours, row.ref.row) == (
        "INV-2026-0003",
        D("100.00"),
        D("2.00"),
        4,
    )
    assert not [p for p in result.problems if p.code == "frozen_invoice_changed"]


def test_sent_invoice_is_frozen_and_drift_is_reported() -> None:
    # invoiced 10.00 h / 450.00; now 12.5 h x 43.20 = 540.00 -> +2.50 h, +90.00 USD
    old = [
        register_row(
            "INV-2026-0003",
            "ACME",
            "2026-11",
            status="sent",
            issue="2026-12-01",
            due="2026-12-15",
            total="450",
            hours="10",
            fingerprint="abc123",
            row=5,
        )
    ]
    bk = book([client("ACME", rate="43.20")], [entry("2026-11-03", "12:30")], invoices=old)
    result = run(bk, issue="2026-12-20")
    inv = only_invoice(result)
    assert (inv.frozen, inv.lines, inv.total, inv.issue_date) == (
        True,
        (),
        D("450"),
        d("2026-12-01"),
    )
    (row,) = result.invoice_register
    assert row.total == D("450")
    (warn,) = [p for p in result.problems if p.code == "frozen_invoice_changed"]
    assert warn.severity == "warning"
    assert (warn.tab, warn.cell) == ("Invoices", "A5")
    assert warn.message == (
        "Invoice INV-2026-0003 (sent) no longer matches the data: now 12.50 h / 540.00 USD, "
        "invoiced 10.00 h / 450.00 USD (+2.50 h, +90.00 USD)"
    )


def test_frozen_invoice_matching_the_data_gives_no_warning() -> None:
    first = run(_two_clients())
    sent = tuple(r.model_copy(update={"status": "sent"}) for r in first.invoice_register)
    again = run(_two_clients().model_copy(update={"invoices": sent}))
    assert [p for p in again.problems if p.code == "frozen_invoice_changed"] == []
    assert all(i.frozen for i in again.invoices)


def test_void_invoice_is_not_replaced_and_less_work_is_reported() -> None:
    # invoiced 2.00 h / 40.00 (void); now 1 h x 20 = 20.00 -> -1.00 h, -20.00 USD
    old = [
        register_row(
            "INV-2026-0001",
            "ACME",
            "2026-11",
            status="void",
            issue="2026-12-01",
            total="40",
            hours="2",
            fingerprint="zzz",
        )
    ]
    bk = book([client("ACME", rate="20")], [entry("2026-11-03", "1:00")], invoices=old)
    result = run(bk)
    assert [r.number for r in result.invoice_register] == ["INV-2026-0001"]
    (warn,) = [p for p in result.problems if p.code == "frozen_invoice_changed"]
    assert warn.message.endswith("(-1.00 h, -20.00 USD)")
    assert "(void)" in warn.message


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("INV-{YYYY}-{NNNN}", "INV-2026-0007"),
        ("{CLIENT}-{YY}{MM}-{NNN}", "ACME-2612-007"),
        ("{YYYY}/{N}", "2026/7"),
        ("FACT", "FACT-0007"),  # no counter in the pattern: one is added
    ],
)
def test_number_patterns(pattern: str, expected: str) -> None:
    assert format_number(pattern, d("2026-12-01"), "ACME", 7) == expected


def test_counter_read_back_from_a_client_pattern() -> None:
    rows = [register_row("ACME-2612-041", "ACME", "2026-11", issue="2026-12-01")]
    numberer = Numberer("{CLIENT}-{YY}{MM}-{NNN}", rows)
    assert numberer.next(d("2026-12-05"), "BETA") == "BETA-2612-042"
    assert numberer.next(d("2026-12-05"), "ACME") == "ACME-2612-043"


def test_numbers_from_settings_pattern() -> None:
    bk = book(
        [client("ACME")],
        [entry("2026-11-03", "1:00")],
        settings=Settings(invoice_number="{CLIENT}/{YYYY}/{NN}"),
    )
    inv = only_invoice(run(bk))
    assert inv.number == "ACME/2026/01"
    assert inv.tab == "ACME-2026-01"  # '/' is not allowed in a tab name


def test_tab_names_are_excel_safe_and_unique() -> None:
    taken: set[str] = set()
    assert tab_name("A[1]:B*C?D/E\\F", taken) == "A-1--B-C-D-E-F"
    long = "X" * 40
    assert tab_name(long, taken) == "X" * 31
    assert tab_name(long, taken) == "X" * 27 + " (2)"
    assert tab_name("'quoted'") == "quoted"
