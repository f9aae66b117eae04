"""Native bar charts: a Grid's Chart list as a DrawingML drawing plus chart parts.

    drawing_xml(charts, rel_ids) -> bytes     one anchor per chart on the sheet
    chart_xml(chart, grid) -> bytes           a clustered column chart with cached values
    quote_sheet(name) -> str                  `'Report 2026-11'` for formulas

The chart's series point at the tab's own cells and carry a cache of their
values, so a reader that does not recalculate still draws the bars.
"""

from __future__ import annotations

import re
from decimal import Decimal

from vaxl.core.models import col_number
from vaxl.io.package import NS_REL_DOC, esc
from vaxl.io.sheetxml import text_xml
from vaxl.layout.grid import Chart, Grid

__all__ = ["CT_CHART", "CT_DRAWING", "REL_CHART", "chart_xml", "drawing_xml", "quote_sheet"]

NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
REL_CHART = f"{NS_REL_DOC}/chart"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _cells(ref: str) -> list[tuple[int, int]]:
    """`A2:A11` -> [(2, 1), ..., (11, 1)] in row-major order."""
    first, _, last = ref.partition(":")
    m1, m2 = _CELL.match(first.strip()), _CELL.match((last or first).strip())
    if not m1 or not m2:
        raise ValueError(f"not a cell range: {ref!r}")
    c1, r1 = col_number(m1.group(1)), int(m1.group(2))
    c2, r2 = col_number(m2.group(1)), int(m2.group(2))
    return [(r, c) for r in range(min(r1, r2), max(r1, r2) + 1)
            for c in range(min(c1, c2), max(c1, c2) + 1)]


def _absolute(ref: str) -> str:
    parts = []
    for piece in ref.split(":"):
        m = _CELL.match(piece.strip())
        if not m:
            raise ValueError(f"not a cell range: {ref!r}")
        parts.append(f"${m.group(1).upper()}${m.group(2)}")
    return ":".join(parts)


def drawing_xml(charts: list[Chart], rel_ids: list[str]) -> bytes:
    anchors = []
    for n, (chart, rid) in enumerate(zip(charts, rel_ids, strict=True), start=1):
        col0, row0 = chart.anchor_col - 1, chart.anchor_row - 1
        anchors.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f"<xdr:from><xdr:col>{col0}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row0}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{col0 + chart.width_cols}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row0 + chart.height_rows}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
            '<xdr:graphicFrame macro="">'
            f'<xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" name="Chart {n}"/>'
            "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{NS_C}">'
            f'<c:chart xmlns:c="{NS_C}" xmlns:r="{NS_REL_DOC}" r:id="{rid}"/>'
            "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>"
            "</xdr:twoCellAnchor>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{NS_XDR}" xmlns:a="{NS_A}">{"".join(anchors)}</xdr:wsDr>'
    ).encode()


def _str_cache(grid: Grid, ref: str) -> str:
    pts = []
    cells = _cells(ref)
    for i, rc in enumerate(cells):
        cell = grid.cells.get(rc)
        if cell is not None and cell.value is not None:
            pts.append(f'<c:pt idx="{i}"><c:v>{text_xml(str(cell.value))}</c:v></c:pt>')
    return f'<c:strCache><c:ptCount val="{len(cells)}"/>{"".join(pts)}</c:strCache>'


def _num_cache(grid: Grid, ref: str) -> str:
    pts = []
    cells = _cells(ref)
    for i, rc in enumerate(cells):
        cell = grid.cells.get(rc)
        value = cell.value if cell is not None else None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            pts.append(f'<c:pt idx="{i}"><c:v>{value}</c:v></c:pt>')
    return (f"<c:numCache><c:formatCode>General</c:formatCode>"
            f'<c:ptCount val="{len(cells)}"/>{"".join(pts)}</c:numCache>')


def chart_xml(chart: Chart, grid: Grid) -> bytes:
    sheet = quote_sheet(grid.name)
    title = (
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>"
        f"<a:t>{esc(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
    )
    series = (
        '<c:ser><c:idx val="0"/><c:order val="0"/>'
        f"<c:tx><c:v>{esc(chart.series_name)}</c:v></c:tx>"
        '<c:invertIfNegative val="0"/>'
        f"<c:cat><c:strRef><c:f>{esc(sheet)}!{_absolute(chart.categories)}</c:f>"
        f"{_str_cache(grid, chart.categories)}</c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>{esc(sheet)}!{_absolute(chart.values)}</c:f>"
        f"{_num_cache(grid, chart.values)}</c:numRef></c:val>"
        "</c:ser>"
    )
    axes = (
        '<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="500000002"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>'
        '<c:numFmt formatCode="General" sourceLinked="1"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="500000001"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_REL_DOC}">'
        '<c:roundedCorners val="0"/>'
        f"<c:chart>{title}<c:plotArea><c:layout/>"
        '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
        f'<c:varyColors val="0"/>{series}<c:gapWidth val="150"/>'
        '<c:axId val="500000001"/><c:axId val="500000002"/></c:barChart>'
        f"{axes}</c:plotArea>"
        '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        "</c:chartSpace>"
    ).encode()
