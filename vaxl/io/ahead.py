"""A run's invoice tabs built and rendered in two processes.

    ahead = Ahead.open(path, tabs)     # None where a helper cannot help (see below)
    grids = ahead.start(first, tabs)   # renders `first`; forks the helper; renders
                                       # the rest of `tabs` here
    ahead.render_after(more)           # the tabs after them, here, meanwhile
    write_grids(path, grids, ahead=ahead)   # takes each tab's XML from `ahead`
    ahead.close()                      # always: reaps (or stops) the helper

Why: building an invoice tab and rendering it as sheet XML is pure Python, so
threads cannot share the work (the GIL), and at 100,000 timesheet rows the 500
invoice tabs are half of a run.  On Linux a forked process starts with
everything the run has computed, so a helper builds, renders and compresses
the first share of the invoice tabs while this process does the rest; it sends
back only the compressed parts.

How the looks stay right.  A cell's look is an index into the workbook's styles
part, given out in the order looks are first met, tab after tab.  Before
forking, this process renders the first tabs (Validation, the first invoice),
so most looks have their index.  The helper's tabs come next in the workbook,
so the looks it meets first are numbered next: it numbers them itself, exactly
as one process would.  This process renders its tabs (after the helper's)
meanwhile; a look without an index yet is written as a marker (`s="-1"`,
`s="-2"`, ...: a number no index has, in a text no escaped value contains).
When the writer reaches the helper's tabs, this process takes the helper's new
looks in its order (and checks they get the helper's numbers), then its own new
looks, and replaces its markers.  The file is byte for byte the one a single
process writes (a test compares them).

Where it is not used: fewer than MIN_TABS invoice tabs, where no helper can
fork (vaxl.io.forked.can_fork), or a workbook the writer cannot open.  If the
workbook's styles changed before the write, the writer renders every tab itself
(the one-process bytes again).
If the helper fails or hangs, the writer builds and renders the helper's tabs
itself: the same cells and looks, the looks numbered in another order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from vaxl.errors import VaxlError
from vaxl.io.forked import Forked, can_fork
from vaxl.io.package import deflate
from vaxl.io.sheetxml import SheetPart, WriteMemo, XfLookup, sheet_part, style_attr
from vaxl.io.styles import StyleBook
from vaxl.layout.grid import Grid, Later, Style

__all__ = ["HELPER_SHARE", "MIN_TABS", "Ahead"]

# The helper's share of the invoice tabs.  It also compresses its tabs, while this
# process's are compressed on its writer's threads, and this process also renders the
# tabs after the invoices (render_after); measured best at 100,000 rows among 0.45-0.55.
HELPER_SHARE = 0.50
# Fewer invoice tabs than this are rendered here: forking costs a few
# milliseconds, more than a few tabs take to render.
MIN_TABS = 40
# How long the writer waits for the helper before stopping it and rendering its tabs
# itself (a 300,000-row run's helper takes about 1 s).
HELPER_WAIT = 120.0  # seconds
_MARKER = re.compile(rb' s="-(\d+)"')
_DRAWING_LATER = "drawing-named-by-the-writer.xml"
# What the helper sends back: the looks it numbered, with their numbers, in the order
# it met them; each tab's part, compressed.
_HelperAnswer = tuple[list[tuple[Style, int]], list[SheetPart]]


class _Marking:
    """An xf lookup that gives looks without an index yet a marker (-1, -2, ...)
    instead of an index, and lists those looks in the order first met."""

    def __init__(self, styles: StyleBook) -> None:
        self.known = styles.cache
        self.new: list[Style] = []
        self.markers: dict[Style, int] = {}

    def __call__(self, style: Style | None) -> int:
        index = self.known.get(style)
        if index is not None:
            return index
        assert style is not None  # None is always known: index 0
        marker = self.markers.get(style)
        if marker is None:
            self.new.append(style)
            marker = self.markers[style] = -len(self.new)
        return marker


@dataclass(eq=False)
class Ahead:
    """Tabs rendered before the write (see the module's docstring).

    Fields:
        styles: the workbook's StyleBook, holding the looks of the tabs rendered.
        memo: what the sheets rendered with `styles` share (see WriteMemo).
        date1904: the workbook's date system.
        styles_text: the styles part it was made from (None: the workbook has none).
        helper: the forked helper, kept once reaped (its memory figures: see Forked).
    """

    styles: StyleBook
    memo: WriteMemo
    date1904: bool
    styles_text: str | None
    done: dict[int, SheetPart] = field(default_factory=dict)  # id(grid) -> its part
    marked: dict[int, SheetPart] = field(default_factory=dict)  # ... with markers in it
    marking: _Marking | None = None
    marked_memo: WriteMemo = field(default_factory=WriteMemo)
    helper: Forked[_HelperAnswer] | None = None
    helper_tabs: list[Later] = field(default_factory=list)
    pending: bool = False  # the helper's answer is still to be taken

    @classmethod
    def open(cls, path: Path, tabs: int) -> Ahead | None:
        """An Ahead for `tabs` invoice tabs of the workbook at `path`, or None where
        a helper cannot help."""
        if tabs < MIN_TABS or not can_fork():
            return None
        from vaxl.io.xlsx_write import workbook_styles

        try:
            styles_text, date1904 = workbook_styles(path)
        except (VaxlError, OSError):
            return None  # the write says what is wrong with the file
        return cls(StyleBook(styles_text), WriteMemo(), date1904, styles_text)

    @property
    def together_kb(self) -> int:
        """The most this process and the helper held at once (Forked.together_kb; 0
        without a helper or its answer)."""
        return self.helper.together_kb if self.helper is not None else 0

    def fits(self, styles_text: str | None, date1904: bool) -> bool:
        """Whether tabs rendered by this Ahead can go into a workbook with these styles."""
        return styles_text == self.styles_text and date1904 == self.date1904

    def start(self, first: list[Grid], tabs: list[Later]) -> list[Grid]:
        """Render `first` and the first of `tabs` here, fork the helper for the next
        share of `tabs`, then build and render the rest here.  Returns first + tabs
        in order, the helper's still as Later (the writer takes their XML here)."""
        grids = [*first, tabs[0].build()]
        for grid in grids:
            self._render(grid, self.styles.xf, self.done, self.memo)
        theirs = tabs[1:1 + round(len(tabs) * HELPER_SHARE)]
        self.helper = Forked.start(partial(self._helper_parts, theirs)) if theirs else None
        if self.helper is None:
            theirs = []
        self.helper_tabs = theirs
        self.pending = self.helper is not None
        ours = [tab.build() for tab in tabs[1 + len(theirs):]]
        self.marking = _Marking(self.styles)
        # Markers must not reach the writer's memo: these tabs keep their own (the
        # texts and days it holds carry no look, so they are shared).
        self.marked_memo = WriteMemo(texts=self.memo.texts, days=self.memo.days)
        self.render_after(ours)
        return grids + theirs + ours

    def render_after(self, grids: list[Grid]) -> None:
        """Render here, while the helper works, `grids` that follow the tabs given so
        far.  A tab's charts are left to the writer, which names their parts in tab
        order and points the tab's drawing at them."""
        marking = self.marking
        if marking is None:  # joined already: the writer renders them
            return
        for grid in grids:
            self._render(grid, marking, self.marked, self.marked_memo)

    def take(self, grid: Grid) -> SheetPart | None:
        """The grid's sheet part if it was rendered ahead (None: render it now).
        The first tab after those rendered before the fork waits for the helper."""
        if (self.pending or self.marking is not None) and id(grid) not in self.done:
            self._join()
        return self.done.pop(id(grid), None)

    def close(self) -> None:
        """Stop the helper if it is still running and reap it."""
        if self.helper is not None:
            self.helper.close()

    def _render(self, grid: Grid, xf: XfLookup, into: dict[int, SheetPart],
                memo: WriteMemo) -> None:
        # The drawing of a tab's charts is named by the writer, which sets its target.
        drawing = _DRAWING_LATER if grid.charts else None
        into[id(grid)] = sheet_part(grid, xf, self.date1904, drawing, memo)

    # --- the helper -------------------------------------------------------------

    def _helper_parts(self, tabs: list[Later]) -> _HelperAnswer:
        """In the helper: the looks it numbered, with their numbers, in the order it
        met them; each tab's part, compressed."""
        known = len(self.styles.sections["cellXfs"].children)
        parts = []
        for tab in tabs:
            grid = tab.build()
            if grid.charts:  # its chart parts are named by the writer, which sees a Later
                raise ValueError("the helper renders no tab with charts")  # (a failed helper)
            part = sheet_part(grid, self.styles.xf, self.date1904, None, self.memo)
            parts.append(SheetPart(b"", part.rels, deflate(part.xml)))
        numbered = sorted(((style, index) for style, index in self.styles.cache.items()
                           if style is not None and index >= known), key=lambda pair: pair[1])
        return numbered, parts

    def _join(self) -> None:
        """Take the helper's parts and its looks, then number this process's new
        looks and replace their markers."""
        helper = self.helper
        if self.pending and helper is not None:
            self.pending = False
            answer = helper.result(HELPER_WAIT)  # None: failed or stuck (then stopped)
            if answer is not None:
                numbered, parts = answer
                # The helper's looks come first, as in one process; a look numbered
                # differently here (never seen) leaves its tabs to the writer.
                if all(self.styles.xf(style) == index for style, index in numbered):
                    self.done.update(zip(map(id, self.helper_tabs), parts, strict=True))
        marking, self.marking = self.marking, None
        if marking is None:
            return
        indexes = [self.styles.xf(style) for style in marking.new]  # in the order met
        attrs = [style_attr(index).encode() for index in indexes]
        for key, part in self.marked.items():
            xml = part.xml
            if marking.new and b' s="-' in xml:
                xml = _MARKER.sub(lambda found: attrs[int(found[1]) - 1], xml)
            self.done[key] = SheetPart(xml, part.rels)
        self.marked.clear()

