"""The Timesheet fast path: parsing costs well under what calamine's own read costs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from vaxl.io.xlsx_read import read_file
from vaxl.sheets.parse import parse_book

sys.path.insert(0, str(Path(__file__).parent))
from bigbook import make_big_book  # noqa: E402


def best_of(runs: int, func) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.slow
def test_parse_is_cheaper_than_reading(tmp_path: Path) -> None:
    path = make_big_book(tmp_path / "big.xlsx", rows=30_000)
    raw = read_file(path, "xlsx")
    parsed, problems = parse_book(raw)
    assert len(parsed.entries) == 30_000 and problems == []
    assert sum(e.rush for e in parsed.entries) == 30_000 // 7
    assert sum(not e.billable for e in parsed.entries) == 30_000 // 13
    every_tenth = [e for e in parsed.entries if e.ref.row % 10 == 1]  # h:mm cells, 5-min steps
    assert {e.seconds for e in every_tenth} == {300, 600, 900}
    others = [e for e in parsed.entries if e.ref.row % 10 != 1]  # 0.05 .. 0.3 hours
    assert {e.seconds for e in others} == {180 * k for k in range(1, 7)}

    def calamine_read() -> None:
        book = CalamineWorkbook.from_path(str(path))
        book.get_sheet_by_name("Timesheet").to_python()

    read_seconds = best_of(3, calamine_read)
    parse_seconds = best_of(3, lambda: parse_book(raw))
    assert parse_seconds < read_seconds, (parse_seconds, read_seconds)
