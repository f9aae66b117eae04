"""Grid -> live Excel through xlwings: one value write per tab plus batched formatting.

    plan = plan_grid(grid)        pure: values ready for Excel, formats grouped into ranges
    write_plan(sheet, plan)       the only part that talks to Excel

`plan_grid` does all the work before anything is written, so a failure in it
leaves the workbook untouched.  Values are written in one `sheet["A1"].value =`
call (formulas as `=...`); text that Excel would turn into something else (a
formula, a number, a date) goes in with a leading apostrophe, which Excel keeps
as the cell's text prefix and never shows.  Links become `HYPERLINK` formulas,
so they ride along in the same value write.  Formatting is grouped: every
attribute value (a number format, bold, a fill colour, ...) is applied once per
rectangle of cells that share it, never cell by cell.

Only xlwings' public API is used, so desktop Excel (RunPython), xlwings Lite
and xlwings Server all take the same path.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from vaxl.core.models import col_letter
from vaxl.layout.grid import Cell, Grid, a1

__all__ = ["SheetPlan", "excel_value", "plan_grid", "rectangles", "write_plan"]

# Text Excel would read as something other than itself when typed into a cell.
_FORMULA_START = ("=", "+", "-", "@", "'")
_LOOKS_TYPED = re.compile(
    r"^\s*([(\d.,$€£¥%:/]|true\s*$|false\s*$|#)", re.IGNORECASE
)
_BORDER_SIDES: dict[str, tuple[list[str], str]] = {
    "bottom": (["edge_bottom", "inside_horizontal"], "continuous"),
    "top": (["edge_top", "inside_horizontal"], "continuous"),
    "box": (["edge_top", "edge_bottom", "edge_left", "edge_right",
             "inside_vertical", "inside_horizontal"], "continuous"),
    "double-bottom": (["edge_bottom", "inside_horizontal"], "double"),
}


@dataclass
class SheetPlan:
    """Everything one tab needs, ready to send.

    Fields:
        name: the tab's name.
        values: the dense rectangle from A1 for the single value write.
        formats: (attribute, value) -> A1 ranges sharing it.
        widths: column letter -> width in characters.
        merges: ranges to merge.
        freeze: the frozen cells (`1:1` freezes row 1), or None.
        hidden: whether the tab is hidden (the manifest).
    """

    name: str
    values: list[list[Any]]
    formats: dict[tuple[str, Any], list[str]] = field(default_factory=dict)
    widths: dict[str, float] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    freeze: str | None = None
    hidden: bool = False


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _literal(value: Any) -> str | None:
    """A value as a formula literal (for HYPERLINK's friendly name)."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return format(Decimal(str(value)), "f") if not isinstance(value, int) else str(value)
    if isinstance(value, datetime):
        return f"DATE({value.year},{value.month},{value.day})"
    if isinstance(value, date):
        return f"DATE({value.year},{value.month},{value.day})"
    if isinstance(value, str):
        return _quote(value)
    return None


def _hyperlink(cell: Cell) -> str | None:
    if not cell.link:
        return None
    friendly = _literal(cell.value)
    if friendly is None:
        return None
    target = cell.link if "://" in cell.link or cell.link.startswith("mailto:") else "#" + cell.link
    return f"=HYPERLINK({_quote(target)},{friendly})"


def excel_value(cell: Cell) -> Any:
    """The value to send for one cell: formulas as `=...`, money as float,
    user text protected from being read as a formula, number or date."""
    if cell.formula:
        return "=" + cell.formula
    link = _hyperlink(cell)
    if link is not None:
        return link
    value = cell.value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        whole = value == value.to_integral_value() and abs(value) < 2**53
        return int(value) if whole else float(value)
    if isinstance(value, str):
        if value.startswith(_FORMULA_START) or _LOOKS_TYPED.match(value):
            return "'" + value
        return value
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value


def rectangles(cells: Iterable[tuple[int, int]]) -> list[str]:
    """Cover a set of (row, col) cells with few A1 rectangles: runs along each
    row, stacked while the rows below have the very same run."""
    by_row: dict[int, list[int]] = defaultdict(list)
    for r, c in cells:
        by_row[r].append(c)
    open_rects: dict[tuple[int, int], list[int]] = {}  # (c0, c1) -> [r0, r1]
    done: list[tuple[int, int, int, int]] = []
    for r in sorted(by_row):
        cols = sorted(set(by_row[r]))
        runs = []
        start = prev = cols[0]
        for c in cols[1:]:
            if c != prev + 1:
                runs.append((start, prev))
                start = c
            prev = c
        runs.append((start, prev))
        still: dict[tuple[int, int], list[int]] = {}
        for run in runs:
            rect = open_rects.pop(run, None)
            if rect is not None and rect[1] == r - 1:
                rect[1] = r
                still[run] = rect
            else:
                if rect is not None:
                    done.append((rect[0], run[0], rect[1], run[1]))
                still[run] = [r, r]
        for run, rect in open_rects.items():
            done.append((rect[0], run[0], rect[1], run[1]))
        open_rects = still
    for run, rect in open_rects.items():
        done.append((rect[0], run[0], rect[1], run[1]))
    done.sort()
    return [a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}"
            for r0, c0, r1, c1 in done]


