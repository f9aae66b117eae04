"""A big sheet read in pieces (vaxl.io.split_read) gives exactly calamine's whole read:
on random sheets, on every .xlsx/.xlsm of the shared corpus, and through read_file;
and whatever it cannot split safely it leaves to the whole read."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from vaxl.io import split_read, xlsx_read
from vaxl.io.split_read import read_split


@pytest.fixture
def tiny_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split every sheet, in pieces of a few rows."""
    monkeypatch.setattr(split_read, "PIECE_BYTES", 100)
    monkeypatch.setattr(split_read, "SPLIT_BYTES", 0)
    monkeypatch.setattr(split_read, "_SHARED_FACTOR", 0)


def whole(path: Path, sheet: str) -> tuple[list[list[Any]], int, int]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        found = book.get_sheet_by_name(sheet)
        start = found.start or (0, 0)
        return found.to_python(skip_empty_area=True), start[0] + 1, start[1] + 1
    finally:
        book.close()


def split(path: Path, sheet: str) -> tuple[list[list[Any]], int, int] | None:
    got = read_split(path, sheet)
    return None if got is None else (got.rows, got.first_row, got.first_col)


_VALUE = st.one_of(
    st.none(),
    st.integers(-10**6, 10**6),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 4)),
    st.text("abc <>&\"'xyz", max_size=8),
    st.booleans(),
    st.dates(date(1990, 1, 1), date(2040, 1, 1)),
    st.just(time(2, 30)),
    st.just(datetime(2026, 11, 3, 9, 15)),
    st.just("=1+1"),  # openpyxl stores no value: an uncalculated formula
)


@st.composite
def _sheets(draw: st.DrawFn) -> dict[tuple[int, int], Any]:
    cells = {}
    row = draw(st.integers(1, 5))
    for _ in range(draw(st.integers(0, 40))):
        row += draw(st.integers(1, 4))  # gaps of empty rows
        for col in draw(st.sets(st.integers(1, 7), max_size=5)):
            cells[(row, col)] = draw(_VALUE)
    return cells


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=_sheets())
def test_random_sheets_read_in_pieces_as_whole(
    cells: dict[tuple[int, int], Any], tmp_path_factory: pytest.TempPathFactory,
    tiny_pieces: None,
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Timesheet"
    for (r, c), value in cells.items():
        if value is not None:
            sheet.cell(r, c, value)
    path = tmp_path_factory.mktemp("split") / "book.xlsx"
    book.save(path)

    got = read_split(path, "Timesheet")
    if got is None:  # `<sheetData/>`, or too short for two pieces: nothing to split
        assert len(whole(path, "Timesheet")[0]) < 3
        return
    assert (got.rows, got.first_row, got.first_col) == whole(path, "Timesheet")
    with zipfile.ZipFile(path) as package:
        xml = package.read("xl/worksheets/sheet1.xml")
    assert got.uncalculated == xlsx_read.uncalculated_cells(xml)
    assert got.uncalculated == sorted(rc for rc, v in cells.items() if v == "=1+1")


def test_a_real_timesheet_splits_into_many_pieces(tmp_path: Path, tiny_pieces: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from vaxl.bench.generate import generate_book

    path = tmp_path / "book.xlsx"
    generate_book(path, rows=2000, clients=40)
    pieces: list[bytes] = []
    real = split_read._load

    def counted(*args: Any) -> Any:
        pieces.append(args[-1])
        return real(*args)

    monkeypatch.setattr(split_read, "_load", counted)
    got = split(path, "Timesheet")
    assert got == whole(path, "Timesheet")
    assert len(got[0]) == 2001
    assert len(pieces) > 100


def test_read_file_gives_the_same_book_split_or_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaxl.bench.generate import generate_book

    path = tmp_path / "book.xlsx"
    generate_book(path, rows=3000, clients=40)
    plain = xlsx_read.read_file(path, "xlsx")
    monkeypatch.setattr(split_read, "PIECE_BYTES", 4096)
    monkeypatch.setattr(split_read, "SPLIT_BYTES", 0)
    monkeypatch.setattr(split_read, "_SHARED_FACTOR", 0)
    taken: list[str] = []
    real = split_read.read_split

    def spy(path: Path, sheet: str) -> Any:
        got = real(path, sheet)
        if got is not None:
            taken.append(sheet)
        return got

    monkeypatch.setattr(xlsx_read, "read_split", spy)
    apart = xlsx_read.read_file(path, "xlsx")
    assert "Timesheet" in taken
    assert apart.tabs.keys() == plain.tabs.keys()
    for name, tab in plain.tabs.items():
        assert apart.tabs[name] == tab, name
    assert apart.intact == plain.intact
    assert apart.stamp == plain.stamp


def _rewrite(path: Path, part: str, change: Any) -> None:
    with zipfile.ZipFile(path) as package:
        items = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in items:
            package.writestr(info.filename, change(data) if info.filename == part else data)


def _rows_book(path: Path, rows: int = 60) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Timesheet"
    for r in range(1, rows + 1):
        sheet.append([date(2026, 11, 1 + r % 28), f"C{r:03d}", "Task", "Admin", r / 4])
    book.save(path)


def test_rows_out_of_order_are_left_to_the_whole_read(tmp_path: Path, tiny_pieces: None) -> None:
    path = tmp_path / "book.xlsx"
    _rows_book(path)

    def last_row_first(xml: bytes) -> bytes:
        start, end = xml.index(b'<row r="60"'), xml.index(b"</sheetData>")
        first = xml.index(b"<row ")
        return xml[:first] + xml[start:end] + xml[first:start] + xml[end:]

    _rewrite(path, "xl/worksheets/sheet1.xml", last_row_first)
    assert read_split(path, "Timesheet") is None
    assert xlsx_read.read_file(path, "xlsx").tabs["Timesheet"].rows == whole(path, "Timesheet")[0]


def test_rows_without_numbers_are_left_to_the_whole_read(tmp_path: Path, tiny_pieces: None
                                                         ) -> None:
    path = tmp_path / "book.xlsx"
    _rows_book(path)
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb'<row r="\d+"', b"<row", xml))
    assert whole(path, "Timesheet")[0]
    assert read_split(path, "Timesheet") is None


