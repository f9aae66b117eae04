"""Reading a workbook file into a RawBook (python-calamine; csv for .csv).

    raw = read_workbook(Path("book.xlsx"))      # guarded: see vaxl.io.guard

Only the contract's tabs (by their English, Vietnamese and alias names), the
`Invoices` register and the `_vaxl` manifest are read; every tab name is listed.
A sheet's declared dimension is never trusted: calamine reads the cells there
are and python-calamine's `start` says where they begin.  A big input tab (a
100,000-row Timesheet) is read in pieces on both cores (vaxl.io.split_read),
which also checks its part and finds its uncalculated formulas; the rows are
the same as a whole read's.

Number formats are read for the small tabs whose percent cells need them
(Settings, Clients, Blocks) from .xlsx/.xlsm packages (styles.xml + the sheet
XML, parsed with defusedxml).  Durations need none: calamine types `[h]:mm`
cells as timedelta and `h:mm` cells as time (or, above 24 hours, a date in
January 1900/1904, which `vaxl.sheets.cells.read_hours` reads back).
.xls, .xlsb and .ods give values only (formats unknown).

Two more facts come from the package of an .xlsx/.xlsm, for the input tabs only,
read in a background thread while calamine parses (so a 100,000-row Timesheet
costs no extra wall time where a second core is free):

- Excel Tables (ListObjects): the small table parts linked from a sheet's rels.
  A table's Totals Row (its `ref`'s last `totalsRowCount` rows; `totalsRowShown`
  only says one was ever shown) is not data: its cells are emptied, and a totals
  row at the end of the tab is dropped, so every other row keeps its number.
- Formulas with no calculated value (a file written by a script such as
  openpyxl and never opened in Excel): calamine reads them as empty, so their
  cells are listed in `RawTab.uncalculated` for the parser to report.  A sheet
  whose XML has no `f>` at all (one byte search) has none; otherwise the
  no-value spellings (`</f></c>`, `</f><v/>`, `</f><v></v>`, a self-closed
  `<f .../>` likewise) are searched for, and only a part a scan could misread
  (comments, CDATA, no cell references) is parsed.  An empty `<v>` of a
  `t="str"` cell is a calculated empty text, not a missing value.

CSV: a .csv file holds one tab.  It is the tab its file name names
(`Timesheet.csv`, `clients.csv`, `Bảng chấm công.csv`); otherwise the tab whose
required headers its first non-empty row carries (the one matching most
columns; Timesheet wins ties).  Encoding: a BOM (UTF-8/16/32), else UTF-8, else
UTF-16 when the text is full of NUL bytes, else Windows-1252.  The delimiter is
the one of `,` `;` tab that the header line uses most.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Collection
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from vaxl.core.models import col_number
from vaxl.errors import UnusableWorkbook
from vaxl.io.package import file_stamp, inflated, part_id, part_key, stored_bytes
from vaxl.io.split_read import SplitSheet, big_sheets, read_split
from vaxl.io.threads import Background
from vaxl.sheets.cells import is_blank
from vaxl.sheets.headers import map_header, tab_matches
from vaxl.sheets.raw import RawBook, RawTab, tab_key
from vaxl.sheets.spec import INPUT_TABS, MANIFEST_TAB, TABS, TIMESHEET, TabSpec

__all__ = ["FORMAT_TABS", "MANIFEST_TAB", "read_file", "read_workbook", "wanted_tab"]

FORMAT_TABS = ("Settings", "Clients", "Blocks")
_T = TypeVar("_T")
_EXTENSIONS = {
    "xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam"),
    "xlsb": (".xlsb",),
    "xls": (".xls", ".xla", ".xlt"),
    "ods": (".ods",),
}


def read_workbook(path: Path) -> RawBook:
    """Read a workbook file safely (never a traceback, a hang or a changed file).

    Raises vaxl.errors.UnusableWorkbook with a one-line reason when the file
    cannot be used (encrypted, damaged, not a spreadsheet, unsupported)."""
    from vaxl.io.guard import read_workbook_safely

    return read_workbook_safely(path)


def _spec_of(name: str) -> TabSpec | None:
    for spec in TABS.values():
        if tab_matches(name, spec):
            return spec
    return None


def wanted_tab(name: str) -> bool:
    """Whether vaxl reads a tab of this name."""
    return tab_key(name) == MANIFEST_TAB or _spec_of(name) is not None


def read_file(path: Path, kind: str) -> RawBook:
    """Read without any guard; `kind` is what vaxl.io.guard.sniff said
    (xlsx, xlsb, xls, ods or csv).  May raise anything calamine raises."""
    if kind == "csv":
        return _read_csv(path)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    stamp = file_stamp(path)
    big = big_sheets(path, _input_tab) if kind == "xlsx" else frozenset()
    work = Background(1, "vaxl-sheet-facts")
    facts = work.submit(_sheet_facts, path, big) if kind == "xlsx" else None
    formats = work.submit(_format_scans, path) if kind == "xlsx" else None
    split: dict[str, SplitSheet] = {}
    try:
        if path.suffix.casefold() in _EXTENSIONS[kind]:
            book = CalamineWorkbook.from_path(str(path))
        else:  # content and extension disagree: let calamine detect the format itself
            with open(path, "rb") as handle:
                book = CalamineWorkbook.from_filelike(handle)
        try:
            names = list(book.sheet_names)
            types = {m.name: m.typ for m in book.sheets_metadata}
            raw = RawBook(tab_names=names, source=path.name)
            for name in names:
                if not wanted_tab(name) or types.get(name) != SheetTypeEnum.WorkSheet:
                    continue
                apart = read_split(path, name) if name in big else None
                if apart is not None:  # a big sheet, read on both cores
                    split[name] = apart
                    raw.tabs[name] = RawTab(name, apart.rows, apart.first_row, apart.first_col)
                    continue
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=True)
                start = sheet.start or (0, 0)
                raw.tabs[name] = RawTab(name, rows, start[0] + 1, start[1] + 1)
        finally:
            book.close()
    finally:
        answer = _refinement(facts)
        scans = _refinement(formats)
        work.close()
    found, intact = answer if answer is not None else ({}, frozenset())
    if answer is not None:
        found, intact = _with_split(path, found, intact, big, split)
    raw.intact = intact
    raw.stamp = stamp if raw.intact else None
    for name, tab in raw.tabs.items():
        if name in found:
            found[name].apply(tab)
    if scans is not None:  # formats are a refinement: without them percents read by value
        _add_formats(raw, scans)
    return raw


# --- number formats of .xlsx/.xlsm --------------------------------------------------

_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy",
    16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm",
    21: "h:mm:ss", 22: "m/d/yy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 49: "@",
}
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _next_position(tag: str, ref: str | None, row_no: int, col_no: int) -> tuple[int, int]:
    """(row, column) at a `row` or `c` tag of a sheet's XML: from its `r`, or, as
    Excel allows it to be left out, the row or cell after the previous one."""
    if tag == "row":
        return int(ref or row_no + 1), 0
    cell = _CELL_REF.match(ref or "")
    if cell:
        return int(cell[2]), col_number(cell[1])
    return row_no, col_no + 1


def package_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """part_key -> the part's name as stored."""
    return {part_key(name): name for name in package.namelist()}


