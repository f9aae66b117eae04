"""Number formats of the small tabs: the tag scan of the sheet XML finds exactly the
cells and styles the XML parser finds, and hands anything unusual to the parser."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from vaxl.io import xlsx_read
from vaxl.io.xlsx_read import _cell_styles_parse, _cell_styles_scan, read_file

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XNS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(body: str, ns: str = NS, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n'
          ) -> bytes:
    return (f"{prolog}<worksheet {ns}><cols><col min=\"1\" max=\"3\" width=\"9\" "
            f"style=\"4\"/></cols><sheetData>{body}</sheetData></worksheet>").encode()


CASES = {
    "plain": sheet('<row r="1"><c r="A1" s="1"><v>1</v></c><c r="C1" s="2" t="s"><v>0</v>'
                   '</c></row><row r="3" spans="1:3"><c r="B3" s="5"/></row>'),
    "prefixed": sheet('<x:row r="2"><x:c r="B2" s="7"><x:v>0.5</x:v></x:c></x:row>', XNS)
    .replace(b"<worksheet", b"<x:worksheet").replace(b"</worksheet>", b"</x:worksheet>")
    .replace(b"<cols>", b"<x:cols>").replace(b"</cols>", b"</x:cols>")
    .replace(b"<col ", b"<x:col ").replace(b"<sheetData>", b"<x:sheetData>")
    .replace(b"</sheetData>", b"</x:sheetData>"),
    "no refs": sheet('<row><c s="1"><v>1</v></c><c><v>2</v></c><c s="3"/></row>'
                     '<row><c s="4"/></row><row r="9"><c s="6"/><c s="2"/></row>'),
    "quotes and spacing": sheet("<row r='4'\n><c\tr='D4'  s = '8' t='n'><v>3</v></c>"
                                '<c s="9" r="E4"/></row>'),
    "inline text with markup-like content": sheet(
        '<row r="1"><c r="A1" s="2" t="inlineStr"><is><t>a &amp; b &lt;c r="Z9" s="1"&gt;'
        '</t></is></c></row>'),
    "unstyled": sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_scan_equals_parse(name: str) -> None:
    data = CASES[name]
    scanned = _cell_styles_scan(data)
    assert scanned is not None
    assert scanned == _cell_styles_parse(data)


def test_scan_finds_the_expected_cells() -> None:
    assert _cell_styles_scan(CASES["plain"]) == [(1, 1, 1), (1, 3, 2), (3, 2, 5)]
    assert _cell_styles_scan(CASES["no refs"]) == [(1, 1, 1), (1, 3, 3), (2, 1, 4),
                                                   (9, 1, 6), (9, 2, 2)]


@pytest.mark.parametrize("data", [
    sheet('<row r="1"><!-- <c r="A1" s="9"/> --><c r="B1" s="1"/></row>'),
    sheet('<row r="1"><c r="A1" s="1" t="inlineStr"><is><t><![CDATA[<c r="B1" s="2">]]>'
          '</t></is></c></row>'),
    sheet('<row r="1"><c r="&#65;1" s="1"/></row>'),
    sheet('<row r="1"><c r="A1" s="1"/></row>').decode().encode("utf-16"),
])
def test_anything_unusual_goes_to_the_parser(data: bytes) -> None:
    assert _cell_styles_scan(data) is None


def test_read_file_formats_are_the_parsers(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Clients"
    ws.append(["Client ID", "Client Name", "Rate", "Rush Surcharge", "Tax Rate"])
    for i in range(1, 40):
        ws.append([f"C{i}", f"Client {i}", 40 + i, 0.5, 8])
        ws.cell(i + 1, 4).number_format = "0%" if i % 2 else "General"
        ws.cell(i + 1, 5).number_format = "0.00%" if i % 3 else "0.00"
    wb.create_sheet("Settings").append(["Setting", "Value"])
    wb["Settings"].append(["Rush Surcharge", 0.25])
    wb["Settings"]["B2"].number_format = "0%"
    path = tmp_path / "book.xlsx"
    wb.save(path)

    scanned = read_file(path, "xlsx")
    monkeypatch.setattr(xlsx_read, "_cell_styles_scan", lambda data: None)
    parsed = read_file(path, "xlsx")
    for name in ("Clients", "Settings"):
        assert scanned.tabs[name].number_formats == parsed.tabs[name].number_formats
    formats = scanned.tabs["Clients"].number_formats
    assert formats is not None and formats[1][3] == "0%" and formats[1][4] == "0.00%"
    assert formats[3][4] == "0.00" and formats[2][3] in ("", "General")
    settings = scanned.tabs["Settings"].number_formats
    assert settings is not None and settings[1][1] == "0%"