def test_prefixed_sheet_xml_is_left_to_the_whole_read(tmp_path: Path, tiny_pieces: None) -> None:
    path = tmp_path / "book.xlsx"
    _rows_book(path)
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'

    def prefixed(xml: bytes) -> bytes:
        xml = xml.replace(ns, ns.replace(b"xmlns=", b"xmlns:x="))
        return xml.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")

    _rewrite(path, "xl/worksheets/sheet1.xml", prefixed)
    assert whole(path, "Timesheet")[0]  # calamine reads it whole
    assert read_split(path, "Timesheet") is None


def test_a_damaged_part_is_left_to_the_whole_read(tmp_path: Path, tiny_pieces: None) -> None:
    path = tmp_path / "book.xlsx"
    _rows_book(path)
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    with path.open("rb") as handle:  # flip a byte of the stored (deflated) sheet
        handle.seek(info.header_offset + 26)
        name_len, extra_len = int.from_bytes(handle.read(2), "little"), int.from_bytes(
            handle.read(2), "little")
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    assert read_split(path, "Timesheet") is None


def test_small_sheets_are_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _rows_book(path)
    assert read_split(path, "Timesheet") is None
    assert split_read.big_sheets(path, lambda name: True) == frozenset()


def test_big_shared_parts_make_bigger_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    """Every piece parses the shared strings again: with a big shared strings part a
    sheet under two pieces of four times its size is read whole."""
    import xlsxwriter

    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Timesheet")
    for r in range(3000):
        sheet.write_row(r, 0, [f"unique task number {r}", r])
    book.close()
    monkeypatch.setattr(split_read, "PIECE_BYTES", 4096)
    monkeypatch.setattr(split_read, "SPLIT_BYTES", 0)
    assert read_split(path, "Timesheet") is None  # the sheet is about 2x its strings
    monkeypatch.setattr(split_read, "_SHARED_FACTOR", 0)
    assert split(path, "Timesheet") == whole(path, "Timesheet")


