"""The use cases: read -> parse -> check -> bill -> render -> write.

Every surface (CLI, xlwings buttons and UDFs, the HTTP backend, gspread) calls
these functions; none of them holds billing or layout logic of its own.

    run_action(action, raw_book, period=..., today=...)  -> Outcome (pure: no I/O)
    run_file(action, path, ...)                          -> Outcome (reads and writes an .xlsx;
                                                            the tabs by name once written)
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from vaxl.core.models import Book, Problem
from vaxl.core.months import month_of, month_text
from vaxl.core.results import RunResult
from vaxl.errors import WriteRefused
from vaxl.layout.grid import Grid
from vaxl.sheets.raw import RawBook, tab_key
from vaxl.sheets.spec import MANIFEST_TAB

if TYPE_CHECKING:
    from vaxl.core.billing import Priced
    from vaxl.core.models import ProblemColumns
    from vaxl.io.ahead import Ahead
    from vaxl.sheets.parse import Parsed

__all__ = [
    "ACTIONS",
    "Action",
    "MANIFEST_TAB",
    "Outcome",
    "collector_paused",
    "last_complete_month",
    "load_book",
    "run_action",
    "run_file",
]

Action = Literal["validate", "invoice", "report", "run"]
ACTIONS: tuple[str, ...] = ("validate", "invoice", "report", "run")
Progress = Callable[[str], None]


class _WhileRunning:
    """A process-wide setting changed while any run is in progress (a server's
    threads may overlap): the first run to start changes it, the last to end puts
    it back as it was before the first began.

        with setting():   # during a run
            ...
    """

    def __init__(self, read: Callable[[], Any], write: Callable[[Any], object],
                 during: Callable[[Any], Any]) -> None:
        self._read, self._write, self._during = read, write, during
        self._lock = threading.Lock()
        self._runs = 0
        self._was: Any = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._runs == 0:
                self._was = self._read()
                self._write(self._during(self._was))
            self._runs += 1
        try:
            yield
        finally:
            with self._lock:
                self._runs -= 1
                if self._runs == 0:
                    self._write(self._was)


def _set_cyclic_gc(enabled: bool) -> None:
    if enabled:
        gc.enable()
    else:
        gc.disable()


# The cyclic garbage collector is paused during runs (and billing from the UDFs).  A
# run makes millions of small objects (cells, entries, grid cells) that live until it
# ends and hold no reference cycles; the collector would walk them again and again (a
# third of a 100,000-row run).  Reference counting still frees everything.
collector_paused = _WhileRunning(gc.isenabled, _set_cyclic_gc, lambda _was: False)

# Threads take turns at the GIL every 0.2 ms (not 5 ms) while a file runs.  A run's
# helper threads (checking the stored parts, deflating the new ones) spend their time
# in zlib without the GIL, but need it back for a moment after each part; while the
# main thread renders sheets, each such moment waited the whole 5 ms interval, which
# made the deflating take twice its time and the write wait for it.
_SWITCH_INTERVAL = 0.0002  # seconds
_short_switch_interval = _WhileRunning(sys.getswitchinterval, sys.setswitchinterval,
                                       lambda was: min(was, _SWITCH_INTERVAL))


def last_complete_month(today: date) -> str:
    """The default billing period: the calendar month before `today`'s."""
    return month_text(month_of(today) - 1)


@dataclass
class Outcome:
    """What one action produced.

    Fields:
        action: validate, invoice, report or run.
        period: the billing month (None for validate).
        book: the parsed workbook.
        problems: validation problems and billing warnings.
        result: the billing result (None for validate).
        grids: the tabs to write, in order (the manifest tab last); empty once
            `run_file` has written them (unless asked to keep them).
        delivered: PDF and e-mail files written for the run's invoices.
        tabs: the names of the visible tabs written (or to write), in order.
        together_kb: the most memory (KiB) this process and a helper process held at
            once, bounded above, over its helpers (the one that ran the checks, the
            one that rendered tabs: one after the other); 0 without one.  See
            vaxl.io.forked.Forked.together_kb.
    """

    action: str
    period: str | None
    book: Book
    problems: list[Problem]
    result: RunResult | None = None
    grids: list[Grid] = field(default_factory=list)
    delivered: list[Path] = field(default_factory=list)
    tabs: list[str] = field(default_factory=list)
    together_kb: int = 0

    def __post_init__(self) -> None:
        if not self.tabs:
            self.tabs = [g.name for g in self.grids if g.hidden == "visible"]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def exit_code(self) -> int:
        """The contract's exit code: 0 done, 1 done with data errors."""
        return 1 if self.has_errors else 0

    def public(self) -> dict[str, Any]:
        """The contract's JSON object."""
        out: dict[str, Any] = {}
        if self.period is not None:
            out["period"] = self.period
        if self.result is not None:
            out["invoices"] = [inv.public() for inv in self.result.invoices]
        out["issues"] = [p.public() for p in self.problems]
        out["tabs"] = list(self.tabs)
        return out


