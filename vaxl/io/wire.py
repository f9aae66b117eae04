"""The JSON wire format between Google Sheets and vaxl's HTTP backend.

In: each tab as Apps Script's ``getDataRange().getValues()`` gives it (plus,
optionally, ``getNumberFormats()``), dates as ISO 8601 strings.  Out: each tab
vaxl writes, copied out of the neutral grid (vaxl.layout.grid), ready for one
``setValues`` call plus batched formatting.

Outgoing ``values`` are *what a person would type* (Sheets' USER_ENTERED):
numbers are JSON numbers, dates are ``yyyy-mm-dd`` (Sheets reads ISO dates in
every locale), formulas start with ``=``, and every piece of text starts with
an apostrophe, so that Sheets keeps it as text: ``'=1+1`` stays the text
``=1+1``, ``'2026-11`` stays a period and never turns into a date.  Sheets
hides that apostrophe (it is the cell's quote prefix, not part of its value).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
)

from vaxl.layout.grid import Grid, Value
from vaxl.sheets.raw import RawBook, RawTab

__all__ = [
    "ACTION_NAMES",
    "ErrorOut",
    "RunRequest",
    "RunResponse",
    "TabIn",
    "TabOut",
    "cell_in",
    "column_px",
    "entered",
    "outcome_json",
    "raw_book",
    "tab_json",
    "zone",
]

ACTION_NAMES = ("validate", "invoice", "report", "run")
SHEETS_EPOCH = datetime(1899, 12, 30)
# Characters per column (the grid's unit) to pixels (Sheets' unit).
PX_PER_CHAR = 7
PX_PADDING = 5

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
CellIn = StrictBool | StrictInt | FiniteFloat | StrictStr | None
CellOut = StrictBool | StrictInt | float | StrictStr

_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$"
)


# --------------------------------------------------------------------- models


class TabIn(BaseModel):
    """One input tab as Apps Script reads it.

    Fields:
        values: rows of cells from A1 (``getDataRange().getValues()``): text,
            numbers, booleans, dates as ISO 8601 strings; ``""`` for empty.
        number_formats: the same shape of number format codes
            (``getNumberFormats()``), optional.
    """

    model_config = ConfigDict(extra="forbid")

    values: list[list[CellIn]] = Field(default_factory=list)
    number_formats: list[list[StrictStr]] | None = None


class RunRequest(BaseModel):
    """The body of ``POST /v1/{action}``.

    Fields:
        spreadsheet_id: the Google Sheet's id (the token is bound to it).
        month: the billing period ``YYYY-MM``; default: the last complete month.
        timezone: the sheet's IANA time zone (dates are read and "today" is
            taken in it); default: the server's VAXL_DEFAULT_TIMEZONE.
        locale: the sheet's locale, e.g. ``en_US`` (informational).
        sheet_names: every tab name of the sheet in order (so vaxl never
            overwrites a user's own tab); default: the names in ``tabs``.
        tabs: the input tabs by name.
    """

    model_config = ConfigDict(extra="forbid")

    spreadsheet_id: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    month: Annotated[StrictStr, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    timezone: Annotated[StrictStr, Field(max_length=64)] | None = None
    locale: Annotated[StrictStr, Field(max_length=32)] | None = None
    sheet_names: list[Annotated[StrictStr, Field(max_length=200)]] | None = None
    tabs: dict[Annotated[str, Field(max_length=200)], TabIn] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            zone(value)
        return value


class LinkOut(BaseModel):
    """A cell that links somewhere: another tab's cell (``'Timesheet'!E14``) or a URL."""

    row: int
    col: int
    target: str


class ChartOut(BaseModel):
    """A column chart to draw on the tab (ranges on the same tab, A1 notation)."""

    title: str
    categories: str
    values: str
    series_name: str
    anchor_row: int
    anchor_col: int
    width_cols: int
    height_rows: int


class TabOut(BaseModel):
    """One tab to write: ``values`` with one setValues, each format with one call.

    Matrices have the shape of ``values``; a missing optional matrix means
    "all default".  Widths are in pixels.
    """

    values: list[list[CellOut]]
    number_formats: list[list[str]]
    bold: list[list[bool]] | None = None
    italic: list[list[bool]] | None = None
    font_sizes: list[list[float | None]] | None = None
    font_colors: list[list[str | None]] | None = None
    backgrounds: list[list[str | None]] | None = None
    alignments: list[list[str | None]] | None = None
    wraps: list[list[bool]] | None = None
    column_widths: list[list[int]] = Field(default_factory=list)
    frozen_rows: int = 0
    frozen_columns: int = 0
    merges: list[str] = Field(default_factory=list)
    hidden: bool = False
    links: list[LinkOut] = Field(default_factory=list)
    charts: list[ChartOut] = Field(default_factory=list)
    kind: str = ""


class IssueOut(BaseModel):
    """One problem in the contract's JSON shape."""

    model_config = ConfigDict(extra="allow")

    severity: Literal["error", "warning"]
    tab: str
    cell: str
    column: str
    value: str
    message: str
    fix: str = ""


class InvoiceOut(BaseModel):
    """One invoice in the contract's JSON shape (money as decimal strings)."""

    model_config = ConfigDict(extra="allow")

    number: str
    client_id: str
    period: str
    currency: str
    subtotal: str
    tax: str
    total: str
    status: str
    lines: list[dict[str, Any]]


class RunResponse(BaseModel):
    """What one action returns: the contract's JSON plus the tabs to write."""

    model_config = ConfigDict(extra="allow")

    period: str | None = None
    issues: list[IssueOut]
    invoices: list[InvoiceOut] = Field(default_factory=list)
    tab_order: list[str]
    tabs: dict[str, TabOut]


class ErrorOut(BaseModel):
    """An error: what went wrong and how to fix it."""

    detail: str
    fix: str = ""


# ----------------------------------------------------------------- in: JSON -> RawBook


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; ValueError with a readable message otherwise."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as err:
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as 'Europe/Paris'"
        ) from err


