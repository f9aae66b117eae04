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
    outcome = run_file("run", copy, today=BENCH_TODAY, period=BENCH_MONTH, keep_grids=True)
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


# --- the Timesheet's column path against the general row path ------------------------
#
# parse_workbook reads the Timesheet column by column and hands only the rows whose
# cells do not read cleanly to the general row-by-row path; parse_workbook(fast=False)
# sends every row down the general path.  Records, problems and column maps must be
# identical on every kind of cell a person types.

SAMPLES = Path(__file__).resolve().parents[2] / "sample_workbooks"


def _both_paths(raw: RawBook) -> tuple[Any, Any]:
    from vaxl.sheets.parse import parse_workbook

    return parse_workbook(raw), parse_workbook(raw, fast=False)


def _assert_same(fast: Any, plain: Any) -> None:
    assert fast.book.entries == plain.book.entries
    assert fast.problems == plain.problems
    assert fast.book == plain.book
    assert fast.columns == plain.columns


@pytest.mark.parametrize("name", ["assistant-en.xlsx", "assistant-vi.xlsx", "vaxl.xlsm"])
def test_column_path_equals_row_path_on_the_samples(name: str) -> None:
    from vaxl.io.xlsx_read import read_workbook

    fast, plain = _both_paths(read_workbook(SAMPLES / name))
    assert fast.book.entries, name
    _assert_same(fast, plain)


