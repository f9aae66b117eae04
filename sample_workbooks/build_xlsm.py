"""Build sample_workbooks/vaxl.xlsm: the sample workbook with its buttons and VBA, no Excel needed.

    python sample_workbooks/build_xlsm.py            writes vaxl.xlsm (same bytes every time)
    python sample_workbooks/build_xlsm.py --check    exits 1 when the committed file is stale

The workbook is the English sample (vaxl.samples) plus a `vaxl` control tab
first: the billing month in B1 (2026-11, the sample's month) and four
form-control buttons (Validate, Invoices, Report, Run) bound to the Subs of
macros/vaxl.bas.

The VBA project (xl/vbaProject.bin) is compiled from source with the
`ms-ovba` package (MS-OVBA compression, dir and PROJECT streams, the OLE
container): the document modules ThisWorkbook and one per sheet, the `vaxl`
module from macros/vaxl.bas, and, so that the workbook runs without the
xlwings add-in ("standalone"), xlwings' own VBA module (xlwings.bas from the
installed xlwings) and its `Dictionary` class (taken from xlwings'
quickstart_standalone.xlsm with oletools).  The project carries no compiled
p-code (performance cache version 0xFFFF), so Excel compiles the source when
it opens the file.  Requires the dev extras: ms-ovba, oletools, xlsxwriter.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing vaxl

TARGET = HERE / "vaxl.xlsm"
BAS = ROOT / "macros" / "vaxl.bas"
PROJECT_ID = "{6C9B2A61-5E0F-4B7A-9D0C-3F1E2A4B5C6D}"
BUTTONS = (  # caption, macro, row (0-based) on the vaxl tab
    ("Validate", "VaxlValidate", 1),
    ("Invoices", "VaxlInvoices", 3),
    ("Report", "VaxlReport", 5),
    ("Run all", "VaxlRun", 7),
    ("PDF invoices", "VaxlPdfs", 9),
)
WORKBOOK_GUID = uuid.UUID("00020819-0000-0000-C000-000000000046")
SHEET_GUID = uuid.UUID("00020820-0000-0000-C000-000000000046")


def _compress_chunk(chunk: bytes) -> bytes:
    """One chunk (at most 4096 bytes) as flag bytes, literals and copy tokens."""
    size = len(chunk)
    body = bytearray()
    seen: dict[bytes, list[int]] = {}
    indexed = pos = 0
    while pos < size:
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= size:
                break
            while indexed < pos:  # positions before pos become match candidates
                if indexed + 3 <= size:
                    seen.setdefault(chunk[indexed:indexed + 3], []).append(indexed)
                indexed += 1
            bits = max((pos - 1).bit_length(), 4)
            limit = min((0xFFFF >> bits) + 3, size - pos)
            best_len = best_off = 0
            if limit >= 3:
                for cand in reversed(seen.get(chunk[pos:pos + 3], [])[-256:]):
                    length = 3
                    while length < limit and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                body += token.to_bytes(2, "little")
                body[flag_at] |= 1 << bit
                pos += best_len
            else:
                body.append(chunk[pos])
                pos += 1
    return bytes(body)


def ovba_compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 compression (the one ms-ovba's own compressor gets wrong on
    longer streams: its output does not decompress).  Greedy longest match over
    the chunk so far, found through an index of 3-byte prefixes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        body = _compress_chunk(chunk)
        if len(body) > 4096:  # incompressible: a raw chunk of exactly 4096 bytes
            out += (0x3FFF).to_bytes(2, "little") + chunk.ljust(4096, b"\x00")
        else:
            out += ((len(body) - 1) | 0xB000).to_bytes(2, "little") + body
    return bytes(out)


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    """ms-ovba writes its intermediate files into the working directory."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _doc_source(name: str, guid: uuid.UUID) -> str:
    return _crlf(
        f'Attribute VB_Name = "{name}"\n'
        f'Attribute VB_Base = "0{{{str(guid).upper()}}}"\n'
        "Attribute VB_GlobalNameSpace = False\n"
        "Attribute VB_Creatable = False\n"
        "Attribute VB_PredeclaredId = True\n"
        "Attribute VB_Exposed = True\n"
        "Attribute VB_TemplateDerived = False\n"
        "Attribute VB_Customizable = True\n"
    )


