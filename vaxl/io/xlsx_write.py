"""Writing vaxl's tabs into a workbook file without losing anything of the user's.

    write_grids(path, grids, output=None, raw=None) -> Path

The workbook package is patched, never re-serialised: each Grid becomes a new
worksheet part, or replaces the part of the vaxl tab with its name (same place
in the tab order, same sheetId). Only the entries those parts need are added to
xl/workbook.xml, its .rels, [Content_Types].xml and xl/styles.xml (appended;
the user's styles keep their numbers). Every other part is copied as its raw
compressed bytes, so macros, pictures, charts, tables, comments, custom XML and
add-in parts come through byte for byte.

Decisions:
- No `fullCalcOnLoad`: every formula vaxl writes carries vaxl's own result as
  its cached value, and a forced full recalculation would make Excel slow to
  open big workbooks and ask to save on close.
- calcChain.xml is only a calculation-order cache; it is dropped (Excel rebuilds
  it silently) only when a replaced tab had entries in it, because a chain entry
  for a cell that is no longer a formula makes Excel repair the file.
- docProps/app.xml (the tab-title cache) is left as it is; Excel rewrites it.
- Untouched parts are copied as raw compressed bytes (no recompression), after a
  CRC check so that a damaged part is refused rather than passed on. Measured on
  a 100,000-row workbook (3 MB) with 500 small new tabs: 0.16 s in all (0.09 s
  without the CRC check); a plain zipfile copy that recompresses takes 0.43 s
  before writing anything of vaxl's.
- A replaced tab keeps its place, sheetId and r:id (definedNames with a
  localSheetId stay right); parts only it used (drawings, charts, printer
  settings, tables) are removed, and their freed names are reused.
- Strict Open XML files are refused (vaxl writes transitional parts only).

Saving is atomic: a temporary file in the same folder, fsync, os.replace; the
previous version is kept as `NAME.bak.xlsx` beside it. A workbook open in Excel
(`~$NAME.xlsx` exists) is refused. Formats other than .xlsx/.xlsm are never
written in place; with `output=` a fresh .xlsx holds their input tabs as values
plus vaxl's tabs.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import secrets
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from vaxl.errors import UnusableWorkbook, WriteRefused
from vaxl.io.chartxml import CT_CHART, CT_DRAWING, REL_CHART, chart_xml, drawing_xml
from vaxl.io.package import (
    NS_REL_DOC,
    Deflated,
    Found,
    PackageWriter,
    Rel,
    SourcePackage,
    add_rels,
    decode_xml,
    deflate,
    encode_xml,
    esc,
    file_stamp,
    find_elements,
    new_rels_text,
    parse_rels,
    parse_xml,
    part_id,
    part_key,
    prefix_of,
    relative_target,
    rels_part_of,
    remove_rels,
    resolve_target,
    stored_part_ok,
)
from vaxl.io.sheetxml import REL_DRAWING, SheetPart, WriteMemo, sheet_part
from vaxl.io.styles import StyleBook
from vaxl.io.threads import Background
from vaxl.layout.grid import Grid, Later, Style
from vaxl.sheets.raw import RawBook, RawTab, tab_key

if TYPE_CHECKING:
    from vaxl.io.ahead import Ahead

__all__ = [
    "WRITABLE_SUFFIXES", "PartChecks", "backup_path", "lock_path", "raw_tab_grid",
    "workbook_styles", "write_grids",
]

WRITABLE_SUFFIXES = (".xlsx", ".xlsm")

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_OFFICE_DOC = f"{NS_REL_DOC}/officeDocument"
REL_WORKSHEET = f"{NS_REL_DOC}/worksheet"
REL_STYLES = f"{NS_REL_DOC}/styles"
REL_CALC_CHAIN = f"{NS_REL_DOC}/calcChain"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_INVALID_TAB = re.compile(r"[\[\]:*?/\\]")


def lock_path(path: Path) -> Path:
    """Excel's lock file for an open workbook: `~$book.xlsx` beside `book.xlsx`."""
    return path.with_name("~$" + path.name)


def backup_path(path: Path) -> Path:
    """`book.bak.xlsx` beside `book.xlsx`."""
    return path.with_name(path.stem + ".bak" + path.suffix)


