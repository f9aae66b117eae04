"""The `Validation` tab: every problem found, with a link to its cell.

    validation_grid(problems, book) -> Grid
    problem_order(problems, tab_names) -> list[Problem]   errors first, then tab, row, column
    cell_link(tab, cell) -> str | None                    `'Timesheet'!E14`

Layout: a title, a summary line (`2 errors, 1 warning` or a green
`No problems found`), then a header row `Severity | Tab | Cell | Column | Value |
Problem | How to fix` frozen above one row per problem. Columns are as wide
as their text (up to WRAPPED); Value, Problem and How to fix wrap, and each row
is as tall as its longest wrapped text.  English, or Vietnamese when Settings
`Language` is `vi`.
"""

from __future__ import annotations

import re

from vaxl.core.models import Book, Problem
from vaxl.layout.fit import fit_columns, fit_rows
from vaxl.layout.grid import Cell, Grid, Style, Value
from vaxl.layout.styles import ACCENT, HEADER, INK
from vaxl.sheets.raw import tab_key

__all__ = ["LABELS", "VALIDATION_TAB", "cell_link", "problem_order", "validation_grid"]

VALIDATION_TAB = "Validation"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Validation",
        "none": "No problems found",
        "error_1": "1 error",
        "error_n": "{n} errors",
        "warning_1": "1 warning",
        "warning_n": "{n} warnings",
        "severity": "Severity",
        "tab": "Tab",
        "cell": "Cell",
        "column": "Column",
        "value": "Value",
        "problem": "Problem",
        "fix": "How to fix",
        "error": "error",
        "warning": "warning",
    },
    "vi": {
        "title": "Kiểm tra dữ liệu",
        "none": "Không có vấn đề nào",
        "error_1": "1 lỗi",
        "error_n": "{n} lỗi",
        "warning_1": "1 cảnh báo",
        "warning_n": "{n} cảnh báo",
        "severity": "Mức độ",
        "tab": "Trang tính",
        "cell": "Ô",
        "column": "Cột",
        "value": "Giá trị",
        "problem": "Vấn đề",
        "fix": "Cách sửa",
        "error": "lỗi",
        "warning": "cảnh báo",
    },
}

RED = "9C2A2A"
RED_FILL = "FDE2E1"
AMBER = "8A6100"
AMBER_FILL = "FFF4CE"
GREEN = "1E6B34"
GREEN_FILL = "E3F4E8"
LINK_BLUE = "0563C1"

TITLE = Style(bold=True, size=14, color=ACCENT)
# Every cell of a problem row wraps: LibreOffice draws wrapped cells from the
# top of a tall row and others at its bottom, so one row reads as one line only
# when all its cells wrap.
TEXT = Style(color=INK, wrap=True)
PLAIN = Style(color=INK, wrap=True)
LINK = Style(color=LINK_BLUE, wrap=True)
SEVERITY = {
    "error": Style(bold=True, color=RED, fill=RED_FILL, wrap=True),
    "warning": Style(bold=True, color=AMBER, fill=AMBER_FILL, wrap=True),
}
SUMMARY = {
    "error": Style(bold=True, color=RED, fill=RED_FILL),
    "warning": Style(bold=True, color=AMBER, fill=AMBER_FILL),
    "none": Style(bold=True, color=GREEN, fill=GREEN_FILL),
}
WIDTHS = {1: 11, 2: 14, 3: 8, 4: 18, 5: 24, 6: 55, 7: 55}
WRAPPED = {5: 30, 6: 55, 7: 55}  # the widest the wrapping columns get
MOST = 32  # the widest any other column gets
HEADER_ROW = 4

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def cell_link(tab: str, cell: str) -> str | None:
    """The in-workbook link to a problem's cell (a whole-row reference links to column A)."""
    tab, cell = tab.strip(), cell.strip()
    if not tab or not cell:
        return None
    if cell.isdigit():
        cell = f"A{cell}"
    if not _CELL.match(cell):
        return None
    return "'" + tab.replace("'", "''") + "'!" + cell.replace("$", "").upper()