def _xml(package: zipfile.ZipFile, parts: dict[str, str], name: str) -> Any:
    from defusedxml import ElementTree

    real = parts.get(name.casefold())
    if real is None:
        return None
    return ElementTree.fromstring(package.read(real))


def sheet_parts(package: zipfile.ZipFile, parts: dict[str, str]) -> dict[str, str]:
    """Sheet name -> part name inside the package."""
    workbook = "xl/workbook.xml" if "xl/workbook.xml" in parts else next(
        (p for p in parts if p.endswith("workbook.xml")), None
    )
    if workbook is None:
        return {}
    folder = PurePosixPath(workbook).parent
    root = _xml(package, parts, workbook)
    rels = _xml(package, parts, f"{folder}/_rels/{PurePosixPath(workbook).name}.rels")
    if root is None or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    out = {}
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
        out[element.get("name", "")] = str(PurePosixPath(path)).casefold()
    return out


def _styles(package: zipfile.ZipFile, parts: dict[str, str]) -> list[str]:
    """Format code of each cellXfs index."""
    styles_name = "xl/styles.xml" if "xl/styles.xml" in parts else next(
        (p for p in parts if p.endswith("styles.xml")), None
    )
    root = _xml(package, parts, styles_name) if styles_name else None
    if root is None:
        return []
    custom: dict[int, str] = {}
    xfs: list[str] = []
    for element in root:
        if _local(element.tag) == "numFmts":
            for fmt in element:
                try:
                    custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
                except ValueError:
                    continue
    for element in root:
        if _local(element.tag) == "cellXfs":
            for xf in element:
                try:
                    fmt_id = int(xf.get("numFmtId", "0"))
                except ValueError:
                    fmt_id = 0
                xfs.append(custom.get(fmt_id, _BUILTIN_FORMATS.get(fmt_id, "")))
    return xfs


