"""Finding a tab and its header row, and mapping its columns to the contract.

The header is the first non-empty row within the sheet's first 10 rows.  Its
cells are compared with `header_key` against each column's English and
Vietnamese headers, field name and aliases; unknown columns are ignored.  One
leniency beyond the contract: when that first row names none of the tab's
columns (a title above the table) but a later row within the first 10 names
every required column, that later row is the header.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from vaxl.core.models import Problem, col_letter
from vaxl.sheets.cells import is_blank
from vaxl.sheets.raw import RawBook, RawTab
from vaxl.sheets.spec import TabSpec, header_key

__all__ = ["HEADER_ROWS", "HeaderMap", "find_tab", "find_tab_name", "map_header", "tab_matches"]

HEADER_ROWS = 10


def _tab_norm(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def tab_matches(name: str, spec: TabSpec) -> bool:
    """Whether a workbook tab called `name` is this spec's tab (en, vi or alias)."""
    wanted = _tab_norm(name)
    return any(_tab_norm(n) == wanted for n in spec.names())


def find_tab_name(names: Iterable[str], spec: TabSpec) -> str | None:
    """The first of `names` that is the spec's tab, preferring the English name."""
    names = list(names)
    for preferred in spec.names():
        key = _tab_norm(preferred)
        for name in names:
            if _tab_norm(name) == key:
                return name
    return None


def find_tab(raw: RawBook, spec: TabSpec) -> RawTab | None:
    """The read tab that is the spec's tab, or None."""
    name = find_tab_name(raw.tabs, spec)
    return raw.tabs[name] if name is not None else None


@dataclass
class HeaderMap:
    """Where a tab's header is and which column holds which field.

    Fields:
        tab: the tab's name as spelt in the workbook.
        index: index of the header row in RawTab.rows.
        row: the header's sheet row (1-based).
        columns: field -> index into each row list.
        labels: field -> the header text as the user typed it.
        first_col: sheet column (1-based) of each row's index 0.
    """

    tab: str
    index: int
    row: int
    columns: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    first_col: int = 1

    def letter(self, field_name: str) -> str:
        return col_letter(self.first_col + self.columns[field_name])

    def sheet_col(self, field_name: str) -> int:
        return self.first_col + self.columns[field_name]


def _map_row(cells: list[object], spec: TabSpec) -> tuple[dict[str, int], dict[str, str]]:
    by_key: dict[str, str] = {}
    for col in spec.columns:
        for key in col.keys():
            by_key.setdefault(key, col.field)
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        name = by_key.get(header_key(str(cell).strip()))
        if name is not None and name not in columns:
            columns[name] = index
            labels[name] = str(cell).strip()
    return columns, labels


def map_header(tab: RawTab, spec: TabSpec) -> tuple[HeaderMap | None, list[Problem]]:
    """Find and map the header row; None when the tab has no non-empty row in its
    first 10 rows.  A missing required column is an error Problem (the tab's
    rows cannot be read then, so callers skip the tab)."""
    candidates = [
        i
        for i in range(min(len(tab.rows), HEADER_ROWS - tab.first_row + 1))
        if any(not is_blank(v) for v in tab.rows[i])
    ]
    if not candidates:
        return None, []
    chosen = candidates[0]
    columns, labels = _map_row(tab.rows[chosen], spec)
    required = [c.field for c in spec.columns if c.required]
    if not columns:
        for i in candidates[1:]:
            later, later_labels = _map_row(tab.rows[i], spec)
            if later and all(f in later for f in required):
                chosen, columns, labels = i, later, later_labels
                break
    header = HeaderMap(
        tab.name, chosen, tab.first_row + chosen, columns, labels, tab.first_col
    )
    problems: list[Problem] = []
    row_cells = tab.rows[chosen]
    last = max((i for i, v in enumerate(row_cells) if not is_blank(v)), default=-1)
    free = col_letter(tab.first_col + last + 1)
    for col in spec.columns:
        if col.required and col.field not in columns:
            problems.append(
                Problem(
                    severity="error",
                    tab=tab.name,
                    cell=f"{free}{header.row}",
                    column=col.en,
                    message=f"The {tab.name} tab has no '{col.en}' column, so its rows "
                    "cannot be read.",
                    fix=f"Add a column headed '{col.en}' to the header row (row {header.row}).",
                    code="missing_column",
                )
            )
    return header, problems