_CORPUS_SCRIPT = r"""
import json, sys, zipfile
from pathlib import Path
from python_calamine import CalamineWorkbook
from vaxl.io import split_read
split_read.PIECE_BYTES, split_read.SPLIT_BYTES, split_read._SHARED_FACTOR = 200, 0, 0
for name in sys.argv[2:]:
    path = Path(sys.argv[1]) / name
    sheets = split_ = equal = 0
    try:  # about 20 pieces for the biggest sheet, at least a few rows each
        with zipfile.ZipFile(path) as package:
            biggest = max(i.file_size for i in package.infolist())
    except BaseException:
        biggest = 0
    split_read.PIECE_BYTES = max(200, biggest // 20)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except BaseException:
        names = []
    for sheet in names:
        try:
            found = book.get_sheet_by_name(sheet)
            start = found.start or (0, 0)
            expected = (found.to_python(skip_empty_area=True), start[0] + 1, start[1] + 1)
        except BaseException:
            expected = None
        got = split_read.read_split(path, sheet)
        sheets += 1
        if got is not None:
            split_ += 1
            equal += (got.rows, got.first_row, got.first_col) == expected
    print(json.dumps({"name": name, "sheets": sheets, "split": split_, "equal": equal}),
          flush=True)
"""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def test_every_corpus_workbook_reads_the_same_in_pieces(corpus_dir: Path) -> None:
    """In a subprocess with bounded memory: the corpus has bombs."""
    names = sorted(p.name for p in corpus_dir.glob("*.xls[xm]"))
    assert len(names) > 40
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(
        [sys.executable, "-c", _CORPUS_SCRIPT, str(corpus_dir), *names],
        capture_output=True, text=True, timeout=600, env=env, preexec_fn=_limit, check=False,
    )
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["name"] for r in results] == names, done.stderr[-2000:]
    wrong = [r["name"] for r in results if r["equal"] != r["split"]]
    assert not wrong, wrong
    split_sheets = sum(r["split"] for r in results)
    assert split_sheets > 60, split_sheets  # most sheets are split (not all left whole)


# --- hand-made packages: what calamine does that the rels do not say ------------------

_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
       b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
       b'"application/xml"/></Types>')
_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
         + _REL + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
       b'.org/spreadsheetml/2006/main" xmlns:r="' + _REL + b'"><sheets><sheet name="Timesheet"'
       b' sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            + _REL + b'/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
_DATE_STYLES = (b'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId='
                b'"0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')


def _package(path: Path, rows: bytes, after: bytes = b"", extra: tuple[tuple[str, bytes], ...] = ()
             ) -> None:
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + rows
             + b"</sheetData>" + after + b"</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in (("[Content_Types].xml", _CT), ("_rels/.rels", _ROOT),
                           ("xl/workbook.xml", _WB), ("xl/_rels/workbook.xml.rels", _WB_RELS),
                           *extra, ("xl/worksheets/sheet1.xml", sheet)):
            package.writestr(name, data)


def test_styles_calamine_finds_by_name_are_copied(tmp_path: Path, tiny_pieces: None) -> None:
    """No rel names xl/styles.xml, yet calamine reads its date formats: so must every piece."""
    path = tmp_path / "book.xlsx"
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" s="1"><v>46000</v></c></row>'
                    % (r, r, r, r) for r in range(1, 30))
    _package(path, rows, extra=(("xl/styles.xml", _DATE_STYLES),))
    expected = whole(path, "Timesheet")
    assert expected[0][0][1] == date(2025, 12, 9)
    assert split(path, "Timesheet") == expected


def test_a_huge_row_and_a_long_tail_read_the_same(tmp_path: Path, tiny_pieces: None) -> None:
    """A row longer than many pieces, and a long tail after the rows."""
    path = tmp_path / "book.xlsx"
    huge = b'<row r="20">' + b"".join(b'<c r="%s20" t="inlineStr"><is><t>%s</t></is></c>'
                                     % (col.encode(), b"x" * 300) for col in "ABCDEFGH") + b"</row>"
    rows = b"".join(b'<row r="%d">%s</row>' % (r, b'<c r="A%d"><v>%d</v></c>' % (r, r))
                    for r in range(1, 20)) + huge + b'<row r="21"><c r="A21"><v>21</v></c></row>'
    _package(path, rows, after=b"<x/>" * 2000)
    assert split(path, "Timesheet") == whole(path, "Timesheet")
    steps = [b"<worksheet><sheetData>", rows, b"</sheetData>", b"<x/>" * 100_000, b"</worksheet>"]
    pieces = list(split_read._pieces(iter(steps), 100))
    assert b"".join(pieces[1:]) == rows  # the tail is read, not kept


def test_a_big_tab_left_to_the_whole_read_keeps_read_file_working(
    tmp_path: Path, tiny_pieces: None
) -> None:
    """A comment beside a formula stops the split (and the facts' scan parses the XML,
    which this part's attribute `x="a<b"` breaks): read_file still reads what calamine
    reads, the facts left out as before."""
    path = tmp_path / "book.xlsx"
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r) for r in range(1, 40))
    rows += b'<row r="40" x="a<b"><!-- note --><c r="A40"><f>1+1</f><v>2</v></c></row>'
    _package(path, rows)
    assert read_split(path, "Timesheet") is None
    tab = xlsx_read.read_file(path, "xlsx").tabs["Timesheet"]
    assert tab.rows == whole(path, "Timesheet")[0]
