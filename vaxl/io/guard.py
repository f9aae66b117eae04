"""Opening untrusted workbook files: a one-line answer, never a traceback or a hang.

    kind = sniff(path)                # 'xlsx', 'xlsb', 'xls', 'ods' or 'csv', or UnusableWorkbook
    raw = read_workbook_safely(path)  # RawBook, or UnusableWorkbook with a one-line reason

`sniff` looks at the bytes, not the extension: missing or empty files, Excel
lock files (`~$name.xlsx`), encrypted workbooks (an OLE compound file holding
EncryptionInfo/EncryptedPackage, an .xls with a FILEPASS record, an ODS whose
manifest has encryption data), things that are not spreadsheets (images,
Word files, zip archives, web pages, Excel 2003 XML), damaged packages, XML
entity declarations (billion laughs, external entities) and zip bombs.

Reading then runs python-calamine, which can abort the whole process on some
hostile .xls files (memory past 4 GB) and raises PanicException (a
BaseException) on others.  .xls, .xlsb and .ods files are therefore read in a
forked child process under an address-space limit and a timeout, the RawBook
coming back pickled.  .xlsx/.xlsm packages, which passed the zip and XML
checks, are read in-process (the pickling round trip of a 100,000-row
timesheet would cost about as much as reading it), with every exception,
BaseException included, turned into UnusableWorkbook.  Where fork is not
available (Windows, Pyodide) everything is read in-process that way.
The file is only ever opened for reading.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vaxl.errors import UnusableWorkbook
from vaxl.io.forked import read_all
from vaxl.sheets.raw import RawBook

__all__ = [
    "ISOLATED_KINDS",
    "MAX_FILE_BYTES",
    "read_workbook_safely",
    "run_isolated",
    "sniff",
]

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
MAX_PART_RATIO = 100
ISOLATED_KINDS = frozenset({"xls", "xlsb", "ods"})
TIMEOUT_SECONDS = 10.0
MEMORY_BYTES = 1024 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "Open it in Excel or LibreOffice and save it as .xlsx, then run vaxl on that file."
_DAMAGED_FIX = (
    "Open it in Excel (which may offer to repair it) and save a new copy, or use a backup."
)
_PASSWORD_FIX = (
    "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
    "Password, clear it), save, and run vaxl again."
)


def _unusable(path: Path, what: str, fix: str = "") -> UnusableWorkbook:
    return UnusableWorkbook(f"{path.name} {what}", fix)


def _damaged(path: Path, detail: str = "") -> UnusableWorkbook:
    detail = " ".join(detail.split())[:120]
    suffix = f" ({detail})" if detail else ""
    return _unusable(path, f"is damaged and cannot be read{suffix}.", _DAMAGED_FIX)


def _encrypted(path: Path) -> UnusableWorkbook:
    return _unusable(path, "is protected with a password (encrypted), so vaxl cannot read it.",
                     _PASSWORD_FIX)


def _not_spreadsheet(path: Path, what: str) -> UnusableWorkbook:
    return _unusable(path, f"is {what}, not a spreadsheet.",
                     "Choose the workbook file (.xlsx) that holds your Clients and Timesheet.")


# --- sniffing --------------------------------------------------------------------


def sniff(path: Path) -> str:
    """The file's kind by its bytes: xlsx (also .xlsm/.xltx), xlsb, xls, ods or csv.

    Raises UnusableWorkbook with a one-line reason when it cannot be used."""
    path = Path(path)
    try:
        return _sniff(path)
    except OSError as exc:
        raise _unusable(path, f"cannot be opened ({exc.strerror or exc}).",
                        "Check that the file exists and that you may read it.") from None


def _sniff(path: Path) -> str:
    if not path.exists():
        raise _unusable(path, "does not exist.", "Check the folder and the file name.")
    if path.is_dir():
        raise _unusable(path, "is a folder, not a workbook file.",
                        "Give the path of the .xlsx file.")
    if path.name.startswith("~$"):
        raise _unusable(
            path,
            "is an Excel lock file (Excel creates it while a workbook is open), not a workbook.",
            f"Run vaxl on '{path.name[2:]}' instead.",
        )
    size = path.stat().st_size
    if size == 0:
        raise _unusable(path, "is empty (0 bytes).", "Use the saved workbook, or a backup.")
    if size > MAX_FILE_BYTES:
        raise _unusable(path, f"is too large to read ({size // 2**20} MB).",
                        "Split the workbook or archive old rows into another file.")
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if head.startswith(b"PK"):
        return _sniff_zip(path)
    if head.startswith(_OLE):
        return _sniff_ole(path, size)
    if _is_lock_file(head, size):
        raise _unusable(path, "is an Excel lock file (the owner of an open workbook), "
                        "not a workbook.", "Run vaxl on the workbook itself.")
    if head[:2] in (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08") and head[3:4] == b"\x00":
        raise _unusable(path, "is an Excel 2-4 worksheet (a format from 1987-1992), "
                        "which vaxl cannot read.", _SAVE_AS)
    for magic, what in (
        (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"), (b"{\\rtf", "an RTF document"),
        (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
        (b"7z\xbc\xaf", "a 7-Zip archive"),
    ):
        if head.startswith(magic):
            raise _not_spreadsheet(path, what)
    return _sniff_text(path, head)


def _is_lock_file(head: bytes, size: int) -> bool:
    """Excel's owner file: a length byte, the user's name, padded with spaces."""
    if not 100 <= size <= 512 or not 0 < head[0] <= 54:
        return False
    name = head[1 : 1 + head[0]]
    padding = head[1 + head[0] : 54].strip(b" ")
    return all(32 <= b < 127 or b >= 128 for b in name) and padding == b""


def _sniff_text(path: Path, head: bytes) -> str:
    text = _text_head(head).lstrip("\ufeff \t\r\n").casefold()
    if text.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")):
        raise _unusable(path, "is a web page (HTML) saved with a spreadsheet extension, "
                        "which vaxl cannot read.", _SAVE_AS)
    if text.startswith("<?xml") or text.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text:
            raise _unusable(path, "is an Excel 2003 XML spreadsheet, which vaxl cannot read.",
                            _SAVE_AS)
        if "office:document" in text:
            raise _unusable(path, "is a flat OpenDocument file (.fods), which vaxl cannot read.",
                            _SAVE_AS)
        raise _not_spreadsheet(path, "an XML file")
    if path.suffix.casefold() in (".csv", ".tsv", ".txt"):
        return "csv"
    raise _unusable(path, "is not a spreadsheet vaxl can read (unknown format).",
                    "Use an .xlsx, .xlsm, .xls, .xlsb, .ods or .csv file.")


def _text_head(head: bytes) -> str:
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(encoding, errors="replace")
    if head[:200].count(0) > 20:
        return head.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace")


def _sniff_zip(path: Path) -> str:
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(path, f"incomplete zip package: {exc}") from None
    with package:
        infos = package.infolist()
        names = {i.filename.replace("\\", "/").lstrip("/").casefold(): i for i in infos}
        if not names:
            raise _damaged(path, "an empty zip archive")
        kind = _zip_kind(path, package, names)
        _check_zip_sizes(path, infos)
        _check_xml_parts(path, package, names)
        if kind == "ods":
            manifest = names.get("meta-inf/manifest.xml")
            text = _read_part(package, manifest, 1 << 20) if manifest is not None else b""
            if b"encryption-data" in text:
                raise _encrypted(path)
        return kind


def _read_part(package: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    try:
        with package.open(info) as stream:
            return stream.read(limit)
    except Exception as exc:  # noqa: BLE001 - any zip/zlib failure means a damaged part
        raise _damaged(Path(package.filename or "The file"), f"{info.filename}: {exc}") from None


def _zip_kind(path: Path, package: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> str:
    main = ""
    rels = names.get("_rels/.rels")
    if rels is not None:
        text = _text_head(_read_part(package, rels, 1 << 16))
        for tag in re.findall(r"<[^<>]*Relationship\b[^<>]*>", text):
            kind = re.search(r"""Type\s*=\s*["']([^"']*)""", tag)
            target = re.search(r"""Target\s*=\s*["']([^"']*)""", tag)
            if kind and target and kind[1].endswith("/officeDocument"):
                main = target[1].replace("\\", "/").lstrip("/").casefold()
                break
    if main.endswith(("workbook.bin", "workbook.xml")) and main not in names:
        raise _damaged(path, f"its workbook part {main} is missing")
    if main.endswith("workbook.bin") or "xl/workbook.bin" in names:
        return "xlsb"
    if main.endswith("workbook.xml") or "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names or "content.xml" in names:
        mimetype = names.get("mimetype")
        mime = _read_part(package, mimetype, 200).decode("ascii", "replace") if mimetype else ""
        if mime and "spreadsheet" not in mime:
            raise _not_spreadsheet(path, f"an OpenDocument file ({mime.strip()})")
        return "ods"
    if main.startswith("word/") or "word/document.xml" in names:
        raise _not_spreadsheet(path, "a Word document")
    if main.startswith("ppt/") or "ppt/presentation.xml" in names:
        raise _not_spreadsheet(path, "a PowerPoint presentation")
    types = names.get("[content_types].xml")
    if any(n.startswith("xl/") for n in names) or (
        types is not None and b"spreadsheetml" in _read_part(package, types, 1 << 16)
    ):
        raise _damaged(path, "the package has no workbook part")
    inner = [n for n in names if n.endswith((".xls", ".xlsx", ".xlsm", ".ods", ".csv"))]
    if inner:
        raise _unusable(path, f"is a zip archive holding '{inner[0]}', not a workbook.",
                        "Unzip it and run vaxl on the file inside.")
    raise _not_spreadsheet(path, "a zip archive")


def _check_zip_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    total = sum(max(i.file_size, 0) for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise _unusable(path, f"unpacks to {total // 2**20} MB, too large to read safely.",
                        "Split the workbook or archive old rows into another file.")
    for info in infos:
        if info.file_size > 64 * 2**20 and info.file_size > MAX_PART_RATIO * max(
            info.compress_size, 1
        ):
            raise _unusable(path, f"has a part ({info.filename}) compressed more than "
                            f"{MAX_PART_RATIO} times (a zip bomb); vaxl will not unpack it.",
                            _SAVE_AS)


def _check_xml_parts(
    path: Path, package: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]
) -> None:
    """Refuse DOCTYPE/ENTITY declarations (billion laughs, external entities)."""
    for name, info in names.items():
        if not name.endswith((".xml", ".rels", ".vml")) or info.is_dir():
            continue
        prolog = _text_head(_read_part(package, info, 16384))
        root = _first_element(prolog)
        if "DOCTYPE" in prolog[:root].upper() or "<!ENTITY" in prolog[:root].upper():
            raise _unusable(path, f"declares XML entities in {info.filename} (a known way to "
                            "attack XML readers); vaxl will not read it.", _SAVE_AS)


def _first_element(text: str) -> int:
    """Index of the root element's '<' (the end of the prolog), or len(text)."""
    index = 0
    while True:
        index = text.find("<", index)
        if index < 0 or index + 1 >= len(text):
            return len(text)
        if text[index + 1].isalpha():
            return index
        index += 1


def _sniff_ole(path: Path, size: int) -> str:
    with open(path, "rb") as handle:
        data = handle.read(min(size, 64 * 2**20))
    lowered = data.lower()

    def has(name: str) -> int:
        return lowered.find(name.lower().encode("utf-16-le") + b"\x00\x00")

    if has("EncryptedPackage") >= 0 or has("EncryptionInfo") >= 0:
        raise _encrypted(path)
    for stream in ("Workbook", "Book"):
        at = has(stream)
        if at >= 0 and at % 128 == 0:
            if _has_filepass(data, at):
                raise _encrypted(path)
            return "xls"
    if has("WordDocument") >= 0:
        raise _not_spreadsheet(path, "a Word document")
    if has("PowerPoint Document") >= 0:
        raise _not_spreadsheet(path, "a PowerPoint presentation")
    if size < 1536:
        raise _damaged(path, "too small to be an Excel file")
    if has("Workbook") >= 0 or has("Book") >= 0:
        return "xls"
    raise _not_spreadsheet(path, "an Office file without a workbook inside")


def _has_filepass(data: bytes, entry: int) -> bool:
    """Whether the Workbook stream begins BOF, FILEPASS (an encrypted .xls).

    Only the stream's first sector is read (no sector chains to follow); a
    stream kept in the mini stream (under 4096 bytes) is left to the reader."""
    try:
        sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
        start, length = struct.unpack_from("<II", data, entry + 116)
    except struct.error:
        return False
    if length < 4096 or sector_size not in (512, 4096):
        return False
    offset = (start + 1) * sector_size
    chunk = data[offset : offset + sector_size]
    pos = 0
    for _ in range(16):
        if pos + 4 > len(chunk):
            return False
        kind, size = struct.unpack_from("<HH", chunk, pos)
        if kind == 0x002F:
            return True
        if pos == 0 and kind not in (0x0809, 0x0409, 0x0209, 0x0009):
            return False
        if kind in (0x0085, 0x000A):
            return False
        pos += 4 + size
    return False


# --- reading ----------------------------------------------------------------------


def read_workbook_safely(path: Path) -> RawBook:
    """Sniff, then read the workbook's tabs; UnusableWorkbook on any failure."""
    path = Path(path)
    kind = sniff(path)
    from vaxl.io.xlsx_read import read_file

    if kind in ISOLATED_KINDS and hasattr(os, "fork"):
        size = path.stat().st_size
        timeout = min(TIMEOUT_SECONDS + size / 2**20, 120.0)
        memory = MEMORY_BYTES + 50 * size
        status, value = run_isolated(read_file, (path, kind), timeout=timeout, memory=memory)
        if status == "ok":
            return value  # type: ignore[no-any-return]
        if status == "unusable":
            raise UnusableWorkbook(*value)
        if status == "timeout":
            raise _unusable(path, f"could not be read within {timeout:.0f} seconds: it is "
                            "damaged or far too complex.", _DAMAGED_FIX)
        if status == "crashed":
            raise _damaged(path, "the reader ran out of memory or crashed on it")
        raise translate(path, *value)
    try:
        return read_file(path, kind)
    except UnusableWorkbook:
        raise
    except OSError as exc:
        raise _unusable(path, f"cannot be read ({exc.strerror or exc}).",
                        "Check that the file exists and that you may read it.") from None
    except BaseException as exc:  # PanicException is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise translate(path, type(exc).__name__, str(exc)) from None


def translate(path: Path, name: str, detail: str) -> UnusableWorkbook:
    """A reader's exception (by class name and text) as a one-line UnusableWorkbook."""
    text = " ".join(detail.split())
    low = text.casefold()
    if name == "PasswordError" or "password" in low or "encrypt" in low:
        return _encrypted(path)
    if "macrosheets" in low:
        return _unusable(path, "contains an Excel 4.0 macro sheet, which vaxl cannot read.",
                         "Save a copy without the macro sheet as .xlsx and run vaxl on it.")
    if "cell limit exceeded" in low or name == "MemoryError":
        return _unusable(path, "declares more cells than vaxl can read safely.", _SAVE_AS)
    if "codepage" in low:
        return _unusable(path, "uses an old text encoding (code page) vaxl cannot read.", _SAVE_AS)
    if "cannot detect file format" in low:
        return _unusable(path, "is not a spreadsheet vaxl can read (unknown format).", _SAVE_AS)
    if name == "UnicodeDecodeError" or name == "Error":
        return _damaged(path, text)
    return _damaged(path, f"{name}: {text}" if name not in ("CalamineError",) else text)


def _limit_memory(extra: int) -> None:
    try:
        import resource

        current = 0
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    current = int(line.split()[1]) * 1024
                    break
        limit = current + extra
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError, ImportError):
        pass


