"""write_grids as a file operation: atomic replace, backup, Excel's lock file,
--output copies, formats vaxl does not patch, damaged files, and a process
killed with SIGKILL in the middle of a save."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from vaxl.errors import UnusableWorkbook, WriteRefused
from vaxl.io.xlsx_write import backup_path, lock_path, write_grids
from vaxl.layout.grid import Grid
from vaxl.sheets.raw import RawBook, RawTab


def make_book(path: Path, rows: int = 5) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Timesheet")
    ws.write_row(0, 0, ["Date", "Client ID", "Hours"])
    for r in range(1, rows + 1):
        ws.write_row(r, 0, [f"2026-11-{r % 28 + 1:02d}", "ACME", 1.5])
    wb.close()
    return path


def grid(text: str = "first") -> Grid:
    g = Grid("Validation")
    g.put_row(1, ["Severity", "Problem"])
    g.put_row(2, ["error", text])
    return g


def validation_rows(path: Path) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb["Validation"].iter_rows(values_only=True)]


def test_in_place_write_keeps_a_backup_of_the_previous_version(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    original = book.read_bytes()
    assert write_grids(book, [grid("first")]) == book
    bak = tmp_path / "book.bak.xlsx"
    assert backup_path(book) == bak
    assert bak.read_bytes() == original
    first = book.read_bytes()
    write_grids(book, [grid("second")])
    assert bak.read_bytes() == first
    assert validation_rows(book) == [("Severity", "Problem"), ("error", "second")]
    assert openpyxl.load_workbook(book).sheetnames == ["Timesheet", "Validation"]
    assert not list(tmp_path.glob(".~vaxl-*"))


def test_file_mode_is_kept(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    os.chmod(book, 0o640)
    write_grids(book, [grid()])
    assert (book.stat().st_mode & 0o777) == 0o640


def test_lock_file_refuses_and_changes_nothing(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    original = book.read_bytes()
    lock = tmp_path / "~$book.xlsx"
    assert lock_path(book) == lock
    lock.write_bytes(b"\x00" * 165)
    with pytest.raises(WriteRefused) as info:
        write_grids(book, [grid()])
    assert "Close the workbook in Excel and run again" in str(info.value)
    assert "~$book.xlsx" in str(info.value)
    assert book.read_bytes() == original
    assert not backup_path(book).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "~$book.xlsx"]


def test_lock_file_of_the_output_refuses(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    (tmp_path / "~$copy.xlsx").write_bytes(b"lock")
    with pytest.raises(WriteRefused):
        write_grids(book, [grid()], output=tmp_path / "copy.xlsx")
    assert not (tmp_path / "copy.xlsx").exists()


def test_output_leaves_the_original_untouched(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    original = book.read_bytes()
    stat = book.stat()
    out = tmp_path / "sub" / "copy.xlsx"
    out.parent.mkdir()
    assert write_grids(book, [grid()], output=out) == out
    assert book.read_bytes() == original
    assert book.stat().st_mtime_ns == stat.st_mtime_ns
    assert not backup_path(book).exists() and not backup_path(out).exists()
    assert validation_rows(out) == [("Severity", "Problem"), ("error", "first")]


def test_output_equal_to_the_input_is_an_in_place_write(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    original = book.read_bytes()
    write_grids(book, [grid()], output=tmp_path / "." / "book.xlsx")
    assert backup_path(book).read_bytes() == original


@pytest.mark.parametrize("suffix", [".xls", ".xlsb", ".ods", ".csv"])
def test_other_formats_are_never_written_in_place(tmp_path: Path, suffix: str) -> None:
    book = tmp_path / f"book{suffix}"
    book.write_bytes(b"Date,Client ID\n2026-11-03,ACME\n")
    with pytest.raises(WriteRefused) as info:
        write_grids(book, [grid()], raw=RawBook())
    assert "--output book.xlsx" in str(info.value)
    assert book.read_bytes() == b"Date,Client ID\n2026-11-03,ACME\n"


def test_other_formats_with_output_make_a_fresh_workbook(tmp_path: Path) -> None:
    book = tmp_path / "book.ods"
    book.write_bytes(b"not really ods; the raw book is what counts")
    raw = RawBook(
        tabs={
            "Timesheet": RawTab(
                "Timesheet",
                [["Date", "Client ID", "Hours", "Notes", "Start"],
                 [date(2026, 11, 3), "ACME", 1.5, "=SUM(A1)", dtime(9, 30)],
                 [datetime(2026, 11, 4, 8, 0), "BETA", 2, "-x", None]],
            ),
            "Clients": RawTab("Clients", [["Client ID", "Rate"], ["ACME", 50]], first_row=3),
        },
        tab_names=["Clients", "Timesheet", "Notes"],
    )
    out = tmp_path / "book.xlsx"
    write_grids(book, [grid()], output=out, raw=raw)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Clients", "Timesheet", "Validation"]
    ts = wb["Timesheet"]
    assert ts["A2"].value == datetime(2026, 11, 3)
    assert ts["A2"].is_date
    assert ts["A3"].value == datetime(2026, 11, 4, 8, 0)
    assert ts["C2"].value == 1.5 and ts["C3"].value == 2
    assert ts["D2"].value == "=SUM(A1)" and ts["D2"].data_type == "s"
    assert ts["D3"].value == "-x" and ts["D3"].data_type == "s"
    assert ts["E2"].value == dtime(9, 30)
    assert wb["Clients"]["A3"].value == "Client ID" and wb["Clients"]["B4"].value == 50
    assert validation_rows(out)[1] == ("error", "first")


def test_unsupported_output_format_is_refused(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    with pytest.raises(WriteRefused, match=r"\.xlsx"):
        write_grids(book, [grid()], output=tmp_path / "copy.ods")


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, I am text", b"PK\x03\x04broken",
     b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600],
    ids=["empty", "text", "broken-zip", "ole-encrypted"],
)
def test_not_a_package_is_unusable(tmp_path: Path, content: bytes) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(content)
    with pytest.raises(UnusableWorkbook) as info:
        write_grids(book, [grid()])
    assert info.value.fix
    assert book.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_zip_without_workbook_is_unusable(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnusableWorkbook):
        write_grids(book, [grid()])


def test_missing_file_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(UnusableWorkbook, match="not found"):
        write_grids(tmp_path / "nope.xlsx", [grid()])


CRASH_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import vaxl.io.package as package
    import vaxl.io.xlsx_write as xlsx_write
    from vaxl.layout.grid import Grid

    phase = sys.argv[2]
    if phase == "zip":  # slow every zip entry down so the kill lands mid-file
        original_write, original_copy = package.PackageWriter.write, package.PackageWriter.copy_raw
        def slow(fn):
            def inner(self, *args):
                fn(self, *args)
                self.zip.fp.flush()
                print("writing", flush=True)
                time.sleep(0.05)
            return inner
        package.PackageWriter.write = slow(original_write)
        package.PackageWriter.copy_raw = slow(original_copy)
    if phase == "backup":  # stop between keeping the backup and replacing the file
        keep = xlsx_write._keep_backup
        def keep_then_wait(target):
            keep(target)
            print("writing", flush=True)
            time.sleep(30)
        xlsx_write._keep_backup = keep_then_wait
    g = Grid("Validation")
    rows = 80000 if phase == "render" else 200  # ~1 s of rendering
    for r in range(1, rows + 1):
        g.put_row(r, [f"row {r}", r, r * 0.5, "some longer text to write"])
    if phase == "render":
        print("writing", flush=True)
    xlsx_write.write_grids(Path(sys.argv[1]), [g])
    print("done", flush=True)
    """
)


