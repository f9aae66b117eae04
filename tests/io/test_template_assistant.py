"""`vaxl init` shows the optional Assistant column an agency needs, and a solo
assistant who leaves it empty (or fills it) still gets a clean, billable book."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from vaxl.io.template import START_TAB, create_template
from vaxl.sheets.spec import TABS


@pytest.mark.parametrize(("lang", "head", "prompt"), [
    ("en", "Assistant", "Working alone? Leave it empty."),
    ("vi", "Trợ lý", "Làm một mình? Để trống."),
])
def test_the_template_has_the_assistant_column(tmp_path: Path, lang: str, head: str,
                                               prompt: str) -> None:
    path = create_template(tmp_path / "book.xlsx", lang=lang)
    wb = openpyxl.load_workbook(path)
    ws = wb[TABS["Timesheet"].vi if lang == "vi" else "Timesheet"]
    heads = [c.value for c in ws[1]]
    assert heads.index(head) == 8  # after Notes, before Start and End
    letter = ws.cell(1, 9).column_letter
    found = [dv for dv in ws.data_validations.dataValidation
             if any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)]
    assert len(found) == 1 and prompt in (found[0].prompt or "")
    start = "\n".join(str(c.value) for row in wb[START_TAB[lang]].iter_rows() for c in row
                      if c.value)
    assert ("Assistant:" if lang == "en" else "Trợ lý:") in start


def test_an_agency_fills_the_template_and_it_validates(tmp_path: Path) -> None:
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.service import load_book

    path = create_template(tmp_path / "book.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    clients = wb["Clients"]
    clients["A2"], clients["B2"], clients["G2"], clients["H2"] = "ACME", "Acme", "hourly", 40
    ts = wb["Timesheet"]
    for row, (hours, who) in enumerate(((13, "Ana"), (12, "Ben"), (2, None)), start=2):
        ts.cell(row, 1, date(2026, 11, 5))
        ts.cell(row, 2, "ACME")
        ts.cell(row, 3, f"task {row}")
        ts.cell(row, 5, hours)
        ts.cell(row, 9, who)
    wb.save(path)
    book, problems = load_book(read_workbook(path), date(2026, 11, 27))
    assert [p for p in problems if p.severity == "error"] == []
    assert [(e.assistant, e.seconds) for e in book.entries] == [
        ("Ana", 13 * 3600), ("Ben", 12 * 3600), ("", 2 * 3600)]
