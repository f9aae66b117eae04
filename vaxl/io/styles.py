"""vaxl's cell looks appended to a workbook's xl/styles.xml.

    StyleBook(text | None)      the user's styles part (None: a fresh default one)
    book.xf(style) -> int       the cellXfs index for a vaxl Style (added when new)
    book.text() -> str          the part's text with vaxl's entries appended

The user's fonts, fills, borders, number formats and cell formats keep their
positions and their bytes: vaxl only appends, and reuses an entry whose exact
text is already there (so re-running adds nothing new).
"""

from __future__ import annotations

import re

from vaxl.io.package import Found, attrs_of, esc, find_elements
from vaxl.layout.grid import Style

__all__ = ["BUILTIN_FORMATS", "DEFAULT_STYLES", "StyleBook"]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

BUILTIN_FORMATS: dict[str, int] = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "@": 49,
}

_DEFAULT_FONT = '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
_DEFAULT_FILLS = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
]
_DEFAULT_BORDER = "<border><left/><right/><top/><bottom/><diagonal/></border>"
_DEFAULT_XF = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'

DEFAULT_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{NS_MAIN}">'
    f'<fonts count="1">{_DEFAULT_FONT}</fonts>'
    f'<fills count="2">{"".join(_DEFAULT_FILLS)}</fills>'
    f'<borders count="1">{_DEFAULT_BORDER}</borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    f'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

# The order CT_Stylesheet requires; a missing section is inserted after its predecessor.
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs")
_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
          "cellXfs": "xf", "cellStyleXfs": "xf"}
_SEEDS = {"numFmts": [], "fonts": [_DEFAULT_FONT], "fills": _DEFAULT_FILLS,
          "borders": [_DEFAULT_BORDER], "cellXfs": [_DEFAULT_XF], "cellStyleXfs": []}


class _Section:
    """One list of a styles part (fonts, fills, ...): existing child texts plus additions."""

    def __init__(self, text: str, name: str, found: Found | None) -> None:
        self.name = name
        self.found = found
        self.children: list[str] = []
        if found is not None:
            for child in find_elements(text, _CHILD[name], found.start + len(found.start_tag),
                                       found.end):
                self.children.append(text[child.start : child.end])
        self.existing = len(self.children)
        if found is None:
            self.children = list(_SEEDS[name])
        self.added: list[str] = []

    def index_of(self, child: str) -> int:
        try:
            return self.children.index(child)
        except ValueError:
            self.children.append(child)
            self.added.append(child)
            return len(self.children) - 1

    @property
    def changed(self) -> bool:
        return bool(self.added)