def _format_scans(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Tab name -> (row, column, format code) of each styled cell, for the package's
    FORMAT_TABS (found on a worker thread while the values are read)."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    with zipfile.ZipFile(path) as package:
        parts = package_parts(package)
        xfs = _styles(package, parts)
        for name, part in sheet_parts(package, parts).items():
            real = parts.get(part)
            if real is None or not any(tab_matches(name, TABS[n]) for n in FORMAT_TABS):
                continue
            data = package.read(real)
            styles = _cell_styles_scan(data)
            if styles is None:
                styles = _cell_styles_parse(data)
            out[name] = [(row_no, col_no, xfs[index] if 0 <= index < len(xfs) else "")
                         for row_no, col_no, index in styles]
    return out


def _add_formats(raw: RawBook, scans: dict[str, list[tuple[int, int, str]]]) -> None:
    """Each scanned tab's number_formats, a format code beside each value."""
    for tab in raw.tabs.values():
        styles = scans.get(tab.name)
        if styles is None:
            continue
        grid = [[""] * len(row) for row in tab.rows]
        for row_no, col_no, code in styles:
            i, j = row_no - tab.first_row, col_no - tab.first_col
            if 0 <= i < len(grid) and 0 <= j < len(grid[i]):
                grid[i][j] = code
        tab.number_formats = grid


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^<>]*)>")
_ATTRS = re.compile(rb"""(?:^|\s)(r|s)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _cell_styles_scan(data: bytes) -> list[tuple[int, int, int]] | None:
    """(row, column, style index) of each styled cell, by scanning the sheet XML's
    tags; None when the part has anything a scan could misread (comments,
    CDATA, character references, another encoding): then it is parsed."""
    if not data.lstrip(b"\xef\xbb\xbf").startswith(b"<") or b"<!--" in data \
            or b"<![CDATA[" in data:
        return None
    out: list[tuple[int, int, int]] = []
    row_no = col_no = 0
    for tag in _TAG.finditer(data):
        attrs = tag[2]
        if b"&" in attrs:
            return None
        found = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRS.finditer(attrs)}
        ref = found.get(b"r")
        row_no, col_no = _next_position(tag[1].decode(), ref.decode("ascii", "replace")
                                        if ref else None, row_no, col_no)
        style = found.get(b"s")
        if style is not None and tag[1] == b"c":
            out.append((row_no, col_no, int(style)))
    return out


def _cell_styles_parse(data: bytes) -> list[tuple[int, int, int]]:
    from defusedxml import ElementTree

    out: list[tuple[int, int, int]] = []
    row_no = col_no = 0
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("start",)):
        name = _local(element.tag)
        if name in ("row", "c"):
            row_no, col_no = _next_position(name, element.get("r"), row_no, col_no)
            style = element.get("s")
            if style is not None and name == "c":
                out.append((row_no, col_no, int(style)))
    return out


# --- tables and formulas without values (.xlsx/.xlsm input tabs) --------------------


def _refinement(done: Future[_T] | None) -> _T | None:
    """The answer of work that refines what was read, or None when it failed: the facts
    are refinements, never a reason to refuse a workbook."""
    if done is None:
        return None
    try:
        return done.result()
    except Exception:  # noqa: BLE001 - a refinement that failed is left out
        return None


@dataclass
class SheetFacts:
    """What the package says about one input tab beyond its values.

    Fields:
        totals: each Excel Table's totals rows as (first row, first column, last
            row, last column), 1-based sheet positions.
        uncalculated: (row, column) of each cell holding a formula with no
            calculated value, outside the totals rows.
    """

    totals: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncalculated: list[tuple[int, int]] = field(default_factory=list)

    def outside_totals(self, cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(r, c) for r, c in cells
                if not any(t <= r <= b and lo <= c <= hi for t, lo, b, hi in self.totals)]

    def apply(self, tab: RawTab) -> None:
        """Empty the totals rows' cells (dropping trailing ones) and list the
        uncalculated cells, keeping every row's sheet number."""
        rows = tab.rows
        dropped: set[int] = set()
        for top, left, bottom, right in self.totals:
            for i in range(max(top - tab.first_row, 0), bottom - tab.first_row + 1):
                if i >= len(rows):
                    break
                row = rows[i] = list(rows[i])
                for j in range(max(left - tab.first_col, 0),
                               min(right - tab.first_col + 1, len(row))):
                    row[j] = ""
                dropped.add(i)
        while rows and len(rows) - 1 in dropped and all(is_blank(v) for v in rows[-1]):
            rows.pop()
        if not rows:
            return
        width = len(rows[0])
        gaps: dict[int, set[int]] = {}
        for row_no, col_no in self.uncalculated:
            i, j = row_no - tab.first_row, col_no - tab.first_col
            if i >= 0 and 0 <= j < width:
                gaps.setdefault(i, set()).add(j)
        if not gaps:
            return
        # A formula row at the end that calamine left out (no values): read it as empty.
        rows.extend([""] * width for _ in range(len(rows), max(gaps) + 1))
        tab.uncalculated = {i: frozenset(cols) for i, cols in sorted(gaps.items())}


