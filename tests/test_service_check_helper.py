"""A big Timesheet's checks run in a helper process while this one prices the
clients (vaxl.service._checked_while_pricing): the run bills, reports and writes
exactly what one process does, also when the checks exclude a client priced
ahead, and also when the helper breaks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from process_kit import LINUX_ONLY, run_copy

from vaxl import service
from vaxl.bench.generate import generate_book
from vaxl.core import billing
from vaxl.core.models import Problem, problems_of
from vaxl.io.forked import ONE_PROCESS, Forked

pytestmark = LINUX_ONLY

WRONG = "C0011"  # the client of Timesheet row 3, whose hours the test makes wrong


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's agency book, small, with 30 hours on one row: the parser reads
    it, only the checks reject it (hours_out_of_range), so its client is excluded
    after it was priced."""
    path = generate_book(tmp_path_factory.mktemp("checks") / "agency.xlsx", 3000, clients=60)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Timesheet"]
    assert sheet["B3"].value == WRONG
    sheet["E3"] = 30
    workbook.save(path)
    return path


def _run(book: Path, folder: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    parts, outcome = run_copy(book, folder)
    return parts, outcome.public()


@pytest.fixture(scope="module")
def one_process(book: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[dict[str, bytes], dict[str, Any]]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ONE_PROCESS, "1")
        return _run(book, tmp_path_factory.mktemp("one") / "run")


class Seen:
    """The months priced ahead and the answers of the helpers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.priced: list[billing.Priced] = []
        self.answers: list[Any] = []
        price_ahead, result = billing.price_ahead, Forked.result

        def priced(*args: Any, **kwargs: Any) -> billing.Priced:
            self.priced.append(price_ahead(*args, **kwargs))
            return self.priced[-1]

        def answer(helper: Forked[Any], seconds: float) -> Any:
            self.answers.append(result(helper, seconds))
            return self.answers[-1]

        monkeypatch.setattr(billing, "price_ahead", priced)
        monkeypatch.setattr(Forked, "result", answer)

    def checks(self) -> list[Any]:
        """The check helper's answers: its problems as columns, one per field (the
        render helper's answer is a pair), or None."""
        return [a for a in self.answers
                if a is None or len(a) == len(Problem.model_fields)]


@pytest.fixture
def helpers_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    monkeypatch.setattr(service, "CHECK_HELPER_ROWS", 1000)


def test_checks_in_a_helper_give_the_file_and_figures_of_one_process(
    book: Path, one_process: tuple[dict[str, bytes], dict[str, Any]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, helpers_on: None,
) -> None:
    seen = Seen(monkeypatch)
    files, figures = _run(book, tmp_path / "two")
    [columns] = seen.checks()
    checked = problems_of(columns)  # the helper found the checks' error itself
    assert [(p.cell, p.client_id) for p in checked if p.code == "hours_out_of_range"] == [
        ("E3", WRONG)]
    [priced] = seen.priced
    assert WRONG in priced.months  # priced ahead, then left out for the checks' error
    wrong = [p for p in figures["issues"] if p["code"] == "hours_out_of_range"]
    assert [(p["cell"], p["severity"]) for p in wrong] == [("E3", "error")]
    assert WRONG not in {inv["client_id"] for inv in figures["invoices"]}
    assert figures == one_process[1]
    assert files == one_process[0]


def test_a_check_helper_that_breaks_leaves_the_checks_here(
    book: Path, one_process: tuple[dict[str, bytes], dict[str, Any]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, helpers_on: None,
) -> None:
    here = os.getpid()
    checked = service._checked

    def breaks_in_the_helper(*args: Any) -> list[Problem]:
        if os.getpid() != here:
            raise RuntimeError("the helper breaks")
        return checked(*args)

    monkeypatch.setattr(service, "_checked", breaks_in_the_helper)
    seen = Seen(monkeypatch)
    files, figures = _run(book, tmp_path / "two")
    assert seen.checks() == [None] and len(seen.priced) == 1
    assert (files, figures) == one_process


def test_small_timesheets_are_checked_here(book: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ONE_PROCESS, raising=False)
    assert service.CHECK_HELPER_ROWS > 3000
    seen = Seen(monkeypatch)
    _run(book, tmp_path / "small")
    assert seen.priced == [] and seen.checks() == []