class StyleBook:
    """Maps vaxl Styles to cellXfs indexes, appending to the user's styles."""

    def __init__(self, text: str | None) -> None:
        self.original = text if text is not None else DEFAULT_STYLES
        self.created = text is None
        src = self.original
        root = re.search(r"<(?:([\w.-]+):)?styleSheet\b", src)
        self.prefix = (root.group(1) or "") if root else ""
        self.sections: dict[str, _Section] = {}
        for name in _ORDER:
            found = find_elements(src, name)
            self.sections[name] = _Section(src, name, found[0] if found else None)
        self.formats: dict[str, int] = {}
        for child in self.sections["numFmts"].children:
            a = attrs_of(child)
            if "formatCode" in a and a.get("numFmtId", "").isdigit():
                self.formats.setdefault(a["formatCode"], int(a["numFmtId"]))
        self.next_format = max([163, *self.formats.values()]) + 1
        self.base_font = self._base_font()
        self.cache: dict[Style | None, int] = {None: 0}

    def _base_font(self) -> dict[str, str]:
        fonts = self.sections["fonts"].children
        first = fonts[0] if fonts else _DEFAULT_FONT
        out: dict[str, str] = {}
        for key in ("sz", "name", "family", "scheme", "charset"):
            match = re.search(rf"<(?:[\w.-]+:)?{key}\b([^>]*)/?>", first)
            if match:
                val = attrs_of(match.group(1)).get("val")
                if val is not None:
                    out[key] = val
        out.setdefault("sz", "11")
        out.setdefault("name", "Calibri")
        return out

    def _tag(self, local: str) -> str:
        return f"{self.prefix}:{local}" if self.prefix else local

    def _num_fmt(self, code: str | None) -> int:
        if not code or code == "General":
            return 0
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        if code not in self.formats:
            num_id = self.next_format
            self.next_format += 1
            self.formats[code] = num_id
            t = self._tag("numFmt")
            self.sections["numFmts"].index_of(
                f'<{t} numFmtId="{num_id}" formatCode="{esc(code)}"/>'
            )
        return self.formats[code]

    def _font(self, s: Style) -> int:
        if not (s.bold or s.italic or s.size or s.color):
            return 0
        t = self._tag
        base = self.base_font
        parts = []
        if s.bold:
            parts.append(f"<{t('b')}/>")
        if s.italic:
            parts.append(f"<{t('i')}/>")
        size = _num_text(s.size) if s.size else base["sz"]
        parts.append(f'<{t("sz")} val="{esc(size)}"/>')
        if s.color:
            parts.append(f'<{t("color")} rgb="{_argb(s.color)}"/>')
        parts.append(f'<{t("name")} val="{esc(base["name"])}"/>')
        if "family" in base:
            parts.append(f'<{t("family")} val="{esc(base["family"])}"/>')
        if "charset" in base:
            parts.append(f'<{t("charset")} val="{esc(base["charset"])}"/>')
        if "scheme" in base and not s.size:
            parts.append(f'<{t("scheme")} val="{esc(base["scheme"])}"/>')
        return self.sections["fonts"].index_of(f"<{t('font')}>{''.join(parts)}</{t('font')}>")

    def _fill(self, s: Style) -> int:
        if not s.fill:
            return 0
        t = self._tag
        return self.sections["fills"].index_of(
            f'<{t("fill")}><{t("patternFill")} patternType="solid">'
            f'<{t("fgColor")} rgb="{_argb(s.fill)}"/><{t("bgColor")} indexed="64"/>'
            f'</{t("patternFill")}></{t("fill")}>'
        )

    def _border(self, s: Style) -> int:
        if not s.border:
            return 0
        t = self._tag
        thin = f'style="thin"><{t("color")} auto="1"/>'
        sides = {"left": "", "right": "", "top": "", "bottom": ""}
        if s.border in ("box",):
            sides = dict.fromkeys(sides, thin)
        elif s.border == "top":
            sides["top"] = thin
        elif s.border == "bottom":
            sides["bottom"] = thin
        elif s.border == "double-bottom":
            sides["top"] = thin
            sides["bottom"] = f'style="double"><{t("color")} auto="1"/>'
        inner = "".join(
            f"<{t(side)} {spec}</{t(side)}>" if spec else f"<{t(side)}/>"
            for side, spec in sides.items()
        )
        return self.sections["borders"].index_of(
            f"<{t('border')}>{inner}<{t('diagonal')}/></{t('border')}>"
        )

    def xf(self, style: Style | None) -> int:
        """The cellXfs index for a style (0, the workbook default, for None)."""
        cached = self.cache.get(style)
        if cached is not None:
            return cached
        assert style is not None
        num = self._num_fmt(style.num_format)
        font = self._font(style)
        fill = self._fill(style)
        border = self._border(style)
        t = self._tag
        attrs = f'numFmtId="{num}" fontId="{font}" fillId="{fill}" borderId="{border}"'
        if self.sections["cellStyleXfs"].children:
            attrs += ' xfId="0"'
        for flag, used in (("applyNumberFormat", num), ("applyFont", font),
                           ("applyFill", fill), ("applyBorder", border)):
            if used:
                attrs += f' {flag}="1"'
        align = ""
        if style.align or style.wrap:
            attrs += ' applyAlignment="1"'
            bits = []
            if style.align:
                bits.append(f'horizontal="{style.align}"')
            if style.wrap:
                bits.append('wrapText="1"')
                bits.append('vertical="top"')
            align = f"<{t('alignment')} {' '.join(bits)}/>"
        child = (f"<{t('xf')} {attrs}>{align}</{t('xf')}>" if align
                 else f"<{t('xf')} {attrs}/>")
        index = self.sections["cellXfs"].index_of(child)
        self.cache[style] = index
        return index

    @property
    def changed(self) -> bool:
        return self.created or any(s.changed for s in self.sections.values())

    def text(self) -> str:
        """The styles part with vaxl's entries appended (unchanged text if none)."""
        text = self.original
        # Work from the last section backwards so earlier offsets stay valid.
        pending: list[tuple[str, _Section]] = [(n, self.sections[n]) for n in _ORDER]
        for name, section in reversed(pending):
            if not section.changed:
                continue
            tag = self._tag(name)
            if section.found is not None:
                found = section.found
                body = "".join(section.added)
                start_tag = _set_count(found.start_tag, len(section.children))
                if found.self_closing:
                    start_tag = start_tag[:-2].rstrip() + ">"
                    inner = body
                else:
                    inner = text[found.start + len(found.start_tag) : found.end - len(f"</{tag}>")]
                    inner += body
                text = text[: found.start] + start_tag + inner + f"</{tag}>" + text[found.end :]
            else:
                block = (f'<{tag} count="{len(section.children)}">'
                         f'{"".join(section.children)}</{tag}>')
                text = _insert_section(text, name, block, self.prefix)
        return text


def _insert_section(text: str, name: str, block: str, prefix: str) -> str:
    """Insert a missing section after the nearest preceding one (or first)."""
    index = _ORDER.index(name)
    for before in reversed(_ORDER[:index]):
        found = find_elements(text, before)
        if found:
            return text[: found[0].end] + block + text[found[0].end :]
    root = re.search(r"<(?:[\w.-]+:)?styleSheet\b[^>]*?(/?)>", text)
    assert root is not None
    if root.group(1):
        tag = f"{prefix}:styleSheet" if prefix else "styleSheet"
        opened = root.group(0)[:-2] + ">"
        return text[: root.start()] + opened + block + f"</{tag}>" + text[root.end() :]
    return text[: root.end()] + block + text[root.end() :]


def _set_count(start_tag: str, count: int) -> str:
    if re.search(r"\bcount\s*=", start_tag):
        pattern = r"""\bcount\s*=\s*("[^"]*"|'[^']*')"""
        return re.sub(pattern, f'count="{count}"', start_tag, count=1)
    end = -2 if start_tag.endswith("/>") else -1
    return start_tag[:end].rstrip() + f' count="{count}"' + start_tag[end:]


def _argb(rgb: str) -> str:
    rgb = rgb.lstrip("#").upper()
    return rgb if len(rgb) == 8 else "FF" + rgb


def _num_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
