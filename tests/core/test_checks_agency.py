"""The 24-hours-a-day rule in an agency's book: it counts per (assistant, day).

Entries name who did the work (Entry.assistant, the optional Assistant column);
names compare case-insensitively, and the entries without a name form one
group: the solo assistant's own day, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from vaxl.core.checks import check
from vaxl.core.models import Book, CellRef, Client, Entry

TODAY = date(2026, 12, 1)
NOV5 = date(2026, 11, 5)
NOV6 = date(2026, 11, 6)
CLIENTS = (
    Client(key="ACME", id="ACME", name="Acme Corp", billing="hourly", rate=Decimal(40),
           ref=CellRef("Clients", 2)),
    Client(key="BOLT", id="BOLT", name="Bolt Ltd", billing="hourly", rate=Decimal(35),
           ref=CellRef("Clients", 3)),
)


def entry(row: int, assistant: str, hours: str, day: date = NOV5,
          client_key: str = "ACME") -> Entry:
    return Entry(day=day, client_key=client_key, task=f"Task on row {row}", category="Admin",
                 seconds=int(Decimal(hours) * 3600), rush=False, billable=True, notes="",
                 ref=CellRef("Timesheet", row), assistant=assistant)


@dataclass(frozen=True)
class Case:
    name: str
    entries: tuple[Entry, ...]
    flagged: tuple[str, ...] = ()       # rows reported as day_over_24h, in order
    total: str = ""                     # the day's hours the message states
    who: str | None = None              # the assistant the message names; None: solo wording


CASES = [
    Case("two assistants, 13 h + 12 h on one day, are fine",
         (entry(2, "Ana Nguyen", "13"), entry(3, "Ben Smith", "12"))),
    Case("one assistant, 13 h + 12 h on one day, is too much",
         (entry(2, "Ana Nguyen", "13"), entry(3, "Ana Nguyen", "12", client_key="BOLT")),
         ("2", "3"), "25", "Ana Nguyen"),
    Case("names compare case-insensitively",
         (entry(2, "Ana Nguyen", "13"), entry(3, "ANA NGUYEN", "12")),
         ("2", "3"), "25", "Ana Nguyen"),
    Case("no assistant named: the solo assistant's day, as before",
         (entry(2, "", "13"), entry(3, "", "12")), ("2", "3"), "25", None),
    Case("a named and an unnamed entry are two people",
         (entry(2, "Ana Nguyen", "13"), entry(3, "", "12"))),
    Case("only the assistant over 24 h is flagged",
         (entry(2, "Ana Nguyen", "13"), entry(3, "Ben Smith", "9"),
          entry(4, "Ana Nguyen", "11.5"), entry(5, "Ben Smith", "9")),
         ("2", "4"), "24.5", "Ana Nguyen"),
    Case("the same assistant on two days",
         (entry(2, "Ana Nguyen", "13"), entry(3, "Ana Nguyen", "12", day=NOV6))),
    Case("exactly 24 h for one assistant",
         tuple(entry(2 + i, "Ben Smith", "6") for i in range(4))),
    Case("ten assistants of 9 h each on one day (90 h in all)",
         tuple(entry(2 + i, f"VA {i}", "9") for i in range(10))),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_day_over_24h_per_assistant(case: Case) -> None:
    problems = check(Book(clients=CLIENTS, entries=case.entries), today=TODAY)
    over = [p for p in problems if p.code == "day_over_24h"]
    assert [p.cell for p in over] == list(case.flagged)
    assert {p.code for p in problems} <= {"day_over_24h"}, problems
    for p in over:
        assert p.severity == "error" and p.tab == "Timesheet" and p.column == "Hours"
        assert f"{case.total} hours are logged on 2026-11-05" in p.message, p.message
        if case.who is None:
            assert "assistant" not in p.message.lower()
            assert "across all clients" in p.message
            assert "Assistant column" in p.fix
        else:
            assert "by assistant '" in p.message
            assert case.who.casefold() in p.message.casefold()
            assert case.who.casefold() in p.fix.casefold()
        assert p.message.endswith(".") and p.fix.endswith(".")


def test_the_message_names_each_row_as_typed() -> None:
    entries = (entry(2, "Ana Nguyen", "13"), entry(3, "ana nguyen", "12"))
    over = check(Book(clients=CLIENTS, entries=entries), today=TODAY)
    assert [p.code for p in over] == ["day_over_24h", "day_over_24h"]
    assert [p.message.split("'")[1] for p in over] == ["Ana Nguyen", "ana nguyen"]
    assert [p.client_id for p in over] == ["ACME", "ACME"]


def test_an_out_of_range_entry_is_not_added_to_its_assistants_day() -> None:
    entries = (entry(2, "Ana Nguyen", "30"), entry(3, "Ana Nguyen", "1"))
    problems = check(Book(clients=CLIENTS, entries=entries), today=TODAY)
    assert [(p.cell, p.code) for p in problems] == [("2", "hours_out_of_range")]


def test_entry_assistant_defaults_to_empty() -> None:
    e = Entry(day=NOV5, client_key="ACME", task="t", category="", seconds=60, rush=False,
              billable=True, notes="", ref=CellRef("Timesheet", 2))
    assert e.assistant == ""
