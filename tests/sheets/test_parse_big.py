"""The Timesheet fast path on a 30,000-row book (its speed is measured by `make bench`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vaxl.io.xlsx_read import read_file
from vaxl.sheets.parse import parse_book

sys.path.insert(0, str(Path(__file__).parent))
from bigbook import make_big_book  # noqa: E402


@pytest.mark.slow
def test_a_big_timesheet_parses_every_row(tmp_path: Path) -> None:
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