@pytest.mark.parametrize(
    ("phase", "delays"),
    [("render", (0.05, 0.3)), ("zip", (0.0, 0.12, 0.3)), ("backup", (0.0, 0.1))],
)
def test_kill_during_save_leaves_the_original_whole(
    tmp_path: Path, phase: str, delays: tuple[float, ...]
) -> None:
    book = make_book(tmp_path / "book.xlsx", rows=2000)
    original = book.read_bytes()
    script = tmp_path / "crash.py"
    script.write_text(CRASH_SCRIPT)
    for delay in delays:
        proc = subprocess.Popen([sys.executable, str(script), str(book), phase],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        assert proc.poll() is None, "the save finished before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        assert book.read_bytes() == original
        with zipfile.ZipFile(book) as zf:
            assert zf.testzip() is None
        assert openpyxl.load_workbook(book, read_only=True).sheetnames == ["Timesheet"]
        bak = backup_path(book)
        assert not bak.exists() or bak.read_bytes() == original
        stale = list(tmp_path.glob(".~vaxl-*"))
        if phase != "render":
            assert stale and stale[0].stat().st_size > 0  # the kill hit a half-written file
        for path in stale:
            path.unlink()  # what a killed save leaves: a temporary file, never a half book
    # A save that is not interrupted then works on the same file.
    write_grids(book, [grid()])
    assert backup_path(book).read_bytes() == original
    assert validation_rows(book)[1] == ("error", "first")


def test_libreoffice_lock_file_refuses(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    original = book.read_bytes()
    (tmp_path / ".~lock.book.xlsx#").write_text("user,host")
    with pytest.raises(WriteRefused, match="LibreOffice"):
        write_grids(book, [grid()])
    assert book.read_bytes() == original


def test_500_small_tabs_into_a_100k_row_book_is_fast(tmp_path: Path) -> None:
    """Untouched parts are copied raw, so the size of the user's data barely matters
    (measured: ~0.16 s here for this case; a plain zipfile recompressing copy alone
    takes ~0.45 s). The bound is generous for shared CI machines."""
    book = tmp_path / "big.xlsx"
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>task {r}'
        f"</t></is></c><c r=\"C{r}\"><v>1.25</v></c></row>"
        for r in range(1, 100_001)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'))
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                    f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                    '<sheet name="Timesheet" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}"><Relationship '
                    f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                    "</Relationships>")
        zf.writestr("xl/worksheets/sheet1.xml",
                    f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>')
    grids = []
    for i in range(500):
        g = Grid(f"INV-2026-{i:04d}")
        for r in range(1, 20):
            g.put_row(r, ["Description", r * 1.5, "x"])
        grids.append(g)
    write_grids(book, grids)
    with zipfile.ZipFile(book) as zf:
        assert len([n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]) == 501
    assert openpyxl.load_workbook(book, read_only=True).sheetnames[-1] == "INV-2026-0499"


def test_an_existing_output_keeps_its_previous_version(tmp_path: Path) -> None:
    import openpyxl

    from vaxl.io.xlsx_write import backup_path, write_grids
    from vaxl.layout.grid import Grid

    source = tmp_path / "book.xlsx"
    other = tmp_path / "other.xlsx"
    for path in (source, other):
        wb = openpyxl.Workbook()
        wb.active["A1"] = path.stem
        wb.save(path)
    before = other.read_bytes()
    grid = Grid("Validation")
    grid.set(1, 1, "ok")
    write_grids(source, [grid], output=other)
    assert backup_path(other).read_bytes() == before


def test_a_read_only_workbook_is_refused(tmp_path: Path) -> None:
    import openpyxl
    import pytest

    from vaxl.errors import WriteRefused
    from vaxl.io.xlsx_write import write_grids
    from vaxl.layout.grid import Grid

    book = tmp_path / "book.xlsx"
    openpyxl.Workbook().save(book)
    book.chmod(0o444)
    before = book.read_bytes()
    with pytest.raises(WriteRefused, match="read-only"):
        write_grids(book, [Grid("Validation")])
    assert book.read_bytes() == before
