"""Reading a workbook file into a RawBook (python-calamine; csv for .csv).

    raw = read_workbook(Path("book.xlsx"))      # guarded: see vaxl.io.guard

Only the contract's tabs (by their English, Vietnamese and alias names), the
`Invoices` register and the `_vaxl` manifest are read; every tab name is listed.
A sheet's declared dimension is never trusted: calamine reads the cells there
are and python-calamine's `start` says where they begin.

Number formats are read for the small tabs whose percent cells need them
(Settings, Clients, Blocks) from .xlsx/.xlsm packages (styles.xml + the sheet
XML, parsed with defusedxml).  Durations need none: calamine types `[h]:mm`
cells as timedelta and `h:mm` cells as time (or, above 24 hours, a date in
January 1900/1904, which `vaxl.sheets.cells.read_hours` reads back).
.xls, .xlsb and .ods give values only (formats unknown).

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
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from vaxl.sheets.headers import map_header, tab_matches
from vaxl.sheets.raw import RawBook, RawTab, tab_key
from vaxl.sheets.spec import INPUT_TABS, TABS, TIMESHEET, TabSpec

__all__ = ["FORMAT_TABS", "MANIFEST_TAB", "read_file", "read_workbook", "wanted_tab"]

MANIFEST_TAB = "_vaxl"
FORMAT_TABS = ("Settings", "Clients", "Blocks")
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
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
            raw.tabs[name] = RawTab(name, rows, start[0] + 1, start[1] + 1)
    finally:
        book.close()
    if kind == "xlsx":
        try:
            _add_formats(path, raw)
        except Exception:  # formats are a refinement: without them percents read by value
            for tab in raw.tabs.values():
                tab.number_formats = None
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


def _col_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _parts(package: zipfile.ZipFile) -> dict[str, str]:
    return {n.replace("\\", "/").lstrip("/").casefold(): n for n in package.namelist()}


def _xml(package: zipfile.ZipFile, parts: dict[str, str], name: str) -> Any:
    from defusedxml import ElementTree

    real = parts.get(name.casefold())
    if real is None:
        return None
    return ElementTree.fromstring(package.read(real))


def _sheet_parts(package: zipfile.ZipFile, parts: dict[str, str]) -> dict[str, str]:
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


def _add_formats(path: Path, raw: RawBook) -> None:
    targets = [
        tab for tab in raw.tabs.values()
        if any(tab_matches(tab.name, TABS[n]) for n in FORMAT_TABS)
    ]
    if not targets:
        return

    with zipfile.ZipFile(path) as package:
        parts = _parts(package)
        xfs = _styles(package, parts)
        sheets = _sheet_parts(package, parts)
        for tab in targets:
            part = parts.get(sheets.get(tab.name, ""))
            if part is None:
                continue
            data = package.read(part)
            styles = _cell_styles_scan(data)
            if styles is None:
                styles = _cell_styles_parse(data)
            grid = [[""] * len(row) for row in tab.rows]
            for row_no, col_no, index in styles:
                i, j = row_no - tab.first_row, col_no - tab.first_col
                if 0 <= i < len(grid) and 0 <= j < len(grid[i]):
                    grid[i][j] = xfs[index] if 0 <= index < len(xfs) else ""
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
    match_ref = _CELL_REF.match
    for tag in _TAG.finditer(data):
        attrs = tag[2]
        if b"&" in attrs:
            return None
        found = {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTRS.finditer(attrs)}
        if tag[1] == b"row":
            ref = found.get(b"r")
            row_no = int(ref) if ref else row_no + 1
            col_no = 0
            continue
        ref = found.get(b"r")
        cell = match_ref(ref.decode("ascii", "replace")) if ref else None
        if cell:
            col_no, row_no = _col_number(cell[1]), int(cell[2])
        else:
            col_no += 1
        style = found.get(b"s")
        if style is not None:
            out.append((row_no, col_no, int(style)))
    return out


def _cell_styles_parse(data: bytes) -> list[tuple[int, int, int]]:
    from defusedxml import ElementTree

    out: list[tuple[int, int, int]] = []
    row_no = col_no = 0
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("start",)):
        name = _local(element.tag)
        if name == "row":
            row_no = int(element.get("r") or row_no + 1)
            col_no = 0
        elif name == "c":
            match = _CELL_REF.match(element.get("r") or "")
            if match:
                col_no, row_no = _col_number(match[1]), int(match[2])
            else:
                col_no += 1
            style = element.get("s")
            if style is not None:
                out.append((row_no, col_no, int(style)))
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
