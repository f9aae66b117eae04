"""The Timesheet rules run over the entries' columns (Entries); here they are checked
against the rules as they were first written, entry by entry (kept below as the
reference), on random timesheets full of what the rules look for: unknown and
untidy client IDs, hours out of range, future dates, client windows, inactive
clients, duplicates and long days, solo and agency books.  Same problems, same
order, same words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaxl.core import checks
from vaxl.core.checks import MAX_DAY_SECONDS, TIMESHEET, _canon, _hours
from vaxl.core.models import Book, CellRef, Client, Entries, Entry

TODAY = date(2026, 12, 1)
CLIENTS = (
    Client(key="ACME", id="ACME", name="Acme", billing="hourly", rate=Decimal(50),
           currency="USD", ref=CellRef("Clients", 2)),
    Client(key="OLD", id="OLD", name="Old", billing="hourly", rate=Decimal(50), currency="USD",
           active=False, ref=CellRef("Clients", 3)),
    Client(key="WIN", id="WIN", name="Win", billing="hourly", rate=Decimal(50), currency="USD",
           start_date=date(2026, 11, 10), end_date=date(2026, 11, 20), ref=CellRef("Clients", 4)),
    Client(key="ACNE", id="ACNE", name="Acne", billing="hourly", rate=Decimal(50),
           currency="USD", start_date=date(2026, 11, 15), ref=CellRef("Clients", 5)),
)


def reference_check_entries(ctx: Any) -> None:
    clients = ctx.clients
    today = ctx.today
    day_total: dict[tuple[str, date], int] = {}  # (assistant, day) -> seconds
    seen: dict[tuple[object, ...], int] = {}
    # Per client, worked out once: (first day, last day, active) of its window.
    windows: dict[int, tuple[date, date, bool]] = {}
    folded: dict[str, str] = {}  # text -> its casefold (a few hundred distinct texts)
    fold = folded.get
    for e in ctx.book.entries:
        key = e.client_key
        client = clients.get(key)
        if client is None:
            key, client = ctx.client_of(key, e.ref, TIMESHEET)
        seconds = e.seconds
        day = e.day
        if seconds <= 0 or seconds > MAX_DAY_SECONDS:
            ctx.add("hours_out_of_range", "error", e.ref, TIMESHEET, "hours", _hours(seconds),
                    f"{_hours(seconds)} hours is outside the range of one entry "
                    "(above 0, at most 24).",
                    "Enter the time worked, above 0 and at most 24 hours.", key)
        else:
            assistant = e.assistant
            if assistant:
                name = fold(assistant)
                if name is None:
                    name = folded[assistant] = assistant.casefold()
            else:
                name = ""
            who = (name, day)
            day_total[who] = day_total.get(who, 0) + seconds
        if day > today:
            ctx.add("future_date", "warning", e.ref, TIMESHEET, "date", day.isoformat(),
                    f"Date {day.isoformat()} is after today ({today.isoformat()}).",
                    "Check the date; work in the future is billed in its own month.", key)
        if client is not None:
            window = windows.get(id(client))
            if window is None:
                window = windows[id(client)] = (
                    client.start_date or date.min, client.end_date or date.max, client.active)
            if not window[0] <= day <= window[1]:
                ctx.add("outside_client_window", "warning", e.ref, TIMESHEET, "date",
                        day.isoformat(), _window_message(day, client),
                        "Check the date, or the client's Start Date and End Date.", key)
            if not window[2]:
                ctx.add("inactive_client", "warning", e.ref, TIMESHEET, "client_id", client.id,
                        f"Client '{client.id.strip()}' is marked inactive (Active = no).",
                        "Set the client's Active to yes if this work should be billed.", key)
        task, category = e.task, e.category
        task_key = fold(task)
        if task_key is None:
            task_key = folded[task] = task.casefold()
        category_key = fold(category)
        if category_key is None:
            category_key = folded[category] = category.casefold()
        twin = (day, key, seconds, task_key, category_key)
        earlier = seen.get(twin)
        if earlier is None:
            seen[twin] = e.ref.row
        else:
            ctx.add("duplicate_entry", "warning", e.ref, TIMESHEET, "hours", _hours(seconds),
                    f"This entry repeats row {earlier} (same date, client, hours, task "
                    "and category).",
                    f"Delete this row if it is a copy of row {earlier}.", key)
    over = {who: total for who, total in day_total.items() if total > MAX_DAY_SECONDS}
    if over:
        _report_long_days(ctx, over)


def _window_message(day: date, client: Client) -> str:  # noqa: D103
    start = client.start_date.isoformat() if client.start_date else "the start"
    end = client.end_date.isoformat() if client.end_date else "now"
    return (f"Date {day.isoformat()} is outside the billing window of client "
            f"'{client.id.strip()}' ({start} to {end}).")


def _report_long_days(ctx: Any, over: dict[tuple[str, date], int]) -> None:
    for e in ctx.book.entries:
        total = over.get((e.assistant.casefold() if e.assistant else "", e.day))
        if total is None or not 0 < e.seconds <= MAX_DAY_SECONDS:
            continue
        if e.assistant:
            message = (f"{_hours(total)} hours are logged on {e.day.isoformat()} by "
                       f"assistant '{e.assistant}' across all clients, more than 24.")
            fix = (f"Correct the hours or dates of {e.assistant}'s entries that day, or the "
                   "Assistant of an entry someone else did.")
        else:
            message = (f"{_hours(total)} hours are logged on {e.day.isoformat()} across all "
                       "clients, more than 24.")
            fix = ("Correct the hours or dates of that day's entries; in an agency's "
                   "workbook, name who did each entry in an Assistant column.")
        ctx.add("day_over_24h", "error", e.ref, TIMESHEET, "hours", _hours(e.seconds),
                message, fix, _canon(e.client_key))


def _run(entries: Any, columns: bool) -> list[Any]:
    book = Book(clients=CLIENTS, entries=entries)
    ctx = checks._Context(book, TODAY, (), None)
    if columns:
        checks._check_entries(ctx)
    else:
        reference_check_entries(ctx)
    return ctx.problems


entries_st = st.lists(
    st.builds(
        lambda day, key, hours, task, category, assistant: (day, key, hours, task, category,
                                                           assistant),
        st.dates(date(2026, 11, 1), date(2026, 12, 5)) | st.just(date(2026, 11, 12)),
        st.sampled_from(["ACME", "acme", " ACME ", "OLD", "WIN", "ACNE", "ACMF", "ZZZ", ""]),
        st.sampled_from([-3600, 0, 60, 1800, 3600, 7 * 3600, 12 * 3600, MAX_DAY_SECONDS,
                         MAX_DAY_SECONDS + 60]),
        st.sampled_from(["Inbox", "inbox", "Calls"]),
        st.sampled_from(["Admin", "ADMIN", ""]),
        st.sampled_from(["", "", "Ana", "ana", "Ben"]),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries_st, st.booleans())
def test_the_rules_over_columns_report_what_the_rules_entry_by_entry_report(
    rows: list[tuple[Any, ...]], shuffled: bool
) -> None:
    entries = tuple(
        Entry(day=day, client_key=key, task=task, category=category, seconds=seconds,
              rush=False, billable=True, notes="", ref=CellRef("Timesheet", 2 + n),
              assistant=assistant)
        for n, (day, key, seconds, task, category, assistant) in enumerate(rows))
    if shuffled:
        entries = entries[::-1]
    expected = _run(entries, columns=False)
    assert _run(entries, columns=True) == expected
    assert _run(Entries.of(entries), columns=True) == expected


def test_the_reference_itself_finds_every_rule() -> None:
    """The random timesheets above reach every Timesheet rule (else the comparison
    could pass on timesheets that break none)."""
    day = date(2026, 11, 12)
    rows = [
        Entry(day, "ZZZ", "t", "c", 60, False, True, "", CellRef("Timesheet", 2)),
        Entry(day, "ACME", "t", "c", MAX_DAY_SECONDS + 60, False, True, "",
              CellRef("Timesheet", 3)),
        Entry(date(2026, 12, 3), "ACME", "t", "c", 60, False, True, "", CellRef("Timesheet", 4)),
        Entry(date(2026, 11, 25), "WIN", "t", "c", 60, False, True, "", CellRef("Timesheet", 5)),
        Entry(day, "OLD", "t", "c", 60, False, True, "", CellRef("Timesheet", 6)),
        Entry(day, "ACME", "t", "c", 13 * 3600, False, True, "", CellRef("Timesheet", 7)),
        Entry(day, "acme", "T", "C", 13 * 3600, False, True, "", CellRef("Timesheet", 8)),
    ]
    codes = {p.code for p in _run(tuple(rows), columns=False)}
    assert codes == {"unknown_client", "hours_out_of_range", "future_date",
                     "outside_client_window", "inactive_client", "duplicate_entry",
                     "day_over_24h"}
    assert _run(tuple(rows), columns=True) == _run(tuple(rows), columns=False)
