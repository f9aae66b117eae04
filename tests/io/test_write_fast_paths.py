"""The writer's speed-ups change no byte: the fast sheet XML equals the plain
cell-by-cell XML (and numbers the styles identically), a part deflated ahead on
the worker thread is stored exactly as zipfile stores it, the work falls back to
the calling thread where no thread can start, and a damaged part is still
refused before anything is written.  Parts checked while vaxl computes
(PartChecks) spare the write its own check, but only for the very bytes they
checked: a file changed in between, or a part that fails, is still checked (and
refused) by the write itself."""

from __future__ import annotations

import os
import shutil
import struct
import sys
import threading
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaxl import service
from vaxl.errors import UnusableWorkbook
from vaxl.io import xlsx_write
from vaxl.io.package import PackageWriter, SourcePackage, deflate, part_id, stored_part_ok
from vaxl.io.sheetxml import WriteMemo, _cell_xml, sheet_part
from vaxl.io.styles import StyleBook
from vaxl.io.xlsx_write import PartChecks, write_grids
from vaxl.layout.grid import Block, Cell, Grid, Style, a1

# Equal looks as distinct objects (the fast path keys looks by identity), looks
# with and without a number format (dates need one), and no look at all.
LOOKS = [
    None,
    Style(bold=True),
    Style(bold=True),
    Style(color="1F2937", border="bottom"),
    Style(num_format="#,##0.00", align="right"),
    Style(num_format="d mmm yyyy"),
    Style(italic=True, fill="E8EDF5", wrap=True),
]

texts = st.one_of(
    st.sampled_from(["", " pad", "pad ", "a\nb", "A & B <c> \"q\"", "_x0041_", "x\x01y",
                     "=SUM(A1)", "Tháng 11", "Inbox triage"]),
    st.text(max_size=12),
)
values = st.one_of(
    st.none(),
    texts,
    st.booleans(),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.sampled_from([Decimal("-0"), Decimal("0.00"), Decimal("1E+3"), Decimal("472.50"),
                     Decimal("sNaN")]),
    st.dates(min_value=date(1, 1, 1)),
    st.sampled_from([date(1899, 12, 30), date(1900, 2, 28), date(1900, 3, 1),
                     date(1904, 1, 1), date(2026, 11, 3)]),
    st.datetimes(min_value=datetime(1800, 1, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)),
)
cells = st.builds(
    Cell,
    value=values,
    formula=st.one_of(st.none(), st.none(), st.sampled_from(["SUM(A1:A3)", "=A1+1", "A1&\"<\""])),
    style=st.sampled_from(LOOKS),
    link=st.one_of(st.none(), st.none(), st.sampled_from(
        ["'Timesheet'!E14", "#Sheet1!A1", "https://example.com/?a=1&b=2", "mailto:x@y.z"])),
)
positions = st.tuples(st.integers(1, 40), st.integers(1, 30))


def plain_sheet_data(grid: Grid, xf: object, date1904: bool) -> str:
    """The writer's cell loop as it was before the fast path: cell by cell."""
    by_row: dict[int, list[tuple[int, Cell]]] = {}
    for (r, c), cell in grid.cells.items():
        by_row.setdefault(r, []).append((c, cell))
    out = []
    for r in sorted(by_row):
        out.append(f'<row r="{r}">')
        for c, cell in sorted(by_row[r], key=lambda item: item[0]):
            out.append(_cell_xml(a1(r, c), cell, xf, date1904))  # type: ignore[arg-type]
        out.append("</row>")
    return "".join(out)


def sheet_data_of(xml: bytes) -> str:
    text = xml.decode("utf-8")
    return text[text.index("<sheetData>") + len("<sheetData>"): text.index("</sheetData>")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(positions, cells, max_size=60), st.booleans())
