"""Column widths and row heights estimated from the text a tab shows.

    text_width(text, bold=False, size=None) -> float   width in Excel character units
    shown_text(value, num_format) -> str               about what a cell displays
    fit_columns(grid, first_row, *, last_row=None, skip_rows=(), least=6, most=60, caps=None,
                grow=False)
        widths from the header and content text of rows first_row..last_row
    fit_rows(grid, first_row, last_row=None, cols=None)
        heights for the rows whose wrapped text needs more than one line
    needs_wrap(text, style, width) -> bool             longer than a column of `width`
    width_for(texts, style=None) -> float              the column width the widest text needs

A width unit is the width of the digit `0` in the workbook's default font
(Calibri 11, or what LibreOffice substitutes for it).  The estimates are
deliberately a little generous: a column one character too wide looks fine,
one character too narrow cuts a Vietnamese header (`Mã khách hàn`).  Cells
merged across columns never set a column's width.  Nothing here knows about a
particular tab; each layout says which rows are its table.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from vaxl.core.models import col_number
from vaxl.layout.grid import Grid, Style

__all__ = ["LINE_HEIGHT", "fit_columns", "fit_rows", "needs_wrap", "shown_text",
           "text_width", "width_for"]

LINE_HEIGHT = 15.0  # points per line of 11 pt text (Excel's default row height)
PAD = 2.0  # cell padding, and room for a wider substitute font
_CELL_MARGIN = 0.5  # what a cell's own padding takes from the room for wrapped text
_BOLD = 1.15
_MOST_SCALE = 1.45 * _BOLD * 14 / 11  # the widest an ASCII character of a vaxl tab draws
# Every character but the plain-width ones (lower case without i/j/l/f/r/t/m/w, digits).
_SPECIAL = re.compile(r"[^a-eghknopqsuvxyz0-9]")
_NARROW = frozenset("ijlI.,:;'!|")
_SEMI = frozenset("frt ()[]{}\"`/-")
_WIDE = frozenset("mwMW@%—")


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    """i/l/punctuation 0.5, f/r/t/space 0.75, capitals 1.2, m/w/M/W 1.45,
    full-width characters 2, combining marks 0, anything else 1."""
    if ch in _NARROW:
        return 0.5
    if ch in _SEMI:
        return 0.75
    if ch in _WIDE:
        return 1.45
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\u200e\u200f":
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2.0
    if ch.isupper():
        return 1.2
    return 1.0


@lru_cache(maxsize=16384)
def _plain_width(text: str) -> float:
    """Width in units of the digit `0` (one regex pass, then a cached lookup per
    unusual character: a long Validation tab measures every message)."""
    specials = _SPECIAL.findall(text)
    return len(text) - len(specials) + sum(map(_char_width, specials))


def text_width(text: str, bold: bool = False, size: float | None = None) -> float:
    """Estimated width of one line of text, in character units."""
    width = _plain_width(text)
    if bold:
        width *= _BOLD
    if size:
        width *= size / 11
    return width


def _style_width(text: str, style: Style | None) -> float:
    if style is None:
        return _plain_width(text)
    return text_width(text, style.bold, style.size)


def needs_wrap(text: str, style: Style | None, width: float) -> bool:
    """Would `text` run past a column `width` characters wide (so it should wrap)?"""
    return any(_style_width(line, style) > width - _CELL_MARGIN for line in text.split("\n"))


def width_for(texts: Iterable[str], style: Style | None = None) -> float:
    """The column width (in half characters) that shows the widest of `texts` whole."""
    widest = max((_style_width(t, style) for t in texts if t), default=0.0)
    return math.ceil((widest + PAD) * 2) / 2


_QUOTED = re.compile(r'"([^"]*)"')
_DECIMALS = re.compile(r"0\.(0+)")


@lru_cache(maxsize=512)
def _format_parts(num_format: str) -> tuple[str, int, bool, bool, bool]:
    """(literal text, decimals, grouped, percent, date-or-time) of a format's first section."""
    first = num_format.split(";")[0]
    bare = _QUOTED.sub("", first)
    literal = "".join(_QUOTED.findall(first)) + " " * bare.count(" ")
    decimals = _DECIMALS.search(bare)
    is_date = any(c in bare.lower() for c in "dmyh") and "#" not in bare
    return literal, len(decimals.group(1)) if decimals else 0, "," in bare, "%" in bare, is_date