def cell_in(value: Any, tz: ZoneInfo) -> Any:
    """One cell from the wire as the parser expects it.

    ``""`` is an empty cell; an ISO date-time string (``2026-11-03T00:00:00``,
    with or without an offset) becomes a date when it falls on midnight in the
    sheet's time zone, a datetime otherwise; one on Sheets' epoch day
    (1899-12-30) is a time of day or a duration, as Sheets stores them.
    Whole numbers become floats, as spreadsheet readers give them.
    """
    if isinstance(value, str):
        if not value:
            return None
        if _ISO_DATETIME.match(value):
            return _moment(value, tz)
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if type(value) is int and abs(value) < 2**53:
        # JSON has one number type; spreadsheet files hand the parser floats
        # (20.0), so the same sheet gives the same Decimals either way.
        return float(value)
    return value


def _moment(text: str, tz: ZoneInfo) -> Any:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz).replace(tzinfo=None)
    if moment < datetime(1900, 1, 1):
        since = moment - SHEETS_EPOCH
        if timedelta(0) <= since < timedelta(days=1):
            return (datetime.min + since).time()
        if since >= timedelta(0):
            return since
    if moment.time() == time(0):
        return moment.date()
    return moment


def raw_book(
    tabs: Mapping[str, TabIn],
    *,
    tz: ZoneInfo,
    sheet_names: Sequence[str] | None = None,
    source: str = "",
) -> RawBook:
    """The RawBook the parser reads, from wire tabs (rows padded to a rectangle)."""
    book = RawBook(source=source)
    for name, tab in tabs.items():
        width = max((len(row) for row in tab.values), default=0)
        rows = [[cell_in(v, tz) for v in row] + [None] * (width - len(row)) for row in tab.values]
        formats = None
        if tab.number_formats is not None:
            formats = [list(row) + [""] * (width - len(row)) for row in tab.number_formats]
        book.tabs[name] = RawTab(name=name, rows=rows, number_formats=formats)
    names = list(sheet_names) if sheet_names else []
    known = set(names)
    book.tab_names = names + [n for n in tabs if n not in known]
    return book


# ----------------------------------------------------------------- out: Grid -> JSON


def entered(value: Value, formula: str | None = None) -> bool | int | float | str:
    """A cell as a person would type it into Sheets (see the module's docstring)."""
    if formula:
        return f"={formula}"
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(
            value
        )
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return "'" + str(value)


def column_px(width: float) -> int:
    """A grid column width (characters) in Sheets' unit (pixels)."""
    return round(width * PX_PER_CHAR + PX_PADDING)


def _hex(color: str | None) -> str | None:
    return f"#{color.lstrip('#')}" if color else None


def tab_json(grid: Grid) -> dict[str, Any]:
    """One grid as a TabOut dictionary."""
    n_rows, n_cols = grid.max_row, grid.max_col
    values: list[list[Any]] = [[""] * n_cols for _ in range(n_rows)]
    formats = [["General"] * n_cols for _ in range(n_rows)]
    looks: dict[str, list[list[Any]]] = {}
    defaults: dict[str, Any] = {
        "bold": False, "italic": False, "font_sizes": None, "font_colors": None,
        "backgrounds": None, "alignments": None, "wraps": False,
    }

    def put(key: str, r: int, c: int, item: Any) -> None:
        if item == defaults[key]:
            return
        if key not in looks:
            looks[key] = [[defaults[key]] * n_cols for _ in range(n_rows)]
        looks[key][r][c] = item

    links: list[dict[str, Any]] = []
    for (row, col), cell in grid.cells.items():
        r, c = row - 1, col - 1
        values[r][c] = entered(cell.value, cell.formula)
        if cell.link:
            links.append({"row": row, "col": col, "target": cell.link})
        style = cell.style
        if style is None:
            continue
        if style.num_format:
            formats[r][c] = style.num_format
        put("bold", r, c, style.bold)
        put("italic", r, c, style.italic)
        put("font_sizes", r, c, style.size)
        put("font_colors", r, c, _hex(style.color))
        put("backgrounds", r, c, _hex(style.fill))
        put("alignments", r, c, style.align)
        put("wraps", r, c, style.wrap)

    out: dict[str, Any] = {"values": values, "number_formats": formats, **looks}
    out["column_widths"] = [
        [col, column_px(width)]
        for col, width in sorted(grid.col_widths.items())
    ]
    if grid.freeze:
        out["frozen_rows"] = max(grid.freeze[0] - 1, 0)
        out["frozen_columns"] = max(grid.freeze[1] - 1, 0)
    out["merges"] = list(grid.merges)
    out["hidden"] = grid.hidden != "visible"
    out["links"] = sorted(links, key=lambda link: (link["row"], link["col"]))
    out["charts"] = [
        {
            "title": ch.title, "categories": ch.categories, "values": ch.values,
            "series_name": ch.series_name, "anchor_row": ch.anchor_row,
            "anchor_col": ch.anchor_col, "width_cols": ch.width_cols,
            "height_rows": ch.height_rows,
        }
        for ch in grid.charts
    ]
    out["kind"] = grid.kind
    return out


def outcome_json(outcome: Any) -> dict[str, Any]:
    """A service Outcome as the RunResponse dictionary."""
    out = dict(outcome.public())
    out.setdefault("invoices", [])
    out["tab_order"] = [g.name for g in outcome.grids]
    out["tabs"] = {g.name: tab_json(g) for g in outcome.grids}
    return out