def test_fast_sheet_xml_equals_the_plain_cell_by_cell_xml(
    layout: dict[tuple[int, int], Cell], date1904: bool
) -> None:
    grid = Grid("T", placed=dict(layout))
    fast_styles, plain_styles = StyleBook(None), StyleBook(None)
    xml = sheet_part(grid, fast_styles.xf, date1904).xml
    assert sheet_data_of(xml) == plain_sheet_data(grid, plain_styles.xf, date1904)
    # the looks were met in the same order, so the styles part numbers them alike
    assert fast_styles.text() == plain_styles.text()
    links = [(rc, c.link) for rc, c in sorted(layout.items()) if c.link]
    assert xml.count(b"<hyperlink ") == len(links)


@st.composite
def grids_with_blocks(draw: st.DrawFn, shared: list[Cell]) -> tuple[Grid, Grid]:
    """A grid with placed cells and blocks (cells shared from `shared`, links, holes,
    row heights), and the same grid with every cell placed one by one."""
    grid = Grid("T")
    row = 1
    for _ in range(draw(st.integers(1, 3))):
        for _ in range(draw(st.integers(0, 3))):  # placed rows above the block
            for col in draw(st.sets(st.integers(1, 9), max_size=4)):
                grid.set(row, col, *draw(st.tuples(values, st.sampled_from(LOOKS))))
            row += 1
        first_col = draw(st.integers(1, 3))
        n = draw(st.integers(0, 12))
        width = draw(st.integers(1, 5))
        rows = [tuple(draw(st.one_of(st.none(), st.sampled_from(shared))) for _ in range(width))
                for _ in range(n)]
        links = (draw(st.lists(st.sampled_from(["", "'Timesheet'!A5", "https://x.example/a&b"]),
                               min_size=n, max_size=n))
                 if draw(st.booleans()) else None)
        block = Block(row, rows, first_col=first_col,
                      link_col=first_col + draw(st.integers(0, width - 1)), links=links)
        grid.add_block(block)
        if n and draw(st.booleans()):
            grid.row_heights[row + n // 2] = 30.0
        row += n
    for col in draw(st.sets(st.integers(1, 9), max_size=3)):  # a totals row below
        grid.set(row, col, Decimal("1.5"), LOOKS[4], formula="SUM(D1:D2)")
    placed = dict(grid.placed)
    for block in grid.blocks:
        placed.update(block.items())
    plain = Grid("T", placed=placed, row_heights=dict(grid.row_heights))
    return grid, plain


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cells, min_size=1, max_size=6).flatmap(
    lambda shared: st.lists(grids_with_blocks(shared), min_size=1, max_size=3)), st.booleans())
def test_a_block_is_written_as_its_cells_would_be(pairs: list[tuple[Grid, Grid]],
                                                  date1904: bool) -> None:
    """A Block (an invoice's time detail) writes the very bytes its cells write when
    placed one by one: rows, references, looks numbered alike, links in order; also
    when the blocks' pieces are kept across the sheets of one write."""
    block_styles, plain_styles = StyleBook(None), StyleBook(None)
    memo = WriteMemo()
    for grid, plain in pairs:
        fast = sheet_part(grid, block_styles.xf, date1904, memo=memo).xml
        slow = sheet_part(plain, plain_styles.xf, date1904).xml
        assert fast == slow
        assert block_styles.text() == plain_styles.text()
    for grid, plain in pairs:
        assert plain.cells == grid.cells  # reading `cells` places the blocks' cells
        assert not grid.blocks


def test_fast_sheet_xml_by_hand() -> None:
    grid = Grid("T")
    money = Style(num_format="#,##0.00")
    grid.set(1, 1, "Tom & Jerry", Style(bold=True))
    grid.set(1, 3, Decimal("12.50"), money)
    grid.set(2, 2, date(2026, 11, 3), link="'Timesheet'!A5")
    grid.set(2, 1, None, money)
    styles = StyleBook(None)
    data = sheet_data_of(sheet_part(grid, styles.xf).xml)
    assert data == (
        '<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>Tom &amp; Jerry</t></is></c>'
        '<c r="C1" s="2"><v>12.50</v></c></row>'
        '<row r="2"><c r="A2" s="2"/><c r="B2" s="3"><v>46329</v></c></row>'
    )


