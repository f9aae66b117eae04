"""Raw tabs: what every source (xlsx file, live Excel, Google Sheets, HTTP)
hands to the parser.

A RawTab is a rectangle of plain Python cell values, exactly as the source
gave them, plus number formats where the source knows them.  Parsing
(vaxl.sheets.parse) turns RawTabs into records; no source parses by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["RawBook", "RawTab", "tab_key"]


def tab_key(name: str) -> str:
    """How tab names compare: case-insensitive, surrounding spaces ignored."""
    return name.strip().casefold()


@dataclass(slots=True)
class RawTab:
    """One tab's cells as the source read them.

    Fields:
        name: the tab's name as the workbook spells it.
        rows: cell values row by row: str, int, float, bool, date, datetime, time,
            timedelta or None.  rows[0][0] is the cell at (first_row, first_col).
        first_row, first_col: 1-based sheet position of rows[0][0].
        number_formats: format codes parallel to rows (same shape, '' where none),
            or None when the source did not provide formats.
        uncalculated: row index -> column indices (into rows) of the cells that
            hold a formula with no calculated value (a file saved by a program
            that does not calculate); their value in rows is empty.  Empty when
            the source knows of none.
    """

    name: str
    rows: list[list[Any]]
    first_row: int = 1
    first_col: int = 1
    number_formats: list[list[str]] | None = None
    uncalculated: dict[int, frozenset[int]] = field(default_factory=dict)

    def format_at(self, index: int, col_index: int) -> str | None:
        """Number format of rows[index][col_index]; None when unknown."""
        if self.number_formats is None:
            return None
        try:
            return self.number_formats[index][col_index] or ""
        except IndexError:
            return ""


@dataclass(slots=True)
class RawBook:
    """Every tab a source read, plus what vaxl needs to know about the file.

    Fields:
        tabs: tabs by their name as spelt in the workbook (only tabs vaxl reads are filled).
        tab_names: all tab names in workbook order (including unread ones).
        source: a description for messages, e.g. the file name.
        intact: for a file source, the parts of the file found intact while reading
            (`vaxl.io.package.part_id`, their CRC checked); stamp: the file's
            `file_stamp` then.  A writer may skip checking those parts again.
    """

    tabs: dict[str, RawTab] = field(default_factory=dict)
    tab_names: list[str] = field(default_factory=list)
    source: str = ""
    intact: frozenset[tuple[object, ...]] = frozenset()
    stamp: tuple[int, ...] | None = None

    def find(self, name: str) -> RawTab | None:
        """The tab called `name`, compared as the contract says (case, spaces)."""
        wanted = tab_key(name)
        for tab_name, tab in self.tabs.items():
            if tab_key(tab_name) == wanted:
                return tab
        return None

    def has(self, name: str) -> bool:
        wanted = tab_key(name)
        return any(tab_key(n) == wanted for n in self.tab_names)