def _input_tab(name: str) -> bool:
    return any(tab_matches(name, TABS[n]) for n in INPUT_TABS)


def _sheet_facts(path: Path, apart: Collection[str] = (), only: Collection[str] | None = None
                 ) -> tuple[dict[str, SheetFacts], frozenset[tuple[object, ...]]]:
    """Tab name -> its SheetFacts, for the input tabs of an .xlsx/.xlsm package; and
    the parts read whole on the way, each found intact as the writer checks a part
    (the whole deflate stream, its size and CRC: see RawBook.intact).

    For the tabs in `apart` (read by read_split, which checks and scans their XML)
    only the totals are found; `only`: these tabs alone."""
    out: dict[str, SheetFacts] = {}
    intact: set[tuple[object, ...]] = set()
    with zipfile.ZipFile(path) as package, open(path, "rb") as handle:
        parts = package_parts(package)
        for name, part in sheet_parts(package, parts).items():
            real = parts.get(part)
            if real is None or not _input_tab(name) or (only is not None and name not in only):
                continue
            facts = SheetFacts(totals=_totals_rows(package, parts, part))
            if name in apart:
                out[name] = facts
                continue
            info = package.getinfo(real)
            try:  # checked as the writer checks a part it copies
                data = inflated(info, stored_bytes(handle, info, path.name))
            except UnusableWorkbook:
                data = None
            if data is None:
                data = package.read(real)
            else:
                intact.add(part_id(info))
            facts.uncalculated = facts.outside_totals(uncalculated_cells(data))
            if facts.totals or facts.uncalculated:
                out[name] = facts
    return out, frozenset(intact)


def _with_split(
    path: Path, found: dict[str, SheetFacts], intact: frozenset[tuple[object, ...]],
    big: frozenset[str], split: dict[str, SplitSheet],
) -> tuple[dict[str, SheetFacts], frozenset[tuple[object, ...]]]:
    """The facts with what read_split found for the big tabs; the facts of a big tab it
    left to calamine's whole read are found now."""
    left = big - split.keys()
    if left:
        try:
            more: tuple[dict[str, SheetFacts], frozenset[tuple[object, ...]]] | None = (
                _sheet_facts(path, (), left))
        except Exception:  # noqa: BLE001 - facts are a refinement, as in _refinement
            more = None
        if more is not None:
            found = {**found, **more[0]}
            intact |= more[1]
    for name, apart in split.items():
        facts = found.pop(name, None) or SheetFacts()
        facts.uncalculated = facts.outside_totals(apart.uncalculated)
        if facts.totals or facts.uncalculated:
            found[name] = facts
        intact |= {apart.part}
    return found, intact


_RANGE = re.compile(r"^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")
_TABLE_REL = "/table"