@pytest.mark.parametrize("data", [b"", b"x", b"<row r=\"1\"/>" * 5000, bytes(range(256)) * 300])
@pytest.mark.parametrize("name", ["xl/worksheets/sheet7.xml", "xl\\worksheets\\sheet7.xml",
                                  "xl/worksheets/Tháng.xml"])
def test_a_part_deflated_ahead_is_stored_as_zipfile_stores_it(
    tmp_path: Path, data: bytes, name: str
) -> None:
    plain, ahead = tmp_path / "plain.zip", tmp_path / "ahead.zip"
    for target, write in ((plain, "write"), (ahead, "write_deflated")):
        with open(target, "wb") as fp:
            writer = PackageWriter(fp)
            writer.write("first.xml", b"<a/>")
            if write == "write":
                writer.write(name, data)
            else:
                writer.write_deflated(name, deflate(data))
            writer.write("last.xml", b"<b/>")
            writer.close()
    assert ahead.read_bytes() == plain.read_bytes()
    with zipfile.ZipFile(ahead) as zf:
        assert zf.testzip() is None
        assert zf.read(name) == data


def make_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Timesheet").write_row(0, 0, ["Date", "Client ID", "Hours"])
    wb.add_worksheet("Notes").write(0, 0, "keep me")
    wb.close()
    return path


def grids() -> list[Grid]:
    out = []
    for n in range(12):
        g = Grid(f"INV-{n:03d}")
        for r in range(1, 200):
            g.put_row(r, [date(2026, 11, r % 28 + 1), "Inbox triage", Decimal(r) / 8, None])
        out.append(g)
    return out


