"""A run split over two processes writes the file one process writes (vaxl.io.ahead).

The workbook is the benchmark's agency book, small: 120 clients in several
currencies, so the helper meets looks the first tabs do not have (it numbers
them) and so does this process (it marks them, then replaces its markers).
"""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from process_kit import LINUX_ONLY, reaped, run_copy

from vaxl.bench.generate import BENCH_MONTH, BENCH_TODAY, generate_book
from vaxl.io import ahead as ahead_mod
from vaxl.io import xlsx_write
from vaxl.io.ahead import MIN_TABS, Ahead, _Marking
from vaxl.io.forked import ONE_PROCESS
from vaxl.io.styles import StyleBook
from vaxl.layout import styles as S
from vaxl.layout.grid import Grid
from vaxl.service import run_file

pytestmark = LINUX_ONLY


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_book(tmp_path_factory.mktemp("ahead") / "agency.xlsx", 3000, clients=120)


@pytest.fixture(autouse=True)
def helper_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ONE_PROCESS, raising=False)


@pytest.fixture(scope="module")
def one_process(book: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ONE_PROCESS, "1")
        return _run(book, tmp_path_factory.mktemp("one"))


def _run(book: Path, folder: Path) -> dict[str, bytes]:
    return run_copy(book, folder)[0]


class Joins:
    """What each join saw: the helper's tabs, how many of them it took from the
    helper, how many looks this process had marked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[dict[str, Any]] = []
        join = Ahead._join

        def spy(ahead: Ahead) -> None:
            helper, marking = ahead.helper, ahead.marking
            join(ahead)
            tabs = ahead.helper_tabs if helper is not None else []
            self.seen.append({
                "helper_tabs": len(tabs),
                "taken": sum(1 for t in tabs if id(t) in ahead.done
                             and ahead.done[id(t)].deflated is not None),
                "marked_looks": len(marking.new) if marking is not None else 0,
                "own_kb": helper.own_kb if helper is not None else 0,
                "ahead": ahead,  # its helper's peak is known once close() reaped it
            })

        monkeypatch.setattr(Ahead, "_join", spy)


def test_two_processes_write_the_bytes_one_process_writes(
    book: Path, one_process: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    joins = Joins(monkeypatch)
    after: list[tuple[str, bool]] = []  # the tabs after the invoices: rendered ahead?
    render_after = Ahead.render_after

    def spy(ahead: Ahead, grids: list[Grid]) -> None:
        render_after(ahead, grids)
        after.extend((grid.name, id(grid) in ahead.marked) for grid in grids)

    monkeypatch.setattr(Ahead, "render_after", spy)
    two = _run(book, tmp_path)
    # Those after the invoice tabs are rendered while the helper works, Report's
    # sheet too (the writer names its chart parts, in order, and points it at them).
    assert all(rendered for _name, rendered in after)
    assert [name.split()[0] for name, _ in after[-4:]] == ["Invoices", "Retainers", "Report",
                                                           "Aging"]
    # The helper ran (a machine with one core would not fork: that fails here, loudly).
    assert len(joins.seen) == 1
    seen = joins.seen[0]
    assert seen["helper_tabs"] >= MIN_TABS * ahead_mod.HELPER_SHARE
    assert seen["taken"] == seen["helper_tabs"]
    assert seen["marked_looks"] > 0  # this process's markers were replaced
    helper = seen["ahead"].helper
    assert helper.reaped  # by run_file
    assert 0 < seen["own_kb"] < helper.peak_kb  # its own pages: fewer than it maps
    assert helper.together_kb > seen["own_kb"]  # plus this process's
    assert list(two) == list(one_process)
    assert any(name.startswith("xl/charts/chart") for name in two)  # Report's charts
    assert [n for n in two if two[n] != one_process[n]] == []


@pytest.fixture(scope="module")
def one_process_cells(one_process: dict[str, bytes]) -> dict[str, list[tuple[Any, ...]]]:
    return _cells(one_process)


def _cells(parts: dict[str, bytes]) -> dict[str, list[tuple[Any, ...]]]:
    """Every vaxl tab's cells with their looks, as a spreadsheet shows them."""
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    wb = openpyxl.load_workbook(package)
    out = {}
    for ws in wb.worksheets:
        if ws.title in ("Timesheet", "Clients"):
            continue
        out[ws.title] = [
            (c.coordinate, c.value, c.number_format, c.font.b, c.font.color and c.font.color.rgb,
             c.fill.fgColor.rgb, c.border.bottom.style, c.border.top.style, c.alignment.horizontal)
            for row in ws.iter_rows() for c in row if c.value is not None or c.has_style
        ]
    return out


