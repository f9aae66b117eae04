"""The workbook package (an OPC zip) as vaxl patches it.

    SourcePackage(fileobj)     the parts of an existing package, read lazily
    PackageWriter(fileobj)     writes a new zip: changed parts deflated, every
                               other part copied as its raw compressed bytes
    deflate(data) -> Deflated  a part compressed ahead (on another thread) for
                               PackageWriter.write_deflated
    Rel, parse_rels, add_rels, remove_rels, resolve_target, relative_target
    XML text helpers: decode_xml, encode_xml, find_elements, attrs_of, esc, prefix_of

vaxl never re-serialises a user's XML part: a parser would drop namespace
declarations that `mc:Ignorable` needs and reorder what Excel expects in order.
Parts are read with defusedxml (bombs and entities refused) and changed by
inserting or replacing exact element texts.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from vaxl.errors import UnusableWorkbook

__all__ = [
    "NS_PKG_REL",
    "NS_REL_DOC",
    "COMPRESS_LEVEL",
    "Deflated",
    "Found",
    "PackageWriter",
    "PartBroken",
    "Rel",
    "SourcePackage",
    "add_rels",
    "attrs_of",
    "decode_xml",
    "deflate",
    "Stamp",
    "file_stamp",
    "inflate_steps",
    "inflated",
    "stored_bytes",
    "part_id",
    "part_problem",
    "stored_part_ok",
    "encode_xml",
    "esc",
    "find_elements",
    "new_rels_text",
    "parse_rels",
    "parse_xml",
    "part_key",
    "prefix_of",
    "relative_target",
    "remove_rels",
    "rels_part_of",
    "resolve_target",
]

NS_REL_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_EXTERNAL = "External"

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")


def part_key(name: str) -> str:
    """How part names compare: `/`-separated, no leading slash, case-insensitive."""
    return name.replace("\\", "/").lstrip("/").casefold()


def rels_part_of(part: str) -> str:
    """`xl/workbook.xml` -> `xl/_rels/workbook.xml.rels`."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target as a part name (source `""` is the package root)."""
    target = unquote(target.replace("\\", "/"))
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    folder = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")


def relative_target(source_part: str, part: str) -> str:
    """`part` as a target relative to `source_part`'s folder (posixpath.relpath's
    answer; a write names hundreds of parts in a few folders, so each pair of
    folders is worked out once)."""
    start = posixpath.dirname(source_part) or "."
    folder, name = posixpath.split(part)
    way = _relative_folder(folder or ".", start)
    if way.startswith("..") or name in ("", ".", ".."):  # up, maybe into `part` itself
        return posixpath.relpath(part, start)
    return name if way == "." else f"{way}/{name}"


@lru_cache(maxsize=256)
def _relative_folder(folder: str, start: str) -> str:
    return posixpath.relpath(folder, start)


# --- XML text -----------------------------------------------------------------

_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def decode_xml(data: bytes) -> tuple[str, str]:
    """The part's text and the codec to write it back with (BOM kept)."""
    if data.startswith(b"\xef\xbb\xbf"):
        codec = "utf-8-sig"
    elif data.startswith(b"\xff\xfe"):
        codec = "utf-16"
    elif data.startswith(b"\xfe\xff"):
        codec = "utf-16"
    elif data.startswith(b"\x00<"):
        codec = "utf-16-be"
    elif data.startswith(b"<\x00"):
        codec = "utf-16-le"
    else:
        match = _DECL_ENCODING.match(data)
        codec = match.group(1).decode("ascii").lower() if match else "utf-8"
        if codec.replace("-", "").replace("_", "") in {"utf16", "utf16le", "utf16be"}:
            codec = "utf-16-le" if data[:2] == b"<\x00" else "utf-16-be"
    try:
        return data.decode(codec), codec
    except (LookupError, UnicodeDecodeError) as exc:
        raise UnusableWorkbook(
            "The workbook is damaged: one of its parts is not readable text.",
            "Open it in Excel, save it as a new .xlsx and run again.",
        ) from exc


def encode_xml(text: str, codec: str) -> bytes:
    if codec == "utf-16" and not text.startswith("\ufeff"):
        return text.encode("utf-16")  # writes a BOM
    return text.encode(codec)


def parse_xml(data: bytes, what: str) -> Element:
    """Parse an untrusted part; a bomb, an entity or bad XML is an unusable workbook."""
    try:
        root: Element = SafeET.fromstring(data)
        return root
    except (DefusedXmlException, SafeET.ParseError, ValueError) as exc:
        raise UnusableWorkbook(
            f"The workbook is damaged or unsafe: its part '{what}' is not valid XML.",
            "Open it in Excel, save it as a new .xlsx and run again.",
        ) from exc