def load_book(raw: RawBook, today: date) -> tuple[Book, list[Problem]]:
    """Parse every input tab and run every check."""
    from vaxl.sheets.parse import parse_workbook

    with collector_paused():
        parsed = parse_workbook(raw)
        return parsed.book, _checked(parsed, today)


def _checked(parsed: Parsed, today: date) -> list[Problem]:
    """The parser's problems, then every check's."""
    from vaxl.core.checks import check

    return parsed.problems + check(
        parsed.book, today=today, already=parsed.problems, columns=parsed.columns
    )


# Fewer Timesheet rows than this are checked before billing, in this process: the
# checks of fewer rows take about as long as forking a helper for them.
CHECK_HELPER_ROWS = 20_000
# How long billing waits for the checks' helper before checking here itself.
CHECK_HELPER_WAIT = 120.0  # seconds


def _checked_while_pricing(parsed: Parsed, today: date, period: str
                           ) -> tuple[list[Problem], Priced | None, int]:
    """The problems (as _checked) and the clients' months priced meanwhile, with the
    most memory (KiB) this process and the helper that ran the checks held at once
    (0: there was none).

    Billing needs the checks' problems to know which clients it leaves out, but
    pricing a client does not: a helper runs the checks while this process prices
    every client the parser found no error for (price_ahead).  Where no helper can
    run, or it fails, the checks run here (the same problems)."""
    from vaxl.core.billing import price_ahead
    from vaxl.core.models import problems_of
    from vaxl.io.forked import Forked

    helper = Forked.start(partial(_checked_columns, parsed, today))
    if helper is None:
        return _checked(parsed, today), None, 0
    try:
        priced = price_ahead(parsed.book, parsed.problems, period=period)
        columns = helper.result(CHECK_HELPER_WAIT)
    finally:
        helper.close()
    problems = problems_of(columns) if columns is not None else _checked(parsed, today)
    return problems, priced, helper.together_kb


def _checked_columns(parsed: Parsed, today: date) -> ProblemColumns:
    """In the check helper: the problems, as columns (cheap to send)."""
    from vaxl.core.models import problem_columns

    return problem_columns(_checked(parsed, today))


