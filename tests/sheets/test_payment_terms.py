"""Payment Terms as people write them (Settings and the Clients column): `Net 30`,
`net30`, `N30`, `30 days`, `30 ngày` are 30 days; nonsense is still refused."""

from __future__ import annotations

from typing import Any

import pytest
from parse_kit import raw_book

from vaxl.sheets.cells import Bad, read_days
from vaxl.sheets.parse import parse_book
from vaxl.sheets.raw import RawBook

ACCEPTED: list[tuple[Any, int]] = [
    ("Net 30", 30),
    ("net30", 30),
    ("NET 30", 30),
    ("Net-30", 30),
    ("Net 30 days", 30),
    ("N30", 30),
    ("n 30", 30),
    ("30 days", 30),
    ("30 day", 30),
    ("30 ngày", 30),
    ("30 nga\u0300y", 30),  # decomposed (NFD) Vietnamese
    ("30", 30),
    ("30.0", 30),
    ("  Net   45  ", 45),
    ("Net 0", 0),
    (30, 30),
    (30.0, 30),
    (7, 7),
]
REFUSED: list[Any] = [
    "Net", "soon", "30 weeks", "Net 30 60", "2/10 net 30", "N/30", "thirty days", "7.5",
    7.5, "-3", "net thirty", True, "Due on receipt",
]


@pytest.mark.parametrize(("value", "days"), ACCEPTED)
def test_read_days_accepts_terms_as_invoices_print_them(value: Any, days: int) -> None:
    assert read_days(value) == days


@pytest.mark.parametrize("value", REFUSED)
def test_read_days_refuses_what_is_not_a_number_of_days(value: Any) -> None:
    bad = read_days(value)
    assert isinstance(bad, Bad)
    assert bad.code == "bad_integer" and "not a number of days" in bad.message
    assert "Net 30" in bad.fix


@pytest.mark.parametrize("value", [None, "", "   "])
def test_read_days_empty_is_none(value: Any) -> None:
    assert read_days(value) is None


def _book(**tabs: list[list[Any]]) -> RawBook:
    return raw_book("t.xlsx", **tabs)


@pytest.mark.parametrize(("value", "days"), ACCEPTED)
def test_settings_payment_terms_accepts(value: Any, days: int) -> None:
    book, problems = parse_book(_book(Clients=[], Settings=[["Setting", "Value"],
                                                            ["Payment Terms", value]]))
    assert problems == []
    assert book.settings.payment_terms == days


@pytest.mark.parametrize("value", [*REFUSED, -3])
def test_settings_payment_terms_refuses_and_uses_14(value: Any) -> None:
    book, problems = parse_book(_book(Clients=[], Settings=[["Setting", "Value"],
                                                            ["Payment Terms", value]]))
    assert book.settings.payment_terms == 14
    assert [(p.code, p.cell, p.severity) for p in problems] == [("bad_setting", "B2", "error")]
    assert "is not a number of days; 14 is used" in problems[0].message


CLIENT = ["Client ID", "Client Name", "Billing", "Rate", "Payment Terms"]


@pytest.mark.parametrize(("value", "days"), ACCEPTED)
def test_clients_payment_terms_column_accepts(value: Any, days: int) -> None:
    book, problems = parse_book(_book(Clients=[CLIENT, ["ACME", "Acme", "hourly", 40, value]]))
    assert problems == []
    assert [c.payment_terms for c in book.clients] == [days]


@pytest.mark.parametrize("value", REFUSED)
def test_clients_payment_terms_column_refuses(value: Any) -> None:
    book, problems = parse_book(_book(Clients=[CLIENT, ["ACME", "Acme", "hourly", 40, value]]))
    assert [(p.code, p.cell, p.column, p.client_id) for p in problems] == [
        ("bad_integer", "E2", "Payment Terms", "ACME")]
    assert "not a number of days" in problems[0].message
    assert [c.payment_terms for c in book.clients] == [None]  # Settings' terms apply