def write_grids(
    path: Path,
    grids: list[Grid],
    output: Path | None = None,
    raw: RawBook | None = None,
    checked: PartChecks | None = None,
    ahead: Ahead | None = None,
) -> Path:
    """Write vaxl's tabs into the workbook at `path` (or into a copy at `output`).

    Returns the path written. Raises WriteRefused (open in Excel, a format that
    cannot be written in place, no permission) or UnusableWorkbook (damaged,
    encrypted, not a workbook).  `checked`: the file's parts, checked while vaxl
    computed (see PartChecks).  `ahead`: tabs already rendered (some by a helper
    process), taken as they are when the workbook's styles are still the ones they
    were rendered with; a Later grid it does not hold is built here.
    """
    path = Path(path)
    target = Path(output) if output is not None else path
    in_place = output is None or _same_file(path, target)
    if not path.is_file():
        raise UnusableWorkbook(f"The workbook '{path}' was not found.", "Check the path.")
    for grid in grids:
        _check_tab_name(grid.name)
    if in_place and path.suffix.lower() not in WRITABLE_SUFFIXES:
        raise WriteRefused(
            f"vaxl cannot write into '{path.name}': it only updates .xlsx and .xlsm files.",
            f"Run again with --output {path.stem}.xlsx to write a new workbook.",
        )
    if target.suffix.lower() not in WRITABLE_SUFFIXES:
        raise WriteRefused(
            f"vaxl can only write .xlsx or .xlsm workbooks, not '{target.name}'.",
            "Use --output with a name ending in .xlsx.",
        )
    _refuse_if_open(target)
    _refuse_if_read_only(target)
    # An existing file at --output is someone's workbook too: keep its previous version.
    keep = in_place or target.exists()
    if path.suffix.lower() not in WRITABLE_SUFFIXES:
        book = raw if raw is not None else _read_raw(path)
        everything = _raw_grids(book, grids) + list(grids)
        _atomic_write(target, lambda fp: _patch(_fresh_package(), everything, fp, target),
                      backup=keep)
        return target
    with open(path, "rb") as src_fp:
        _check_signature(src_fp, path)
        source = SourcePackage(src_fp, path.name)
        renamed = None if in_place else target
        try:
            _atomic_write(target,
                          lambda fp: _patch(source, grids, fp, renamed, checked, ahead),
                          backup=keep)
        finally:
            source.zip.close()
    return target


