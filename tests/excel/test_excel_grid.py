"""Grid -> xlwings plan: values Excel will not misread, formats grouped into ranges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from vaxl.io.excel_grid import excel_value, plan_grid, rectangles
from vaxl.layout.grid import Cell, Grid, Style


def cells_of(ranges: list[str]) -> set[tuple[int, int]]:
    from openpyxl.utils.cell import range_boundaries

    out = set()
    for address in ranges:
        c0, r0, c1, r1 = range_boundaries(address if ":" in address else f"{address}:{address}")
        out |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    return out


@given(st.sets(st.tuples(st.integers(1, 12), st.integers(1, 6)), min_size=1, max_size=60))
def test_rectangles_cover_exactly_the_cells(cells: set[tuple[int, int]]) -> None:
    ranges = rectangles(cells)
    assert cells_of(ranges) == cells
    assert sum(len(cells_of([r])) for r in ranges) == len(cells)  # no overlaps


def test_a_column_of_one_format_is_one_range() -> None:
    assert rectangles({(r, 3) for r in range(2, 500)}) == ["C2:C499"]
    assert rectangles({(r, c) for r in range(1, 4) for c in (1, 2)}) == ["A1:B3"]


def test_values_excel_would_misread_are_written_as_text() -> None:
    assert excel_value(Cell("=1+1")) == "'=1+1"
    assert excel_value(Cell("+49 30 1234")) == "'+49 30 1234"
    assert excel_value(Cell("-5 h")) == "'-5 h"
    assert excel_value(Cell("@home")) == "'@home"
    assert excel_value(Cell("2026-11")) == "'2026-11"  # not a date
    assert excel_value(Cell("00123")) == "'00123"  # keeps its zeros
    assert excel_value(Cell("TRUE")) == "'TRUE"
    assert excel_value(Cell("Acme")) == "Acme"


def test_formulas_money_and_links() -> None:
    assert excel_value(Cell(Decimal("472.50"), formula="SUM(E2:E4)")) == "=SUM(E2:E4)"
    assert excel_value(Cell(Decimal("472.50"))) == 472.5
    assert excel_value(Cell(Decimal("1200"))) == 1200
    assert excel_value(Cell("E14", link="'Timesheet'!E14")) == (
        "=HYPERLINK(\"#'Timesheet'!E14\",\"E14\")"
    )
    assert excel_value(Cell(date(2026, 11, 3), link="'Time sheet'!A5")) == (
        "=HYPERLINK(\"#'Time sheet'!A5\",DATE(2026,11,3))"
    )
    assert excel_value(Cell('say "hi"', link="https://example.com")) == (
        '=HYPERLINK("https://example.com","say ""hi""")'
    )


def test_plan_groups_formats_and_freezes_the_header() -> None:
    grid = Grid("Report")
    money = Style(num_format="#,##0.00")
    grid.put_row(1, ["Client", "Amount"], Style(bold=True))
    for row in range(2, 12):
        grid.set(row, 1, f"C{row}")
        grid.set(row, 2, Decimal(row), money)
    grid.freeze = (2, 1)
    grid.col_widths = {1: 20}
    plan = plan_grid(grid)
    assert plan.values[0] == ["Client", "Amount"] and plan.values[1] == ["C2", 2]
    assert plan.formats[("bold", True)] == ["A1:B1"]
    assert plan.formats[("number_format", "#,##0.00")] == ["B2:B11"]
    assert plan.freeze == "1:1" and plan.widths == {"A": 20}
