"""sample_workbooks/vaxl.xlsm: its VBA project, its buttons, LibreOffice, and a vaxl write."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from excel_kit import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

XLSM = ROOT / "sample_workbooks" / "vaxl.xlsm"
BAS = ROOT / "macros" / "vaxl.bas"
SUBS = ["VaxlValidate", "VaxlInvoices", "VaxlReport", "VaxlRun", "VaxlPdfs"]


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "vaxl_build_xlsm", ROOT / "sample_workbooks" / "build_xlsm.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _builder()


def test_the_committed_workbook_is_what_the_script_builds() -> None:
    assert build.xlsm_bytes() == XLSM.read_bytes()


def test_olevba_lists_the_vaxl_module_with_its_subs() -> None:
    olevba = shutil.which("olevba") or str(Path(sys.executable).with_name("olevba"))
    done = subprocess.run([olevba, str(XLSM)], capture_output=True, text=True, timeout=120)
    assert "VBA MACRO vaxl.bas" in done.stdout, done.stdout[-2000:]
    for sub in SUBS:
        assert f"Sub {sub}()" in done.stdout
    modules = re.findall(r"^VBA MACRO (\S+)", done.stdout, re.M)
    assert {"vaxl.bas", "xlwings.bas", "Dictionary.cls", "ThisWorkbook.cls"} <= set(modules)


def test_every_module_stream_decompresses_to_its_source() -> None:
    import olefile
    from oletools.olevba import VBA_Parser

    with zipfile.ZipFile(XLSM) as package:
        project = package.read("xl/vbaProject.bin")
    assert olefile.isOleFile(data=project)
    parser = VBA_Parser("vaxl.xlsm", data=XLSM.read_bytes())
    try:
        code = {name: text for _f, _s, name, text in parser.extract_macros()}
    finally:
        parser.close()
    source = BAS.read_text()
    assert code["vaxl.bas"].replace("\r\n", "\n").strip() == source.replace("\r\n", "\n").strip()
    xlwings_bas, _dictionary = build.xlwings_sources()
    assert "Public Function RunPython" in code["xlwings.bas"]
    assert len(code["xlwings.bas"]) > len(xlwings_bas) * 0.9


def test_the_buttons_run_the_subs_of_the_module() -> None:
    with zipfile.ZipFile(XLSM) as package:
        vml = package.read("xl/drawings/vmlDrawing1.vml").decode()
        types = package.read("[Content_Types].xml").decode()
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == SUBS
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    declared = re.findall(r"^Sub (\w+)\(\)", BAS.read_text(), re.M)
    assert declared == SUBS


@pytest.mark.libreoffice
def test_libreoffice_opens_it_and_its_basic_library_holds_the_module(
    soffice: str, tmp_path: Path
) -> None:
    shutil.copyfile(XLSM, tmp_path / "vaxl.xlsm")
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(tmp_path / "vaxl.xlsm")],
        capture_output=True, text=True, timeout=180,
    )
    ods = tmp_path / "vaxl.ods"
    assert ods.exists(), done.stdout + done.stderr
    with zipfile.ZipFile(ods) as package:
        module = package.read("Basic/VBAProject/vaxl.xml").decode()
        content = package.read("content.xml").decode()
        libraries = {n.split("/")[2] for n in package.namelist()
                     if n.startswith("Basic/VBAProject/") and n.endswith(".xml")}
    for sub in SUBS:
        assert f"Sub {sub}()" in module
        assert f"vnd.sun.star.script:VBAProject.vaxl.{sub}?" in content
    assert {"vaxl.xml", "xlwings.xml", "Dictionary.xml", "ThisWorkbook.xml"} <= libraries
    assert re.findall(r'form:label="([^"]+)"', content)[:3] == ["Validate", "Invoices", "Report"]


def test_a_vaxl_run_keeps_the_vba_project_and_buttons_byte_for_byte(tmp_path: Path) -> None:
    from datetime import date

    from vaxl.service import run_file

    book = tmp_path / "vaxl.xlsm"
    shutil.copyfile(XLSM, book)
    outcome = run_file("run", book, today=date(2026, 12, 1), period="2026-11",
                       issue_date=date(2026, 12, 1))
    assert outcome.result is not None and len(outcome.result.invoices) == 9
    with zipfile.ZipFile(XLSM) as before, zipfile.ZipFile(book) as after:
        kept = [n for n in before.namelist()
                if "vbaproject" in n.lower() or "drawing" in n or "ctrlprop" in n.lower()
                or n in ("xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels")]
        assert "xl/vbaProject.bin" in kept and "xl/drawings/vmlDrawing1.vml" in kept
        for name in kept:
            assert after.read(name) == before.read(name), name
        assert "macroEnabled.main" in after.read("[Content_Types].xml").decode()
        assert len(after.namelist()) > len(before.namelist())


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=12000),
                 st.text(alphabet="ab \r\n'Sub()", max_size=12000).map(str.encode)))
def test_the_ovba_compressor_round_trips_through_oletools(data: bytes) -> None:
    from oletools.olevba import decompress_stream

    assert bytes(decompress_stream(bytearray(build.ovba_compress(data)))) == data
