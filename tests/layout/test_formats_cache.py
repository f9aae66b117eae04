"""The cached texts and looks are the uncached ones: the caches key numbers by their
exact text (Decimal("-0") == Decimal("0") and Decimal("1.2") == Decimal("1.20"),
yet Babel shows them differently), and a cached style variant equals a fresh one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from vaxl.layout import styles as S
from vaxl.layout.formats import (
    date_text,
    duration_text,
    hours_text,
    money_text,
    quantity_text,
    seconds_to_days,
)

AMOUNTS = [Decimal("0"), Decimal("-0"), Decimal("-0.00"), Decimal("1.2"), Decimal("1.20"),
           Decimal("1E+3"), Decimal("1234567.891"), Decimal("-15.005")]


@pytest.mark.parametrize("order", [AMOUNTS, AMOUNTS[::-1]])
@pytest.mark.parametrize(("currency", "lang", "locale"),
                         [("USD", "en", "en_US"), ("VND", "vi", "vi_VN"), ("eur", "en", "en_US")])
def test_money_text_equals_babel_whatever_was_asked_before(
    order: list[Decimal], currency: str, lang: str, locale: str
) -> None:
    for amount in order:
        assert money_text(amount, currency, lang) == format_currency(
            amount, currency.upper(), locale=locale)


def test_negative_zero_is_not_served_from_zeros_cache() -> None:
    assert money_text(Decimal("0"), "USD", "en") == "$0.00"
    assert money_text(Decimal("-0"), "USD", "en") == "-$0.00"
    assert money_text(Decimal("0"), "USD", "en") == "$0.00"


@pytest.mark.parametrize("lang,locale", [("en", "en_US"), ("vi", "vi_VN")])
def test_quantities_and_hours_equal_babel(lang: str, locale: str) -> None:
    for number in AMOUNTS:
        assert quantity_text(number, lang, 0) == format_decimal(number, format="#,##0.##",
                                                                 locale=locale)
        assert quantity_text(number, lang, 2) == format_decimal(number, format="#,##0.00",
                                                                 locale=locale)
        assert hours_text(number, lang) == format_decimal(number, format="#,##0.00",
                                                           locale=locale)
    assert quantity_text(Decimal("1.5"), "en", 0) == "1.5"
    assert quantity_text(Decimal("1.5"), "en", 2) == "1.50"


def test_numbers_that_are_not_decimals_are_formatted_too() -> None:
    assert money_text(12, "USD", "en") == "$12.00"  # type: ignore[arg-type]
    assert hours_text(1.5, "vi") == "1,50"  # type: ignore[arg-type]


def test_dates_and_durations() -> None:
    assert date_text(date(2026, 11, 3), "en") == "3 Nov 2026"
    assert date_text(date(2026, 11, 3), "vi") == "03/11/2026"
    assert date_text(datetime(2026, 11, 3, 9), "en") == format_date(
        datetime(2026, 11, 3, 9), "d MMM y", locale="en_US")
    assert date_text(None, "en") == ""
    assert duration_text(5400) == "1:30"
    assert duration_text(-89) == "-0:01"
    assert seconds_to_days(43200) == Decimal("0.500000000000")
    assert seconds_to_days(60) == Decimal("0.000694444444")


def test_cached_style_variants_equal_fresh_ones() -> None:
    variant = S.with_format(S.ROW, "#,##0.00", "right")
    assert variant == replace(S.ROW, num_format="#,##0.00", align="right")
    assert S.with_format(S.ROW, "#,##0.00", "right") is variant
    assert S.with_format(S.HEADER_RIGHT, None) == replace(S.HEADER_RIGHT, num_format=None)
    assert S.with_format(S.HEADER_RIGHT, None).align == "right"
    assert S.aligned(S.TITLE, "right") == replace(S.TITLE, align="right")
    assert S.ROW.align is None  # the shared look itself is untouched


CURRENCIES = ["USD", "EUR", "GBP", "VND", "JPY", "KWD", "BHD", "INR", "CHF", "CLP", "AUD"]


@pytest.mark.parametrize("lang,locale", [("en", "en_US"), ("vi", "vi_VN")])
@pytest.mark.parametrize("currency", CURRENCIES)
def test_money_text_equals_babel_for_every_shape_of_amount(
    lang: str, locale: str, currency: str
) -> None:
    """money_text puts most amounts together itself (Babel is slow for a big month):
    amounts with the currency's decimals, fewer, more (Babel rounds), signs and zeros,
    big and small, must all read exactly as Babel writes them."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"),
                       allow_nan=False, allow_infinity=False, places=None)
           | st.integers(-10**12, 10**12).map(Decimal)
           | st.builds(lambda n, e: Decimal(n).scaleb(-e), st.integers(-10**9, 10**9),
                       st.integers(0, 4)))
    def check(amount: Decimal) -> None:
        assert money_text(amount, currency, lang) == format_currency(
            amount, currency, locale=locale)

    check()
