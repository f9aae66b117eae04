"""Invariants of billing, over generated workbooks (hypothesis)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from billing_kit import book, client, entry, run
from hypothesis import given, settings
from hypothesis import strategies as st

from vaxl.core import billing as billing_mod
from vaxl.core.billing import price_ahead
from vaxl.core.blocks import BlockSpec, run_blocks
from vaxl.core.models import Block, CellRef, Client, Entry, Problem, SpecialtyRate
from vaxl.core.money import round_money
from vaxl.core.retainers import run_retainer

START = date(2026, 8, 1)
CATEGORIES = ["Admin", "Research", "translation", "Translation", ""]
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=3)


@st.composite
def workbooks(draw):  # type: ignore[no-untyped-def]
    clients = []
    currency = draw(st.sampled_from(["USD", "VND", "JPY"]))
    for i, billing in enumerate(["hourly", "retainer", "block", "commission"]):
        kw = dict(
            key=f"C{i}",
            id=f"c{i}",
            name=f"Client {i}",
            billing=billing,
            rate=draw(money),
            currency=currency,
            ref=CellRef("Clients", i + 2),
            tax_rate=draw(st.sampled_from([Decimal(0), Decimal("0.1"), Decimal("0.075")])),
            time_rounding=draw(st.sampled_from([None, 0, 6, 15])),
            rush_surcharge=draw(st.sampled_from([None, Decimal("0.25")])),
        )
        if billing == "retainer":
            kw.update(
                retainer_hours=Decimal(draw(st.integers(1, 20))),
                retainer_fee=draw(money),
                rollover_months=draw(st.integers(0, 3)),
                overage_rate=draw(st.one_of(st.none(), money)),
            )
        if billing == "commission":
            kw.update(rate=None, commission_per_closing=draw(money))
        clients.append(Client(**kw))
    n = draw(st.integers(0, 40))
    entries = tuple(
        Entry(
            day=START + timedelta(days=draw(st.integers(0, 121))),
            client_key=f"C{draw(st.integers(0, 3))}",
            task="t",
            category=draw(st.sampled_from(CATEGORIES)),
            seconds=draw(st.integers(0, 6 * 3600)),
            rush=draw(st.booleans()),
            billable=draw(st.booleans()),
            notes="",
            ref=CellRef("Timesheet", row + 2),
        )
        for row in range(n)
    )
    blocks = tuple(
        Block(
            day=START + timedelta(days=draw(st.integers(0, 121))),
            client_key="C2",
            seconds=draw(st.integers(1, 10)) * 3600,
            amount=draw(st.one_of(st.none(), money)),
            expires=draw(
                st.one_of(st.none(), st.just(START + timedelta(days=draw(st.integers(0, 150)))))
            ),
            reference=f"B{j}",
            ref=CellRef("Blocks", j + 2),
        )
        for j in range(draw(st.integers(0, 3)))
    )
    rates = (
        SpecialtyRate(
            client_key=None,
            category="Translation",
            rate=draw(money),
            prepaid=draw(st.booleans()),
            ref=CellRef("Rates", 2),
        ),
        SpecialtyRate(
            client_key="C1", category="research", rate=draw(money), ref=CellRef("Rates", 3)
        ),
    )
    return book(clients, entries, blocks=blocks, rates=rates)


@settings(max_examples=60, deadline=None)
@given(workbooks())
def test_totals_are_sums_of_rounded_lines(bk) -> None:  # type: ignore[no-untyped-def]
    result = run(bk)
    for inv in result.invoices:
        for line in inv.lines:
            assert line.amount == round_money(line.amount, inv.currency)
        assert inv.subtotal == sum((line.amount for line in inv.lines), Decimal(0))
        assert inv.tax == round_money(inv.tax_rate * inv.subtotal, inv.currency)
        assert inv.total == inv.subtotal + inv.tax
        assert inv.balance == inv.total - inv.paid


@settings(max_examples=60, deadline=None)
@given(workbooks())
def test_prepaid_hours_conserved_per_client_and_month(bk) -> None:  # type: ignore[no-untyped-def]
    result = run(bk)
    tolerance = Decimal("0.000003")  # each hour figure is rounded to the micro-hour
    for row in result.ledger:
        lhs = row.included + row.carried_in
        rhs = row.used + row.expired + row.carried_out
        assert abs(lhs - rhs) <= tolerance, row
        assert min(row.included, row.carried_in, row.used, row.expired, row.carried_out) >= 0


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 3),
    st.integers(0, 36000),
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 20000)), max_size=30),
)
def test_retainer_seconds_exactly_conserved(rollover: int, included: int, work) -> None:  # type: ignore[no-untyped-def]
    work = sorted(work, key=lambda w: w[0])
    months, drawn = run_retainer(0, 5, included, rollover, work)
    for m in months:
        assert m.included + m.carried_in == m.used + m.expired + m.carried_out
    for (_month, need), took in zip(work, drawn, strict=True):
        assert 0 <= took <= need
    assert sum(m.used for m in months) == sum(drawn)
    assert sum(m.used + m.overage for m in months) == sum(s for _m, s in work)
    # nothing is carried forever: hours of month M are gone after M + rollover
    assert months[-1].carried_out <= included * (rollover + 1)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 90), st.one_of(st.none(), st.integers(0, 120)), st.integers(1, 20000)
        ),
        max_size=4,
    ),
    st.lists(st.tuples(st.integers(0, 120), st.integers(1, 20000)), max_size=30),
)
def test_blocks_seconds_exactly_conserved(blocks, work) -> None:  # type: ignore[no-untyped-def]
    base = date(2026, 1, 1)
    specs = sorted(
        (
            BlockSpec(
                base + timedelta(days=b), None if e is None else base + timedelta(days=e), s
            )
            for b, e, s in blocks
        ),
        key=lambda b: b.day,
    )
    drawing = sorted(((base + timedelta(days=w), s) for w, s in work), key=lambda x: x[0])
    outcome = run_blocks(specs, drawing, 2026 * 12 + 4)
    for m in outcome.months:
        assert m.included + m.carried_in == m.used + m.expired + m.carried_out
    assert sum(m.used for m in outcome.months) == sum(outcome.drawn)
    assert sum(outcome.drawn) + sum(outcome.overage.values()) == sum(s for _d, s in drawing)
    assert sum(outcome.drawn) <= sum(b.seconds for b in specs)


@settings(max_examples=40, deadline=None)
@given(workbooks(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(bk, rnd: random.Random) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(bk.entries)
    rnd.shuffle(shuffled)
    blocks = list(bk.blocks)
    rnd.shuffle(blocks)
    other = bk.model_copy(update={"entries": tuple(shuffled), "blocks": tuple(blocks)})
    assert run(other) == run(bk)


@settings(max_examples=40, deadline=None)
@given(workbooks())
def test_billing_twice_changes_no_number_and_no_figure(bk) -> None:  # type: ignore[no-untyped-def]
    first = run(bk)
    second = run(bk.model_copy(update={"invoices": first.invoice_register}))
    assert second.invoice_register == first.invoice_register
    assert [(i.number, i.lines, i.total) for i in second.invoices] == [
        (i.number, i.lines, i.total) for i in first.invoices
    ]
    # and a third run with every invoice sent: frozen, no drift warning
    sent = tuple(r.model_copy(update={"status": "sent"}) for r in first.invoice_register)
    third = run(bk.model_copy(update={"invoices": sent}))
    assert not [p for p in third.problems if p.code == "frozen_invoice_changed"]
    assert [i.total for i in third.invoices] == [i.total for i in first.invoices]


def _error(tab: str, key: str | None) -> Problem:
    return Problem(severity="error", tab=tab, message="wrong", client_id=key)


@settings(max_examples=60, deadline=None)
@given(workbooks(), st.lists(st.sampled_from(["C0", "C1", "C2", "C3", "settings"]), max_size=3),
       st.integers(0, 3))
def test_clients_priced_before_the_checks_end_bill_as_priced_after(  # type: ignore[no-untyped-def]
    bk, with_errors: list[str], known_early: int
) -> None:
    """service runs the checks in a helper while price_ahead prices the clients that
    the parser's problems leave billable; bill then takes those months.  Whatever the
    errors, and however many of them the parser already knew, the result is bill's."""
    problems = [_error("Settings", None) if key == "settings" else _error("Clients", key)
                for key in with_errors]
    early = problems[:known_early]
    priced = price_ahead(bk, early, period="2026-11")
    assert set(priced.months) <= {c.key for c in bk.clients}
    assert not set(priced.months) & {p.client_id for p in early}
    assert run(bk, problems=problems, priced=priced) == run(bk, problems=problems)


def test_a_client_whose_pricing_fails_ahead_is_priced_by_bill(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bk = book([client("C0", rate="40")], [entry("2026-11-03", "1:00", "C0", category="")])
    plain = run(bk)

    def fails(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("a client the checks would reject")

    with monkeypatch.context() as patched:
        patched.setattr(billing_mod._Grouped, "price", fails)
        priced = price_ahead(bk, [], period="2026-11")
    assert priced.months == {}
    assert run(bk, priced=priced) == plain
    assert plain.invoices[0].total == Decimal(40)
