"""The parser's side of formulas with no value: RawTab.uncalculated cells are
reported at their cell (never also as empty), in the column path and the row
path alike."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from parse_kit import parsed_both as _both

from vaxl.sheets.raw import RawBook, RawTab

TS = ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable", "Notes", "Other"]
D = date(2026, 11, 3)


def _raw(rows: list[list[Any]], gaps: dict[int, frozenset[int]], **more: RawTab) -> RawBook:
    tab = RawTab("Timesheet", [TS, *rows], uncalculated=gaps)
    raw = RawBook(tabs={"Timesheet": tab, **more}, tab_names=["Timesheet", *more])
    return raw


def _row(i: int) -> list[Any]:
    return [D, "ACME", f"task {i}", "", 1.0, "", "", "", ""]


def test_gaps_across_chunks_read_the_same_by_both_paths() -> None:
    rng = random.Random(7)
    rows = [_row(i) for i in range(6000)]
    gaps: dict[int, frozenset[int]] = {}
    for index in rng.sample(range(1, 6001), 300):
        cols = frozenset(rng.sample(range(9), rng.randint(1, 3)))
        gaps[index] = cols
        for col in cols:  # calamine hands the cell as empty
            rows[index - 1][col] = ""
    parsed = _both(_raw(rows, gaps))
    reported = {(p.cell, p.code) for p in parsed.problems}
    letters = "ABCDEFGHI"
    expected = {(f"{letters[c]}{i + 1}", "uncalculated_formula")
                for i, cols in gaps.items() for c in cols if c != 8}  # I is not a vaxl column
    assert {r for r in reported if r[1] == "uncalculated_formula"} == expected
    assert not any(p.code.startswith("missing_") for p in parsed.problems)
    failed = {i for i, cols in gaps.items() if cols & {0, 1, 4}}  # Date, Client ID, Hours
    assert len(parsed.book.entries) == 6000 - len(failed)
    assert {e.ref.row - 1 for e in parsed.book.entries}.isdisjoint(failed)


@pytest.mark.parametrize(("cols", "reported"), [
    # only Hours: the row is read (not skipped as blank); its Client ID is empty
    (frozenset({4}), ["B3", "E3"]),
    (frozenset({8}), []),  # only an unknown column: a blank row, skipped
    (frozenset({7}), ["B3", "H3"]),  # only Notes (a warning); Client ID is empty
])
def test_a_row_whose_only_cells_are_formulas(cols: frozenset[int],
                                            reported: list[str]) -> None:
    rows = [_row(1), [""] * 9, _row(3)]
    parsed = _both(_raw(rows, {2: cols}))
    assert [p.cell for p in parsed.problems] == reported
    assert [e.ref.row for e in parsed.book.entries] == [2, 4]


def test_formula_hours_with_start_and_end_is_still_reported() -> None:
    head = [*TS[:8], "Start", "End"]
    tab = RawTab("Timesheet", [head, [D, "ACME", "x", "", "", "", "", "", "9:00", "10:00"]],
                 uncalculated={1: frozenset({4})})
    parsed = _both(RawBook(tabs={"Timesheet": tab}, tab_names=["Timesheet"]))
    assert [(p.cell, p.code, p.severity) for p in parsed.problems] == [
        ("E2", "uncalculated_formula", "error")]
    assert parsed.book.entries == ()


def test_clients_formula_cells() -> None:
    clients = RawTab("Clients", [
        ["Client ID", "Client Name", "Billing", "Rate", "Email", "Tax Rate"],
        ["ACME", "Acme", "hourly", "", "", ""],
        ["", "Beta", "hourly", 40, "", ""],
    ], uncalculated={1: frozenset({3, 4, 5}), 2: frozenset({0})})
    raw = RawBook(tabs={"Clients": clients}, tab_names=["Clients"])
    parsed = _both(raw)
    assert [(p.cell, p.severity, p.client_id) for p in parsed.problems] == [
        ("D2", "error", "ACME"), ("F2", "error", "ACME"), ("E2", "warning", "ACME"),
        ("A3", "error", None)]
    assert [(c.key, c.rate) for c in parsed.book.clients] == [("ACME", None)]
