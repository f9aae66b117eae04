"""Billing months: `YYYY-MM` text, month indexes for arithmetic, dates."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["first_day", "last_day", "month_of", "month_text", "parse_period"]


def parse_period(period: str) -> int:
    """`2026-11` -> month index; raises ValueError for anything else."""
    text = period.strip()
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
        raise ValueError(f"not a billing month (YYYY-MM): {period!r}")
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12:
        raise ValueError(f"not a billing month (YYYY-MM): {period!r}")
    return year * 12 + month - 1


def month_of(day: date) -> int:
    """The month index of a date."""
    return day.year * 12 + day.month - 1


def month_text(index: int) -> str:
    """Month index -> `YYYY-MM`."""
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def first_day(index: int) -> date:
    """The first calendar day of a month index."""
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, 1)


def last_day(index: int) -> date:
    """The last calendar day of a month index."""
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1])