def _refuse_if_read_only(target: Path) -> None:
    """A workbook marked read-only is not replaced (the rename would bypass the mark)."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return
    if not mode & stat.S_IWUSR:
        raise WriteRefused(
            f"'{target.name}' is read-only, so vaxl will not change it.",
            "Make the file writable (uncheck Read-only in its properties), or use --output.",
        )


# --- the patch ------------------------------------------------------------------


@dataclass
class _SheetEntry:
    name: str
    sheet_id: int
    rid: str
    found_start: int
    found_end: int
    start_tag: str
    rid_attr: str


@dataclass
class _Plan:
    """Everything a patch changes: parts written, parts dropped, content types; plus the
    work started beside the main thread (compressed parts, checked parts)."""

    written: dict[str, bytes] = field(default_factory=dict)  # part -> bytes (new or changed)
    removed: set[str] = field(default_factory=set)  # part keys
    types: dict[str, str] = field(default_factory=dict)  # part -> content type wanted
    # Two workers for the zip's heavy lifting: deflating each finished sheet part and
    # checking the CRC of every part copied unread.  On two cores that work overlaps
    # with rendering the next sheet's XML (about a third of the write at 100,000 rows),
    # and the second worker shares what is left when the rendering ends.
    background: Background = field(default_factory=lambda: Background(2, "vaxl-zip"))
    # part key -> (the bytes compressed, their compression); used while they are still
    # the bytes to write
    deflated: dict[str, tuple[bytes, _Deflating | _Done]] = field(default_factory=dict)
    batch: list[bytes] = field(default_factory=list)  # parts not yet handed to the worker
    batch_keys: list[str] = field(default_factory=list)
    batch_size: int = 0
    # part key -> the check of its stored bytes (False: check it on this thread)
    checked: dict[str, Future[bool]] = field(default_factory=dict)
    memo: WriteMemo = field(default_factory=WriteMemo)  # what the sheets share
    known: frozenset[tuple[object, ...]] = frozenset()  # parts found sound before (part_id)

    def write_later(self, part: str, data: bytes) -> None:
        """A part to write, compressed soon on the worker thread.

        Parts go to the worker in batches of about 1 MiB: after each job the worker
        must win the GIL back from the thread rendering the next sheets, which can
        take the interpreter's switch interval (5 ms), so hundreds of small jobs
        would leave it waiting more than working."""
        self.written[part] = data
        self.batch.append(data)
        self.batch_keys.append(part_key(part))
        self.batch_size += len(data)
        if self.batch_size >= _BATCH_BYTES:
            self.send_batch()

    def write_deflated(self, part: str, deflated: Deflated) -> None:
        """A part compressed already (by vaxl.io.ahead's helper process): its
        compressed bytes stand for it in `written`."""
        self.written[part] = deflated.data
        self.deflated[part_key(part)] = (deflated.data, _Done(deflated))

    def send_batch(self) -> None:
        """Hand the parts gathered so far to the worker."""
        if not self.batch:
            return
        job = self.background.submit(_deflate_all, self.batch)
        for index, (key, data) in enumerate(zip(self.batch_keys, self.batch, strict=True)):
            self.deflated[key] = (data, _Deflating(job, index))
        self.batch, self.batch_keys, self.batch_size = [], [], 0


_BATCH_BYTES = 1 << 20


def _deflate_all(parts: list[bytes]) -> list[Deflated]:
    return [deflate(data) for data in parts]


@dataclass(frozen=True, slots=True)
class _Deflating:
    """One part's compression inside a batch job."""

    job: Future[list[Deflated]]
    index: int

    def result(self) -> Deflated:
        return self.job.result()[self.index]


@dataclass(frozen=True, slots=True)
class _Done:
    """A part compressed before the write."""

    deflated: Deflated

    def result(self) -> Deflated:
        return self.deflated


def _patch(
    source: SourcePackage, grids: list[Grid], out: IO[bytes], renamed: Path | None,
    checked: PartChecks | None = None, ahead: Ahead | None = None,
) -> None:
    """Write `source` plus `grids` to `out`; `renamed`: the new file name, to check that
    macros and the file extension still agree."""
    plan = _Plan(known=checked.sound(source.fp) if checked is not None else frozenset())
    try:
        _patch_into(plan, source, grids, out, renamed, ahead)
    finally:
        plan.background.close()


@dataclass
class _Opened:
    """The parts of a package every patch reads first (checked, decoded)."""

    types_text: str
    types_codec: str
    defaults: dict[str, str]
    overrides: dict[str, str]
    wb_part: str
    wb_text: str
    wb_codec: str
    date1904: bool
    wb_rels_part: str
    wb_rels_text: str
    wb_rels_codec: str
    wb_rels: dict[str, Rel]
    styles_rel: Rel | None
    styles_part: str | None
    styles_text: str | None  # None: the package has no styles part
    styles_codec: str


def _open_package(source: SourcePackage, renamed: Path | None) -> _Opened:
    types_text, types_codec = decode_xml(_need(source, "[Content_Types].xml"))
    types_root = parse_xml(encode_xml(types_text, types_codec), "[Content_Types].xml")
    defaults, overrides = _content_types(types_root)

    root_rels = parse_rels(_need(source, "_rels/.rels"), "_rels/.rels")
    office = [r for r in root_rels if r.type.endswith("/officeDocument") and not r.external]
    if not office:
        raise UnusableWorkbook(
            f"'{source.what}' is not an Excel workbook (it has no workbook part).",
            "Open it in Excel, save it as an Excel Workbook (.xlsx) and run again.",
        )
    if office[0].type != REL_OFFICE_DOC:
        raise WriteRefused(
            f"'{source.what}' is saved as Strict Open XML, which vaxl does not write.",
            "In Excel use Save As > Excel Workbook (.xlsx), then run again.",
        )
    wb_part = resolve_target("", office[0].target)
    wb_type = overrides.get(part_key(wb_part), "")
    if renamed is not None:
        _check_macro_suffix(wb_type, renamed, source.what)

    wb_text, wb_codec = decode_xml(_need(source, wb_part))
    wb_root = parse_xml(encode_xml(wb_text, wb_codec), wb_part)
    if not wb_root.tag.startswith("{" + NS_MAIN + "}"):
        raise WriteRefused(
            f"'{source.what}' is saved in a form of Open XML that vaxl does not write.",
            "In Excel use Save As > Excel Workbook (.xlsx), then run again.",
        )
    date1904 = any(
        el.get("date1904", "").lower() in {"1", "true"}
        for el in wb_root if el.tag.endswith("}workbookPr")
    )
    wb_rels_part = rels_part_of(wb_part)
    wb_rels_text, wb_rels_codec = decode_xml(_need(source, wb_rels_part))
    wb_rels = {r.id: r for r in parse_rels(encode_xml(wb_rels_text, wb_rels_codec), wb_rels_part)}

    styles_rel = next((r for r in wb_rels.values() if r.type == REL_STYLES), None)
    styles_part = resolve_target(wb_part, styles_rel.target) if styles_rel else None
    styles_text, styles_codec = None, "utf-8"
    if styles_part and source.has(styles_part):
        styles_text, styles_codec = decode_xml(source.read(styles_part))
        parse_xml(encode_xml(styles_text, styles_codec), styles_part)
    return _Opened(types_text, types_codec, defaults, overrides, wb_part, wb_text, wb_codec,
                   date1904, wb_rels_part, wb_rels_text, wb_rels_codec, wb_rels, styles_rel,
                   styles_part, styles_text, styles_codec)


def workbook_styles(path: Path) -> tuple[str | None, bool]:
    """The text of the workbook's styles part (None: it has none) and whether it
    counts dates from 1904: what a StyleBook and sheet_part need to render its
    tabs as `write_grids` will.  Raises UnusableWorkbook or WriteRefused."""
    with open(path, "rb") as fp:
        source = SourcePackage(fp, path.name)
        try:
            opened = _open_package(source, None)
        finally:
            source.zip.close()
    return opened.styles_text, opened.date1904


def _patch_into(
    plan: _Plan, source: SourcePackage, grids: list[Grid], out: IO[bytes],
    renamed: Path | None, ahead: Ahead | None = None,
) -> None:
    opened = _open_package(source, renamed)
    types_text, types_codec = opened.types_text, opened.types_codec
    defaults, overrides = opened.defaults, opened.overrides
    wb_part, wb_text, wb_codec, date1904 = (opened.wb_part, opened.wb_text, opened.wb_codec,
                                            opened.date1904)
    wb_rels_part, wb_rels_text, wb_rels_codec, wb_rels = (
        opened.wb_rels_part, opened.wb_rels_text, opened.wb_rels_codec, opened.wb_rels)
    styles_rel, styles_part, styles_codec = (opened.styles_rel, opened.styles_part,
                                             opened.styles_codec)
    if ahead is not None and ahead.fits(opened.styles_text, date1904):
        styles = ahead.styles  # the looks of the tabs rendered ahead are in it
        plan.memo = ahead.memo
    else:
        ahead = None
        styles = StyleBook(opened.styles_text)

    sheets_found = find_elements(wb_text, "sheets")
    if not sheets_found:
        raise UnusableWorkbook(
            f"'{source.what}' is damaged: its workbook part lists no tabs.",
            "Open it in Excel, save it as a new .xlsx and run again.",
        )
    sheets_el = sheets_found[0]
    entries = _sheet_entries(wb_text, sheets_el)
    r_prefix = prefix_of(wb_text, NS_REL_DOC)

    taken = {part_key(p) for p in source.part_names()}
    wb_dir = posixpath.dirname(wb_part)

    counters: dict[str, int] = {}

    def new_part(folder: str, stem: str, ext: str = "xml") -> str:
        base = posixpath.join(wb_dir, folder, stem)
        n = counters.get(base, 1)
        while part_key(f"{base}{n}.{ext}") in taken:
            n += 1
        counters[base] = n + 1
        taken.add(part_key(f"{base}{n}.{ext}"))
        return f"{base}{n}.{ext}"

    by_key = {tab_key(e.name): e for e in entries}
    unique: dict[str, Grid] = {}
    for grid in grids:
        unique[tab_key(grid.name)] = grid
    used_ids = set(wb_rels)
    next_sheet_id = max([0, *(e.sheet_id for e in entries)]) + 1
    sheet_edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in workbook.xml
    appended: list[str] = []
    rels_added: list[Rel] = []
    rels_dropped: set[str] = set()
    replaced_ids: set[int] = set()
    dropped_roots: set[str] = set()
    sheets_tag_prefix = sheets_el.prefix
    targets: list[tuple[Grid, str]] = []

    for key, grid in unique.items():
        existing = by_key.get(key)
        if existing is not None:
            rel = wb_rels.get(existing.rid)
            old_part = resolve_target(wb_part, rel.target) if rel and not rel.external else None
            if old_part is not None and source.has(old_part):
                dropped_roots.add(part_key(old_part))
            if rel is not None and rel.type == REL_WORKSHEET and old_part is not None:
                part = old_part
            else:
                part = new_part("worksheets", "sheet")
                if rel is not None:
                    rels_dropped.add(rel.id)
                rels_added.append(Rel(existing.rid, REL_WORKSHEET, relative_target(wb_part, part)))
            replaced_ids.add(existing.sheet_id)
            element = _sheet_xml(sheets_tag_prefix, grid, existing.sheet_id, existing.rid,
                                 existing.rid_attr, declare=None)
            sheet_edits.append((existing.found_start, existing.found_end, element))
        else:
            part = new_part("worksheets", "sheet")
            rid = _new_id(used_ids)
            rels_added.append(Rel(rid, REL_WORKSHEET, relative_target(wb_part, part)))
            if r_prefix:
                element = _sheet_xml(sheets_tag_prefix, grid, next_sheet_id, rid,
                                     f"{r_prefix}:id", declare=None)
            else:
                element = _sheet_xml(sheets_tag_prefix, grid, next_sheet_id, rid, "vxr:id",
                                     declare="vxr")
            next_sheet_id += 1
            appended.append(element)
        targets.append((grid, part))

    # Parts that only the replaced tabs used go with them (their names become free).
    removed = _collect_garbage(source, dropped_roots) if dropped_roots else set()
    taken -= removed
    counters.clear()
    taken |= {part_key(p) for _, p in targets}
    _check_copied_parts(source, plan, removed | {part_key(p) for _, p in targets})
    for grid, part in targets:
        rendered = ahead.take(grid) if ahead is not None else None
        if rendered is None:
            grid = grid.build() if isinstance(grid, Later) else grid
            rendered = _render_sheet(plan, grid, part, styles, date1904, new_part)
        elif grid.charts:  # rendered ahead: its drawing is named here, in order
            target = _chart_parts(plan, grid, part, new_part)
            rendered = SheetPart(rendered.xml, [replace(rel, target=target)
                                                if rel.type == REL_DRAWING else rel
                                                for rel in rendered.rels], rendered.deflated)
        if rendered.deflated is not None:
            plan.write_deflated(part, rendered.deflated)
        else:
            plan.write_later(part, rendered.xml)
        plan.types[part] = CT_WORKSHEET
        if rendered.rels:
            plan.written[rels_part_of(part)] = new_rels_text(rendered.rels).encode("utf-8")
    calc_rel = next((r for r in wb_rels.values() if r.type == REL_CALC_CHAIN), None)
    if calc_rel is not None and replaced_ids:
        calc_part = resolve_target(wb_part, calc_rel.target)
        if source.has(calc_part) and _chain_mentions(source.read(calc_part), replaced_ids):
            removed.add(part_key(calc_part))
            removed.add(part_key(rels_part_of(calc_part)))
            rels_dropped.add(calc_rel.id)
    plan.removed = {k for k in removed if k not in {part_key(p) for p in plan.written}}

    # workbook.xml: replaced <sheet> elements in place, new ones appended.
    new_wb = wb_text
    for start, end, replacement in sorted(sheet_edits, reverse=True):
        new_wb = new_wb[:start] + replacement + new_wb[end:]
    if appended:
        sheets_now = find_elements(new_wb, "sheets")[0]
        block = "".join(appended)
        if sheets_now.self_closing:
            close = f"</{sheets_tag_prefix + ':' if sheets_tag_prefix else ''}sheets>"
            new_wb = (new_wb[: sheets_now.start] + sheets_now.start_tag[:-2].rstrip() + ">"
                      + block + close + new_wb[sheets_now.end :])
        else:
            close_at = new_wb.rfind("</", sheets_now.start, sheets_now.end)
            new_wb = new_wb[:close_at] + block + new_wb[close_at:]
    if new_wb != wb_text:
        plan.written[wb_part] = encode_xml(new_wb, wb_codec)

    # styles.xml: vaxl's looks appended.
    if styles.changed:
        if styles_part is None or not source.has(styles_part):
            if styles_part is None:
                conventional = posixpath.join(wb_dir, "styles.xml")  # openpyxl looks only there
                free = part_key(conventional) not in taken
                styles_part = conventional if free else new_part("", "styles")
            if styles_rel is None:
                rels_added.append(Rel(_new_id(used_ids), REL_STYLES,
                                      relative_target(wb_part, styles_part)))
            plan.types[styles_part] = CT_STYLES
        plan.written[styles_part] = encode_xml(styles.text(), styles_codec)

    # workbook.xml.rels
    new_rels = remove_rels(wb_rels_text, rels_dropped) if rels_dropped else wb_rels_text
    if rels_added:
        new_rels = add_rels(new_rels, rels_added)
    if new_rels != wb_rels_text:
        plan.written[wb_rels_part] = encode_xml(new_rels, wb_rels_codec)

    # [Content_Types].xml
    new_types = _patch_types(types_text, defaults, overrides, plan)
    if new_types != types_text:
        plan.written["[Content_Types].xml"] = encode_xml(new_types, types_codec)

    _write_zip(source, plan, out)


def _render_sheet(
    plan: _Plan,
    grid: Grid,
    part: str,
    styles: StyleBook,
    date1904: bool,
    new_part: Callable[..., str],
) -> SheetPart:
    """The grid's worksheet XML; its charts' parts go into the plan."""
    drawing_target = _chart_parts(plan, grid, part, new_part) if grid.charts else None
    return sheet_part(grid, styles.xf, date1904, drawing_target, plan.memo)


def _chart_parts(plan: _Plan, grid: Grid, part: str, new_part: Callable[..., str]) -> str:
    """The parts of the grid's charts (a drawing, a part per chart) put in the plan;
    returns the drawing's target relative to the sheet `part`."""
    drawing = new_part("drawings", "drawing")
    chart_rels: list[Rel] = []
    for n, chart in enumerate(grid.charts, start=1):
        chart_part = new_part("charts", "chart")
        plan.written[chart_part] = chart_xml(chart, grid)
        plan.types[chart_part] = CT_CHART
        chart_rels.append(Rel(f"rId{n}", REL_CHART, relative_target(drawing, chart_part)))
    plan.written[drawing] = drawing_xml(grid.charts, [r.id for r in chart_rels])
    plan.written[rels_part_of(drawing)] = new_rels_text(chart_rels).encode("utf-8")
    plan.types[drawing] = CT_DRAWING
    return relative_target(part, drawing)


def _sheet_entries(text: str, sheets: Found) -> list[_SheetEntry]:
    out = []
    for found in find_elements(text, "sheet", sheets.start, sheets.end):
        attrs = found.attrs
        rid_attr = next((k for k in attrs if k.endswith(":id") or k == "id"), "r:id")
        try:
            sheet_id = int(attrs.get("sheetId", "0"))
        except ValueError:
            sheet_id = 0
        out.append(_SheetEntry(attrs.get("name", ""), sheet_id, attrs.get(rid_attr, ""),
                               found.start, found.end, found.start_tag, rid_attr))
    return out


def _sheet_xml(prefix: str, grid: Grid, sheet_id: int, rid: str, rid_attr: str,
               declare: str | None) -> str:
    tag = f"{prefix}:sheet" if prefix else "sheet"
    state = f' state="{grid.hidden}"' if grid.hidden != "visible" else ""
    ns = f' xmlns:{declare}="{NS_REL_DOC}"' if declare else ""
    return (f'<{tag}{ns} name="{esc(grid.name)}" sheetId="{sheet_id}"{state} '
            f'{rid_attr}="{esc(rid)}"/>')


def _new_id(used: set[str]) -> str:
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    used.add(f"rId{n}")
    return f"rId{n}"


def _collect_garbage(source: SourcePackage, roots: set[str]) -> set[str]:
    """Keys of the dropped parts plus every part reachable only through them."""
    graph: dict[str, set[str]] = {}  # source part key -> target part keys
    for name in source.part_names():
        if not name.lower().endswith(".rels"):
            continue
        folder, base = posixpath.split(name)
        if posixpath.basename(folder).lower() != "_rels":
            continue
        owner = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
        try:
            rels = parse_rels(source.read(name), name)
        except UnusableWorkbook:
            continue
        graph[part_key(owner)] = {
            part_key(resolve_target(owner, r.target)) for r in rels if not r.external
        }
    removed = set(roots)
    changed = True
    while changed:
        changed = False
        referenced_by_kept = set()
        for owner, targets in graph.items():
            if owner not in removed and (owner == "" or source.has(owner)):
                referenced_by_kept |= targets
        for owner in list(removed):
            for target in graph.get(owner, ()):
                if (target not in removed and target not in referenced_by_kept
                        and source.has(target)):
                    removed.add(target)
                    changed = True
    return removed | {part_key(rels_part_of(k)) for k in removed}


def _chain_mentions(data: bytes, sheet_ids: set[int]) -> bool:
    text, _ = decode_xml(data)
    found = {int(m) for m in re.findall(r"""\bi\s*=\s*["'](\d+)["']""", text)}
    return bool(found & sheet_ids)


def _content_types(root: object) -> tuple[dict[str, str], dict[str, str]]:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for el in root:  # type: ignore[attr-defined]
        local = el.tag.rsplit("}", 1)[-1]
        if local == "Default":
            defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
        elif local == "Override":
            overrides[part_key(el.get("PartName", ""))] = el.get("ContentType", "")
    return defaults, overrides


def _patch_types(text: str, defaults: dict[str, str], overrides: dict[str, str],
                 plan: _Plan) -> str:
    written = {part_key(p) for p in plan.written}
    drop = {k for k in plan.removed if k in overrides and k not in written}
    wanted: dict[str, str] = {}
    for part, ctype in plan.types.items():
        key = part_key(part)
        current = overrides.get(key)
        if current is None:
            current = defaults.get(posixpath.splitext(key)[1].lstrip("."))
        if current != ctype:
            wanted[key] = ctype
            if key in overrides:
                drop.add(key)
    if drop:
        for found in reversed(find_elements(text, "Override")):
            if part_key(found.attrs.get("PartName", "")) in drop:
                text = text[: found.start] + text[found.end :]
    if wanted:
        roots = find_elements(text, "Types")
        if not roots:
            raise UnusableWorkbook("The workbook is damaged: its content types part is empty.")
        root = roots[0]
        prefix = root.prefix
        tag = f"{prefix}:Override" if prefix else "Override"
        parts = {part_key(p): p for p in plan.types}
        block = "".join(
            f'<{tag} PartName="/{esc(parts[k])}" ContentType="{esc(v)}"/>'
            for k, v in wanted.items()
        )
        close_at = text.rfind("</", root.start, root.end)
        text = text[:close_at] + block + text[close_at:]
    return text


def _check_copied_parts(source: SourcePackage, plan: _Plan, skip: set[str]) -> None:
    """Start checking, on the worker thread, the CRC of every part that will likely be
    copied unread (all but `skip`); _write_zip waits for the checks it needs, and
    checks any other part itself."""
    for info in source.infos:
        key = part_key(info.filename)
        if info.filename.endswith(("/", "\\")) or key in skip:
            continue
        if part_id(info) in plan.known:
            plan.checked[key] = _SOUND
            continue
        try:
            data = source.raw(info)
        except UnusableWorkbook:
            continue  # refused by _write_zip if it is to be copied
        plan.checked[key] = plan.background.submit(source.verify_raw, info, data)


_SOUND: Future[bool] = Future()
_SOUND.set_result(True)


class PartChecks:
    """The parts of a workbook checked (CRC and size) on a worker thread while vaxl
    computes, so that the write copies them without checking them then.

        checks = PartChecks(path, raw.intact, raw.stamp)   # the work goes on beside
        write_grids(path, grids, checked=checks)
        checks.close()

    Parts the reader already found intact (`intact`, while the file had `stamp`)
    are not checked again.  The write uses a result only for a part whose name,
    place, sizes and CRC are the same in the file it opens, and only if the
    file's size, time and inode are unchanged; any other part it checks itself,
    as without this."""

    def __init__(self, path: Path, intact: frozenset[tuple[object, ...]] = frozenset(),
                 stamp: tuple[int, ...] | None = None) -> None:
        self.path = Path(path)
        self._stop = False
        self._stamp = file_stamp(self.path)
        self._intact = intact if stamp is not None and stamp == self._stamp else frozenset()
        self._work = Background(1, "vaxl-check")  # (Pyodide: the check is done at once)
        self._done = self._work.submit(self._check)

    def _check(self) -> frozenset[tuple[object, ...]]:
        sound = set(self._intact)
        with open(self.path, "rb") as fp:
            source = SourcePackage(fp, self.path.name)
            try:
                for info in source.infos:
                    if self._stop:
                        break
                    if info.filename.endswith(("/", "\\")) or part_id(info) in sound:
                        continue
                    try:
                        data = source.raw(info)
                    except UnusableWorkbook:
                        continue  # the write finds it and says so
                    if stored_part_ok(info, data):
                        sound.add(part_id(info))
            finally:
                source.zip.close()
        return frozenset(sound)

    def sound(self, source: IO[bytes] | None = None) -> frozenset[tuple[object, ...]]:
        """The parts found sound, if `source` (an open file; by default the checked path
        as it is now) is the very file checked, unchanged; else none."""
        try:
            found = self._done.result()
        except Exception:  # noqa: BLE001 - the write checks every part itself then
            return frozenset()
        try:
            now = file_stamp(source.fileno()) if source is not None else file_stamp(self.path)
        except (OSError, ValueError, AttributeError):  # not a real file
            return frozenset()
        return found if now is not None and now == self._stamp else frozenset()

    def close(self) -> None:
        self._stop = True
        self._work.close()


def _write_zip(source: SourcePackage, plan: _Plan, out: IO[bytes]) -> None:
    plan.send_batch()
    pending = {part_key(p): (p, data) for p, data in plan.written.items()}
    sep = "\\" if source.backslashes else "/"
    steps: list[tuple[zipfile.ZipInfo, bytes | None]] = []
    for info in source.infos:
        key = part_key(info.filename)
        if info.filename.endswith(("/", "\\")):
            steps.append((info, None))
        elif key in plan.removed:
            continue
        elif key in pending:
            steps.append((info, pending.pop(key)[1]))
        else:
            # a damaged part is refused before anything is written
            checked = plan.checked.get(key)
            if checked is None or not checked.result():
                source.verify(info)
            steps.append((info, None))
    writer = PackageWriter(out)
    try:
        for info, data in steps:
            if data is None:
                writer.copy_raw(source, info)
            else:
                _write_part(writer, plan, info.filename, data)
        for part, data in pending.values():
            _write_part(writer, plan, part.replace("/", sep), data)
    except BaseException:
        writer.abandon()
        raise
    writer.close()


def _write_part(writer: PackageWriter, plan: _Plan, name: str, data: bytes) -> None:
    ahead = plan.deflated.get(part_key(name))
    if ahead is not None and ahead[0] is data:
        writer.write_deflated(name, ahead[1].result())
    else:
        writer.write(name, data)


# --- fresh workbooks for formats vaxl does not patch ------------------------------


def _fresh_package() -> SourcePackage:
    buf = io.BytesIO()
    writer = PackageWriter(buf)
    writer.write(
        "[Content_Types].xml",
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{CT_TYPES}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT_MAIN}"/>'
            "</Types>"
        ).encode(),
    )
    writer.write("_rels/.rels", new_rels_text([Rel("rId1", REL_OFFICE_DOC, "xl/workbook.xml")])
                 .encode())
    writer.write(
        "xl/workbook.xml",
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL_DOC}">'
            '<bookViews><workbookView/></bookViews><sheets></sheets></workbook>'
        ).encode(),
    )
    writer.write("xl/_rels/workbook.xml.rels", new_rels_text([]).encode())
    writer.close()
    buf.seek(0)
    return SourcePackage(buf, "new workbook")