def shown_text(value: object, num_format: str | None) -> str:
    """About the text a cell shows for this value and number format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "FALSE" if not value else "TRUE"
    if isinstance(value, datetime | date):
        if num_format and "mmm" in num_format:
            return "30 Nov 2026"
        return "30/11/2026"
    if not isinstance(value, int | float | Decimal):
        return str(value)
    if not num_format:
        return str(value)
    literal, decimals, grouped, percent, is_date = _format_parts(num_format)
    if is_date:  # a duration such as [h]:mm
        return "00:00" + ("0" if abs(float(value)) >= 1 else "")
    number = float(value) * (100 if percent else 1)
    body = f"{number:,.{decimals}f}" if grouped else f"{number:.{decimals}f}"
    return f"{body}{'%' if percent else ''}{literal}"


def _merged_cells(grid: Grid) -> set[tuple[int, int]]:
    """Cells inside a merge spanning more than one column."""
    out: set[tuple[int, int]] = set()
    for ref in grid.merges:
        out.update(_merge_span(ref))
    return out


@lru_cache(maxsize=4096)
def _merge_span(ref: str) -> tuple[tuple[int, int], ...]:
    """The cells of a merge spanning more than one column (none otherwise); cached:
    every invoice tab merges the same few ranges."""
    first, _, last = ref.partition(":")
    (r1, c1), (r2, c2) = _rc(first), _rc(last or first)
    if c2 > c1:
        return tuple((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    return ()


def _rc(ref: str) -> tuple[int, int]:
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):]), col_number(letters)


def fit_columns(
    grid: Grid,
    first_row: int,
    *,
    last_row: int | None = None,
    skip_rows: Collection[int] = (),
    least: float = 6,
    most: float | None = 60,
    caps: Mapping[int, float] | None = None,
    grow: bool = False,
) -> None:
    """Set each column's width to its widest text in rows first_row..last_row.

    `caps` caps chosen columns (their text should wrap); `most` caps every
    other column; rows in `skip_rows` (a section label) are not measured.
    Columns with no text keep the width they had; with `grow`, so do columns
    already wider than their text here."""
    merged = _merged_cells(grid) if grid.merges else set()
    widest: dict[int, float] = {}
    full: set[int] = set()  # columns already as wide as they may get
    last = last_row if last_row is not None else grid.max_row
    for (r, c), cell in grid.cells.items():
        if not first_row <= r <= last or c in full or (r, c) in merged or r in skip_rows:
            continue
        style = cell.style
        text = shown_text(cell.value, style.num_format if style else None)
        if not text:
            continue
        if len(text) * _MOST_SCALE <= widest.get(c, 0.0) and text.isascii():
            continue  # too short to be the widest (bold 14 pt M/W at most)
        width = (_style_width(text, style) if "\n" not in text
                 else max(_style_width(line, style) for line in text.split("\n")))
        if width > widest.get(c, 0.0):
            widest[c] = width
            cap = (caps or {}).get(c, most)
            if cap and width + PAD >= cap:
                full.add(c)
    for col, width in widest.items():
        chosen = max(least, math.ceil((width + PAD) * 2) / 2)
        cap = (caps or {}).get(col, most)
        chosen = min(chosen, cap) if cap else chosen
        if grow:
            chosen = max(chosen, grid.col_widths.get(col, 0.0))
        grid.col_widths[col] = chosen


def _lines(text: str, scale: float, room: float) -> int:
    """Lines `text` takes when wrapped word by word into `room` character units
    (`scale`: how much wider than plain 11 pt text its font draws)."""
    count = 0
    space = 0.75 * scale
    width = _plain_width
    for paragraph in text.split("\n"):
        count += 1
        if width(paragraph) * scale <= room:
            continue
        used = 0.0
        for word in paragraph.split(" "):
            word_width = width(word) * scale
            if used and used + space + word_width > room:
                count += 1
                used = 0.0
            if word_width > room:  # a long word breaks across lines
                extra = math.ceil(word_width / room) - 1
                count += extra
                used = word_width - extra * room
            else:
                used += (space if used else 0.0) + word_width
    return count


def fit_rows(
    grid: Grid, first_row: int, last_row: int | None = None, cols: Iterable[int] | None = None
) -> None:
    """Give rows whose wrapped text needs several lines the height to show it all.

    `cols`: the columns whose text may wrap (all by default); a column that
    `fit_columns` sized to its widest text never needs a second line."""
    merged = _merged_cells(grid) if grid.merges else set()
    last = last_row if last_row is not None else grid.max_row
    cells = grid.cells
    columns = sorted(set(cols)) if cols is not None else sorted({c for _, c in cells})
    need: dict[int, float] = {}  # row -> points
    for c in columns:
        room = grid.col_widths.get(c, 8.43) - _CELL_MARGIN
        for r in range(first_row, last + 1):
            cell = cells.get((r, c))
            if cell is None:
                continue
            style, value = cell.style, cell.value
            if style is None or not style.wrap or type(value) is not str or not value:
                continue
            size = style.size or 11.0
            scale = (_BOLD if style.bold else 1.0) * size / 11
            if len(value) * 1.45 * scale <= room and value.isascii() and "\n" not in value:
                continue  # clearly one line: skip the word-by-word estimate
            if (r, c) in merged:
                continue
            lines = _lines(value, scale, room)
            if lines > 1:
                height = lines * LINE_HEIGHT * size / 11
                if height > need.get(r, 0.0):
                    need[r] = height
    for r, height in need.items():
        if height > grid.row_heights.get(r, 0.0):
            grid.row_heights[r] = height
