"""write_grids keeps every part of the user's package: part-by-part comparisons on
real workbooks (an xlwings standalone project, xlsxwriter books with charts,
images, tables, comments, VBA buttons, extLst content, custom XML and add-in
parts) and on every readable .xlsx/.xlsm of the shared corpus."""

from __future__ import annotations

import posixpath
import shutil
import struct
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from vaxl.errors import UnusableWorkbook, VaxlError, WriteRefused
from vaxl.io.package import relative_target
from vaxl.io.xlsx_write import write_grids
from vaxl.layout.grid import Chart, Grid, Style

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- independent helpers (no vaxl code) -----------------------------------------


def raw_entry(path: Path, name: str) -> tuple[int, int, bytes]:
    """(compress_type, CRC, compressed bytes) of a zip entry, read from its local header."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    with open(path, "rb") as fp:
        fp.seek(info.header_offset)
        header = fp.read(30)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fp.seek(info.header_offset + 30 + name_len + extra_len)
        return info.compress_type, info.CRC, fp.read(info.compress_size)


def norm(name: str) -> str:
    return name.replace("\\", "/").lstrip("/")


def rels_targets(data: bytes, source: str) -> list[tuple[str, str, str]]:
    out = []
    for el in ET.fromstring(data):
        target = el.get("Target", "")
        if el.get("TargetMode") != "External":
            target = target.replace("\\", "/")
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        out.append((el.get("Id", ""), el.get("Type", ""), target))
    return out


def package_roles(path: Path) -> dict[str, str]:
    """The parts a write may change: content types, workbook, its rels, styles."""
    with zipfile.ZipFile(path) as zf:
        names = {norm(n).lower(): n for n in zf.namelist()}
        root = zf.read(names["_rels/.rels"])
        wb = next(t for _, typ, t in rels_targets(root, "") if typ.endswith("/officeDocument"))
        wb_rels = posixpath.join(posixpath.dirname(wb), "_rels", posixpath.basename(wb) + ".rels")
        roles = {"types": names["[content_types].xml"], "workbook": names[wb.lower()],
                 "workbook_rels": names[wb_rels.lower()]}
        for _, typ, target in rels_targets(zf.read(roles["workbook_rels"]), wb):
            if typ.endswith("/styles") and target.lower() in names:
                roles["styles"] = names[target.lower()]
    return roles


def elements(data: bytes) -> Counter[str]:
    """Every element of a part as (tag, attributes, text), counted."""
    out: Counter[str] = Counter()
    for el in ET.fromstring(data).iter():
        out[repr((el.tag, sorted(el.attrib.items()), (el.text or "").strip()))] += 1
    return out


def sheet_part(book: Path, tab: str) -> bytes:
    """The XML of a tab, found through xl/workbook.xml and its relationships."""
    with zipfile.ZipFile(book) as zf:
        root = ET.fromstring(zf.read("xl/workbook.xml"))
        rid = next(s.get(f"{{{DOC_REL_NS}}}id") for s in root.iter(f"{{{MAIN_NS}}}sheet")
                   if s.get("name") == tab)
        rels = rels_targets(zf.read("xl/_rels/workbook.xml.rels"), "xl/workbook.xml")
        return zf.read(next(t for i, _, t in rels if i == rid))


def style_lists(data: bytes) -> dict[str, list[bytes]]:
    root = ET.fromstring(data)
    out = {}
    for section in root:
        out[section.tag] = [ET.tostring(child) for child in section]
    return out


def assert_preserved(before: Path, after: Path, changed_ok: set[str] = frozenset(),
                     lost_ok: tuple[str, ...] = ()) -> None:
    """Every part but the allowed ones is byte-identical and not recompressed; the
    allowed ones still hold every original element (styles: at the same index).
    `changed_ok`: parts that may change or go; `lost_ok`: words an element that may
    go contains (the entries of a replaced tab)."""
    roles = package_roles(before)
    allowed = {norm(n).lower() for n in roles.values()}
    changed_ok = {n.lower() for n in changed_ok}
    with zipfile.ZipFile(before) as zb, zipfile.ZipFile(after) as za:
        after_names = {norm(n).lower(): n for n in za.namelist()}
        for name in zb.namelist():
            key = norm(name).lower()
            if name.endswith(("/", "\\")) or key in changed_ok:
                continue
            assert key in after_names, f"part {name} was lost"
            if key in allowed:
                continue
            assert za.read(after_names[key]) == zb.read(name), f"part {name} changed"
            assert raw_entry(after, after_names[key]) == raw_entry(before, name), (
                f"part {name} was recompressed"
            )
        for role in ("types", "workbook", "workbook_rels"):
            old = elements(zb.read(roles[role]))
            new = elements(za.read(after_names[norm(roles[role]).lower()]))
            missing = {k: n for k, n in (old - new).items()
                       if not any(word in k for word in lost_ok)}
            assert not missing, f"{roles[role]} lost {missing}"
        if "styles" in roles:
            old_styles = style_lists(zb.read(roles["styles"]))
            new_styles = style_lists(za.read(after_names[norm(roles["styles"]).lower()]))
            for tag, children in old_styles.items():
                assert new_styles[tag][: len(children)] == children, f"styles {tag} renumbered"


def validation_grid() -> Grid:
    grid = Grid("Validation", kind="validation")
    grid.set(1, 1, "Validation", Style(bold=True, size=14))
    grid.put_row(2, ["Severity", "Tab", "Cell", "Problem"], Style(bold=True, fill="1F3864"))
    grid.put_row(3, ["error", "Timesheet", "E14", "Hours must be a number"])
    grid.set(3, 3, "E14", link="'Timesheet'!E14")
    grid.set(4, 1, "Total")
    grid.set(4, 2, 3, formula="SUM(B5:B6)")
    grid.put_row(5, ["a", 1])
    grid.put_row(6, ["b", 2])
    grid.charts.append(Chart("Hours", "A5:A6", "B5:B6", "Hours", 8, 1))
    grid.freeze = (3, 1)
    return grid


def manifest() -> Grid:
    grid = Grid("_vaxl", hidden="veryHidden")
    grid.put_row(1, ["Tab", "Kind"])
    grid.put_row(2, ["Validation", "validation"])
    return grid


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xlwings")
    cli = Path(sys.executable).parent / "xlwings"
    if not cli.exists():
        pytest.skip("the xlwings command is not installed")
    subprocess.run([str(cli), "quickstart", "--standalone", "proj"], cwd=folder, check=True,
                   capture_output=True, timeout=120)
    book = folder / "proj" / "proj.xlsm"
    assert book.exists()
    return book


@pytest.fixture(scope="module")
def vba_button_book(quickstart: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quickstart has no form buttons: an .xlsm with its VBA project and a button."""
    folder = tmp_path_factory.mktemp("vba")
    vba = folder / "vbaProject.bin"
    with zipfile.ZipFile(quickstart) as zf:
        vba.write_bytes(zf.read("xl/vbaProject.bin"))
    book = folder / "buttons.xlsm"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("Timesheet")
    ws.write_row(0, 0, ["Date", "Client ID", "Hours"])
    wb.add_vba_project(str(vba))
    ws.insert_button("E2", {"macro": "SampleCall", "caption": "Run vaxl", "width": 120})
    wb.close()
    return book


