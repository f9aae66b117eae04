"""No correctness shortcut: the benchmark's workbook gives the same figures by two paths.

The fast path is what the benchmark times: `vaxl.service.run_file` (python-calamine
reader, then the parser, billing, layouts, writer).  The plain path reads the same
file with openpyxl (another reader, cell by cell), converts each value to the types
the contract's RawTab holds, and runs `run_action` on that.  Every figure must
match: the parsed Book, every problem, every invoice with its lines, every tab's
cells.  Anyone who adds a faster reader or a vectorised parse keeps this green.

The write floor is checked too: it writes exactly the parts vaxl wrote.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from vaxl.bench.generate import BENCH_MONTH, BENCH_TODAY, generate_book
from vaxl.bench.measure import changed_parts, write_floor
from vaxl.io.xlsx_read import FORMAT_TABS, wanted_tab
from vaxl.service import Outcome, run_action, run_file
from vaxl.sheets.raw import RawBook, RawTab, tab_key


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_book(tmp_path_factory.mktemp("eq") / "bench.xlsx", 2000, clients=40,
                         day_hours=24)


@pytest.fixture(scope="module")
def fast(book: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, Path]:
    copy = tmp_path_factory.mktemp("fast") / book.name
    shutil.copyfile(book, copy)
    outcome = run_file("run", copy, today=BENCH_TODAY, period=BENCH_MONTH)
    return outcome, copy


def _plain_value(value: Any, fmt: str) -> Any:
    """An openpyxl value as the RawTab contract has it (what calamine hands over)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        lowered = fmt.lower()
        if "h" not in lowered and "s" not in lowered:
            return value.date()
    return value


def plain_raw_book(path: Path) -> RawBook:
    """Every tab vaxl reads, through openpyxl, cell by cell."""
    wb = openpyxl.load_workbook(path, data_only=True)
    raw = RawBook(tab_names=list(wb.sheetnames), source=path.name)
    formats_for = {tab_key(n) for n in FORMAT_TABS}
    for ws in wb.worksheets:
        if not wanted_tab(ws.title):
            continue
        cells = [list(r) for r in ws.iter_rows(min_row=1, min_col=1)]
        while cells and all(c.value is None for c in cells[-1]):
            cells.pop()
        width = max((max((i + 1 for i, c in enumerate(r) if c.value is not None), default=0)
                     for r in cells), default=0)
        rows = [[_plain_value(c.value, c.number_format) for c in r[:width]] for r in cells]
        tab = RawTab(ws.title, rows, 1, 1)
        if tab_key(ws.title) in formats_for:
            tab.number_formats = [[c.number_format if c.number_format != "General" else ""
                                   for c in r[:width]] for r in cells]
        raw.tabs[ws.title] = tab
    return raw


@pytest.fixture(scope="module")
def plain(book: Path) -> Outcome:
    return run_action("run", plain_raw_book(book), today=BENCH_TODAY, period=BENCH_MONTH)


def test_the_workbook_bills_every_model(fast: tuple[Outcome, Path]) -> None:
    outcome, _ = fast
    assert outcome.result is not None
    assert not outcome.has_errors
    kinds = {line.kind for inv in outcome.result.invoices for line in inv.lines}
    assert {"time", "rush", "retainer", "block", "commission"} <= kinds
    assert len(outcome.result.invoices) >= 30


def test_same_book(fast: tuple[Outcome, Path], plain: Outcome) -> None:
    outcome, _ = fast
    assert len(outcome.book.entries) == 2000
    assert outcome.book.entries == plain.book.entries
    assert outcome.book.clients == plain.book.clients
    assert outcome.book == plain.book


def test_same_problems_and_invoices(fast: tuple[Outcome, Path], plain: Outcome) -> None:
    outcome, _ = fast
    assert outcome.problems == plain.problems
    assert outcome.public() == plain.public()
    assert outcome.result is not None and plain.result is not None
    assert outcome.result.invoices == plain.result.invoices
    assert outcome.result == plain.result


def test_same_tabs(fast: tuple[Outcome, Path], plain: Outcome) -> None:
    outcome, _ = fast
    assert [g.name for g in outcome.grids] == [g.name for g in plain.grids]
    for ours, theirs in zip(outcome.grids, plain.grids, strict=True):
        assert ours == theirs, ours.name


def test_written_invoices_read_back(fast: tuple[Outcome, Path]) -> None:
    outcome, path = fast
    assert outcome.result is not None
    wb = openpyxl.load_workbook(path, read_only=True)
    names = set(wb.sheetnames)
    for inv in outcome.result.invoices:
        assert inv.number in names


def test_write_floor_writes_the_same_parts(book: Path, fast: tuple[Outcome, Path],
                                          tmp_path: Path) -> None:
    _, written = fast
    parts = changed_parts(book, written)
    assert any(name.startswith("xl/worksheets/") for name in parts)
    out = tmp_path / "floor.xlsx"
    write_floor(book, parts, out)
    with zipfile.ZipFile(out) as floor, zipfile.ZipFile(written) as vaxl:
        assert floor.testzip() is None
        assert sorted(floor.namelist()) == sorted(vaxl.namelist())
        for name in vaxl.namelist():
            assert floor.read(name) == vaxl.read(name), name
        untouched = [i for i in floor.infolist() if i.filename not in parts]
        with zipfile.ZipFile(book) as src:
            for info in untouched:  # copied raw: same compressed size as the source
                assert info.compress_size == src.getinfo(info.filename).compress_size


def test_plain_reader_gives_the_same_cells(book: Path) -> None:
    """The plain path is a second reader that agrees with the first cell by cell
    (calamine hands empty cells as '', openpyxl as None)."""
    from vaxl.io.xlsx_read import read_workbook

    fast_raw = read_workbook(book)
    plain_raw = plain_raw_book(book)
    for name, tab in fast_raw.tabs.items():
        fast_rows = [[None if v == "" else v for v in r] for r in tab.rows]
        assert plain_raw.tabs[name].rows == fast_rows, name
    assert isinstance(plain_raw.tabs["Timesheet"].rows[1][0], date)