def raw_tab_grid(tab: RawTab) -> Grid:
    """A tab as the source read it, as plain values (with its number formats)."""
    grid = Grid(name=tab.name, fit_width=False, kind="input")
    for i, row in enumerate(tab.rows):
        for j, value in enumerate(row):
            if value is None or value == "":
                continue
            fmt = tab.format_at(i, j)
            style = Style(num_format=fmt) if fmt and fmt != "General" else None
            grid.set(tab.first_row + i, tab.first_col + j, value, style)
    return grid


def _raw_grids(raw: RawBook, grids: list[Grid]) -> list[Grid]:
    ours = {tab_key(g.name) for g in grids}
    order = raw.tab_names or list(raw.tabs)
    out = []
    for name in order:
        tab = raw.tabs.get(name) or raw.find(name)
        if tab is not None and tab_key(tab.name) not in ours:
            out.append(raw_tab_grid(tab))
    return out


def _read_raw(path: Path) -> RawBook:
    from vaxl.io.xlsx_read import read_workbook

    return read_workbook(path)


# --- files ------------------------------------------------------------------------


def _need(source: SourcePackage, part: str) -> bytes:
    if not source.has(part):
        raise UnusableWorkbook(
            f"'{source.what}' is not a complete Excel workbook (its part '{part}' is missing).",
            "Open it in Excel, save it as an Excel Workbook (.xlsx) and run again.",
        )
    return source.read(part)


