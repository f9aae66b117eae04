"""A run pauses the cyclic collector and lets go of the Timesheet's cells once parsed,
without changing what it produces."""

from __future__ import annotations

import gc
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from vaxl.io import xlsx_read
from vaxl.samples import SAMPLE_MONTH, SAMPLE_TODAY
from vaxl.service import run_action, run_file
from vaxl.sheets.raw import RawBook

SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "assistant-en.xlsx"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(SAMPLE, tmp_path / "book.xlsx"))


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_during_a_run_and_restored(book: Path, collector_on: None
                                                           ) -> None:
    seen: list[bool] = []
    run_file("run", book, today=SAMPLE_TODAY, period=SAMPLE_MONTH,
             progress=lambda stage: seen.append(gc.isenabled()))
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled(book: Path, collector_on: None) -> None:
    gc.disable()
    run_file("validate", book, today=SAMPLE_TODAY)
    assert not gc.isenabled()


def test_a_failing_run_restores_the_collector(tmp_path: Path, collector_on: None) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(Exception):  # noqa: B017 - UnusableWorkbook; the point is the finally
        run_file("validate", bad, today=SAMPLE_TODAY)
    assert gc.isenabled()


def test_overlapping_runs_in_threads_restore_the_collector(book: Path, collector_on: None
                                                           ) -> None:
    raw = xlsx_read.read_workbook(book)
    first_inside = threading.Event()
    release = threading.Event()
    states: list[bool] = []

    def slow_progress(stage: str) -> None:
        if stage == "parse":
            first_inside.set()
            release.wait(10)

    one = threading.Thread(target=lambda: run_action("validate", raw, today=SAMPLE_TODAY,
                                                     progress=slow_progress))
    one.start()
    assert first_inside.wait(10)
    run_action("validate", raw, today=SAMPLE_TODAY)  # starts and ends inside the first
    states.append(gc.isenabled())
    release.set()
    one.join(10)
    assert states == [False]  # the first run was still going
    assert gc.isenabled()


def _capture_raw(monkeypatch: pytest.MonkeyPatch) -> list[RawBook]:
    read = xlsx_read.read_workbook
    captured: list[RawBook] = []

    def reading(path: Path) -> RawBook:
        raw = read(path)
        captured.append(raw)
        return raw

    monkeypatch.setattr(xlsx_read, "read_workbook", reading)
    return captured


def test_timesheet_cells_are_let_go_after_parsing(book: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run_file("run", book, today=SAMPLE_TODAY, period=SAMPLE_MONTH, write=False)
    captured = _capture_raw(monkeypatch)
    outcome = run_file("run", book, today=SAMPLE_TODAY, period=SAMPLE_MONTH)
    (raw,) = captured
    assert raw.tabs["Timesheet"].rows == []
    assert raw.tabs["Clients"].rows  # the small tabs stay
    assert outcome.book == expected.book and outcome.problems == expected.problems
    assert outcome.result == expected.result
    assert outcome.tabs == [g.name for g in expected.grids if g.hidden == "visible"]
    assert outcome.grids == []  # written: their cells are in the file, not kept


def test_a_csv_keeps_its_cells_for_the_new_workbook(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    csv = tmp_path / "Timesheet.csv"
    csv.write_text("Date,Client ID,Hours\n2026-11-03,ACME,1.5\n2026-11-04,ACME,2\n",
                   encoding="utf-8")
    captured = _capture_raw(monkeypatch)
    out = tmp_path / "out.xlsx"
    outcome = run_file("validate", csv, today=SAMPLE_TODAY, output=out)
    (raw,) = captured
    assert len(raw.tabs["Timesheet"].rows) == 3
    assert [e.seconds for e in outcome.book.entries] == [5400, 7200]
    copied = xlsx_read.read_workbook(out).tabs["Timesheet"].rows
    assert [r[:3] for r in copied[1:]] == [["2026-11-03", "ACME", "1.5"],
                                          ["2026-11-04", "ACME", "2"]]