def _totals_rows(package: zipfile.ZipFile, parts: dict[str, str],
                 part: str) -> list[tuple[int, int, int, int]]:
    """The totals rows of the Excel Tables a sheet part links to."""
    folder, base = posixpath.split(part)
    rels = _xml(package, parts, f"{folder}/_rels/{base}.rels")
    if rels is None:
        return []
    out = []
    for rel in rels:
        if _local(rel.tag) != "Relationship" or not rel.get("Type", "").endswith(_TABLE_REL):
            continue
        target = rel.get("Target", "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        table = _xml(package, parts, name)
        if table is None or _local(table.tag) != "table":
            continue
        try:
            count = int(table.get("totalsRowCount") or 0)
        except ValueError:
            continue
        found = _RANGE.match((table.get("ref") or "").upper())
        if count <= 0 or not found:
            continue
        left, top = col_number(found[1]), int(found[2])
        right, bottom = (col_number(found[3]), int(found[4])) if found[3] else (left, top)
        out.append((max(top, bottom - count + 1), left, bottom, right))
    return out


_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_CELL_ATTRS = re.compile(rb"""(?:^|\s)(r|t)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TEXT_TYPES = (b"str", b"inlineStr", b"s")


def uncalculated_cells(data: bytes) -> list[tuple[int, int]]:
    """(row, column) of each cell of a worksheet part that holds a formula but no
    calculated value; [] at the cost of one byte search when there is no formula."""
    if b"f>" not in data:  # every formula has </f> (or <f>, </x:f>) somewhere
        return []
    found = uncalculated_scan(data)
    return found if found is not None else _uncalculated_parse(data)


def uncalculated_scan(data: bytes) -> list[tuple[int, int]] | None:
    """The cells found by searching for the no-value spellings; None when the part
    has anything a scan could misread (then it is parsed)."""
    root = _ROOT.search(data, 0, 4096)
    if root is None or b"<!--" in data or b"<![CDATA[" in data:
        return None
    prefix = root[1] + b":" if root[1] else b""
    p = re.escape(prefix)
    no_value = (rb"\s*(?:</" + p + rb"c>|<" + p + rb"v\s*/>|<" + p + rb"v>\s*</" + p
                + rb"v>)")
    cell_start, cell_end = b"<" + prefix + b"c", b"</" + prefix + b"c>"
    out: set[tuple[int, int]] = set()
    for pattern in (rb"</" + p + rb"f>" + no_value, rb"<" + p + rb"f\s[^<>]*/>" + no_value):
        for hit in re.finditer(pattern, data):
            start = _cell_before(data, cell_start, hit.start())
            if start < 0 or data.find(cell_end, start, hit.start()) >= 0:
                continue  # not inside a cell
            tag_end = data.find(b">", start)
            attrs = {m[1]: m[2] if m[2] is not None else m[3]
                     for m in _CELL_ATTRS.finditer(data, start + len(cell_start), tag_end)}
            ref = _CELL_REF.match((attrs.get(b"r") or b"").decode("ascii", "replace"))
            if ref is None:
                return None
            if attrs.get(b"t") in _TEXT_TYPES and not hit[0].endswith(cell_end):
                continue  # the empty <v> of a text formula: a calculated empty text
            out.add((int(ref[2]), col_number(ref[1])))
    return sorted(out)


def _cell_before(data: bytes, cell_start: bytes, pos: int) -> int:
    """Where the `<c` tag enclosing `pos` starts, or -1."""
    start = pos
    while True:
        start = data.rfind(cell_start, 0, start)
        if start < 0:
            return -1
        follow = data[start + len(cell_start):start + len(cell_start) + 1]
        if follow in (b" ", b">", b"\t", b"\r", b"\n"):
            return start


def _uncalculated_parse(data: bytes) -> list[tuple[int, int]]:
    from defusedxml import ElementTree

    out: list[tuple[int, int]] = []
    row_no = col_no = 0
    formula = valued = False
    text_type = False
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name in ("row", "c"):
                row_no, col_no = _next_position(name, element.get("r"), row_no, col_no)
            if name == "c":
                formula = valued = False
                text_type = element.get("t") in ("str", "inlineStr", "s")
            continue
        if name == "f":
            formula = True
        elif name == "v":
            valued = valued or bool(element.text) or text_type
        elif name == "c":
            if formula and not valued:
                out.append((row_no, col_no))
            element.clear()
        elif name == "row":
            element.clear()
    return out


# --- CSV ----------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample.count(0) > len(sample) // 4:
        odd_zeros = sample[1::2].count(0)
        return data.decode("utf-16-le" if odd_zeros >= sample[0::2].count(0) else "utf-16-be",
                           errors="replace")
    return data.decode("cp1252", errors="replace")


def _csv_tab_name(path: Path, rows: list[list[Any]]) -> str:
    for name in (*INPUT_TABS,):
        if tab_matches(path.stem, TABS[name]):
            return name
    best, best_count = None, 0
    for name in ("Timesheet", *[n for n in INPUT_TABS if n != "Timesheet"]):
        spec = TABS[name]
        header, missing = map_header(RawTab(name, rows[:12]), spec)
        if header is None or missing:
            continue
        if spec is TIMESHEET and "hours" not in header.columns and "start" not in header.columns:
            continue
        if len(header.columns) > best_count:
            best, best_count = name, len(header.columns)
    return best or path.stem


def _read_csv(path: Path) -> RawBook:
    text = _decode(path.read_bytes()).replace("\x00", "")
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""),
                                                         delimiter=delimiter)]
    name = _csv_tab_name(path, rows)
    return RawBook(tabs={name: RawTab(name, rows)}, tab_names=[name], source=path.name)
