"""Month indexes and the days that bound them."""

from __future__ import annotations

from datetime import date

import pytest

from vaxl.core.months import first_day, last_day, month_of, parse_period


@pytest.mark.parametrize(("period", "first", "last"), [
    ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
    ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_a_months_first_and_last_day(period: str, first: date, last: date) -> None:
    index = parse_period(period)
    assert (first_day(index), last_day(index)) == (first, last)
    assert month_of(first) == month_of(last) == index


def test_the_default_period_is_the_month_before_today() -> None:
    from vaxl.service import last_complete_month

    assert last_complete_month(date(2026, 12, 5)) == "2026-11"
    assert last_complete_month(date(2027, 1, 1)) == "2026-12"
    assert last_complete_month(date(2026, 3, 31)) == "2026-02"
