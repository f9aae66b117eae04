"""The neutral grid: one tab's values, formulas and looks, independent of any sink.

Coordinates are 1-based (row, col) as a person counts them.  A cell either
holds a value or a formula plus the value vaxl computed for it (so readers that
do not recalculate still show the right number).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from vaxl.core.models import col_letter

__all__ = ["Block", "Cell", "Chart", "Grid", "Later", "Style", "Value", "a1"]

Value = str | int | float | Decimal | date | datetime | bool | None
Border = Literal["bottom", "top", "box", "double-bottom"]
Align = Literal["left", "center", "right"]


def a1(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


@dataclass(frozen=True, slots=True)
class Style:
    """How a cell looks.  All fields optional; equal styles share one xf.

    Fields:
        bold, italic: font weight and slant.
        size: font size in points (None: the workbook default).
        color: font colour as RRGGBB hex.
        fill: background colour as RRGGBB hex.
        border: which thin borders to draw.
        num_format: number format code (e.g. `#,##0.00`, `yyyy-mm-dd`, `0%`).
        align: horizontal alignment.
        wrap: wrap text.
    """

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    border: Border | None = None
    num_format: str | None = None
    align: Align | None = None
    wrap: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell (immutable: layouts share one Cell between the rows that show the same thing).

    Fields:
        value: the value shown (for a formula: the value vaxl computed).
        formula: formula text without the leading `=`, or None.
        style: the look, or None for the default.
        link: an internal target (`'Timesheet'!E14`) or a URL, or None.
    """

    value: Value = None
    formula: str | None = None
    style: Style | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Chart:
    """A native bar chart drawn on the tab.

    Fields:
        title: chart title.
        categories: the category labels range on this tab, e.g. `A2:A11` (no sheet name).
        values: the values range on this tab, e.g. `E2:E11`.
        series_name: legend text of the one series.
        anchor_row, anchor_col: top-left cell of the chart (1-based).
        width_cols, height_rows: size in cells.
    """

    title: str
    categories: str
    values: str
    series_name: str
    anchor_row: int
    anchor_col: int
    width_cols: int = 8
    height_rows: int = 16


@dataclass(slots=True)
class Block:
    """A long run of rows of one shape, kept row by row instead of cell by cell.

    Row `first + i` holds `rows[i][j]` in column `first_col + j` (None: no cell),
    and, when `links` is given, the cell in column `link_col` links to
    `links[i]`.  An invoice's time detail is one: tens of thousands of rows in a
    big month, whose cells are a few hundred shared Cells.  The .xlsx writer
    writes a block a row at a time; every other reader sees its cells in
    `Grid.cells` like any other."""

    first: int
    rows: list[tuple[Cell | None, ...]]
    first_col: int = 1
    link_col: int = 1
    links: list[str] | None = None

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1

    @property
    def width(self) -> int:
        return max(map(len, self.rows), default=0)

    @property
    def first_filled(self) -> int:
        """The first row holding a cell (0 when none does; a Cell is true, None false)."""
        return next((self.first + i for i, row in enumerate(self.rows) if any(row)), 0)

    @property
    def last_filled(self) -> int:
        """The last row holding a cell (0 when none does)."""
        return next((self.first + i for i in range(len(self.rows) - 1, -1, -1)
                     if any(self.rows[i])), 0)

    def filled_cols(self) -> set[int]:
        """The columns holding a cell."""
        return {self.first_col + j for j in range(self.width)
                if any(len(row) > j and row[j] is not None for row in self.rows)}

    @property
    def last_col(self) -> int:
        """The last column holding a cell (0 when none does)."""
        return max(self.filled_cols(), default=0)

    def items(self) -> Iterator[tuple[tuple[int, int], Cell]]:
        """((row, col), cell) of every cell, the links in place."""
        links = self.links
        for i, cells in enumerate(self.rows):
            row = self.first + i
            for j, cell in enumerate(cells):
                if cell is None:
                    continue
                col = self.first_col + j
                if links is not None and col == self.link_col and links[i]:
                    cell = Cell(cell.value, cell.formula, cell.style, links[i])
                yield (row, col), cell


