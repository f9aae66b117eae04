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
from vaxl.layout.labels import text
from vaxl.layout.styles import ACCENT, HEADER, INK
from vaxl.sheets.raw import tab_key

__all__ = ["VALIDATION_TAB", "cell_link", "problem_order", "validation_grid"]

VALIDATION_TAB = "Validation"

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


def _summary(errors: int, warnings: int, lang: str) -> tuple[str, str]:
    if not errors and not warnings:
        return text(lang, "no_problems"), "none"
    parts = []
    if errors:
        parts.append(text(lang, "errors_1") if errors == 1 else text(lang, "errors_n", n=errors))
    if warnings:
        parts.append(text(lang, "warnings_1") if warnings == 1
                     else text(lang, "warnings_n", n=warnings))
    return ", ".join(parts), "error" if errors else "warning"


def validation_grid(problems: list[Problem], book: Book) -> Grid:
    """The Validation tab for these problems, in the workbook's language."""
    lang = book.settings.language
    grid = Grid(name=VALIDATION_TAB, kind="validation", landscape=True)
    grid.set(1, 1, text(lang, "validation_title"), TITLE)
    errors = sum(1 for p in problems if p.severity == "error")
    summary, mood = _summary(errors, len(problems) - errors, lang)
    grid.set(2, 1, summary, SUMMARY[mood])
    grid.merges.append("A2:C2")
    keys = ("severity", "tab", "cell", "column", "value", "problem", "fix")
    headers: list[Value] = [text(lang, k) for k in keys]
    words = {severity: text(lang, severity) for severity in SEVERITY}
    grid.put_row(HEADER_ROW, headers, HEADER)
    tabs = book.tab_names
    known = {tab_key(t) for t in tabs}
    unknown: dict[str, bool] = {}  # tab as written -> not one of the workbook's tabs
    cells = grid.cells  # built directly: a big book can have a problem on every row
    for row, problem in enumerate(problem_order(problems, tabs), start=HEADER_ROW + 1):
        severity = problem.severity
        cells[(row, 1)] = Cell(words.get(severity, severity), None, SEVERITY.get(severity, TEXT))
        cells[(row, 2)] = Cell(problem.tab, None, TEXT)
        link = cell_link(problem.tab, problem.cell)
        if link and known:
            stray = unknown.get(problem.tab)
            if stray is None:
                stray = unknown[problem.tab] = tab_key(problem.tab) not in known
            if stray:
                link = None
        cells[(row, 3)] = Cell(problem.cell or None, None, LINK if link else TEXT, link)
        cells[(row, 4)] = Cell(problem.column or None, None, TEXT)
        cells[(row, 5)] = Cell(problem.value or None, None, TEXT)
        cells[(row, 6)] = Cell(problem.message, None, TEXT)
        cells[(row, 7)] = Cell(problem.fix or None, None, TEXT)
    fit_columns(grid, HEADER_ROW, least=8, most=MOST, caps=WRAPPED)
    # only a column narrower than its text wraps it: a capped one
    fit_rows(grid, HEADER_ROW + 1, cols=[c for c, width in grid.col_widths.items()
                                          if c in WRAPPED or width >= MOST])
    grid.freeze = (HEADER_ROW + 1, 1)
    return grid
