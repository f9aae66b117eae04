"""Billing keeps a month's entry details as the Timesheet's columns (EntryDetails):
they read, compare and dump exactly as the EntryDetail records they stand for (the
invoice tab's layout of both: tests/layout/test_invoice_layout.py)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from vaxl.core.models import CellRef, Entries, Entry
from vaxl.core.results import EntryDetail, EntryDetails, Invoice, detail_columns


def _table(refs: bool) -> Entries:
    entries = [Entry(day=date(2026, 11, 1 + n), client_key="ACME", task=f"task {n % 3}",
                     category=["Admin", "Research"][n % 2], seconds=900 * (n + 1),
                     rush=n % 3 == 0, billable=n % 4 != 1, notes=f"note {n}",
                     ref=CellRef("Timesheet", 10 + n, 0)) for n in range(8)]
    if refs:  # from records (each its own CellRef)
        return Entries.of(entries)
    return Entries("Timesheet", day=[e.day for e in entries],
                   client_key=[e.client_key for e in entries], task=[e.task for e in entries],
                   category=[e.category for e in entries], seconds=[e.seconds for e in entries],
                   rush=[e.rush for e in entries], billable=[e.billable for e in entries],
                   notes=[e.notes for e in entries], row=[e.ref.row for e in entries],
                   assistant=["" for _ in entries])


ROWS, BILLED, DRAWN = [6, 1, 3], [6300, 1800, 3600], [0, 900, 3600]


def _records(table: Entries) -> tuple[EntryDetail, ...]:
    return tuple(
        EntryDetail(day=table.day[i], task=table.task[i], category=table.category[i],
                    notes=table.notes[i], worked_seconds=table.seconds[i],
                    billed_seconds=billed, rush=table.rush[i], billable=table.billable[i],
                    prepaid_seconds=drawn, ref=table.ref(i))
        for i, billed, drawn in zip(ROWS, BILLED, DRAWN, strict=True))


def test_entry_details_are_the_records_they_stand_for() -> None:
    for refs in (False, True):
        table = _table(refs)
        details, records = EntryDetails(table, ROWS, BILLED, DRAWN), _records(table)
        assert len(details) == 3 and details == records and records == details
        assert list(details) == list(records) and details[-1] == records[-1]
        assert details[1:] == records[1:] and hash(details) == hash(records)


def test_detail_columns_read_the_same_from_columns_and_from_records() -> None:
    for refs in (False, True):
        table = _table(refs)
        fast = detail_columns(EntryDetails(table, ROWS, BILLED, DRAWN))
        plain = detail_columns(_records(table))
        assert fast == plain
        assert list(fast.row) == [16, 11, 13] and fast.place == ("Timesheet", 0)
        assert list(fast.billed) == BILLED and list(fast.worked) == [6300, 1800, 3600]


def test_details_from_several_places_keep_each_reference() -> None:
    records = _records(_table(False))
    moved = (*records[:2], dataclasses.replace(records[2], ref=CellRef("Log", 5, 2)))
    columns = detail_columns(moved)
    assert columns.place is None and columns.refs is not None
    assert columns.refs[2] == CellRef("Log", 5, 2) and list(columns.row) == [16, 11, 5]


def test_an_invoice_with_entry_details_dumps_and_validates_as_records() -> None:
    table = _table(False)
    fields = dict(number="INV-1", client_key="ACME", client_name="Acme", period="2026-11",
                  issue_date=date(2026, 12, 1), due_date=date(2026, 12, 31), currency="USD",
                  lines=(), subtotal=Decimal(0), tax_rate=Decimal(0), tax=Decimal(0),
                  total=Decimal(0), balance=Decimal(0))
    invoice = Invoice(**fields, entries=EntryDetails(table, ROWS, BILLED, DRAWN))
    assert isinstance(invoice.entries, EntryDetails)  # kept as billing made it
    dumped = invoice.model_dump()["entries"]
    assert isinstance(dumped, tuple) and dumped[0]["billed_seconds"] == BILLED[0]
    back = Invoice.model_validate_json(invoice.model_dump_json())
    assert back.entries == _records(table) and isinstance(back.entries, tuple)
    assert back == invoice and hash(back) == hash(invoice)
    listed = Invoice(**fields, entries=list(_records(table)))  # any sequence: a tuple
    assert isinstance(listed.entries, tuple) and hash(listed) == hash(invoice)
