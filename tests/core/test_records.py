"""The fast record builders make exactly the records the dataclass constructors make,
and step aside (the ordinary constructor) when the fields do not match."""

from __future__ import annotations

import dataclasses
from datetime import date

from vaxl.core.models import CellRef, Entry
from vaxl.core.records import slot_builder
from vaxl.core.results import EntryDetail, _new_detail

REF = CellRef("Timesheet", 14, 1)
DETAIL = dict(day=date(2026, 11, 3), task="Inbox", category="Admin", notes="n",
              worked_seconds=5400, billed_seconds=5400, rush=True, billable=False,
              prepaid_seconds=1800, ref=REF)


def test_billing_builds_entry_details_equal_to_the_constructors() -> None:
    fast = _new_detail(*DETAIL.values())
    slow = EntryDetail(**DETAIL)
    assert _new_detail is not EntryDetail  # the fast path is in use
    assert type(fast) is EntryDetail and fast == slow and hash(fast) == hash(slow)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)


def test_a_builder_for_other_field_names_calls_the_constructor_by_name() -> None:
    """Should EntryDetail gain, lose or reorder a field, the builder still makes the
    right record (through the constructor, each value by its field's name)."""
    names = tuple(DETAIL)
    backwards = slot_builder(EntryDetail, names[::-1])
    assert backwards(*list(DETAIL.values())[::-1]) == EntryDetail(**DETAIL)
    without_notes = {k: v for k, v in DETAIL.items() if k != "notes"}
    short = slot_builder(EntryDetail, tuple(without_notes))
    assert short(*without_notes.values()) == EntryDetail(**without_notes)
    assert slot_builder(CellRef, ("tab", "row"))("Timesheet", 14) == CellRef("Timesheet", 14)
    ref = slot_builder(CellRef, ("tab", "row", "col"))("Timesheet", 14, 1)
    assert type(ref) is CellRef and ref == REF and hash(ref) == hash(REF)


def test_entries_hold_columns_and_read_like_the_tuple_of_entries() -> None:
    from vaxl.core.models import Entries

    rows = tuple(Entry(date(2026, 11, d), k, "t", "c", 60 * d, d % 2 == 0, True, "",
                       CellRef("Timesheet", 10 + d), "Ana") for d, k in ((1, "A"), (2, "B"),
                                                                         (3, "C")))
    table = Entries.of(rows)
    assert Entries.of(table) is table
    assert len(table) == 3 and table == rows and rows == tuple(table)
    assert table[1] == rows[1] and table[-1] == rows[-1] and table[1:] == rows[1:]
    assert table.ref(2) == CellRef("Timesheet", 13) and table.row == [11, 12, 13]
    assert table.seconds == [60, 120, 180] and table.rush == [False, True, False]
    assert table != rows[:2] and table != rows[::-1]
    assert hash(table) == hash(rows) and {table: 1}[rows] == 1
    built = Entries("Timesheet", day=[date(2026, 11, 1)], client_key=["A"], task=["t"],
                    category=["c"], seconds=[60], rush=[False], billable=[True], notes=[""],
                    row=[11], assistant=["Ana"])
    assert built == rows[:1] and built[0].ref == CellRef("Timesheet", 11, 0)
    assert type(built[0]) is Entry and hash(built[0]) == hash(rows[0])