def _breaks(*_args: object) -> None:
    raise RuntimeError("the helper breaks")


def _hangs(*_args: object) -> None:
    time.sleep(60)


@pytest.mark.parametrize("helper", [_breaks, _hangs], ids=["breaks", "hangs"])
def test_a_helper_that_breaks_or_hangs_leaves_its_tabs_to_the_writer(
    book: Path, one_process: dict[str, bytes],
    one_process_cells: dict[str, list[tuple[Any, ...]]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, helper: Callable[..., None],
) -> None:
    monkeypatch.setattr(Ahead, "_helper_parts", helper)
    monkeypatch.setattr(ahead_mod, "HELPER_WAIT", 1.0)  # a hung helper is stopped
    joins = Joins(monkeypatch)
    started = time.monotonic()
    two = _run(book, tmp_path)
    assert time.monotonic() - started < 30
    assert joins.seen[0]["helper_tabs"] > 0 and joins.seen[0]["taken"] == 0
    # Built and rendered here instead: the looks are numbered in another order, so
    # the cells are compared as a spreadsheet shows them.
    assert list(two) == list(one_process)
    assert two["xl/styles.xml"] != one_process["xl/styles.xml"]
    assert _cells(two) == one_process_cells


def test_styles_changed_before_the_write_render_everything_here(
    book: Path, one_process: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Ahead, "fits", lambda *_args: False)
    stopped = _Stopped(monkeypatch)
    two = _run(book, tmp_path)
    assert two == one_process
    assert stopped.pids and all(reaped(pid) for pid in stopped.pids)


class _Stopped:
    """The pids of the helpers that `close` stopped (not joined first)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pids: list[int] = []
        close = Ahead.close

        def spy(ahead: Ahead) -> None:
            if ahead.helper is not None:
                self.pids.append(ahead.helper.pid)
            close(ahead)

        monkeypatch.setattr(Ahead, "close", spy)


def test_the_helper_is_stopped_when_the_run_fails(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_write(*_args: object, **_kwargs: object) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(xlsx_write, "write_grids", broken_write)
    stopped = _Stopped(monkeypatch)
    copy = tmp_path / book.name
    shutil.copyfile(book, copy)
    with pytest.raises(OSError, match="disk full"):
        run_file("run", copy, today=BENCH_TODAY, period=BENCH_MONTH)
    assert len(stopped.pids) == 1 and reaped(stopped.pids[0])
    assert copy.read_bytes() == book.read_bytes()


def test_no_helper_for_few_tabs(book: Path) -> None:
    assert Ahead.open(book, MIN_TABS) is not None
    assert Ahead.open(book, MIN_TABS - 1) is None


def test_no_helper_when_switched_off(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ONE_PROCESS, "1")
    assert Ahead.open(book, 10 * MIN_TABS) is None


def test_no_helper_for_a_file_the_writer_cannot_open(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    assert Ahead.open(broken, MIN_TABS) is None


def test_marking_gives_known_looks_their_index_and_new_ones_markers_in_order() -> None:
    styles = StyleBook(None)
    known = styles.xf(S.TITLE)
    marking = _Marking(styles)
    assert marking(None) == 0
    assert marking(S.TITLE) == known
    assert marking(S.CELL) == -1
    assert marking(S.STRONG) == -2
    assert marking(S.CELL) == -1
    assert marking.new == [S.CELL, S.STRONG]
    assert S.CELL not in styles.cache  # marking never numbers a look
