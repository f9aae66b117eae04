"""vaxl.io.guard: sniffing bad files and reading risky formats in a limited child process."""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vaxl.errors import UnusableWorkbook
from vaxl.io.guard import read_workbook_safely, run_isolated, sniff
from vaxl.io.xlsx_read import read_file


def good_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Clients"
    wb.active.append(["Client ID", "Client Name", "Billing"])
    wb.save(path)
    return path


def refused(path: Path) -> str:
    with pytest.raises(UnusableWorkbook) as err:
        read_workbook_safely(path)
    text = str(err.value)
    assert "\n" not in text and text.startswith(path.name)
    return text


def rezip(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in change:
                data = change[info.filename]
                if data is not None:
                    new.writestr(info.filename, data)
            else:
                new.writestr(info.filename, old.read(info))
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)
    return target


def test_good_xlsx_is_read(tmp_path: Path) -> None:
    path = good_xlsx(tmp_path / "ok.xlsx")
    assert sniff(path) == "xlsx"
    assert read_workbook_safely(path).tab_names == ["Clients"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("gone.xlsx", None, "does not exist"),
        ("empty.xlsx", b"", "is empty (0 bytes)"),
        ("~$book.xlsx", b"\x05Alice" + b" " * 48 + b"\x05\x00A\x00l\x00", "lock file"),
        ("owner.xlsx", b"\x05Alice" + b" " * 48 + b"\x05\x00" + b"A\x00" * 50, "lock file"),
        ("pic.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "a PNG image, not a spreadsheet"),
        ("page.xls", "<html><body><table><tr><td>1</td></tr></table></body></html>".encode(
            "utf-16"), "web page (HTML)"),
        ("x2003.xls", b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:'
                      b'office:spreadsheet"/>', "Excel 2003 XML"),
        ("old.xls", b"\x09\x04\x06\x00\x00\x00\x10\x00" + b"\x00" * 200, "Excel 2-4 worksheet"),
        ("notes.xlsx", b"just some words, nothing more" * 10, "not a spreadsheet vaxl can read"),
        ("half.xlsx", b"PK\x03\x04" + b"\x00" * 300, "is damaged"),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, data: bytes | None, words: str) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    assert words in refused(path)


def test_zip_kinds(tmp_path: Path) -> None:
    good = good_xlsx(tmp_path / "ok.xlsx")
    word = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(word, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert "a Word document, not a spreadsheet" in refused(word)
    archive = tmp_path / "backup.xlsx"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(good, "inner/book.xlsx")
    assert "zip archive holding 'inner/book.xlsx'" in refused(archive)
    gutted = rezip(good, tmp_path / "gutted.xlsx", {"xl/workbook.xml": None})
    assert "is damaged" in refused(gutted)
    empty = tmp_path / "empty.xlsx"
    zipfile.ZipFile(empty, "w").close()
    assert "is damaged" in refused(empty)


def test_truncated_and_bitflipped_packages(tmp_path: Path) -> None:
    data = good_xlsx(tmp_path / "ok.xlsx").read_bytes()
    half = tmp_path / "half.xlsx"
    half.write_bytes(data[: len(data) // 2])
    assert "is damaged" in refused(half)


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>',
        '<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE foo [ <!ENTITY % x SYSTEM "f"> ]>',
    ],
)
def test_xml_entity_declarations_are_refused(tmp_path: Path, prolog: str) -> None:
    good = good_xlsx(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    body = sheet.split("?>", 1)[-1]
    part = {"xl/worksheets/sheet1.xml": (prolog + body).encode()}
    bomb = rezip(good, tmp_path / "bomb.xlsx", part)
    assert "declares XML entities in xl/worksheets/sheet1.xml" in refused(bomb)


def test_text_mentioning_doctype_in_a_cell_is_not_refused(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Clients"
    wb.active["A1"] = "<!DOCTYPE html> is how a web page starts"
    wb.save(tmp_path / "doc.xlsx")
    assert read_workbook_safely(tmp_path / "doc.xlsx").tabs["Clients"].rows[0][0].startswith("<!")


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    good = good_xlsx(tmp_path / "ok.xlsx")
    bomb = rezip(good, tmp_path / "bomb.xlsx", {"xl/media/zeros.bin": b"\x00" * (70 * 2**20)})
    assert "zip bomb" in refused(bomb)


def ole_with(names: list[str], size: int = 4096) -> bytes:
    """A minimal compound-file image: header + directory entries naming streams."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<H", header, 30, 9)
    entries = bytearray()
    for name in ["Root Entry", *names]:
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded))
        entries += entry
    data = bytes(header) + bytes(entries)
    return data + b"\x00" * (size - len(data))


@pytest.mark.parametrize(
    ("names", "words"),
    [
        (["EncryptionInfo", "EncryptedPackage"], "protected with a password"),
        (["WordDocument"], "a Word document"),
        (["Something"], "without a workbook inside"),
    ],
)
def test_compound_files(tmp_path: Path, names: list[str], words: str) -> None:
    path = tmp_path / "file.xlsx"
    path.write_bytes(ole_with(names))
    assert words in refused(path)


def test_encrypted_corpus_files(corpus_dir: Path) -> None:
    for name in ("poi__protect.xlsx", "excelize__encryptAES.xlsx", "poi__password.xls",
                 "sheetjs__password_2002_40_xor.xls", "roo__encrypted-letmein.ods",
                 "poi__protected_passtika.xlsb"):
        assert "protected with a password" in refused(corpus_dir / name), name


def test_panic_exception_becomes_a_one_line_reason(corpus_dir: Path) -> None:
    text = refused(corpus_dir / "poi__Simple.xlsb")
    assert "is damaged" in text


def test_child_process_is_killed_at_the_timeout() -> None:
    started = time.monotonic()
    status, value = run_isolated(time.sleep, (30,), timeout=1.0, memory=2**30)
    assert (status, value) == ("timeout", None)
    assert time.monotonic() - started < 5


def test_child_process_crash_and_memory_limit() -> None:
    assert run_isolated(os.abort, (), timeout=10, memory=2**30) == ("crashed", None)
    status, value = run_isolated(bytearray, (3 * 2**30,), timeout=10, memory=2**30)
    assert status == "failed" and value[0] == "MemoryError"


def test_child_process_returns_values_and_errors() -> None:
    assert run_isolated(sum, ([1, 2, 3],), timeout=10, memory=2**30) == ("ok", 6)

    def boom() -> None:
        raise UnusableWorkbook("book.xls is damaged.", "Use a backup.")

    assert run_isolated(boom, (), timeout=10, memory=2**30) == (
        "unusable", ("book.xls is damaged.", "Use a backup."))


def test_oleloop_is_bounded_in_the_child(corpus_dir: Path) -> None:
    """calamine grows past 4 GB on this file; in the child it dies quickly instead."""
    started = time.monotonic()
    status, _ = run_isolated(read_file, (corpus_dir / "phpss__oleloop.xls", "xls"),
                             timeout=10, memory=2**30)
    assert status in ("crashed", "failed")
    assert time.monotonic() - started < 10


def test_reading_never_changes_the_file(tmp_path: Path) -> None:
    path = good_xlsx(tmp_path / "ok.xlsx")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_workbook_safely(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_stream_helper_roundtrip() -> None:  # the helper above builds what sniff expects
    data = ole_with(["Workbook"])
    assert io.BytesIO(data).read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_unreadable_file_is_a_one_line_reason(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = good_xlsx(tmp_path / "locked.xlsx")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("vaxl.io.guard.open", denied, raising=False)
    assert "cannot be opened (Permission denied)" in refused(path)
