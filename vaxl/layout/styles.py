"""The looks vaxl's tabs share: a restrained navy-and-grey palette.

Colours are RRGGBB.  Styles are frozen, so `with_format(style, code)` makes a
variant carrying a number format instead of mutating a shared one.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from vaxl.layout.grid import Align, Style

__all__ = [
    "ACCENT",
    "BANNER",
    "CELL",
    "GRAND_TOTAL",
    "HEADER",
    "HEADER_RIGHT",
    "INK",
    "LABEL",
    "LABEL_RIGHT",
    "LIGHT",
    "MUTED",
    "NOTE",
    "ROW",
    "SECTION",
    "STRONG",
    "SUBTITLE",
    "TITLE",
    "TOTAL",
    "TOTAL_LABEL",
    "WARN",
    "aligned",
    "with_format",
]

INK = "1F2937"      # body text
ACCENT = "1F3864"   # navy: titles, header fill
MUTED = "6B7280"    # labels
LIGHT = "E8EDF5"    # pale fill: totals, banners
WARN_RED = "9C2A2A"

TITLE = Style(bold=True, size=22, color=ACCENT)
SUBTITLE = Style(bold=True, size=13, color=INK)
BANNER = Style(bold=True, size=14, color=ACCENT)
SECTION = Style(bold=True, size=11, color=ACCENT, border="bottom")
LABEL = Style(color=MUTED, size=9)
LABEL_RIGHT = Style(color=MUTED, size=9, align="right")
STRONG = Style(bold=True, color=INK)
CELL = Style(color=INK)
ROW = Style(color=INK, border="bottom")
NOTE = Style(italic=True, color=MUTED, size=9)
HEADER = Style(bold=True, color="FFFFFF", fill=ACCENT, border="box")
HEADER_RIGHT = Style(bold=True, color="FFFFFF", fill=ACCENT, border="box", align="right")
TOTAL_LABEL = Style(color=INK, align="right")
TOTAL = Style(bold=True, color=INK, border="top")
GRAND_TOTAL = Style(bold=True, color=ACCENT, fill=LIGHT, border="double-bottom", size=12)
WARN = Style(bold=True, color=WARN_RED)


# Cached: layouts ask for the same few variants once per row, and a dataclass
# replace costs more than the cell it styles.  Styles are frozen, so sharing is safe.
@lru_cache(maxsize=1024)
def with_format(style: Style, num_format: str | None, align: Align | None = None) -> Style:
    """The same look with a number format (and optionally another alignment)."""
    return replace(style, num_format=num_format, align=align or style.align)


@lru_cache(maxsize=1024)
def aligned(style: Style, align: Align) -> Style:
    return replace(style, align=align)