def _row_col(cell: str) -> tuple[int, str]:
    match = _CELL.match(cell.strip())
    if match:
        return int(match.group(2)), match.group(1).upper().rjust(3)
    if cell.strip().isdigit():
        return int(cell.strip()), ""
    return 0, cell


def problem_order(problems: list[Problem], tab_names: tuple[str, ...] = ()) -> list[Problem]:
    """Errors first, then by tab (workbook order, unknown tabs by name), row and column."""
    position = {tab_key(name): i for i, name in enumerate(tab_names)}

    tabs: dict[str, tuple[int, str]] = {}  # tab as written -> (position, key)

    def key(p: Problem) -> tuple[int, int, str, int, str]:
        row, col = _row_col(p.cell)
        where = tabs.get(p.tab)
        if where is None:
            tab = tab_key(p.tab)
            where = tabs[p.tab] = (position.get(tab, len(position)), tab)
        return (0 if p.severity == "error" else 1, where[0], where[1], row, col)

    return sorted(problems, key=key)


def _summary(errors: int, warnings: int, words: dict[str, str]) -> tuple[str, str]:
    if not errors and not warnings:
        return words["none"], "none"
    parts = []
    if errors:
        parts.append(words["error_1"] if errors == 1 else words["error_n"].format(n=errors))
    if warnings:
        parts.append(words["warning_1"] if warnings == 1
                     else words["warning_n"].format(n=warnings))
    return ", ".join(parts), "error" if errors else "warning"


def validation_grid(problems: list[Problem], book: Book) -> Grid:
    """The Validation tab for these problems, in the workbook's language."""
    words = LABELS.get(book.settings.language, LABELS["en"])
    grid = Grid(name=VALIDATION_TAB, kind="validation", landscape=True)
    grid.set(1, 1, words["title"], TITLE)
    errors = sum(1 for p in problems if p.severity == "error")
    text, mood = _summary(errors, len(problems) - errors, words)
    grid.set(2, 1, text, SUMMARY[mood])
    grid.merges.append("A2:C2")
    keys = ("severity", "tab", "cell", "column", "value", "problem", "fix")
    headers: list[Value] = [words[k] for k in keys]
    grid.put_row(HEADER_ROW, headers, HEADER)
    tabs = book.tab_names
    known = {tab_key(t) for t in tabs}
    unknown: dict[str, bool] = {}  # tab as written -> not one of the workbook's tabs
    cells = grid.cells  # built directly: a big book can have a problem on every row
    for row, problem in enumerate(problem_order(problems, tabs), start=HEADER_ROW + 1):
        severity = problem.severity
        cells[(row, 1)] = Cell(words.get(severity, severity), None, SEVERITY.get(severity, PLAIN))
        cells[(row, 2)] = Cell(problem.tab, None, PLAIN)
        link = cell_link(problem.tab, problem.cell)
        if link and known:
            stray = unknown.get(problem.tab)
            if stray is None:
                stray = unknown[problem.tab] = tab_key(problem.tab) not in known
            if stray:
                link = None
        cells[(row, 3)] = Cell(problem.cell or None, None, LINK if link else PLAIN, link)
        cells[(row, 4)] = Cell(problem.column or None, None, PLAIN)
        cells[(row, 5)] = Cell(problem.value or None, None, TEXT)
        cells[(row, 6)] = Cell(problem.message, None, TEXT)
        cells[(row, 7)] = Cell(problem.fix or None, None, TEXT)
    grid.col_widths = dict(WIDTHS)
    fit_columns(grid, HEADER_ROW, least=8, most=MOST, caps=WRAPPED)
    # only a column narrower than its text wraps it: a capped one
    fit_rows(grid, HEADER_ROW + 1, cols=[c for c, width in grid.col_widths.items()
                                          if c in WRAPPED or width >= MOST])
    grid.freeze = (HEADER_ROW + 1, 1)
    return grid