@pytest.fixture(scope="module")
def rich_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Charts, an image, validation, conditional formats (data bars: extLst), comments,
    defined names, an Excel Table, a chartsheet and sparklines (extLst)."""
    folder = tmp_path_factory.mktemp("rich")
    png = folder / "logo.png"
    from PIL import Image

    Image.new("RGB", (4, 3), (200, 30, 30)).save(png)
    book = folder / "rich.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    bold = wb.add_format({"bold": True, "bg_color": "#DDEEFF", "num_format": "0.000"})
    ws = wb.add_worksheet("Timesheet")
    ws.write_row(0, 0, ["Date", "Client ID", "Hours", "Notes"], bold)
    for r in range(1, 11):
        ws.write_row(r, 0, [f"2026-11-{r:02d}", "ACME", r * 0.5, "=not a formula"])
    ws.add_table("F1:H4", {"name": "Rates", "columns": [{"header": "Category"},
                                                     {"header": "Rate"}, {"header": "Prepaid"}]})
    ws.data_validation("B2:B11", {"validate": "list", "source": ["ACME", "BETA"]})
    ws.conditional_format("C2:C11", {"type": "data_bar", "data_bar_2010": True})
    ws.conditional_format("C2:C11", {"type": "cell", "criteria": ">", "value": 3,
                                     "format": bold})
    ws.write_comment("A1", "Work date")
    ws.add_sparkline("E2", {"range": "Timesheet!C2:C11"})
    ws.insert_image("J2", str(png))
    ws.freeze_panes(1, 0)
    wb.define_name("HoursRange", "=Timesheet!$C$2:$C$11")
    wb.define_name("Timesheet!LocalName", "=Timesheet!$A$1")
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": "=Timesheet!$C$2:$C$11"})
    ws.insert_chart("J10", chart)
    cs = wb.add_chartsheet("Hours Chart")
    chart2 = wb.add_chart({"type": "column"})
    chart2.add_series({"values": "=Timesheet!$C$2:$C$11"})
    cs.set_chart(chart2)
    wb.add_worksheet("Clients").write_row(0, 0, ["Client ID", "Client Name"])
    wb.close()
    return book


CUSTOM_XML_TYPES = (
    '<Override PartName="/customXml/itemProps1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'
    '<Override PartName="/xl/webextensions/taskpanes.xml" '
    'ContentType="application/vnd.ms-office.webextensiontaskpanes+xml"/>'
    '<Override PartName="/xl/webextensions/webextension1.xml" '
    'ContentType="application/vnd.ms-office.webextension+xml"/>'
)


@pytest.fixture(scope="module")
def addin_book(rich_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rich book plus customXml parts and an Office add-in (webextension) by zip surgery."""
    book = tmp_path_factory.mktemp("addin") / "addin.xlsx"
    extra = {
        "customXml/item1.xml": b'<?xml version="1.0"?><root xmlns="urn:vaxl-test">data</root>',
        "customXml/itemProps1.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
            b'<ds:datastoreItem ds:itemID="{6E1E5A7C-2C4B-4A6C-9E2A-1D2B3C4D5E6F}" '
            b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
            b"<ds:schemaRefs/></ds:datastoreItem>"
        ),
        "customXml/_rels/item1.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>'
        ),
        "xl/webextensions/webextension1.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/'
            b'webextension/2010/11" id="{52811C31-4593-43B8-A697-EB873422D156}">'
            b'<we:reference id="wa104380862" version="1.5.0.0" store="en-US" storeType="OMEX"/>'
            b"<we:alternateReferences/><we:properties/><we:bindings/><we:snapshot/>"
            b"</we:webextension>"
        ),
        "xl/webextensions/taskpanes.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/'
            b'taskpanes/2010/11"><wetp:taskpane dockstate="right" visibility="0" width="350" '
            b'row="4"><wetp:webextensionref xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
        ),
        "xl/webextensions/_rels/taskpanes.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2011/'
            b'relationships/webextension" Target="webextension1.xml"/></Relationships>'
        ),
    }
    # Level 1 (not zipfile's default 6) so that recompressing a part would change its bytes.
    with zipfile.ZipFile(rich_book) as src, zipfile.ZipFile(
        book, "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", CUSTOM_XML_TYPES.encode() + b"</Types>")
            elif info.filename == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdWe" Type="http://schemas.microsoft.com/office/2011/'
                    b'relationships/webextensiontaskpanes" Target="xl/webextensions/taskpanes.xml"'
                    b"/></Relationships>",
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCx" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/customXml" '
                    b'Target="../customXml/item1.xml"/></Relationships>',
                )
            dst.writestr(info, data)
        for name, data in extra.items():
            dst.writestr(name, data)
    return book