def test_column_path_equals_row_path_on_the_bench_book(book: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The generated book's text dates, `1:30`/`45m` text hours, h:mm durations and
    Y/x/yes/N words are all read in columns: no row needs the general path."""
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.sheets import parse

    raw = read_workbook(book)
    calls: list[int] = []
    slow = parse._entry_slow
    monkeypatch.setattr(parse, "_entry_slow",
                        lambda row, order: calls.append(1) or slow(row, order))
    fast = parse.parse_workbook(raw)
    assert calls == []
    monkeypatch.undo()
    plain = parse.parse_workbook(raw, fast=False)
    kinds = {type(r[4]).__name__ for r in raw.tabs["Timesheet"].rows[1:]}
    assert {"float", "str", "timedelta"} <= kinds
    _assert_same(fast, plain)


# Each row of the odd book picks one form per column (by a seeded random): every
# cell form of the contract, wrong ones included.
_ODD_DATES: list[tuple[str, Any]] = [
    ("date", date(2026, 11, 3)), ("date", date(2026, 10, 31)), ("text", "2026-11-04"),
    ("text", "2026/11/05"), ("text", "25/11/2026"), ("text", "03/04/2026"),
    ("text", "3 Nov 2026"), ("text", "Nov 3, 2026"), ("text", "soon"), ("text", "31/02/2026"),
    ("number", 46330.0), ("datetime", datetime(2026, 11, 6, 14, 30)), ("blank", None),
    ("text", "  "), ("number", -5.0), ("bool", True),
]
_ODD_IDS: list[tuple[str, Any]] = [
    ("text", "C0001"), ("text", "C0002"), ("text", " c0001 "), ("text", "c0002"),
    ("number", 1001.0), ("blank", None), ("text", "   "), ("bool", False), ("text", "Ác-7"),
]
_ODD_HOURS: list[tuple[str, Any]] = [
    ("number", 1.5), ("number", 0.25), ("number", 2.0), ("number", 0.1 + 0.2),
    ("text", "1:30"), ("text", "45m"), ("text", "1h30m"), ("text", "1,5"), ("text", "2 giờ"),
    ("text", "abc"), ("text", "1:75"), ("duration", 1.25 / 24), ("duration", 30 / 24),
    ("time", 0.75 / 24), ("number", -1.0), ("number", 0.0), ("blank", None), ("text", " "),
    ("number", 1e12), ("bool", True),
]
_ODD_YES_NO: list[tuple[str, Any]] = [
    ("blank", None), ("blank", None), ("blank", None), ("text", "Y"), ("text", "x"),
    ("text", "yes"), ("text", "N"), ("text", "no"), ("text", " Yes "), ("text", "có"),
    ("text", "Không"), ("text", "✓"), ("text", "-"), ("text", "1"), ("text", "maybe"),
    ("bool", True), ("bool", False), ("number", 1.0), ("number", 0.0), ("number", 2.0),
    ("text", "  "),
]
_ODD_TEXT: list[tuple[str, Any]] = [
    ("text", "Inbox triage"), ("text", "  Call back  "), ("blank", None), ("number", 42.0),
    ("number", 0.5), ("text", "Ghi chú tiếng Việt"), ("bool", True),
    ("date", date(2026, 1, 2)),
]
_ODD_TIMES: list[tuple[str, Any]] = [
    ("blank", None), ("time", 9 / 24), ("text", "9:30"), ("text", "2:15 PM"),
    ("text", "14h30"), ("text", "25:00"), ("number", 0.5),
]


@pytest.fixture(scope="module")
def odd_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import random

    import xlsxwriter

    path = tmp_path_factory.mktemp("odd") / "odd.xlsx"
    rng = random.Random(2026)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    formats = {
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "duration": wb.add_format({"num_format": "[h]:mm"}),
        "time": wb.add_format({"num_format": "h:mm"}),
    }
    clients = wb.add_worksheet("Clients")
    clients.write_row(0, 0, ["Client ID", "Client Name", "Billing", "Rate"])
    for i, cid in enumerate(["C0001", "C0002", "1001", "Ác-7"], start=1):
        clients.write_row(i, 0, [cid, f"Client {i}", "hourly", 40])
    sheet = wb.add_worksheet("Timesheet")
    heads = ["Date", "Client ID", "Task", "Category", "Hours", "Rush", "Billable", "Notes",
             "Assistant", "Start", "End", "Invoice sent?"]
    sheet.write_row(0, 0, heads)

    def put(row: int, col: int, form: tuple[str, Any]) -> None:
        kind, value = form
        if kind == "blank":
            return
        if kind == "text":
            sheet.write_string(row, col, value)
        elif kind == "bool":
            sheet.write_boolean(row, col, value)
        elif kind in ("date", "datetime"):
            sheet.write_datetime(row, col, value, formats[kind])
        elif kind in ("duration", "time"):
            sheet.write_number(row, col, value, formats[kind])
        else:
            sheet.write_number(row, col, value)

    for r in range(1, 20_001):
        if r % 97 == 0:
            continue  # a blank row
        clean = rng.random() < 0.6  # most rows are ordinary
        put(r, 0, _ODD_DATES[rng.randrange(2)] if clean else rng.choice(_ODD_DATES))
        put(r, 1, _ODD_IDS[rng.randrange(2)] if clean else rng.choice(_ODD_IDS))
        put(r, 2, rng.choice(_ODD_TEXT))
        put(r, 3, rng.choice(_ODD_TEXT))
        put(r, 4, _ODD_HOURS[rng.randrange(4)] if clean else rng.choice(_ODD_HOURS))
        put(r, 5, rng.choice(_ODD_YES_NO[:4]) if clean else rng.choice(_ODD_YES_NO))
        put(r, 6, rng.choice(_ODD_YES_NO[:4]) if clean else rng.choice(_ODD_YES_NO))
        put(r, 7, rng.choice(_ODD_TEXT))
        put(r, 8, ("text", rng.choice(["Ana Nguyen", " Ben Smith ", "ANA NGUYEN"]))
            if rng.random() < 0.9 else rng.choice(_ODD_TEXT))
        if not clean and rng.random() < 0.3:
            put(r, 9, rng.choice(_ODD_TIMES))
            put(r, 10, rng.choice(_ODD_TIMES))
        put(r, 11, ("text", "yes"))
    wb.close()
    return path


def test_column_path_equals_row_path_on_odd_cells(odd_book: Path) -> None:
    from vaxl.io.xlsx_read import read_workbook

    raw = read_workbook(odd_book)
    fast, plain = _both_paths(raw)
    _assert_same(fast, plain)
    codes = {p.code for p in fast.problems}
    assert {"ambiguous_date", "bad_date", "bad_hours", "not_yes_no", "missing_client_id",
            "missing_hours"} <= codes, codes
    assert 9_000 < len(fast.book.entries) < 19_000
    hours = {e.seconds for e in fast.book.entries}
    assert {5400, 2700, 900, 4500, 108_000, 0} <= hours  # 1:30 45m 0.25 1:15 30:00 0
    assert {e.day for e in fast.book.entries} >= {date(2026, 11, 4), date(2026, 11, 25),
                                                 date(2026, 11, 6)}


def test_column_path_equals_row_path_on_cells_other_sources_send(odd_book: Path) -> None:
    """Live Excel, Google Sheets and CSV hand other Python values: ints, bools,
    datetime.time, negative durations, short rows, padded text.  Same answers."""
    from datetime import time, timedelta

    from vaxl.io.xlsx_read import read_workbook

    raw = read_workbook(odd_book)
    rows = raw.tabs["Timesheet"].rows
    extra: list[Any] = [2, -1, True, time(1, 30), timedelta(hours=-2), timedelta(hours=3),
                        datetime(1900, 1, 2, 6, 0), "", " 2.5 ", 3]
    for i in range(1, len(rows), 7):
        rows[i] = list(rows[i])
        rows[i][4] = extra[i % len(extra)]
        if i % 3 == 0:
            rows[i][1] = f"  {rows[i][1]}  " if isinstance(rows[i][1], str) else rows[i][1]
        if i % 5 == 0:
            del rows[i][6:]  # a source that trims trailing cells
        if i % 11 == 0:
            rows[i][0] = datetime(2026, 11, 7, 0, 0)
    fast, plain = _both_paths(raw)
    _assert_same(fast, plain)
    assert any(e.seconds == 7200 for e in fast.book.entries)