@dataclass(slots=True, eq=False)
class Grid:
    """One tab to write.

    Fields:
        name: tab name.
        placed: (row, col) -> Cell, the cells set one by one.
        blocks: long runs of rows (see Block); their rows hold no placed cell.
        col_widths: col -> width in characters.
        row_heights: row -> height in points (rows not listed keep the default height).
        merges: ranges like `A1:D1`.
        freeze: (row, col) of the first cell that scrolls, e.g. (2, 1) freezes row 1.
        charts: native charts on the tab.
        hidden: `visible`, `hidden` or `veryHidden`.
        landscape: print orientation; fit_width: fit the print to one page wide.
        kind: what vaxl wrote it as (`validation`, `invoice`, `register`, ...).

    `cells` is every cell, (row, col) -> Cell: reading it moves the blocks' cells
    into `placed` (sinks other than .xlsx, tests).
    """

    name: str
    placed: dict[tuple[int, int], Cell] = field(default_factory=dict)
    col_widths: dict[int, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    charts: list[Chart] = field(default_factory=list)
    hidden: Literal["visible", "hidden", "veryHidden"] = "visible"
    landscape: bool = False
    fit_width: bool = True
    kind: str = ""
    blocks: list[Block] = field(default_factory=list)

    @property
    def cells(self) -> dict[tuple[int, int], Cell]:
        if self.blocks:
            for block in self.blocks:
                self.placed.update(block.items())
            self.blocks = []
        return self.placed

    def all_cells(self) -> dict[tuple[int, int], Cell]:
        """Every cell, the blocks' included, without moving the blocks into `placed`."""
        if not self.blocks:
            return self.placed
        out = dict(self.placed)
        for block in self.blocks:
            out.update(block.items())
        return out

    def add_block(self, block: Block) -> None:
        """Add a run of rows; none of them may hold a placed cell or another block's row."""
        if any(block.first <= r <= block.last for r, _ in self.placed) or any(
                b.first <= block.last and block.first <= b.last for b in self.blocks):
            raise ValueError(f"rows {block.first}-{block.last} already hold cells")
        self.blocks.append(block)

    def __eq__(self, other: object) -> bool:
        """Equal tabs: the same cells (placed or in blocks alike) and the same looks."""
        if not isinstance(other, Grid):
            return NotImplemented
        return self._looks() == other._looks() and self.all_cells() == other.all_cells()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def _looks(self) -> tuple[object, ...]:
        return (self.name, self.col_widths, self.row_heights, self.merges, self.freeze,
                self.charts, self.hidden, self.landscape, self.fit_width, self.kind)

    def set(
        self,
        row: int,
        col: int,
        value: Value = None,
        style: Style | None = None,
        *,
        formula: str | None = None,
        link: str | None = None,
    ) -> Cell:
        cell = Cell(value, formula, style, link)
        if self.blocks and any(b.first <= row <= b.last for b in self.blocks):
            self.cells[(row, col)] = cell  # a cell inside a block: the block becomes cells
        else:
            self.placed[(row, col)] = cell
        return cell

    def put_row(
        self, row: int, values: list[Value], style: Style | None = None, col: int = 1
    ) -> None:
        for offset, value in enumerate(values):
            self.set(row, col + offset, value, style)

    @property
    def max_row(self) -> int:
        placed = max((r for r, _ in self.placed), default=0)
        return max([placed, *(b.last_filled for b in self.blocks)])

    @property
    def max_col(self) -> int:
        placed = max((c for _, c in self.placed), default=0)
        return max([placed, *(b.last_col for b in self.blocks)])

    def values(self) -> list[list[Value]]:
        """Dense rectangle of values from A1 (formulas give their computed value)."""
        out: list[list[Value]] = [[None] * self.max_col for _ in range(self.max_row)]
        for (r, c), cell in self.cells.items():
            out[r - 1][c - 1] = cell.value
        return out

    def formulas_or_values(self) -> list[list[Value]]:
        """Dense rectangle where formula cells hold `=formula` (for live sinks)."""
        out: list[list[Value]] = [[None] * self.max_col for _ in range(self.max_row)]
        for (r, c), cell in self.cells.items():
            out[r - 1][c - 1] = f"={cell.formula}" if cell.formula else cell.value
        return out


@dataclass(slots=True, eq=False, kw_only=True)
class Later(Grid):
    """A tab not built yet: its name and kind now, its cells from `build()` when
    it is written.  `invoice_tabs` makes the invoice tabs so; a run split over two
    processes hands them to the writer unbuilt (see vaxl.io.ahead), and
    `write_grids` builds each one it is not handed rendered."""

    build: Callable[[], Grid]
