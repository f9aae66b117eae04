"""The XML pieces of the writer: date serials, cell text escaping, styles appended
to a user's styles part (prefixes, missing sections, re-runs), and the part
helpers (encodings, relationship edits)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest

from vaxl.io.package import add_rels, decode_xml, encode_xml, parse_rels, remove_rels
from vaxl.io.sheetxml import MAX_TEXT, cell_value_xml, excel_serial, is_external, text_xml
from vaxl.io.styles import DEFAULT_STYLES, StyleBook
from vaxl.layout.grid import Style

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize(
    ("value", "serial"),
    [
        (date(1900, 1, 1), 1),  # Excel's day 1
        (date(1900, 2, 28), 59),
        (date(1900, 3, 1), 61),  # day 60 is Excel's phantom 29 Feb 1900
        (date(2000, 1, 1), 36526),  # the well-known serial of 1 Jan 2000
        (datetime(2000, 1, 1, 12, 0), 36526.5),
        (time(6, 0), 0.25),
        (timedelta(hours=36), 1.5),
    ],
)
def test_serials_1900(value: object, serial: float) -> None:
    assert excel_serial(value) == serial


def test_serials_1904() -> None:
    assert excel_serial(date(1904, 1, 1), date1904=True) == 0
    assert excel_serial(date(2000, 1, 1), date1904=True) == 36526 - 1462
    assert excel_serial(date(1903, 12, 31), date1904=True) is None
    assert excel_serial(date(1899, 12, 1)) is None


def test_dates_excel_cannot_hold_become_text() -> None:
    assert cell_value_xml(date(1850, 5, 1)) == ("inlineStr", "<is><t>1850-05-01</t></is>")


def test_cell_values() -> None:
    assert cell_value_xml(True) == ("b", "<v>1</v>")
    assert cell_value_xml(0) == ("", "<v>0</v>")
    assert cell_value_xml(Decimal("472.50")) == ("", "<v>472.50</v>")
    assert cell_value_xml(0.1) == ("", "<v>0.1</v>")
    assert cell_value_xml(None) == ("", "")
    assert cell_value_xml(float("inf")) == ("inlineStr", "<is><t>inf</t></is>")
    assert cell_value_xml(Decimal("NaN")) == ("inlineStr", "<is><t>NaN</t></is>")
    assert cell_value_xml("=SUM(A1)") == ("inlineStr", "<is><t>=SUM(A1)</t></is>")
    assert cell_value_xml(" pad") == ("inlineStr", '<is><t xml:space="preserve"> pad</t></is>')


def test_text_escaping() -> None:
    assert text_xml("a<b & c>") == "a&lt;b &amp; c&gt;"
    assert text_xml("bell\x07") == "bell_x0007_"
    assert text_xml("a_x0041_b") == "a_x005F_x0041_b"
    assert text_xml("line\nbreak") == "line\nbreak"
    assert len(text_xml("x" * (MAX_TEXT + 10))) == MAX_TEXT
    ET.fromstring(f"<t>{text_xml(chr(0) + chr(0xFFFE) + 'ok')}</t>")


def test_external_links() -> None:
    assert is_external("https://example.com")
    assert is_external("mailto:a@b.c")
    assert not is_external("'Timesheet'!E14")
    assert not is_external("Timesheet!E14")
    assert not is_external("#Sheet1!A1")


def _children(text: str, section: str) -> list[str]:
    root = ET.fromstring(text.encode())
    found = root.find(f"{{{MAIN}}}{section}")
    assert found is not None
    assert found.get("count") is None or int(found.get("count")) == len(found)
    return [ET.tostring(c).decode() for c in found]


def test_styles_append_and_reuse() -> None:
    book = StyleBook(DEFAULT_STYLES)
    assert book.xf(None) == 0
    header = Style(bold=True, fill="1F3864", color="FFFFFF", border="box", align="center")
    money = Style(num_format='"$"#,##0.00')
    first, second = book.xf(header), book.xf(money)
    assert (first, second) == (1, 2)
    assert book.xf(Style(bold=True, fill="1F3864", color="FFFFFF", border="box",
                         align="center")) == 1
    text = book.text()
    xfs = _children(text, "cellXfs")
    assert len(xfs) == 3
    fmts = ET.fromstring(text.encode()).find(f"{{{MAIN}}}numFmts")
    assert fmts is not None and fmts[0].get("numFmtId") == "164"
    assert fmts[0].get("formatCode") == '"$"#,##0.00'
    # Re-running on the written part adds nothing and finds the same indexes.
    again = StyleBook(text)
    assert again.xf(header) == 1 and again.xf(money) == 2
    assert not again.changed and again.text() == text


def test_styles_keep_user_entries_and_prefixes() -> None:
    user = (
        '<?xml version="1.0"?><x:styleSheet xmlns:x="' + MAIN + '">'
        '<x:numFmts count="1"><x:numFmt numFmtId="170" formatCode="0.000"/></x:numFmts>'
        '<x:fonts count="1"><x:font><x:sz val="10"/><x:name val="Arial"/></x:font></x:fonts>'
        '<x:fills count="2"><x:fill><x:patternFill patternType="none"/></x:fill>'
        '<x:fill><x:patternFill patternType="gray125"/></x:fill></x:fills>'
        '<x:borders count="1"><x:border/></x:borders>'
        '<x:cellXfs count="2"><x:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '<x:xf numFmtId="170" fontId="0" fillId="0" borderId="0"/></x:cellXfs>'
        "</x:styleSheet>"
    )
    book = StyleBook(user)
    assert book.xf(Style(num_format="0.000")) == 2  # a new xf, the user's format id
    assert book.xf(Style(bold=True, num_format="0.0000")) == 3
    text = book.text()
    root = ET.fromstring(text.encode())
    fonts = _children(text, "fonts")
    assert "Arial" in fonts[1] and 'val="10"' in fonts[1]  # vaxl's bold font follows the user's
    assert [f.get("numFmtId") for f in root.find(f"{{{MAIN}}}numFmts")] == ["170", "171"]
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    assert xfs is not None and xfs[2].get("numFmtId") == "170" and xfs[3].get("numFmtId") == "171"
    assert "xfId" not in xfs[2].attrib  # no cellStyleXfs in this part
    for original in ('<x:numFmt numFmtId="170" formatCode="0.000"/>',
                     '<x:font><x:sz val="10"/><x:name val="Arial"/></x:font>',
                     '<x:xf numFmtId="170" fontId="0" fillId="0" borderId="0"/>'):
        assert original in text


def test_styles_missing_sections_are_inserted_in_schema_order() -> None:
    bare = (f'<styleSheet xmlns="{MAIN}"><cellXfs count="1"><xf numFmtId="0"/></cellXfs>'
            "</styleSheet>")
    book = StyleBook(bare)
    assert book.xf(Style(bold=True, fill="FFEEEE", border="bottom", num_format="0.0")) == 1
    root = ET.fromstring(book.text().encode())
    assert [c.tag.split("}")[1] for c in root] == ["numFmts", "fonts", "fills", "borders",
                                                   "cellXfs"]
    assert len(root.find(f"{{{MAIN}}}fills")) == 3  # none, gray125, vaxl's


def test_utf16_parts_round_trip() -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?><a>é</a>'
    for data in (xml.encode("utf-16"), xml.encode("utf-16-be"), xml.encode("utf-16-le")):
        text, codec = decode_xml(data)
        assert text.lstrip("\ufeff") == xml
        assert encode_xml(text, codec) == data


def test_relationship_edits() -> None:
    text = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="t" Target="a.xml"/>'
            "</Relationships>")
    from vaxl.io.package import Rel

    added = add_rels(text, [Rel("rId2", "t2", "b&c.xml"), Rel("rId3", "h", "https://x", True)])
    rels = parse_rels(added.encode(), "x")
    assert [(r.id, r.target, r.external) for r in rels] == [
        ("rId1", "a.xml", False), ("rId2", "b&c.xml", False), ("rId3", "https://x", True)]
    assert [r.id for r in parse_rels(remove_rels(added, {"rId1"}).encode(), "x")] == [
        "rId2", "rId3"]
