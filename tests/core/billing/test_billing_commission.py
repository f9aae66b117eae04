"""Rule 7 (commission) and the exclusion of clients with errors."""

from __future__ import annotations

from billing_kit import D, book, client, closing, entry, only_invoice, run

from vaxl.core.models import Problem


def test_commission_three_ways_and_time_not_billed() -> None:
    # PER (300 per closing): override 250 -> 250.00; plain -> 300.00; subtotal 550.00
    # PCT (2.5%): 123,456.78 x 0.025 = 3,086.4195 -> 3,086.42; override 100 -> 100.00
    per = client("PER", "commission", rate=None, commission_per_closing="300")
    pct = client("PCT", "commission", rate=None, commission_rate="0.025")
    bk = book(
        [per, pct],
        [entry("2026-11-03", "10:00", "PER"), entry("2026-11-04", "2:00", "PCT", rush=True)],
        closings=[
            closing("2026-11-05", "PER", reference="12 Elm St", commission="250"),
            closing("2026-11-20", "PER", reference="3 Oak Ave"),
            closing("2026-10-20", "PER", reference="last month"),  # not November
            closing("2026-11-07", "PCT", reference="Villa", sale_price="123456.78"),
            closing("2026-11-08", "PCT", reference="Flat", sale_price="99999", commission="100"),
        ],
    )
    result = run(bk)
    inv = only_invoice(result, "PER")
    assert [(ln.kind, ln.description, ln.amount) for ln in inv.lines] == [
        ("commission", "Commission — 12 Elm St (2026-11-05)", D("250.00")),
        ("commission", "Commission — 3 Oak Ave (2026-11-20)", D("300.00")),
    ]
    assert inv.subtotal == D("550.00")
    inv2 = only_invoice(result, "PCT")
    assert [ln.amount for ln in inv2.lines] == [D("3086.42"), D("100.00")]  # no time, no rush
    report = {r.client_key: r for r in result.report}
    # effective hourly rate: 550.00 / 10 h = 55.00; 3,186.42 / 2 h = 1,593.21
    assert report["PER"].effective_rate == D("55.00")
    assert report["PCT"].effective_rate == D("1593.21")
    assert report["PER"].hours_worked == D(10)


def test_commission_client_without_closings_gets_no_invoice() -> None:
    com = client("COM", "commission", rate=None, commission_per_closing="300")
    result = run(book([com], [entry("2026-11-03", "3:00", "COM")]))
    assert result.invoices == ()
    assert result.report[0].amount_billed == D(0)
    # no commission: effective rate 0 / 3 h
    assert result.report[0].effective_rate == D("0.00")


def test_client_with_an_error_is_not_billed_others_are() -> None:
    problems = (
        Problem(
            severity="error", tab="Timesheet", cell="E5", message="bad hours", client_id="ACME"
        ),
        Problem(severity="warning", tab="Clients", cell="F3", message="odd", client_id="BETA"),
    )
    bk = book(
        [client("ACME"), client("BETA")],
        [entry("2026-11-03", "1:00", "ACME"), entry("2026-11-03", "1:00", "BETA")],
    )
    result = run(bk, problems=problems)
    assert [inv.client_key for inv in result.invoices] == ["BETA"]
    assert [r.client_key for r in result.invoice_register] == ["BETA"]
    assert result.problems[:2] == problems
    acme = next(r for r in result.report if r.client_key == "ACME")
    assert acme.amount_billed == D(0)
    assert acme.hours_worked == D(1)
    assert "Validation" in acme.alerts[0]


def test_inactive_and_out_of_window_clients_not_billed() -> None:
    from billing_kit import d

    bk = book(
        [
            client("OFF", active=False),
            client("LATE", start_date=d("2026-12-01")),
            client("GONE", end_date=d("2026-10-31")),
            client("ON", start_date=d("2026-11-15"), end_date=d("2026-11-16")),
        ],
        [entry("2026-11-03", "1:00", k) for k in ("OFF", "LATE", "GONE", "ON")],
    )
    result = run(bk)
    assert [inv.client_key for inv in result.invoices] == ["ON"]
    assert [r.client_key for r in result.report] == ["ON"]