def _attributes(cell: Cell) -> list[tuple[str, Any]]:
    style = cell.style
    out: list[tuple[str, Any]] = []
    if style is None:
        return out
    if style.num_format:
        out.append(("number_format", style.num_format))
    if style.bold:
        out.append(("bold", True))
    if style.italic:
        out.append(("italic", True))
    if style.size:
        out.append(("size", style.size))
    if style.color:
        out.append(("font_color", "#" + style.color))
    if style.fill:
        out.append(("fill", "#" + style.fill))
    if style.align:
        out.append(("align", style.align))
    if style.wrap:
        out.append(("wrap", True))
    if style.border:
        out.append(("border", style.border))
    return out


def _frozen_range(freeze: tuple[int, int] | None) -> str | None:
    """Grid.freeze names the first cell that scrolls; Excel wants the frozen cells."""
    if not freeze:
        return None
    row, col = freeze
    if row > 1 and col > 1:
        return f"A1:{a1(row - 1, col - 1)}"
    if row > 1:
        return f"1:{row - 1}"
    if col > 1:
        return f"A:{col_letter(col - 1)}"
    return None


def plan_grid(grid: Grid) -> SheetPlan:
    """Turn a grid into what Excel needs (pure; no Excel call)."""
    rows, cols = max(grid.max_row, 1), max(grid.max_col, 1)
    values: list[list[Any]] = [[None] * cols for _ in range(rows)]
    groups: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
    for (r, c), cell in grid.cells.items():
        values[r - 1][c - 1] = excel_value(cell)
        for key in _attributes(cell):
            groups[key].append((r, c))
        if cell.link and cell.style is None:
            groups[("font_color", "#0563C1")].append((r, c))
    formats = {key: rectangles(where) for key, where in sorted(groups.items(), key=str)}
    freeze = _frozen_range(grid.freeze)
    return SheetPlan(
        name=grid.name,
        values=values,
        formats=formats,
        widths={col_letter(c): w for c, w in sorted(grid.col_widths.items())},
        merges=list(grid.merges),
        freeze=freeze,
        hidden=grid.hidden != "visible",
    )


def _apply(rng: Any, attribute: str, value: Any) -> None:
    if attribute == "number_format":
        rng.number_format = value
    elif attribute == "bold":
        rng.font.bold = True
    elif attribute == "italic":
        rng.font.italic = True
    elif attribute == "size":
        rng.font.size = value
    elif attribute == "font_color":
        rng.font.color = value
    elif attribute == "fill":
        rng.color = value
    elif attribute == "align":
        rng.horizontal_alignment = value
    elif attribute == "wrap":
        rng.wrap_text = True
    elif attribute == "border":
        sides, line = _BORDER_SIDES[value]
        borders = getattr(rng, "borders", None)  # xlwings >= 0.37.1
        if borders is not None:
            borders.set(sides, line_style=line, weight="thin")


def _looks(step: Any, *args: Any) -> bool:
    """Run a purely cosmetic step; False when this engine or xlwings version
    cannot do it (e.g. alignment outside Office.js, freeze panes on Windows
    before xlwings 0.37): the values are what matter, the looks are skipped."""
    try:
        step(*args)
    except (AttributeError, NotImplementedError):
        return False
    return True


def write_plan(sheet: Any, plan: SheetPlan) -> None:
    """Write one planned tab into an (existing, cleared) xlwings sheet."""
    sheet["A1"].value = plan.values
    for (attribute, value), ranges in plan.formats.items():
        for address in ranges:
            if not _looks(_apply, sheet[address], attribute, value):
                break
    for letter, width in plan.widths.items():
        sheet[f"{letter}:{letter}"].column_width = width
    for address in plan.merges:
        sheet[address].merge()
    if plan.freeze:
        _looks(lambda frozen: sheet.freeze_panes.freeze_at(frozen), plan.freeze)
    if plan.hidden:
        sheet.visible = False