def test_without_threads_the_same_file_is_written(tmp_path: Path, monkeypatch) -> None:
    book = make_book(tmp_path / "book.xlsx")
    threaded = write_grids(book, grids(), output=tmp_path / "threaded.xlsx")

    def no_thread(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(ThreadPoolExecutor, "submit", no_thread)
    inline = write_grids(book, grids(), output=tmp_path / "inline.xlsx")
    assert inline.read_bytes() == threaded.read_bytes()


def _corrupt(path: Path, part: str) -> None:
    """Flip bytes in the middle of a part's stored data (the zip stays readable)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    raw = bytearray(path.read_bytes())
    at = info.header_offset
    name_len, extra_len = struct.unpack("<HH", raw[at + 26: at + 30])
    start = at + 30 + name_len + extra_len
    middle = start + info.compress_size // 2
    for i in range(middle, min(middle + 4, start + info.compress_size)):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


def test_a_damaged_part_copied_unread_is_refused(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    notes = next(n for n in zipfile.ZipFile(book).namelist() if n.endswith("sheet2.xml"))
    _corrupt(book, notes)
    with pytest.raises(UnusableWorkbook, match="damaged"):
        write_grids(book, grids(), output=tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_damaged_part_that_is_replaced_is_not_refused(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    first = write_grids(book, [Grid("Validation", placed={(1, 1): Cell("old " * 200)})],
                        output=tmp_path / "first.xlsx")
    with zipfile.ZipFile(first) as zf:
        part = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")][-1]
        assert b"old" in zf.read(part)
    _corrupt(first, part)
    again = Grid("Validation")
    again.set(1, 1, "new")
    out = write_grids(first, [again], output=tmp_path / "again.xlsx")
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        assert b"new" in zf.read(part)


def test_times_cells_round_trip_through_the_fast_path(tmp_path: Path) -> None:
    import openpyxl

    g = Grid("Validation")
    g.put_row(1, [date(2026, 11, 3), datetime(2026, 11, 3, 9, 30), time(6, 0), "x", 2.5,
                  Decimal("0.1")])
    out = write_grids(make_book(tmp_path / "book.xlsx"), [g], output=tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(out)["Validation"]
    assert [c.value for c in ws[1]] == [datetime(2026, 11, 3), datetime(2026, 11, 3, 9, 30),
                                       time(6, 0), "x", 2.5, 0.1]


SAMPLE = Path(__file__).parents[2] / "sample_workbooks" / "assistant-en.xlsx"


def _infos(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as zf:
        return [i for i in zf.infolist() if not i.filename.endswith("/")]


def _stored(path: Path, info: zipfile.ZipInfo) -> bytes:
    with open(path, "rb") as fp:
        source = SourcePackage(fp, path.name)
        try:
            return source.raw(info)
        finally:
            source.zip.close()


# --- parts checked while vaxl computes (PartChecks) --------------------------------


def test_every_part_of_a_sound_workbook_is_found_sound(tmp_path: Path) -> None:
    book = shutil.copy(SAMPLE, tmp_path / "book.xlsx")
    checks = PartChecks(Path(book))
    try:
        assert checks.sound() == {part_id(i) for i in _infos(Path(book))}
    finally:
        checks.close()


def test_a_part_that_lies_about_its_size_or_crc_is_not_sound(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    info = next(i for i in _infos(book) if i.filename.endswith("sheet1.xml"))
    data = _stored(book, info)
    assert stored_part_ok(info, data)
    for change in ({"file_size": info.file_size - 1}, {"file_size": info.file_size + 1},
                   {"CRC": info.CRC ^ 1}):
        liar = zipfile.ZipInfo(info.filename)
        liar.compress_type, liar.file_size, liar.CRC = (
            info.compress_type, info.file_size, info.CRC)
        for name, value in change.items():
            setattr(liar, name, value)
        assert not stored_part_ok(liar, data), change
    assert not stored_part_ok(info, data[: len(data) // 2])  # cut short
    assert not stored_part_ok(info, b"\xff" * len(data))  # not deflate at all


def test_a_bomb_is_stopped_at_its_stated_size_without_inflating_it_whole() -> None:
    plain = b"0" * (64 << 20)  # 64 MiB of zeros deflate to ~64 KiB
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    info.compress_type, info.file_size, info.CRC = zipfile.ZIP_DEFLATED, 1000, zlib.crc32(plain)
    assert not stored_part_ok(info, zlib.compress(plain, 9, -15))
    info.file_size = len(plain)
    assert stored_part_ok(info, zlib.compress(plain, 9, -15))


def test_the_write_skips_its_own_check_of_parts_found_sound(tmp_path: Path, monkeypatch
                                                             ) -> None:
    book = make_book(tmp_path / "book.xlsx")
    checks = PartChecks(book)
    assert checks.sound()
    verified: list[str] = []
    original = SourcePackage.verify_raw

    def counting(self: SourcePackage, info: zipfile.ZipInfo, data: bytes) -> bool:
        verified.append(info.filename)
        return original(self, info, data)

    monkeypatch.setattr(SourcePackage, "verify_raw", counting)
    try:
        write_grids(book, grids(), output=tmp_path / "with.xlsx", checked=checks)
        assert verified == []
        write_grids(book, grids(), output=tmp_path / "without.xlsx")
        assert verified  # without the checks the write checks the parts it copies
    finally:
        checks.close()
    assert (tmp_path / "with.xlsx").read_bytes() == (tmp_path / "without.xlsx").read_bytes()


def test_a_file_changed_after_its_check_is_checked_again_and_refused(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    checks = PartChecks(book)
    try:
        assert checks.sound()
        notes = next(n for n in zipfile.ZipFile(book).namelist() if n.endswith("sheet2.xml"))
        _corrupt(book, notes)  # same names and places, other bytes and time
        os.utime(book, ns=(1, 1))
        assert checks.sound() == frozenset()
        with pytest.raises(UnusableWorkbook, match="damaged"):
            write_grids(book, grids(), output=tmp_path / "out.xlsx", checked=checks)
    finally:
        checks.close()
    assert not (tmp_path / "out.xlsx").exists()


def test_a_damaged_part_is_not_found_sound_and_the_write_refuses_it(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    notes = next(n for n in zipfile.ZipFile(book).namelist() if n.endswith("sheet2.xml"))
    _corrupt(book, notes)
    checks = PartChecks(book)
    try:
        assert notes not in {p[0] for p in checks.sound()}
        with pytest.raises(UnusableWorkbook, match="damaged"):
            write_grids(book, grids(), output=tmp_path / "out.xlsx", checked=checks)
    finally:
        checks.close()


def test_a_run_puts_the_switch_interval_back_even_when_runs_overlap(tmp_path: Path) -> None:
    before = sys.getswitchinterval()
    seen: list[float] = []
    entered = threading.Barrier(2)

    def run(n: int) -> None:
        book = shutil.copy(SAMPLE, tmp_path / f"book{n}.xlsx")

        def progress(stage: str) -> None:
            if stage == "read":
                entered.wait(timeout=30)
                seen.append(sys.getswitchinterval())

        service.run_file("validate", Path(book), today=date(2026, 12, 5), progress=progress)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert seen == [pytest.approx(0.0002)] * 2
    assert sys.getswitchinterval() == before


def test_parts_the_reader_read_whole_are_not_checked_again(tmp_path: Path, monkeypatch
                                                           ) -> None:
    """The reader reads every input tab whole with zipfile (which checks the CRC); it
    says so in RawBook.intact, and PartChecks checks only the other parts."""
    from vaxl.io import xlsx_read

    book = Path(shutil.copy(SAMPLE, tmp_path / "book.xlsx"))
    raw = xlsx_read.read_file(book, "xlsx")
    with zipfile.ZipFile(book) as zf:
        sheet_ids = {part_id(i) for i in zf.infolist() if i.filename.startswith("xl/worksheets/")}
        everything = {part_id(i) for i in zf.infolist() if not i.filename.endswith("/")}
    assert raw.intact and raw.intact <= sheet_ids and raw.stamp is not None
    checked: list[str] = []
    original = xlsx_write.stored_part_ok

    def counting(info: zipfile.ZipInfo, data: bytes) -> bool:
        checked.append(info.filename)
        return original(info, data)

    monkeypatch.setattr(xlsx_write, "stored_part_ok", counting)
    checks = PartChecks(book, raw.intact, raw.stamp)
    try:
        assert checks.sound() == everything
    finally:
        checks.close()
    assert checked and not {p[0] for p in raw.intact} & set(checked)
    # a stamp that is not the file's: nothing is taken on trust
    checked.clear()
    stale = PartChecks(book, raw.intact, (0, 0, 0))
    try:
        assert stale.sound() == everything
    finally:
        stale.close()
    assert {p[0] for p in raw.intact} <= set(checked)


def _unended_chartsheet_book(path: Path) -> tuple[Path, str]:
    """A book whose chartsheet, named like an input tab (Blocks), is stored as a deflate
    stream without its final block: zipfile reads it whole with the right CRC, zlib
    calls it incomplete."""
    base = path.with_name("base.xlsx")
    wb = xlsxwriter.Workbook(str(base))
    wb.add_worksheet("Timesheet").write_row(0, 0, ["Date", "Client ID", "Hours"])
    clients = wb.add_worksheet("Clients")
    clients.write_row(0, 0, ["Client ID", "Name", "Billing", "Rate", "Currency"])
    clients.write_row(1, 0, ["ACME", "Acme", "hourly", 50, "USD"])
    chart_sheet = wb.add_chartsheet("Blocks")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Clients!$D$2:$D$2"})
    chart_sheet.set_chart(chart)
    wb.close()
    with zipfile.ZipFile(base) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    name = next(n for n in parts if n.startswith("xl/chartsheets/"))
    plain = parts[name]
    squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
    unended = squeeze.compress(plain) + squeeze.flush(zlib.Z_SYNC_FLUSH)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zw:
        for part, data in parts.items():
            if part == name:
                info = zipfile.ZipInfo(part)
                info.compress_type = zipfile.ZIP_STORED
                zw.writestr(info, unended)
            else:
                zw.writestr(part, data)
    raw = bytearray(path.read_bytes())  # now call it deflated, with the plain size and CRC
    with zipfile.ZipFile(path) as zf:
        info, directory = zf.getinfo(name), zf.start_dir
    for at, fields in ((info.header_offset, (8, 14, 22)), (None, (10, 16, 24))):
        if at is None:
            at = raw.find(b"PK\x01\x02", directory)
            while bytes(raw[at + 46:at + 46 + len(name)]) != name.encode():
                at = raw.find(b"PK\x01\x02", at + 46)
        struct.pack_into("<H", raw, at + fields[0], zipfile.ZIP_DEFLATED)
        struct.pack_into("<I", raw, at + fields[1], zlib.crc32(plain))
        struct.pack_into("<I", raw, at + fields[2], len(plain))
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf:
        assert zf.read(name) == plain and zf.testzip() is None  # zipfile sees nothing wrong
    return path, name


def test_a_part_zipfile_reads_but_zlib_calls_incomplete_is_still_refused(tmp_path: Path
                                                                         ) -> None:
    from vaxl.io import xlsx_read

    book, part = _unended_chartsheet_book(tmp_path / "book.xlsx")
    raw = xlsx_read.read_file(book, "xlsx")
    assert part not in {p[0] for p in raw.intact}
    before = book.read_bytes()
    with pytest.raises(UnusableWorkbook, match="cannot be read"):
        service.run_file("validate", book, today=date(2026, 12, 5))
    assert book.read_bytes() == before


def test_checks_of_another_file_are_not_trusted(tmp_path: Path) -> None:
    clean = make_book(tmp_path / "clean.xlsx")
    damaged = Path(shutil.copy(clean, tmp_path / "damaged.xlsx"))
    notes = next(n for n in zipfile.ZipFile(damaged).namelist() if n.endswith("sheet2.xml"))
    _corrupt(damaged, notes)
    checks = PartChecks(clean)
    try:
        assert checks.sound()
        with pytest.raises(UnusableWorkbook, match="damaged"):
            write_grids(damaged, grids(), output=tmp_path / "out.xlsx", checked=checks)
    finally:
        checks.close()
    assert not (tmp_path / "out.xlsx").exists()


def test_a_run_where_no_thread_can_start_writes_the_same_file(tmp_path: Path, monkeypatch
                                                              ) -> None:
    """Pyodide (xlwings Lite) starts no thread: the reads, checks and deflating all
    happen on the calling thread, and the workbook comes out the same."""
    threaded = Path(shutil.copy(SAMPLE, tmp_path / "threaded.xlsx"))
    inline = Path(shutil.copy(SAMPLE, tmp_path / "inline.xlsx"))
    service.run_file("run", threaded, today=date(2026, 12, 5), period="2026-11",
                     issue_date=date(2026, 12, 1))

    def no_thread(*args: object, **kwargs: object) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    monkeypatch.setattr(ThreadPoolExecutor, "submit", no_thread)
    service.run_file("run", inline, today=date(2026, 12, 5), period="2026-11",
                     issue_date=date(2026, 12, 1))
    with zipfile.ZipFile(threaded) as a, zipfile.ZipFile(inline) as b:
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist())


def test_a_grid_with_blocks_is_sized_compared_and_guarded_like_its_cells() -> None:
    yes, no = Cell("Yes"), Cell("No")
    grid = Grid("T")
    grid.set(1, 1, "Head")
    grid.add_block(Block(2, [(yes, None, None), (None, no, None), (None, None, None)]))
    assert (grid.max_row, grid.max_col) == (3, 2)  # the empty last row and column count not
    with pytest.raises(ValueError):
        grid.add_block(Block(4, [(yes,)]))  # row 4 is the first block's
    with pytest.raises(ValueError):
        grid.add_block(Block(1, [(yes,)]))  # row 1 holds a placed cell
    twin = Grid("T")
    twin.set(1, 1, "Head")
    twin.add_block(Block(2, [(yes, None, None), (None, no, None), (None, None, None)]))
    assert grid == twin
    assert grid.cells == {(1, 1): Cell("Head"), (2, 1): yes, (3, 2): no}
    assert grid == twin and twin == grid  # one read as cells, the other still a block
    twin.set(9, 9, "more")
    assert grid != twin
