"""The optional Assistant column of the Timesheet (an agency's extension): every
header spelling, both of the parser's row paths, and the fast Entry constructor."""

from __future__ import annotations

import unicodedata
from datetime import date, time
from typing import Any

import pytest
from parse_kit import raw_book

from vaxl.core.models import CellRef, Entry
from vaxl.sheets import parse
from vaxl.sheets.parse import parse_book
from vaxl.sheets.raw import RawBook
from vaxl.sheets.spec import TABS

D = date(2026, 11, 3)


def timesheet(header: list[str], *rows: list[Any]) -> RawBook:
    return raw_book("agency.xlsx", Timesheet=[header, *rows])


@pytest.mark.parametrize("head", ["Assistant", "Trợ lý", "VA", "Staff", "Person",
                                  "Nhân viên", "assistant", " ASSISTANT ", "trợ lý",
                                  unicodedata.normalize("NFD", "Trợ lý")])
def test_every_header_spelling_names_the_assistant(head: str) -> None:
    raw = timesheet(["Date", "Client ID", "Hours", head], [D, "ACME", 1.5, "  Ana Nguyen "])
    book, problems = parse_book(raw)
    assert problems == []
    assert [e.assistant for e in book.entries] == ["Ana Nguyen"]


def test_the_spec_lists_it_as_an_optional_text_column() -> None:
    col = TABS["Timesheet"].column("assistant")
    assert (col.en, col.vi, col.kind, col.required) == ("Assistant", "Trợ lý", "text", False)
    assert set(col.aliases) == {"VA", "Staff", "Person", "Nhân viên"}


def test_fast_and_slow_rows_both_read_it() -> None:
    raw = timesheet(
        ["Assistant", "Date", "Client ID", "Task", "Hours", "Rush", "Start", "End"],
        ["Ana Nguyen", D, "ACME", "Inbox", 1.0, "no"],              # fast path
        [" Ben Smith\t", D, "acme ", " Call ", "1:30", "yes"],       # text hours: slow path
        ["Chi Tran", "2026-11-04", "ACME", "Deck", None, "", time(9), time(10, 15)],
        [None, D, "ACME", "Solo", 0.5, ""],                          # no name: ""
        [7, D, "ACME", "Badge", 0.25, ""],                           # a number, as text
    )
    book, problems = parse_book(raw)
    assert problems == []
    got = [(e.assistant, e.task, e.seconds, e.rush, e.ref.row) for e in book.entries]
    assert got == [
        ("Ana Nguyen", "Inbox", 3600, False, 2),
        ("Ben Smith", "Call", 5400, True, 3),
        ("Chi Tran", "Deck", 4500, False, 4),
        ("", "Solo", 1800, False, 5),
        ("7", "Badge", 900, False, 6),
    ]


def test_a_book_without_the_column_has_no_assistants() -> None:
    raw = timesheet(["Date", "Client ID", "Hours"], [D, "ACME", 2.0], [D, "ACME", "0:30"])
    book, problems = parse_book(raw)
    assert problems == [] and [e.assistant for e in book.entries] == ["", ""]


def test_the_fast_entry_constructor_is_in_use_and_builds_what_entry_builds() -> None:
    assert parse.new_entry is not Entry, "the fast constructor fell back to Entry()"
    args = (D, "ACME", "Inbox", "Admin", 3600, True, False, "note",
            CellRef("Timesheet", 9), "Ana Nguyen")
    fast = parse.new_entry(*args)
    assert type(fast) is Entry and fast == Entry(*args)
    assert hash(fast) == hash(Entry(*args))
    with pytest.raises(AttributeError):
        fast.assistant = "Ben"  # type: ignore[misc]  # still frozen


def test_a_missing_column_never_reads_the_users_own_column_after_the_mapped_ones() -> None:
    """Missing optional columns (Assistant, Rush, Billable, Notes ...) read as empty even
    when a column of the user's own, or Start/End, follows the last mapped column."""
    raw = timesheet(
        ["Date", "Client ID", "Hours", "Invoice sent?"],
        [D, "ACME", 1.5, "no"],
        [D, "ACME", 2.0],                 # a short row
        [D, "ACME", "0:45", "yes"],       # the slow path
    )
    book, problems = parse_book(raw)
    assert problems == []
    got = [(e.assistant, e.task, e.category, e.notes, e.rush, e.billable, e.seconds)
           for e in book.entries]
    assert got == [("", "", "", "", False, True, 5400), ("", "", "", "", False, True, 7200),
                   ("", "", "", "", False, True, 2700)]
    raw = timesheet(["Date", "Client ID", "Hours", "Notes", "Start", "End"],
                    [D, "ACME", 1.0, "call", time(9), time(10)])
    book, problems = parse_book(raw)
    assert problems == [] and book.entries[0].assistant == "" and book.entries[0].notes == "call"
