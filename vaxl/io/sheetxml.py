"""A Grid as a worksheet part (SpreadsheetML), with the relationships it needs.

    sheet_part(grid, xf, date1904=False, drawing_target=None) -> SheetPart
    cell_value_xml(value, date1904) -> (type attribute, inner XML)
    excel_serial(value, date1904) -> float | None

Strings are inline (`t="inlineStr"`), so the workbook's shared strings part is
never touched; text is only ever a value, so `=SUM(A1)` typed by a user stays
text. Formula cells carry vaxl's computed result as their cached value.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import chain, repeat
from typing import Any, cast

from vaxl.core.models import col_letter
from vaxl.io.package import NS_REL_DOC, Deflated, Rel, esc
from vaxl.layout.grid import Block, Cell, Grid, Style, a1

__all__ = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "MAX_TEXT",
    "REL_DRAWING",
    "REL_HYPERLINK",
    "SheetPart",
    "cell_value_xml",
    "excel_serial",
    "is_external",
    "sheet_part",
    "style_attr",
    "text_xml",
]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_HYPERLINK = f"{NS_REL_DOC}/hyperlink"
REL_DRAWING = f"{NS_REL_DOC}/drawing"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
MAX_TEXT = 32767  # Excel's limit on characters in a cell

_EPOCH_1900 = date(1899, 12, 30)
_EPOCH_1904 = date(1904, 1, 1)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

XfLookup = Callable[[Style | None], int]


@dataclass
class SheetPart:
    """A worksheet's XML and the relationships of its .rels part; `deflated`: the
    XML compressed for the zip where that is done already (then `xml` is empty)."""

    xml: bytes
    rels: list[Rel] = field(default_factory=list)
    deflated: Deflated | None = None


def is_external(link: str) -> bool:
    """A URL (`https://...`, `mailto:...`) rather than a place in the workbook."""
    return bool(_SCHEME.match(link)) and "!" not in link.split(":", 1)[0]


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "_":
        return "_x005F_"
    return f"_x{ord(char):04X}_"


def text_xml(value: str) -> str:
    """Cell text escaped for XML, Excel's `_xHHHH_` escape for control characters."""
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT]
    value = value.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    return esc(_ILLEGAL.sub(_escape_char, value))


def excel_serial(value: Any, date1904: bool = False) -> float | None:
    """A date, datetime, time or duration as Excel's day number (None: not representable)."""
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second
                + value.microsecond / 1e6) / 86400
    if isinstance(value, datetime):
        day = value.date()
        fraction = (value.hour * 3600 + value.minute * 60 + value.second
                    + value.microsecond / 1e6) / 86400
    elif isinstance(value, date):
        day, fraction = value, 0.0
    else:
        return None
    if date1904:
        days = (day - _EPOCH_1904).days
        if days < 0:
            return None
    else:
        days = (day - _EPOCH_1900).days
        if days < 61:  # before 1900-03-01: Excel counts a 29 Feb 1900 that never was
            days -= 1
        if days < 1:
            return None
    return days + fraction if fraction else days


def _number(value: float | int | Decimal) -> str | None:
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    return str(value)


def cell_value_xml(value: Any, date1904: bool = False) -> tuple[str, str]:
    """(t attribute or "", inner XML) for a plain value cell."""
    if isinstance(value, bool):
        return "b", f"<v>{int(value)}</v>"
    if isinstance(value, (int, float, Decimal)):
        num = _number(value)
        if num is not None:
            return "", f"<v>{num}</v>"
        value = str(value)
    elif isinstance(value, (date, time, timedelta)):
        serial = excel_serial(value, date1904)
        if serial is not None:
            return "", f"<v>{_number(serial)}</v>"
        value = value.isoformat() if not isinstance(value, timedelta) else str(value)
    if value is None:
        return "", ""
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return "inlineStr", f"<is><t{space}>{text_xml(text)}</t></is>"


def _formula_value_xml(value: Any, date1904: bool) -> tuple[str, str]:
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return "b", f"<v>{int(value)}</v>"
    if isinstance(value, (int, float, Decimal)):
        num = _number(value)
        if num is not None:
            return "", f"<v>{num}</v>"
        return "str", f"<v>{text_xml(str(value))}</v>"
    serial = excel_serial(value, date1904)
    if serial is not None:
        return "", f"<v>{_number(serial)}</v>"
    return "str", f"<v>{text_xml(str(value))}</v>"


