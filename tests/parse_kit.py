"""Helpers shared by the parser's tests (tests/conftest.py puts this folder on sys.path).

    raw = raw_book(Timesheet=[header, row, ...], Clients=[...])
    parsed = parsed_both(raw)   # the fast parse, proven equal to the row-by-row one
"""

from __future__ import annotations

from typing import Any

from vaxl.sheets.parse import parse_workbook
from vaxl.sheets.raw import RawBook, RawTab


def raw_book(source: str = "test.xlsx", **tabs: list[list[Any]]) -> RawBook:
    """A RawBook of these tabs, in this order."""
    raw = RawBook(source=source)
    for name, rows in tabs.items():
        raw.tabs[name] = RawTab(name, rows)
        raw.tab_names.append(name)
    return raw


def parsed_both(raw: RawBook) -> Any:
    """parse_workbook(raw), after checking that the fast Timesheet path gives the same
    problems and book as parse_workbook(raw, fast=False)."""
    fast, plain = parse_workbook(raw), parse_workbook(raw, fast=False)
    assert fast.problems == plain.problems
    assert fast.book == plain.book
    return fast