_ATTR = re.compile(r"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*?"""


def attrs_of(start_tag: str) -> dict[str, str]:
    """Attributes of an element's start tag, unescaped, keyed as written (`r:id`)."""
    out: dict[str, str] = {}
    for match in _ATTR.finditer(start_tag):
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        out[match.group(1)] = html.unescape(raw)
    return out


@dataclass(frozen=True, slots=True)
class Found:
    """One element found in a part's text: its span, its start tag, its prefix."""

    start: int
    end: int
    start_tag: str
    prefix: str
    self_closing: bool

    @property
    def attrs(self) -> dict[str, str]:
        return attrs_of(self.start_tag)


def find_elements(text: str, local: str, start: int = 0, end: int | None = None) -> list[Found]:
    """Every (non-nesting) element with this local name in text[start:end]."""
    pattern = re.compile(
        rf"<(?:([\w.-]+):)?{local}(?=[\s/>])({_ATTRS})(/>|>)", re.DOTALL
    )
    stop = len(text) if end is None else end
    out: list[Found] = []
    pos = start
    while True:
        match = pattern.search(text, pos, stop)
        if match is None:
            return out
        prefix = match.group(1) or ""
        if match.group(3) == "/>":
            out.append(Found(match.start(), match.end(), match.group(0), prefix, True))
            pos = match.end()
            continue
        close = f"</{prefix + ':' if prefix else ''}{local}>"
        close_at = text.find(close, match.end(), stop)
        if close_at < 0:
            close_re = re.compile(rf"</{re.escape(prefix + ':' if prefix else '')}{local}\s*>")
            m2 = close_re.search(text, match.end(), stop)
            if m2 is None:
                return out
            close_end = m2.end()
        else:
            close_end = close_at + len(close)
        out.append(Found(match.start(), close_end, match.group(0), prefix, False))
        pos = close_end


def esc(value: str) -> str:
    """Escape text for an XML attribute or element."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def prefix_of(text: str, namespace: str) -> str | None:
    """The prefix the part's root binds to a namespace (`""` for default, None if unbound)."""
    root = re.search(r"<(?!\?|!)[^>]*>", text)
    if root is None:
        return None
    for name, value in attrs_of(root.group(0)).items():
        if value == namespace:
            if name == "xmlns":
                return ""
            if name.startswith("xmlns:"):
                return name[6:]
    return None


# --- relationships ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rel:
    """One relationship: Id, Type, Target and whether it points outside the package."""

    id: str
    type: str
    target: str
    external: bool = False


def parse_rels(data: bytes, what: str) -> list[Rel]:
    root = parse_xml(data, what)
    out: list[Rel] = []
    for el in root:
        if el.tag.rsplit("}", 1)[-1] != "Relationship":
            continue
        out.append(
            Rel(
                id=el.get("Id", ""),
                type=el.get("Type", ""),
                target=el.get("Target", ""),
                external=el.get("TargetMode", "") == REL_EXTERNAL,
            )
        )
    return out


def rel_xml(rel: Rel, prefix: str = "") -> str:
    tag = f"{prefix}:Relationship" if prefix else "Relationship"
    mode = ' TargetMode="External"' if rel.external else ""
    return f'<{tag} Id="{esc(rel.id)}" Type="{esc(rel.type)}" Target="{esc(rel.target)}"{mode}/>'


def new_rels_text(rels: list[Rel]) -> str:
    body = "".join(rel_xml(r) for r in rels)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{NS_PKG_REL}">{body}</Relationships>'
    )


def add_rels(text: str, rels: list[Rel]) -> str:
    """Insert relationships before the closing tag of a .rels part."""
    roots = find_elements(text, "Relationships")
    if not roots:
        raise UnusableWorkbook("The workbook is damaged: a relationship part has no root.")
    root = roots[0]
    body = "".join(rel_xml(r, root.prefix) for r in rels)
    if root.self_closing:
        tag = root.start_tag[:-2].rstrip()
        close = f"</{root.prefix + ':' if root.prefix else ''}Relationships>"
        return text[: root.start] + tag + ">" + body + close + text[root.end :]
    close_at = text.rfind("</", root.start, root.end)
    return text[:close_at] + body + text[close_at:]


def remove_rels(text: str, ids: set[str]) -> str:
    """Drop the relationships with these Ids."""
    for found in reversed(find_elements(text, "Relationship")):
        if found.attrs.get("Id") in ids:
            text = text[: found.start] + text[found.end :]
    return text


# --- reading a package ----------------------------------------------------------


