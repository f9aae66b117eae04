"""A big sheet of an .xlsx/.xlsm read by calamine on both cores.

    got = read_split(path, "Timesheet")   # (rows, first_row, first_col) or None

python-calamine parses a sheet's XML without the GIL, but on one thread: a
100,000-row Timesheet is 37 MB of XML and most of a run's read.  read_split
inflates the sheet part as a stream, cuts its XML at row boundaries into pieces
of about PIECE_BYTES, and hands each piece, as a one-sheet package of its own
(the workbook, styles and shared strings parts copied, the sheet part holding
only that piece's rows), to calamine on a worker thread.  The rows are joined
in order: the same rows, at the same place, as calamine reading the sheet
whole (tests hold the two equal on the corpus and on random sheets).

Anything it does not expect returns None and the caller reads the sheet whole:
a sheet part under SPLIT_BYTES, a namespace prefix on the sheet's tags, rows out
of order across pieces, a piece calamine refuses, a part that is damaged.  It
never changes what is read, only how fast.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from vaxl.io.package import inflate_steps, part_id, stored_bytes
from vaxl.io.threads import Background

__all__ = ["PIECE_BYTES", "SPLIT_BYTES", "SplitSheet", "big_sheets", "read_split"]

PIECE_BYTES = 1 << 20  # sheet XML per piece (measured: smaller pieces overlap better)
SPLIT_BYTES = 8 * PIECE_BYTES  # smaller sheets are read whole
_SHARED_FACTOR = 4  # a piece is at least this many times the parts every piece parses
_AHEAD = 4  # pieces given to the workers and not yet joined (bounds the memory)
_TAIL = b"</sheetData></worksheet>"
_ROW_START = re.compile(rb"<row[\s>/]")
_NUMBERED = re.compile(rb"^\s*<row\s[^>]*\br\s*=")
_SHEET_DATA = re.compile(rb"<sheetData\s*>")
# The parts every piece's package copies.  calamine opens the workbook, its rels, the
# styles and the shared strings by these names, whatever the package's rels say.
_COPIED = ("[content_types].xml", "_rels/.rels", "xl/workbook.xml",
           "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedstrings.xml")

Rows = list[list[Any]]


@dataclass(frozen=True)
class SplitSheet:
    """A sheet read in pieces.

    Fields:
        rows, first_row, first_col: as RawTab's (calamine's whole read of the sheet).
        uncalculated: (row, column) of its formula cells with no calculated value.
        part: the sheet part's part_id, found intact (size, CRC, one deflate stream).
    """

    rows: Rows
    first_row: int
    first_col: int
    uncalculated: list[tuple[int, int]]
    part: tuple[object, ...]


class _NotSplit(Exception):
    """The sheet is read whole instead."""


def big_sheets(path: Path, wanted: Callable[[str], bool]) -> frozenset[str]:
    """The `wanted` tabs read_split reads: those whose sheet XML is SPLIT_BYTES or more."""
    try:
        with zipfile.ZipFile(path) as package:
            return frozenset(tab for tab in _big_parts(package)[1] if wanted(tab))
    except Exception:  # calamine's read says what is wrong
        return frozenset()


def _big_parts(package: zipfile.ZipFile
               ) -> tuple[dict[str, str], dict[str, zipfile.ZipInfo]]:
    """The package's part names (by key, see package_parts) and the tabs whose sheet
    XML is SPLIT_BYTES or more, with their part."""
    from vaxl.io.xlsx_read import package_parts, sheet_parts

    names = package_parts(package)
    infos = {tab: package.getinfo(names[part])
             for tab, part in sheet_parts(package, names).items() if part in names}
    return names, {tab: info for tab, info in infos.items() if info.file_size >= SPLIT_BYTES}


def read_split(path: Path, sheet: str) -> SplitSheet | None:
    """`sheet` read in pieces on worker threads; None when it is small or is not split
    safely (read it whole then).

    A piece is PIECE_BYTES of sheet XML, or four times the shared parts when they are
    bigger (every piece's package parses them again): a sheet under two pieces, or
    under SPLIT_BYTES, is read whole."""
    try:
        with zipfile.ZipFile(path) as package, open(path, "rb") as handle:
            found = _package_of(package, sheet)
            if found is None:
                return None
            info, copied = found
            piece_bytes = max(PIECE_BYTES, _SHARED_FACTOR * sum(len(data) for _, data in copied))
            if info.file_size < 2 * piece_bytes:
                return None
            data = stored_bytes(handle, info, path.name)
        loaded = _load_all(inflate_steps(info, data), copied, info.filename, sheet, piece_bytes)
        joined = _joined([(rows, start) for rows, start, _ in loaded])
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # not split (_NotSplit), damaged (PartBroken), odd, refused, or
        # a calamine panic (a BaseException): the whole read says what is wrong
        return None
    if joined is None:
        return None
    cells = sorted({cell for _, _, found_cells in loaded for cell in found_cells})
    return SplitSheet(*joined, uncalculated=cells, part=part_id(info))


def _package_of(package: zipfile.ZipFile, sheet: str
                ) -> tuple[zipfile.ZipInfo, list[tuple[str, bytes]]] | None:
    """The sheet's part (None under SPLIT_BYTES), and the parts every piece's package
    copies (_COPIED)."""
    names, big = _big_parts(package)
    if sheet not in big:
        return None
    copied = [(names[name], package.read(names[name])) for name in _COPIED if name in names]
    return big[sheet], copied


_Loaded = tuple[Rows, tuple[int, int], list[tuple[int, int]]]


def _load_all(steps: Iterator[bytes], copied: list[tuple[str, bytes]], part: str,
              sheet: str, piece_bytes: int) -> list[_Loaded]:
    """Each piece's rows, 0-based start and formula cells with no value, in order."""
    work = Background(2, "vaxl-split-read")
    pending: deque[Future[_Loaded]] = deque()
    done: list[_Loaded] = []
    try:
        pieces = _pieces(steps, piece_bytes)
        head = next(pieces)
        for body in pieces:
            pending.append(work.submit(_load, copied, part, sheet, head, body))
            while pending and (len(pending) > _AHEAD or pending[0].done()):
                done.append(pending.popleft().result())
        done.extend(job.result() for job in pending)
        pending.clear()
    finally:
        for job in pending:
            job.cancel()
        work.close()
    return done


def _pieces(steps: Iterator[bytes], piece_bytes: int) -> Iterator[bytes]:
    """The sheet XML's head (up to its `<sheetData>` tag), then runs of whole rows of
    about `piece_bytes` each; _NotSplit when there is no plain `<sheetData>` tag.

    Linear in the part's size whatever its shape (one huge row, a long tail after
    the rows): what follows `</sheetData>` is inflated, for the part's check, but
    not kept, and no byte is searched twice for a row start."""
    buffer = bytearray()
    for step in steps:
        buffer += step
        found = _SHEET_DATA.search(buffer)
        if found is not None:
            break
        if len(buffer) > 4 * PIECE_BYTES:
            raise _NotSplit
    else:
        raise _NotSplit
    yield bytes(buffer[: found.end()])
    del buffer[: found.end()]
    searched = 0  # `</sheetData>` is not in buffer[:searched]
    looked = 0  # no row starts in buffer[piece_bytes:looked]
    ended = False
    for step in chain([b""], steps):  # the rows already read first
        if ended:
            continue  # inflated to the end all the same: the part is checked
        buffer += step
        close = buffer.find(b"</sheetData>", searched)
        if close >= 0:
            del buffer[close:]
            ended = True
        searched = max(len(buffer) - len(b"</sheetData>"), 0)
        while len(buffer) >= piece_bytes:
            cut, looked = _row_start(buffer, piece_bytes, looked)
            if cut <= 0:  # the rest is one row: read on
                break
            yield bytes(buffer[:cut])
            del buffer[:cut]
            searched, looked = max(searched - cut, 0), 0
    if not ended:
        raise _NotSplit
    yield bytes(buffer)


def _row_start(data: bytearray, near: int, looked: int) -> tuple[int, int]:
    """Where the last row starting before `near` starts, else the first after it (-1
    when none starts after the first byte); and how far the search found no row."""
    at = near
    while at > 0:
        at = data.rfind(b"<row", 0, at)
        if at > 0 and _ROW_START.match(data, at):
            return at, 0
    at = max(near, looked) - 1
    while True:
        at = data.find(b"<row", at + 1)
        if at < 0:  # a `<row` cut at the end is looked at again with more bytes
            return -1, max(len(data) - len(b"<row "), near)
        if _ROW_START.match(data, at):
            return at, 0


def _load(copied: list[tuple[str, bytes]], part: str, sheet: str, head: bytes,
          body: bytes) -> _Loaded:
    from python_calamine import CalamineWorkbook

    from vaxl.io.xlsx_read import uncalculated_scan

    tag = body[: body.find(b">") + 1]
    if not _NUMBERED.search(tag):  # calamine would count this piece's rows from 1
        raise _NotSplit
    xml = b"".join((head, body, _TAIL))
    cells: list[tuple[int, int]] = []
    if b"f>" in xml:  # formulas: find those with no value (each cell is inside one piece)
        scanned = uncalculated_scan(xml)
        if scanned is None:
            raise _NotSplit
        cells = scanned
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        for name, data in copied:
            package.writestr(name, data)
        package.writestr(part, xml)
    buffer.seek(0)
    book = CalamineWorkbook.from_filelike(buffer)
    try:
        found = book.get_sheet_by_name(sheet)
        rows = found.to_python(skip_empty_area=True)
        return rows, found.start or (0, 0), cells
    finally:
        book.close()


def _joined(pieces: list[tuple[Rows, tuple[int, int]]]) -> tuple[Rows, int, int] | None:
    """One range from the pieces' ranges (None when their rows are out of order):
    empty rows between pieces, and every row as wide as the widest piece."""
    filled = [(rows, start) for rows, start in pieces if rows]
    if not filled:
        return [], 1, 1
    left = min(col for _, (_, col) in filled)
    right = max(col + len(rows[0]) for rows, (_, col) in filled)
    width = right - left
    out: Rows = []
    first = next_row = filled[0][1][0]
    for rows, (row, col) in filled:
        if row < next_row:
            return None
        out.extend([""] * width for _ in range(row - next_row))
        before, after = col - left, width - (col - left) - len(rows[0])
        if before or after:
            out.extend([*([""] * before), *r, *([""] * after)] for r in rows)
        else:
            out.extend(rows)
        next_row = row + len(rows)
    return out, first + 1, left + 1
