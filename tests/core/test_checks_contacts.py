"""Phone normalisation and e-mail syntax (vaxl.core.contacts)."""

from __future__ import annotations

import pytest

from vaxl.core.contacts import email_problem, normalise_phone, phone_region


@pytest.mark.parametrize(("text", "currency", "expected"), [
    ("+1 212 555 0100", None, "+12125550100"),
    ("+1 (212) 555-0100", "VND", "+12125550100"),  # a country code beats the currency
    ("(212) 555-0100", "USD", "+12125550100"),
    ("212.555.0100", "usd", "+12125550100"),
    ("0912 345 678", "VND", "+84912345678"),
    ("+84 91 234 5678", None, "+84912345678"),
    ("0084 912 345 678", None, "+84912345678"),
    ("020 7946 0018", "GBP", "+442079460018"),
    ("  +44 20 7946 0018  ", "EUR", "+442079460018"),
    # impossible: no region to read a national number in, invalid numbers, junk
    ("(212) 555-0100", None, None),
    ("(212) 555-0100", "EUR", None),
    ("555-1234", "USD", None),
    ("+1 555 123 4567", None, None),
    ("(415) 555-0132", "VND", None),
    ("call me", "USD", None),
    ("", "USD", None),
    ("   ", "USD", None),
])
def test_normalise_phone(text: str, currency: str | None, expected: str | None) -> None:
    assert normalise_phone(text, currency) == expected


@pytest.mark.parametrize(("currency", "region"), [
    ("USD", "US"), ("VND", "VN"), ("gbp", "GB"), ("AUD", "AU"), ("EUR", None), ("XAF", None),
    ("", None), (None, None),
])
def test_phone_region_comes_from_the_currency_code(currency: str | None,
                                                   region: str | None) -> None:
    assert phone_region(currency) == region


@pytest.mark.parametrize("address", [
    "jane@acme.com", "jane.doe+billing@example.co.uk", " ops@acme.vn ", "nguyễn@ví-dụ.vn",
])
def test_valid_addresses(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize(("address", "words"), [
    ("jane@acme", "period"),
    ("jane.acme.com", "@"),
    ("a@@b.com", "@"),
    ("jane doe@acme.com", "SPACE"),
    ("", "@-sign"),
])
def test_invalid_addresses(address: str, words: str) -> None:
    problem = email_problem(address)
    assert problem is not None and words in problem