# --- tests ------------------------------------------------------------------------


def test_quickstart_project_keeps_every_part(quickstart: Path, tmp_path: Path) -> None:
    book = tmp_path / "proj.xlsm"
    shutil.copyfile(quickstart, book)
    before = tmp_path / "before.xlsm"
    shutil.copyfile(book, before)
    write_grids(book, [validation_grid(), manifest()])
    assert_preserved(before, book)
    with zipfile.ZipFile(book) as zf:
        types = zf.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert zf.read("xl/vbaProject.bin") == zipfile.ZipFile(before).read("xl/vbaProject.bin")


def test_vba_button_book_keeps_every_part(vba_button_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "buttons.xlsm"
    shutil.copyfile(vba_button_book, book)
    with zipfile.ZipFile(book) as zf:
        assert any("vmlDrawing" in n for n in zf.namelist())  # the form button
    before = tmp_path / "before.xlsm"
    shutil.copyfile(book, before)
    write_grids(book, [validation_grid(), manifest()])
    assert_preserved(before, book)
    import openpyxl

    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb.sheetnames == ["Timesheet", "Validation", "_vaxl"]


def test_macro_book_written_as_xlsx_is_refused(vba_button_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "buttons.xlsm"
    shutil.copyfile(vba_button_book, book)
    with pytest.raises(WriteRefused, match="macros"):
        write_grids(book, [validation_grid()], output=tmp_path / "copy.xlsx")
    assert not (tmp_path / "copy.xlsx").exists()


def test_rich_book_keeps_every_part(rich_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "rich.xlsx"
    shutil.copyfile(rich_book, book)
    write_grids(book, [validation_grid(), manifest()])
    assert_preserved(rich_book, book)
    with zipfile.ZipFile(rich_book) as zb:
        names = zb.namelist()
    # the fixture really holds what it claims
    assert any(n.startswith("xl/charts/") for n in names)
    assert any(n.startswith("xl/media/") for n in names)
    assert any(n.startswith("xl/tables/") for n in names)
    assert any(n.startswith("xl/chartsheets/") for n in names)
    assert any("comments" in n for n in names)
    sheet1 = zipfile.ZipFile(rich_book).read("xl/worksheets/sheet1.xml")
    assert b"<extLst>" in sheet1 and b"sparkline" in sheet1 and b"dataBar" in sheet1
    assert zipfile.ZipFile(book).read("xl/worksheets/sheet1.xml") == sheet1


def test_defined_names_and_sheet_order_survive(rich_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "rich.xlsx"
    shutil.copyfile(rich_book, book)
    write_grids(book, [validation_grid(), manifest()])
    root = ET.fromstring(zipfile.ZipFile(book).read("xl/workbook.xml"))
    sheets = [(s.get("name"), s.get("sheetId"), s.get("state"))
              for s in root.iter(f"{{{MAIN_NS}}}sheet")]
    assert [s[0] for s in sheets] == ["Timesheet", "Hours Chart", "Clients", "Validation", "_vaxl"]
    assert len({s[1] for s in sheets}) == 5
    assert sheets[-1][2] == "veryHidden"
    names = {n.get("name"): n.text for n in root.iter(f"{{{MAIN_NS}}}definedName")}
    assert names["HoursRange"] == "Timesheet!$C$2:$C$11"
    assert "LocalName" in names


def test_addin_and_custom_xml_parts_survive(addin_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "addin.xlsx"
    shutil.copyfile(addin_book, book)
    write_grids(book, [validation_grid(), manifest()])
    assert_preserved(addin_book, book)
    with zipfile.ZipFile(book) as zf:
        assert b"wa104380862" in zf.read("xl/webextensions/webextension1.xml")
        assert b"urn:vaxl-test" in zf.read("customXml/item1.xml")
        assert b"webextensiontaskpanes" in zf.read("_rels/.rels")


def test_second_write_replaces_in_place_and_drops_old_chart(
    rich_book: Path, tmp_path: Path
) -> None:
    book = tmp_path / "rich.xlsx"
    shutil.copyfile(rich_book, book)
    write_grids(book, [validation_grid(), manifest()])
    first = tmp_path / "first.xlsx"
    shutil.copyfile(book, first)
    grid = validation_grid()
    grid.set(3, 4, "Hours must be between 0 and 24")
    write_grids(book, [grid, manifest()])
    root = ET.fromstring(zipfile.ZipFile(book).read("xl/workbook.xml"))
    names = [s.get("name") for s in root.iter(f"{{{MAIN_NS}}}sheet")]
    assert names == ["Timesheet", "Hours Chart", "Clients", "Validation", "_vaxl"]
    user_parts = set(zipfile.ZipFile(rich_book).namelist())
    vaxl_parts = set(zipfile.ZipFile(first).namelist()) - user_parts
    assert any(n.startswith("xl/charts/") for n in vaxl_parts)
    assert_preserved(first, book, changed_ok=vaxl_parts)
    with zipfile.ZipFile(first) as zf1, zipfile.ZipFile(book) as zf2:
        charts1 = sorted(n for n in zf1.namelist() if n.startswith("xl/charts/chart"))
        charts2 = sorted(n for n in zf2.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts2) == len(charts1)  # the old vaxl chart went, the user's stayed
        assert set(zf2.namelist()) == set(zf1.namelist())
    assert b"between 0 and 24" in sheet_part(book, "Validation")


def test_rewrite_with_same_grids_is_byte_stable(rich_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "rich.xlsx"
    shutil.copyfile(rich_book, book)
    write_grids(book, [validation_grid(), manifest()])
    once = book.read_bytes()
    write_grids(book, [validation_grid(), manifest()])
    with zipfile.ZipFile(tmp_path / "rich.bak.xlsx") as a, zipfile.ZipFile(book) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    assert (tmp_path / "rich.bak.xlsx").read_bytes() == once


def test_calc_chain_dropped_only_when_it_names_a_replaced_tab(tmp_path: Path) -> None:
    book = tmp_path / "chain.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    wb.add_worksheet("Timesheet").write_formula("A1", "=1+1", None, 2)
    wb.add_worksheet("Validation").write_formula("A1", "=2+2", None, 4)
    wb.close()
    chain = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<c r="A1" i="1"/><c r="A1" i="2"/></calcChain>')
    patched = tmp_path / "with_chain.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                                    b'spreadsheetml.calcChain+xml"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" '
                                    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships/calcChain" Target="calcChain.xml"/>'
                                    b"</Relationships>")
            dst.writestr(info, data)
        dst.writestr("xl/calcChain.xml", chain)
    only_new = tmp_path / "only_new.xlsx"
    write_grids(patched, [manifest()], output=only_new)
    assert zipfile.ZipFile(only_new).read("xl/calcChain.xml") == chain
    # Validation (sheetId 2) is in the chain: replacing it drops the chain, rel and type.
    replaced = tmp_path / "replaced.xlsx"
    write_grids(patched, [validation_grid(), manifest()], output=replaced)
    with zipfile.ZipFile(replaced) as zf:
        assert "xl/calcChain.xml" not in zf.namelist()
        assert b"calcChain" not in zf.read("xl/_rels/workbook.xml.rels")
        assert b"calcChain" not in zf.read("[Content_Types].xml")


def test_styles_are_appended_never_renumbered(rich_book: Path, tmp_path: Path) -> None:
    book = tmp_path / "rich.xlsx"
    shutil.copyfile(rich_book, book)
    before = style_lists(zipfile.ZipFile(rich_book).read("xl/styles.xml"))
    write_grids(book, [validation_grid()])
    after = style_lists(zipfile.ZipFile(book).read("xl/styles.xml"))
    xfs = f"{{{MAIN_NS}}}cellXfs"
    assert len(after[xfs]) > len(before[xfs])
    root = ET.fromstring(zipfile.ZipFile(book).read("xl/styles.xml"))
    for section in root:
        if section.get("count") is not None:
            assert int(section.get("count")) == len(section), section.tag


# --- the shared corpus ------------------------------------------------------------

KNOWN_REFUSALS: dict[str, type[VaxlError]] = {
    "poi__SampleSS.strict.xlsx": WriteRefused,  # Strict OOXML
    "sheetjs__sheet_visibility_strict.xlsx": WriteRefused,
    "poi__sample-beta.xlsx": WriteRefused,  # pre-release SpreadsheetML namespace
    "poi__duplicate-filename.xlsx": UnusableWorkbook,  # two parts with one name
}


def _corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir()
                  if p.suffix.lower() in {".xlsx", ".xlsm"})


def _readable(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            if zf.testzip() is not None:
                return False
        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(nrows=50)
        return True
    except (Exception, BaseException) as exc:  # calamine panics are BaseException
        if isinstance(exc, KeyboardInterrupt):
            raise
        return False


@pytest.mark.parametrize("name", _corpus_files())
def test_corpus_file(name: str, tmp_path: Path, corpus_dir: Path) -> None:
    original = corpus_dir / name
    book = tmp_path / name
    shutil.copyfile(original, book)
    pristine = book.read_bytes()
    suffix = ".xlsm" if name.lower().endswith(".xlsm") else ".xlsx"
    out = tmp_path / f"out{suffix}"
    readable = _readable(book)
    if readable and name not in KNOWN_REFUSALS:
        write_grids(book, [validation_grid(), manifest()], output=out)
        assert_preserved(book, out)
        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(out))
        rows = wb.get_sheet_by_name("Validation").to_python()
        assert rows[2][:4] == ["error", "Timesheet", "E14", "Hours must be a number"]
        assert rows[3][1] == 3
        assert book.read_bytes() == pristine
    else:
        try:
            write_grids(book, [validation_grid(), manifest()], output=out)
        except (UnusableWorkbook, WriteRefused) as exc:
            if name in KNOWN_REFUSALS:
                assert isinstance(exc, KNOWN_REFUSALS[name])
            assert str(exc).strip()
            assert not out.exists()
        else:
            # A package whose damage sits in a part vaxl only copies is kept as it was.
            assert_preserved(book, out)
        # In place: refused or written, the original bytes survive somewhere whole.
        try:
            write_grids(book, [validation_grid()])
        except (UnusableWorkbook, WriteRefused):
            assert book.read_bytes() == pristine
        else:
            assert (tmp_path / (book.stem + ".bak" + book.suffix)).read_bytes() == pristine
    assert not list(tmp_path.glob(".~vaxl-*")), "a temporary file was left behind"


def test_replacing_a_chartsheet_tab_drops_only_its_own_parts(rich_book: Path,
                                                              tmp_path: Path) -> None:
    """A grid named like a non-worksheet tab (case-insensitively) takes its place."""
    book = tmp_path / "rich.xlsx"
    shutil.copyfile(rich_book, book)
    grid = validation_grid()
    grid.name = "HOURS CHART"
    grid.hidden = "hidden"
    write_grids(book, [grid])
    with zipfile.ZipFile(rich_book) as zb, zipfile.ZipFile(book) as za:
        before, after = set(zb.namelist()), set(za.namelist())
        gone = before - after
        assert "xl/chartsheets/sheet1.xml" in gone
        assert "xl/chartsheets/_rels/sheet1.xml.rels" in gone
        # The chartsheet's own drawing and chart went (their names now hold vaxl's
        # chart); the Timesheet's drawing, chart and image stayed as they were.
        old_chart = zb.read("xl/charts/chart2.xml")
        assert all(za.read(n) != old_chart for n in after)
        for name in ("xl/drawings/drawing1.xml", "xl/drawings/_rels/drawing1.xml.rels",
                     "xl/charts/chart1.xml", "xl/media/image1.png"):
            assert za.read(name) == zb.read(name)
        changed = gone | {n for n in before & after if za.read(n) != zb.read(n)}
        types = za.read("[Content_Types].xml").decode()
        for name in gone:
            assert f'PartName="/{name}"' not in types
        for name in after - before:
            if not name.endswith(".rels"):
                assert f'PartName="/{name}"' in types
    root = ET.fromstring(zipfile.ZipFile(book).read("xl/workbook.xml"))
    sheets = [(s.get("name"), s.get("sheetId"), s.get("state"))
              for s in root.iter(f"{{{MAIN_NS}}}sheet")]
    assert sheets == [("Timesheet", "1", None), ("HOURS CHART", "2", "hidden"),
                      ("Clients", "3", None)]
    assert b"Hours must be a number" in sheet_part(book, "HOURS CHART")
    import openpyxl

    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Timesheet", "HOURS CHART", "Clients"]
    assert wb["HOURS CHART"]["D3"].value == "Hours must be a number"
    assert_preserved(rich_book, book, changed_ok=changed, lost_ok=("chartsheet", "Hours Chart"))


_SEGMENT = st.sampled_from(["xl", "worksheets", "charts", "drawings", "..", ".", "_rels",
                            "sheet1.xml", "a b.xml"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_SEGMENT, min_size=1, max_size=4), st.lists(_SEGMENT, min_size=1, max_size=4))
def test_relative_targets_are_posixpath_relpath(source: list[str], part: list[str]) -> None:
    """relative_target works each pair of folders out once; its answer is relpath's."""
    source_part, target = "/".join(source), "/".join(part)
    try:
        expected = posixpath.relpath(target, posixpath.dirname(source_part) or ".")
    except ValueError:
        return
    assert relative_target(source_part, target) == expected