def _effective_style(cell: Cell) -> Style | None:
    """Dates and times need a date format even when the layout gave none."""
    value = cell.value
    wanted: str | None = None
    if isinstance(value, datetime):
        wanted = DATETIME_FORMAT
    elif isinstance(value, date):
        wanted = DATE_FORMAT
    elif isinstance(value, time):
        wanted = TIME_FORMAT
    elif isinstance(value, timedelta):
        wanted = DURATION_FORMAT
    if wanted is None:
        return cell.style
    if cell.style is None:
        return Style(num_format=wanted)
    if cell.style.num_format is None:
        return dc_replace(cell.style, num_format=wanted)
    return cell.style


def _cell_xml(ref: str, cell: Cell, xf: XfLookup, date1904: bool) -> str:
    s_attr = style_attr(xf(_effective_style(cell)))
    if cell.formula:
        formula = cell.formula[1:] if cell.formula.startswith("=") else cell.formula
        t, inner = _formula_value_xml(cell.value, date1904)
        t_attr = f' t="{t}"' if t else ""
        return f'<c r="{ref}"{s_attr}{t_attr}><f>{text_xml(formula)}</f>{inner}</c>'
    t, inner = cell_value_xml(cell.value, date1904)
    if not inner:
        return f'<c r="{ref}"{s_attr}/>'
    t_attr = f' t="{t}"' if t else ""
    return f'<c r="{ref}"{s_attr}{t_attr}>{inner}</c>'


def _pane(freeze: tuple[int, int] | None) -> str:
    if not freeze:
        return ""
    row, col = freeze
    x, y = max(col - 1, 0), max(row - 1, 0)
    if not x and not y:
        return ""
    active = "bottomRight" if x and y else ("bottomLeft" if y else "topRight")
    splits = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return (f'<pane{splits} topLeftCell="{a1(max(row, 1), max(col, 1))}" '
            f'activePane="{active}" state="frozen"/>'
            f'<selection pane="{active}" activeCell="{a1(max(row, 1), max(col, 1))}" '
            f'sqref="{a1(max(row, 1), max(col, 1))}"/>')


def style_attr(index: int) -> str:
    """A cell's ` s="N"` attribute for its look's index (none for the default, 0)."""
    return f' s="{index}"' if index else ""


@lru_cache(maxsize=16384)
def _text_tail(value: str) -> str:
    """What follows `<c r=".." s=".."` for a text cell (cached: every invoice tab
    repeats the same task names, categories and headers)."""
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f' t="inlineStr"><is><t{space}>{text_xml(value)}</t></is></c>'


def _sheet_data(
    out: list[str],
    cells: dict[tuple[int, int], Cell],
    keys: list[tuple[int, int]],
    letters: dict[int, str],
    xf: XfLookup,
    date1904: bool,
    heights: dict[int, float] | None,
    memo: WriteMemo,
) -> list[tuple[str, str]]:
    """Append the <row> elements; return the cells' (reference, link) in (row, col) order.

    The same bytes as `_cell_xml` cell by cell, about five times faster: a big
    month writes hundreds of thousands of cells from a few dozen looks and a few
    thousand distinct texts, so each look's `s` attribute, each text's escaped
    XML and each day's serial number are made once.  Plain text, numbers, dates
    and blanks take the fast path; formulas and anything unusual take `_cell_xml`.
    Styles are keyed by identity (every Style here is held by a cell of the grid,
    so no id is reused), and xf() still sees each look first at the cell where
    `_cell_xml` would, so the styles part numbers its entries identically.  `memo`
    (shared by the sheets of one write, one `xf`) keeps the looks, texts and days
    found for the next sheets, and holds each look so that no other takes its id.
    """
    append = out.append
    looks = memo.looks  # id(style) -> ' s="N"' for values that need no date format
    date_looks = memo.date_looks  # id(style) -> ' s="N"' for date values
    texts, days, held = memo.texts, memo.days, memo.held
    links: list[tuple[str, str]] = []
    look_of = looks.get
    text_of = texts.get
    row: int | None = None
    row_text = ""
    for key in keys:
        r, c = key
        if r != row:
            if row is not None:
                append("</row>")
            row = r
            row_text = str(r)
            if heights and r in heights:
                append(f'<row r="{row_text}" ht="{float(heights[r]):g}" customHeight="1">')
            else:
                append(f'<row r="{row_text}">')
        cell = cells[key]
        value: Any = cell.value  # dispatched on its exact type below
        kind = type(value)
        ref = letters[c] + row_text
        if cell.link:
            links.append((ref, cell.link))
        if cell.formula:
            append(_cell_xml(ref, cell, xf, date1904))
            continue
        style_id = id(cell.style)
        if kind is str:
            s_attr = look_of(style_id)
            if s_attr is None:
                s_attr = looks[style_id] = style_attr(xf(cell.style))
                held.append(cell.style)
            tail = text_of(value)
            if tail is None:
                tail = texts[value] = _text_tail(value)
            append(f'<c r="{ref}"{s_attr}{tail}')
        elif kind is Decimal or kind is int or kind is float:
            if kind is Decimal:
                number = str(value) if value.is_finite() else None
            elif kind is float:
                number = repr(value) if math.isfinite(value) else None
            else:
                number = str(value)
            if number is None:
                append(_cell_xml(ref, cell, xf, date1904))
                continue
            s_attr = look_of(style_id)
            if s_attr is None:
                s_attr = looks[style_id] = style_attr(xf(cell.style))
                held.append(cell.style)
            append(f'<c r="{ref}"{s_attr}><v>{number}</v></c>')
        elif value is None:
            s_attr = look_of(style_id)
            if s_attr is None:
                s_attr = looks[style_id] = style_attr(xf(cell.style))
                held.append(cell.style)
            append(f'<c r="{ref}"{s_attr}/>')
        elif kind is date:
            serial = days.get(value)
            if serial is None:
                day = excel_serial(value, date1904)
                if day is None:
                    append(_cell_xml(ref, cell, xf, date1904))
                    continue
                serial = days[value] = f"><v>{_number(day)}</v></c>"
            s_attr = date_looks.get(style_id)
            if s_attr is None:
                s_attr = date_looks[style_id] = style_attr(xf(_effective_style(cell)))
                held.append(cell.style)
            append(f'<c r="{ref}"{s_attr}{serial}')
        else:
            append(_cell_xml(ref, cell, xf, date1904))
    if row is not None:
        append("</row>")
    return links