def run_action(
    action: str,
    raw: RawBook,
    *,
    today: date,
    period: str | None = None,
    issue_date: date | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Run one action on a workbook's tabs; pure (no file, no clock)."""
    with collector_paused():
        return _run_action(action, raw, today=today, period=period, issue_date=issue_date,
                           progress=progress)


def _run_action(
    action: str,
    raw: RawBook,
    *,
    today: date,
    period: str | None,
    issue_date: date | None,
    progress: Progress | None,
    on_parsed: Callable[[], None] | None = None,
    helpers: bool = False,
    ahead: Callable[[int], Ahead | None] | None = None,
) -> Outcome:
    """`on_parsed`: called once the tabs are parsed; `helpers`: a big Timesheet's
    checks may run in a helper process (_checked_while_pricing); `ahead`: given the
    number of invoice tabs, the Ahead that renders them (None: render them here)."""
    from vaxl.layout.validation import validation_grid
    from vaxl.sheets.parse import parse_workbook

    step = progress or (lambda _stage: None)
    step("parse")
    parsed = parse_workbook(raw)
    book = parsed.book
    if on_parsed is not None:
        on_parsed()
    if action == "validate":
        problems = _checked(parsed, today)
        grids = _with_manifest(raw, [validation_grid(problems, book)])
        return Outcome(action, None, book, problems, None, grids)

    from vaxl.core.billing import bill
    from vaxl.layout.tabs import invoice_tabs, summary_grids

    month = period or last_complete_month(today)
    if helpers and len(book.entries) >= CHECK_HELPER_ROWS:
        step("bill")  # the checks run beside the pricing
        problems, priced, together_kb = _checked_while_pricing(parsed, today, month)
    else:
        problems, priced, together_kb = _checked(parsed, today), None, 0
        step("bill")
    result = bill(book, problems, period=month, issue_date=issue_date, today=today,
                  priced=priced)
    if action == "report":  # a report issues no invoice: only existing ones are aged
        from vaxl.core.billing import without_new_invoices

        result = without_new_invoices(result, book)
    step("render")
    grids = [validation_grid(list(result.problems), book)]
    tabs = invoice_tabs(result, book, action)
    helped = ahead(len(tabs)) if ahead is not None else None
    if helped is not None:
        grids = helped.start(grids, tabs)
    else:
        grids += [tab.build() for tab in tabs]
    summaries = summary_grids(result, book, action=action, today=today)
    if helped is not None:
        helped.render_after(summaries)
    grids += summaries
    return Outcome(action, month, book, list(result.problems), result, _with_manifest(raw, grids),
                   together_kb=together_kb)


def _with_manifest(raw: RawBook, grids: list[Grid]) -> list[Grid]:
    """`grids` and the manifest listing them; WriteRefused rather than replace a
    user's own tab that happens to carry one of vaxl's names."""
    from vaxl.layout.manifest import manifest_grid, vaxl_tab_names

    listed = vaxl_tab_names(raw)
    ours = {tab_key(n) for n in listed}
    for grid in grids:
        if raw.has(grid.name) and tab_key(grid.name) not in ours:
            raise WriteRefused(
                f"The workbook already has a tab '{grid.name}' that vaxl did not create.",
                f"Rename or delete your tab '{grid.name}' and run again; "
                "vaxl will not overwrite it.",
            )
    return [*grids, manifest_grid(listed | {g.name for g in grids})]


def run_file(
    action: str,
    path: Path,
    *,
    today: date,
    output: Path | None = None,
    period: str | None = None,
    issue_date: date | None = None,
    progress: Progress | None = None,
    write: bool = True,
    keep_grids: bool = False,
) -> Outcome:
    """Read a workbook file, run the action, write vaxl's tabs back (atomically).

    Once written, the tabs' cells are let go (they are in the file; an agency's run
    makes hundreds of thousands): the Outcome lists the tabs by name, and holds
    the grids themselves only with `keep_grids` (or `write=False`).  Where it can,
    a helper process builds and renders part of the invoice tabs (vaxl.io.ahead)."""
    from vaxl.io.ahead import Ahead
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.io.xlsx_write import WRITABLE_SUFFIXES, PartChecks, write_grids

    step = progress or (lambda _stage: None)
    patch = write and path.suffix.lower() in WRITABLE_SUFFIXES
    checks = None
    # A helper's tabs stay unbuilt (Later) until the write: not when the grids are kept.
    share = patch and not keep_grids
    helper: Ahead | None = None

    def open_helper(tabs: int) -> Ahead | None:
        nonlocal helper
        helper = Ahead.open(path, tabs)
        return helper

    try:
        with collector_paused(), _short_switch_interval():
            step("read")
            raw = read_workbook(path)
            if patch:  # the parts the write will copy, checked on the second core meanwhile
                checks = PartChecks(path, raw.intact, raw.stamp)
            # The writer needs the cells read only to convert a .csv/.xls/.ods into
            # a new .xlsx; otherwise the Timesheet's rows go once parsed (the
            # largest thing in memory), before billing and layout need theirs.
            keep_rows = write and not patch
            outcome = _run_action(
                action, raw, today=today, period=period, issue_date=issue_date,
                progress=progress,
                on_parsed=None if keep_rows else partial(_drop_timesheet_rows, raw),
                helpers=True,
                ahead=open_helper if share else None,
            )
            if write:
                step("write")
                write_grids(path, outcome.grids, output=output, raw=raw, checked=checks,
                            ahead=helper)
                if not keep_grids:
                    outcome.grids = []
                if helper is not None:  # the two helpers run one after the other
                    outcome.together_kb = max(outcome.together_kb, helper.together_kb)
            del raw  # before the collector resumes: fewer objects for its first pass
    finally:
        if checks is not None:
            checks.close()
        if helper is not None:
            helper.close()
    return outcome


def _drop_timesheet_rows(raw: RawBook) -> None:
    from vaxl.sheets.headers import find_tab
    from vaxl.sheets.spec import TIMESHEET

    tab = find_tab(raw, TIMESHEET)
    if tab is not None:
        tab.rows = []
        tab.number_formats = None