def run_isolated(
    func: Callable[..., Any], args: tuple[Any, ...], *, timeout: float, memory: int
) -> tuple[str, Any]:
    """Run func(*args) in a forked child under an address-space limit and a timeout.

    Returns (status, value): ("ok", result), ("unusable", (message, fix)),
    ("failed", (exception class name, text)), ("timeout", None) or
    ("crashed", None) when the child died (abort, out of memory, signal)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_end)
            import faulthandler

            faulthandler.disable()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            _limit_memory(memory)
            try:
                answer: tuple[str, Any] = ("ok", func(*args))
            except UnusableWorkbook as exc:
                answer = ("unusable", (exc.message, exc.fix))
            except BaseException as exc:  # noqa: BLE001 - PanicException, MemoryError...
                answer = ("failed", (type(exc).__name__, str(exc)[:500]))
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                written = os.write(write_end, view)
                view = view[written:]
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    sent: bytes | None = None
    try:
        sent = read_all(read_end, timeout)  # None: the timeout passed
    finally:
        os.close(read_end)
        if sent is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(pid, 0)
    if sent is None:
        return "timeout", None
    if not sent or os.WIFSIGNALED(status) or os.WEXITSTATUS(status) != 0:
        return "crashed", None
    try:
        return pickle.loads(sent)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - a truncated answer is a crashed child
        return "crashed", None