class SourcePackage:
    """An existing package: its parts by name, readable decompressed or raw."""

    def __init__(self, fileobj: IO[bytes], what: str) -> None:
        self.what = what
        self.fp = fileobj
        try:
            self.zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise UnusableWorkbook(
                f"'{what}' is not a readable Excel workbook (it is damaged or not an .xlsx file).",
                "Open it in Excel, save it as an Excel Workbook (.xlsx) and run again.",
            ) from exc
        self.infos = [i for i in self.zip.infolist()]
        self.by_key: dict[str, zipfile.ZipInfo] = {}
        for info in self.infos:
            key = part_key(info.filename)
            if info.filename.endswith(("/", "\\")):
                continue
            if key in self.by_key:
                raise UnusableWorkbook(
                    f"'{what}' is damaged: it holds two parts named '{info.filename}'.",
                    "Open it in Excel, save it as a new .xlsx and run again.",
                )
            if info.flag_bits & 0x1:
                raise UnusableWorkbook(
                    f"'{what}' is encrypted inside its zip container.",
                    "Save it without a password and run again.",
                )
            self.by_key[key] = info
        self.backslashes = any("\\" in i.filename for i in self.infos)

    def has(self, part: str) -> bool:
        return part_key(part) in self.by_key

    def info(self, part: str) -> zipfile.ZipInfo:
        return self.by_key[part_key(part)]

    def part_names(self) -> list[str]:
        """Every part's normalised name (forward slashes, no leading slash)."""
        return [i.filename.replace("\\", "/").lstrip("/") for i in self.by_key.values()]

    def read(self, part: str) -> bytes:
        try:
            return self.zip.read(self.info(part))
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise UnusableWorkbook(
                f"'{self.what}' is damaged: its part '{part}' cannot be read.",
                "Open it in Excel, save it as a new .xlsx and run again.",
            ) from exc

    def raw(self, info: zipfile.ZipInfo) -> bytes:
        """The entry's compressed bytes exactly as stored."""
        return stored_bytes(self.fp, info, self.what)

    def verify(self, info: zipfile.ZipInfo) -> None:
        """Check an entry we copy unread: decompresses and compares its CRC."""
        if not self.verify_raw(info, self.raw(info)):
            self.read(info.filename)

    def verify_raw(self, info: zipfile.ZipInfo, data: bytes) -> bool:
        """Check an entry's stored bytes (from `raw`) against its CRC and size.

        Touches no file, so it may run on another thread (zlib lets go of the GIL).
        False: compressed in a way only zipfile reads (check it with `read`)."""
        problem = part_problem(info, data)
        if problem == "method":
            return False
        if problem is not None:
            why = "cannot be read" if problem == "unreadable" else "fails its checksum"
            raise UnusableWorkbook(
                f"'{self.what}' is damaged: its part '{info.filename}' {why}.",
                "Open it in Excel, save it as a new .xlsx and run again.",
            )
        return True


def part_id(info: zipfile.ZipInfo) -> tuple[object, ...]:
    """What identifies a stored part's bytes in one file: name, place, sizes, CRC."""
    return (info.filename, info.header_offset, info.compress_size, info.file_size, info.CRC,
            info.compress_type)


Stamp = tuple[int, int, int, int, int]


def file_stamp(path: Path | int) -> Stamp | None:
    """(size, modification and change times in ns, device, inode) of a file (a path or
    an open file's descriptor); None when it cannot be read."""
    try:
        st = os.fstat(path) if isinstance(path, int) else path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino)


def stored_bytes(fp: IO[bytes], info: zipfile.ZipInfo, what: str) -> bytes:
    """A zip entry's compressed bytes exactly as stored in the open file `fp`;
    UnusableWorkbook (naming `what`) when the entry is broken or cut short."""
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise UnusableWorkbook(
            f"'{what}' is damaged: its zip entry '{info.filename}' is broken.",
            "Open it in Excel, save it as a new .xlsx and run again.",
        )
    fields = _LOCAL_HEADER.unpack(header)
    fp.seek(info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
    data = fp.read(info.compress_size)
    if len(data) != info.compress_size:
        raise UnusableWorkbook(
            f"'{what}' is damaged: it is cut short.",
            "Use the backup copy of the workbook, or save it again from Excel.",
        )
    return data


def part_problem(info: zipfile.ZipInfo, data: bytes) -> str | None:
    """Why an entry's stored bytes (from `SourcePackage.raw`) are not intact:
    `method` (compressed in a way only zipfile reads), `unreadable` (not one whole
    deflate stream) or `checksum` (not its stated size and CRC); None when they are.

    Inflates in 1 MiB steps and stops past the stated size, so a part that
    inflates far beyond it (a zip bomb) costs no memory; touches no file and lets
    go of the GIL (zlib), so it may run on another thread."""
    try:
        for _ in inflate_steps(info, data):
            pass
    except PartBroken as broken:
        return broken.reason
    return None


class PartBroken(Exception):
    """A stored part that is not intact; `reason` as part_problem says it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def inflate_steps(info: zipfile.ZipInfo, data: bytes) -> Iterator[bytes]:
    """An entry's bytes in steps of at most 1 MiB, from its stored `data`; PartBroken
    (see part_problem) as soon as they are not intact, or, for the size and CRC, after
    the last step."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PartBroken("method")
    crc = size = 0
    if info.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(data), _STEP):
            chunk = data[at:at + _STEP]
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
            yield chunk
    else:
        inflate = zlib.decompressobj(-15)
        pending = data
        while True:
            try:
                chunk = inflate.decompress(pending, _STEP) if pending else inflate.flush()
            except zlib.error:
                raise PartBroken("unreadable") from None
            pending = inflate.unconsumed_tail
            size += len(chunk)
            if size > info.file_size:
                raise PartBroken("checksum")
            crc = zlib.crc32(chunk, crc)
            if chunk:
                yield chunk
            if not pending and (inflate.eof or not chunk):
                break
        if not inflate.eof:
            raise PartBroken("unreadable")
    if size != info.file_size or crc != info.CRC:
        raise PartBroken("checksum")


