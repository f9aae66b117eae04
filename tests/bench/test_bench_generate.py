"""The benchmark's workbook generator: deterministic, every billing model, readable by vaxl."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from vaxl.bench.generate import (
    ASSISTANT_DAY_HOURS,
    BENCH_TODAY,
    FIRST_DAY,
    LAST_DAY,
    ROWS_PER_ASSISTANT_DAY,
    assistant_name,
    client_plans,
    generate_book,
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_book(tmp_path_factory.mktemp("gen") / "book.xlsx", 600, clients=30)


def _rows(path: Path, tab: str) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    values = list(book[tab].iter_rows(values_only=True))
    head = [str(h) for h in values[0]]
    book.close()
    return [dict(zip(head, row, strict=False)) for row in values[1:]
            if any(v is not None for v in row)]


def test_same_arguments_give_the_same_bytes(tmp_path: Path, small: Path) -> None:
    again = generate_book(tmp_path / "again.xlsx", 600, clients=30)
    assert again.read_bytes() == small.read_bytes()
    other = generate_book(tmp_path / "other.xlsx", 601, clients=30)
    assert other.read_bytes() != small.read_bytes()


def test_every_billing_model_with_its_own_rows(small: Path) -> None:
    clients = _rows(small, "Clients")
    assert len(clients) == 30
    billing = Counter(c["Billing"] for c in clients)
    assert set(billing) == {"hourly", "retainer", "block", "commission"}
    retainers = [c for c in clients if c["Billing"] == "retainer"]
    assert any(c["Rollover Months"] for c in retainers)
    assert any(not c["Rollover Months"] for c in retainers)
    assert all(c["Retainer Hours"] and c["Retainer Fee"] for c in retainers)
    block_ids = {c["Client ID"] for c in clients if c["Billing"] == "block"}
    commission_ids = {c["Client ID"] for c in clients if c["Billing"] == "commission"}
    assert {r["Client ID"] for r in _rows(small, "Blocks")} == block_ids
    assert {r["Client ID"] for r in _rows(small, "Closings")} == commission_ids
    assert _rows(small, "Payments") and _rows(small, "Rates")


def test_timesheet_rows_and_dates(small: Path) -> None:
    rows = _rows(small, "Timesheet")
    assert len(rows) == 600
    days = [r["Date"] for r in rows]
    as_dates = [d.date() if isinstance(d, datetime) else date.fromisoformat(str(d)) for d in days]
    assert min(as_dates) >= FIRST_DAY and max(as_dates) <= LAST_DAY
    assert max(as_dates).month == 11 and max(as_dates).year == 2026
    hours = [r["Hours"] for r in rows]
    assert any(isinstance(h, str) for h in hours)  # text such as 1:30 or 45m
    assert any(isinstance(h, float) for h in hours)
    assert {r["Rush"] for r in rows} - {None}
    assert all(r["Assistant"] for r in rows)  # an agency's book names who did the work


def test_users_own_tabs_are_there(small: Path) -> None:
    book = openpyxl.load_workbook(small)
    assert {"Read me", "My expenses", "Dashboard"} <= set(book.sheetnames)
    assert book["Read me"].merged_cells.ranges
    assert book["My expenses"]["C42"].value == "=SUM(C2:C41)"


def test_shares_of_models_for_500_clients() -> None:
    plans = client_plans(500)
    models = Counter(p.model for p in plans)
    assert models == {"hourly": 250, "retainer": 60, "retainer-rollover": 50, "block": 80,
                      "commission": 60}
    assert len({p.client_id for p in plans}) == 500


def test_a_solo_book_passes_vaxls_checks(tmp_path: Path) -> None:
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.service import load_book

    path = generate_book(tmp_path / "solo.xlsx", 1500, clients=25, day_hours=24)
    book, problems = load_book(read_workbook(path), date(2026, 12, 5))
    assert len(book.entries) == 1500
    assert [p for p in problems if p.severity == "error"] == []
    assert {e.assistant for e in book.entries} == {""}  # one person: no Assistant column
    assert "Assistant" not in _rows(path, "Timesheet")[0]


def test_an_agency_book_of_10k_rows_has_no_errors(tmp_path: Path) -> None:
    """500 clients, many assistants: more than 24 h on a calendar day in all, none above
    ASSISTANT_DAY_HOURS for anyone, so vaxl's checks find nothing to stop billing."""
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.service import load_book

    path = generate_book(tmp_path / "agency.xlsx", 10_000)
    book, problems = load_book(read_workbook(path), BENCH_TODAY)
    assert len(book.entries) == 10_000 and len(book.clients) == 500
    assert [p for p in problems if p.severity == "error"] == []
    assert all(e.assistant for e in book.entries)
    by_day: Counter[date] = Counter()
    by_person: Counter[tuple[str, date]] = Counter()
    rows: Counter[tuple[str, date]] = Counter()
    for e in book.entries:
        by_day[e.day] += e.seconds
        by_person[e.assistant.casefold(), e.day] += e.seconds
        rows[e.assistant.casefold(), e.day] += 1
    assert min(by_day.values()) > 24 * 3600  # every day is an agency's day
    assert max(by_person.values()) <= ASSISTANT_DAY_HOURS * 3600
    assert max(rows.values()) <= ROWS_PER_ASSISTANT_DAY
    team = {who for who, _ in by_person}
    assert 20 <= len(team) <= 60, len(team)  # ~110 rows a day at 4 rows an assistant
    typed = {e.assistant for e in book.entries}
    assert any(t.isupper() for t in typed)  # some names typed in capitals, still one person
    assert len(typed) > len(team)


def test_assistant_names_are_distinct() -> None:
    names = [assistant_name(i) for i in range(4000)]
    assert len(set(names)) == 4000
    assert names[0] == "Ana Nguyen" and all(n.strip() == n for n in names)