Pieces = dict[str, dict[int, tuple[str, str, Cell]]]
"""column letter -> id(cell) -> the cell's XML before and after its row number, and
the cell (held, so that no other cell takes its id while the pieces live)."""


@dataclass
class WriteMemo:
    """What the sheets of one write (one StyleBook, one `xf`) work out once: each
    block cell's XML (`pieces`), each look's `s` attribute for plain and for date
    values (by id: `held` keeps the looks alive, so no other takes an id), each
    text's XML and each day's serial.  Five hundred invoice tabs share them."""

    pieces: Pieces = field(default_factory=dict)
    looks: dict[int, str] = field(default_factory=dict)
    date_looks: dict[int, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    days: dict[date, str] = field(default_factory=dict)
    held: list[Style | None] = field(default_factory=list)


def _block_data(
    out: list[str],
    block: Block,
    letters: dict[int, str],
    xf: XfLookup,
    date1904: bool,
    heights: dict[int, float] | None,
    memo: WriteMemo,
) -> list[tuple[str, str]] | None:
    """Append a block's <row> elements (the bytes `_sheet_data` writes for its cells);
    return its cells' (reference, link) in (row, col) order, or None, having
    appended nothing, for a block `_sheet_data` must write cell by cell.

    A block's rows repeat a few hundred shared Cells, so each Cell's XML is made
    once per column, by `_cell_xml` (which meets each look where `_sheet_data`
    would, so the styles part numbers them alike), and split around its row
    number.  A full rectangle (a cell in every place, no row height, links only
    from `links`) is then put together column by column inside C (map, zip,
    join); any other block (holes, row heights, cells with links of their own)
    gives None."""
    pieces = memo.pieces
    rows = block.rows
    first_col, width = block.first_col, block.width
    col_letters = [letters.get(first_col + j, "") for j in range(width)]
    full = (all(len(r) == width and all(r) for r in rows)
            and not (heights and any(block.first <= h <= block.last for h in heights)))
    if not full:
        return None
    row_texts = list(map(str, range(block.first, block.first + len(rows))))
    ids = [list(map(id, [r[j] for r in rows])) for j in range(width)]
    tables = [pieces.setdefault(letter, {}) for letter in col_letters]
    found = [list(map(table.get, column)) for table, column in zip(tables, ids, strict=True)]
    missing = sorted((i, j) for j, column in enumerate(found) if None in column
                     for i in [i for i, p in enumerate(column) if p is None])
    for i, j in missing:  # first sight in (row, col) order, as _sheet_data meets the looks
        cell = rows[i][j]
        assert cell is not None  # a full rectangle
        if id(cell) not in tables[j]:  # not a shared Cell met higher up
            before, _, after = _cell_xml("\x00", cell, xf, date1904).partition("\x00")
            tables[j][id(cell)] = (before + col_letters[j], after, cell)
    placed = (cast(list[list[tuple[str, str, Cell]]], found) if not missing else
              [list(map(table.__getitem__, column))
               for table, column in zip(tables, ids, strict=True)])
    columns: list[list[str]] = []
    for column, table, column_ids in zip(placed, tables, ids, strict=True):
        if any(table[key][2].link for key in set(column_ids)):
            return None
        befores = [p[0] for p in column]
        afters = [p[1] for p in column]
        columns.append(list(map(str.__add__, map(str.__add__, befores, row_texts), afters)))
    opens = [f'<row r="{r}">' for r in row_texts]
    out.append("".join(chain.from_iterable(zip(opens, *columns, repeat("</row>")))))
    if block.links is None or not 0 <= block.link_col - first_col < width:
        return []
    letter = col_letters[block.link_col - first_col]
    return [(letter + r, link) for r, link in zip(row_texts, block.links, strict=True) if link]


def sheet_part(
    grid: Grid,
    xf: XfLookup,
    date1904: bool = False,
    drawing_target: str | None = None,
    memo: WriteMemo | None = None,
) -> SheetPart:
    """Render a grid as worksheet XML; `drawing_target` is its charts' drawing part,
    relative to the sheet (e.g. `../drawings/drawing2.xml`).  `memo`: what the
    sheets of one write (with one `xf`) share, see WriteMemo."""
    memo = memo or WriteMemo()
    rels: list[Rel] = []
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL_DOC}">',
    ]
    if grid.fit_width:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    cells = grid.placed
    keys = sorted(cells)
    blocks = sorted((b for b in grid.blocks if b.rows), key=lambda b: b.first)
    cols = {c for _, c in keys}
    rows = [r for r, _ in keys[:1] + keys[-1:]]
    for block in blocks:
        if block.first_filled:
            rows += [block.first_filled, block.last_filled]
            cols |= block.filled_cols()
    if cols:
        out.append(f'<dimension ref="{a1(min(rows), min(cols))}:{a1(max(rows), max(cols))}"/>')
    else:
        out.append('<dimension ref="A1"/>')
    out.append(f'<sheetViews><sheetView workbookViewId="0">{_pane(grid.freeze)}'
               "</sheetView></sheetViews>")
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if grid.col_widths:
        out.append("<cols>")
        for col in sorted(grid.col_widths):
            width = float(grid.col_widths[col])
            out.append(f'<col min="{col}" max="{col}" width="{width:g}" customWidth="1"/>')
        out.append("</cols>")
    out.append("<sheetData>")
    letters = {c: col_letter(c) for c in cols}
    links: list[tuple[str, str]] = []
    done = 0  # keys written so far
    for block in blocks:  # the placed rows above each block, then the block
        upto = bisect_left(keys, (block.first, 0), lo=done)
        links += _sheet_data(out, cells, keys[done:upto], letters, xf, date1904,
                             grid.row_heights, memo)
        block_links = _block_data(out, block, letters, xf, date1904, grid.row_heights, memo)
        if block_links is None:  # not a full rectangle: its cells one by one
            block_cells = dict(block.items())
            block_links = _sheet_data(out, block_cells, list(block_cells), letters, xf,
                                      date1904, grid.row_heights, memo)
        links += block_links
        done = upto
    links += _sheet_data(out, cells, keys[done:], letters, xf, date1904, grid.row_heights,
                         memo)
    out.append("</sheetData>")
    if grid.merges:
        out.append(f'<mergeCells count="{len(grid.merges)}">')
        out.extend(f'<mergeCell ref="{esc(m)}"/>' for m in grid.merges)
        out.append("</mergeCells>")
    if links:
        out.append("<hyperlinks>")
        append = out.append
        for ref, link in links:
            # A quoted sheet name starts most links (the time detail's, by the
            # thousand): never a URL, so the scheme test is skipped for them.
            if link[:1] != "'" and is_external(link):
                rid = f"rId{len(rels) + 1}"
                rels.append(Rel(rid, REL_HYPERLINK, link, external=True))
                append(f'<hyperlink ref="{ref}" r:id="{rid}"/>')
            else:
                location = link[1:] if link[:1] == "#" else link
                append(f'<hyperlink ref="{ref}" location="{esc(location)}"/>')
        out.append("</hyperlinks>")
    out.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" '
               'header="0.3" footer="0.3"/>')
    orientation = "landscape" if grid.landscape else "portrait"
    fit = ' fitToWidth="1" fitToHeight="0"' if grid.fit_width else ""
    out.append(f'<pageSetup orientation="{orientation}"{fit}/>')
    if drawing_target:
        rid = f"rId{len(rels) + 1}"
        rels.append(Rel(rid, REL_DRAWING, drawing_target))
        out.append(f'<drawing r:id="{rid}"/>')
    out.append("</worksheet>")
    return SheetPart("".join(out).encode("utf-8"), rels)
