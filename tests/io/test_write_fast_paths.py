"""The writer's speed-ups change no byte: the fast sheet XML equals the plain
cell-by-cell XML (and numbers the styles identically), a part deflated ahead on
the worker thread is stored exactly as zipfile stores it, the work falls back to
the calling thread where no thread can start, and a damaged part is still
refused before anything is written."""

from __future__ import annotations

import struct
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaxl.errors import UnusableWorkbook
from vaxl.io import xlsx_write
from vaxl.io.package import PackageWriter, deflate
from vaxl.io.sheetxml import _cell_xml, sheet_part
from vaxl.io.styles import StyleBook
from vaxl.io.xlsx_write import write_grids
from vaxl.layout.grid import Cell, Grid, Style, a1

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
    grid = Grid("T", cells=dict(layout))
    fast_styles, plain_styles = StyleBook(None), StyleBook(None)
    xml = sheet_part(grid, fast_styles.xf, date1904).xml
    assert sheet_data_of(xml) == plain_sheet_data(grid, plain_styles.xf, date1904)
    # the looks were met in the same order, so the styles part numbers them alike
    assert fast_styles.text() == plain_styles.text()
    links = [(rc, c.link) for rc, c in sorted(layout.items()) if c.link]
    assert xml.count(b"<hyperlink ") == len(links)


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

    monkeypatch.setattr(xlsx_write.ThreadPoolExecutor, "submit", no_thread)
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
    first = write_grids(book, [Grid("Validation", cells={(1, 1): Cell("old " * 200)})],
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