def stored_part_ok(info: zipfile.ZipInfo, data: bytes) -> bool:
    """Are an entry's stored bytes intact (see part_problem)?"""
    return part_problem(info, data) is None


def inflated(info: zipfile.ZipInfo, data: bytes) -> bytes | None:
    """A part's bytes, if its stored `data` are intact (see part_problem); else None."""
    try:
        return b"".join(inflate_steps(info, data))
    except PartBroken:
        return None


_STEP = 1 << 20


# --- writing a package ----------------------------------------------------------


COMPRESS_LEVEL = 6


@dataclass(frozen=True, slots=True)
class Deflated:
    """A part compressed for the zip: raw deflate bytes, CRC-32 and plain size."""

    data: bytes
    crc: int
    size: int


def deflate(data: bytes) -> Deflated:
    """Compress a part exactly as PackageWriter.write does (zlib lets go of the GIL,
    so this may run on another thread)."""
    # One call, one release of the GIL: the same bytes as zipfile's
    # compressobj(level, DEFLATED, -15).compress(data) + flush().
    return Deflated(zlib.compress(data, COMPRESS_LEVEL, -15), zlib.crc32(data), len(data))


class PackageWriter:
    """A zip being written: raw copies of untouched entries, deflated new ones."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED, allowZip64=True)

    def copy_raw(self, source: SourcePackage, info: zipfile.ZipInfo) -> None:
        """Append an entry's compressed bytes unchanged (no recompression).

        zipfile has no public raw copy; this mirrors what ZipFile.open(..., 'w')
        does for the bookkeeping (start_dir, filelist, NameToInfo).
        """
        data = source.raw(info)
        new = zipfile.ZipInfo(info.filename, info.date_time)
        new.compress_type = info.compress_type
        new.CRC = info.CRC
        new.compress_size = info.compress_size
        new.file_size = info.file_size
        new.external_attr = info.external_attr
        new.create_system = info.create_system
        new.flag_bits = info.flag_bits & 0x0806  # keep UTF-8 name + deflate options
        new.extra = b""
        zip64 = info.file_size > zipfile.ZIP64_LIMIT or info.compress_size > zipfile.ZIP64_LIMIT
        self._append(new, data, zip64)

    def _append(self, info: zipfile.ZipInfo, data: bytes, zip64: bool) -> None:
        """Append an entry whose `info` is final (CRC and sizes) and its stored bytes,
        doing zipfile's bookkeeping (start_dir, filelist, NameToInfo)."""
        zf = self.zip
        assert zf.fp is not None
        zf.fp.seek(zf.start_dir)
        info.header_offset = zf.fp.tell()
        zf.fp.write(info.FileHeader(zip64))
        zf.fp.write(data)
        zf.start_dir = zf.fp.tell()
        zf.filelist.append(info)
        zf.NameToInfo[info.filename] = info
        setattr(zf, "_didModify", True)  # noqa: B010 - zipfile's private flag

    def abandon(self) -> None:
        """Stop without writing a central directory (the output is discarded)."""
        setattr(self.zip, "_didModify", False)  # noqa: B010 - private flag
        self.zip.close()

    def write(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        self.zip.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED,
                          compresslevel=COMPRESS_LEVEL)

    def write_deflated(self, name: str, part: Deflated) -> None:
        """Append a part compressed beforehand by `deflate`: the same bytes as
        `write(name, data)`, without compressing on this thread.

        Mirrors ZipFile.writestr on a seekable file: the local header that
        writestr writes twice (before the data, then again with the CRC and
        sizes) is written once, already final."""
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        info.flag_bits = 0
        info.file_size = part.size
        info.compress_size = len(part.data)
        info.CRC = part.crc
        zip64 = part.size * 1.05 > zipfile.ZIP64_LIMIT
        self._append(info, part.data, zip64)

    def close(self) -> None:
        self.zip.close()