def _check_signature(fp: IO[bytes], path: Path) -> None:
    head = fp.read(8)
    fp.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnusableWorkbook(
            f"'{path.name}' is password-protected or is an old-format workbook, not an .xlsx.",
            "Remove the password (File > Info > Protect Workbook) or save it as .xlsx, "
            "then run again.",
        )
    if not head.startswith(b"PK"):
        raise UnusableWorkbook(
            f"'{path.name}' is not an Excel workbook (.xlsx): "
            "it is damaged or another kind of file.",
            "Open it in Excel, save it as an Excel Workbook (.xlsx) and run again.",
        )


def _check_macro_suffix(main_type: str, target: Path, what: str) -> None:
    macro = "macroEnabled" in main_type
    suffix = target.suffix.lower()
    if macro and suffix == ".xlsx":
        raise WriteRefused(
            f"'{what}' holds macros, and an .xlsx file cannot keep them.",
            f"Write it as {target.stem}.xlsm instead.",
        )
    if not macro and suffix == ".xlsm" and main_type == CT_MAIN:
        raise WriteRefused(
            f"'{what}' is a workbook without macros; Excel will not open it named .xlsm.",
            f"Write it as {target.stem}.xlsx instead.",
        )


def _check_tab_name(name: str) -> None:
    if not name or len(name) > 31 or _INVALID_TAB.search(name) or name.startswith("'"):
        raise ValueError(f"not a valid Excel tab name: {name!r}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _refuse_if_open(path: Path) -> None:
    lock = lock_path(path)
    if lock.exists():
        raise WriteRefused(
            f"'{path.name}' is open in Excel (its lock file '{lock.name}' exists).",
            "Close the workbook in Excel and run again (if Excel is not running, "
            f"delete '{lock.name}').",
        )
    office_lock = path.with_name(f".~lock.{path.name}#")
    if office_lock.exists():
        raise WriteRefused(
            f"'{path.name}' is open in LibreOffice (its lock file '{office_lock.name}' exists).",
            "Close the workbook in LibreOffice and run again.",
        )


def _atomic_write(target: Path, produce: Callable[[IO[bytes]], None], backup: bool) -> None:
    folder = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".~vaxl-{target.stem}-", suffix=".tmp",
                                        dir=folder)
    except OSError as exc:
        raise WriteRefused(
            f"vaxl cannot write in the folder '{folder}': {exc.strerror or exc}.",
            "Check that the folder exists and that you may write there, or name "
            "another file with --output.",
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as fp:
            produce(fp)
            fp.flush()
            os.fsync(fp.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        try:
            if backup and target.exists():
                _keep_backup(target)
            os.replace(tmp, target)
        except PermissionError as exc:  # Windows: another program holds the file open
            raise WriteRefused(
                f"vaxl cannot replace '{target.name}': another program has it open.",
                "Close the workbook (and its backup) in every program and run again.",
            ) from exc
        _fsync_dir(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _keep_backup(target: Path) -> None:
    """`book.bak.xlsx` := the current `book.xlsx`, atomically (a hard link where possible)."""
    bak = backup_path(target)
    tmp = target.with_name(f".~vaxl-{target.stem}-{secrets.token_hex(4)}.bak.tmp")
    try:
        os.link(target, tmp)
    except OSError:
        shutil.copy2(target, tmp)
        with open(tmp, "rb+") as fp:
            os.fsync(fp.fileno())
    os.replace(tmp, bak)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