def xlwings_sources() -> tuple[str, str]:
    """(xlwings.bas, Dictionary.cls) of the installed xlwings, as VBA stores them."""
    import xlwings
    from oletools.olevba import VBA_Parser

    folder = Path(xlwings.__file__).parent
    module = (folder / "xlwings.bas").read_text(encoding="cp1252")
    parser = VBA_Parser(str(folder / "quickstart_standalone.xlsm"))
    try:
        classes = {name: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()
    return _crlf(module), _crlf(classes["Dictionary.cls"])


def vba_project(sheet_codenames: list[str]) -> bytes:
    """vbaProject.bin with the document modules, vaxl.bas and xlwings' modules."""
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.module_base import ModuleBase
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    class ClassModule(ModuleBase):
        """A class module: module type 0x0022 in the dir stream, `Class=` in PROJECT."""

        def __init__(self, name: str) -> None:
            super().__init__(name)
            self.type = "Document"  # ms-ovba packs 0x0022 (class/document) for this type

        def to_project_module_string(self) -> str:
            return "Class=" + self.modName.value

    xlwings_bas, dictionary_cls = xlwings_sources()
    sources: list[tuple[ModuleBase, str]] = []
    workbook = DocModule("ThisWorkbook")
    sources.append((workbook, _doc_source("ThisWorkbook", WORKBOOK_GUID)))
    for name in sheet_codenames:
        sources.append((DocModule(name), _doc_source(name, SHEET_GUID)))
    sources.append((StdModule("vaxl"), BAS.read_text(encoding="cp1252")))
    sources.append((StdModule("xlwings"), xlwings_bas))
    sources.append((ClassModule("Dictionary"), dictionary_cls))

    project = VbaProject()
    project.project_id = PROJECT_ID
    for libid, version, path, title, name in (
        ("00020430-0000-0000-C000-000000000046", "2.0",
         "C:\\Windows\\System32\\stdole2.tlb", "OLE Automation", "stdole"),
        ("2DF8D04C-5BFA-101B-BDE5-00AA0044DE52", "2.0",
         "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL",
         "Microsoft Office 16.0 Object Library", "Office"),
    ):
        ref = ReferenceRegistered(LibidReference(uuid.UUID(libid), version, "0", path, title))
        project.add_reference(Reference(ref, name))

    from ms_ovba_compression.ms_ovba import MsOvba

    state = random.getstate()
    random.seed(20261101)  # the PROJECT stream's obfuscation seeds: same bytes every build
    original = MsOvba.compress
    MsOvba.compress = lambda self, data: ovba_compress(bytes(data))  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory() as tmp, _inside(Path(tmp)):
            for index, (module, text) in enumerate(sources):
                path = Path(tmp) / f"module{index}"
                path.with_name(path.name + ".new").write_bytes(text.encode("cp1252"))
                module.add_file(str(path))
                project.add_module(module)
            ProjectOleFile.write_file(project)
            return (Path(tmp) / "vbaProject.bin").read_bytes()
    finally:
        MsOvba.compress = original  # type: ignore[method-assign]
        random.setstate(state)


def xlsm_bytes() -> bytes:
    """The workbook's bytes: the same on every call."""
    import xlsxwriter

    from vaxl.io.excel import CONTROL_TAB, MONTH_LABEL
    from vaxl.samples import CREATED, SAMPLE_MONTH, sample_data, write_sample_data

    data = sample_data("en")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({
        "title": data.title, "author": data.author, "created": CREATED,
        "comments": "vaxl sample workbook with buttons (fictional data)",
    })
    control = book.add_worksheet(CONTROL_TAB)
    bold = book.add_format({"bold": True})
    note = book.add_format({"italic": True, "font_color": "#6B7280", "text_wrap": True,
                            "valign": "top"})
    control.write_string(0, 0, MONTH_LABEL, bold)
    control.write_string(0, 1, SAMPLE_MONTH)
    control.merge_range(
        2, 0, 8, 1,
        "Invoices and Report bill the month in B1. Type another month (2026-10) or "
        "clear B1 to bill the last complete month. Set up Python first: docs/excel.md.",
        note,
    )
    control.set_column(0, 0, 16)
    control.set_column(1, 1, 14)
    control.set_column(3, 3, 18)
    for caption, macro, row in BUTTONS:
        control.insert_button(row, 3, {"macro": macro, "caption": caption,
                                       "width": 120, "height": 30})
    write_sample_data(book, data)
    control.activate()
    control.set_first_sheet()
    sheets = book.worksheets()
    book.set_vba_name("ThisWorkbook")
    names = []
    for index, sheet in enumerate(sheets, start=1):
        sheet.set_vba_name(f"Sheet{index}")
        names.append(f"Sheet{index}")
    book.add_vba_project(io.BytesIO(vba_project(names)), is_stream=True)
    book.close()
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    data = xlsm_bytes()
    if TARGET.exists() and TARGET.read_bytes() == data:
        print(f"{TARGET.name}: up to date")
        return 0
    if "--check" in argv:
        print(f"{TARGET.name}: stale (run python sample_workbooks/build_xlsm.py)")
        return 1
    TARGET.write_bytes(data)
    print(f"{TARGET.name}: written ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
