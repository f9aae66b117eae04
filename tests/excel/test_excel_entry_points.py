"""The buttons' entry points on xlwings' JSON-book engine (the one behind xlwings
Lite and Server): the actions they emit, compared with what the CLI writes."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from excel_kit import PERIOD, SAMPLE, TODAY, book_json, json_book
from openpyxl import load_workbook

from vaxl.io import excel
from vaxl.service import run_file

EXPECTED_RUN_TABS = [
    "Validation", *[f"BD-2026-{n:04d}" for n in range(1, 10)],
    "Invoices", "Retainers", "Report 2026-11", "Aging", "_vaxl",
]
_HYPERLINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)",(.*)\)$', re.S)
_DATE = re.compile(r"^DATE\((\d+),(\d+),(\d+)\)$")


def actions(book: Any) -> list[dict[str, Any]]:
    return book.json()["actions"]


def added_sheets(book: Any) -> list[str]:
    return [a["args"][1] for a in actions(book) if a["func"] == "addSheet"]


def value_writes(book: Any) -> dict[str, list[dict[str, Any]]]:
    """setValues actions by the name of the sheet they write."""
    names = [s.name for s in book.sheets]
    out: dict[str, list[dict[str, Any]]] = {}
    for action in actions(book):
        if action["func"] == "setValues":
            out.setdefault(names[action["sheet_position"]], []).append(action)
    return out


def alerts(book: Any) -> list[list[Any]]:
    return [a["args"] for a in actions(book) if a["func"] == "alert"]


def decode(value: Any) -> tuple[Any, str | None]:
    """A written value as (what the cell shows or its formula, hyperlink target)."""
    if value == "":
        return None, None
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:], None
        match = _HYPERLINK.match(value)
        if match:
            target, friendly = match[1].replace('""', '"'), match[2]
            if friendly.startswith('"'):
                shown: Any = friendly[1:-1].replace('""', '"')
            elif (d := _DATE.match(friendly)) is not None:
                shown = datetime(int(d[1]), int(d[2]), int(d[3]))
            else:
                shown = float(friendly)
            return shown, target.removeprefix("#")
        if re.match(r"^\d{4}-\d{2}-\d{2}( |$)", value):
            return datetime.fromisoformat(value), None
    return value, None


def same(ours: Any, theirs: Any) -> bool:
    if ours in (None, "") and theirs in (None, ""):  # Excel stores no empty strings
        return True
    if isinstance(theirs, timedelta):  # openpyxl reads an [h]:mm number as a duration
        return isinstance(ours, (int, float)) and abs(ours * 86400 - theirs.total_seconds()) < 1e-3
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)):
        return abs(float(ours) - float(theirs)) < 1e-9
    if isinstance(theirs, datetime) and isinstance(ours, datetime):
        return ours == theirs
    return ours == theirs


@pytest.fixture
def cli_copy(tmp_path: Path) -> Path:
    target = tmp_path / "cli.xlsx"
    shutil.copyfile(SAMPLE, target)
    run_file("run", target, today=TODAY, period=PERIOD, issue_date=TODAY)
    return target


def test_run_adds_every_output_tab_and_writes_each_with_one_value_write() -> None:
    book = json_book(SAMPLE)
    outcome = excel.run(book, today=TODAY)
    assert outcome is not None and outcome.period == PERIOD
    assert added_sheets(book) == ["vaxl", *EXPECTED_RUN_TABS]
    writes = value_writes(book)
    for name in EXPECTED_RUN_TABS:
        assert len(writes[name]) == 1, name
        action = writes[name][0]
        assert (action["start_row"], action["start_column"]) == (0, 0)
    hidden = [a for a in actions(book) if a["func"] == "setSheetVisibility"]
    assert [(book.sheets[a["sheet_position"]].name, a["args"]) for a in hidden] == [
        ("_vaxl", ["Hidden"])
    ]
    (message, title, _buttons, mode, _cb), = alerts(book)
    assert mode == "info" and title == "vaxl" and "9 invoice(s)" in message


def test_written_values_equal_what_the_cli_writes(cli_copy: Path) -> None:
    book = json_book(SAMPLE)
    excel.run(book, today=TODAY)
    writes = value_writes(book)
    cli = load_workbook(cli_copy)
    compared = 0
    for name in EXPECTED_RUN_TABS:
        sheet = cli[name]
        rows = writes[name][0]["values"]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                shown, link = decode(value)
                cell = sheet.cell(r, c)
                assert same(shown, cell.value), (name, cell.coordinate, value, cell.value)
                if link is not None:
                    assert cell.hyperlink is not None, (name, cell.coordinate)
                    assert link == (cell.hyperlink.location or cell.hyperlink.target)
                compared += 1
        assert sheet.max_row <= len(rows) and sheet.max_column <= len(rows[0]), name
    assert compared > 1000


def test_the_invoice_tabs_keep_live_formulas() -> None:
    book = json_book(SAMPLE)
    excel.invoices(book, today=TODAY)
    values = value_writes(book)["BD-2026-0001"][0]["values"]
    formulas = [v for row in values for v in row
                if isinstance(v, str) and v.startswith("=") and not v.startswith("=HYPERLINK")]
    assert any(f.startswith("=SUM(") for f in formulas)


def test_formatting_is_batched_by_range_not_by_cell() -> None:
    book = json_book(SAMPLE)
    excel.invoices(book, today=TODAY)
    counts = Counter(a["func"] for a in actions(book))
    cells = sum(len(w[0]["values"]) * len(w[0]["values"][0]) for w in value_writes(book).values())
    assert counts["setNumberFormat"] > 0 and counts["setFontProperty"] > 0
    assert counts["setNumberFormat"] + counts["setFontProperty"] < cells / 5


def test_validate_writes_validation_and_manifest_only() -> None:
    book = json_book(SAMPLE)
    outcome = excel.validate(book, today=TODAY)
    assert outcome is not None
    assert added_sheets(book) == ["Validation", "_vaxl"]
    rows = value_writes(book)["Validation"][0]["values"]
    texts = {decode(v)[0] for row in rows for v in row}
    for problem in outcome.problems:
        assert problem.message in texts
    message = alerts(book)[0][0]
    assert f"{len(outcome.problems)} warning(s)" in message


def test_billing_month_comes_from_the_control_tab() -> None:
    book = json_book(SAMPLE, extra={"vaxl": [["Month", "2026-10"]]})
    outcome = excel.invoices(book, today=TODAY)
    assert outcome is not None and outcome.period == "2026-10"
    assert "vaxl" not in added_sheets(book)
    assert all(inv.period == "2026-10" for inv in outcome.result.invoices)


def test_a_missing_control_tab_is_created_with_a_live_default() -> None:
    book = json_book(SAMPLE)
    excel.report(book, today=TODAY)
    (write,) = value_writes(book)["vaxl"]
    assert write["values"][0] == ["Month", excel.MONTH_FORMULA]


def test_a_bad_month_is_an_alert_with_the_fix_and_nothing_is_written() -> None:
    book = json_book(SAMPLE, extra={"vaxl": [["Month", "Nov"]]})
    assert excel.invoices(book, today=TODAY) is None
    assert [a["func"] for a in actions(book)] == ["alert"]
    message, _title, _buttons, mode, _cb = alerts(book)[0]
    assert mode == "critical"
    assert "vaxl!B1" in message and "2026-11" in message


def test_a_users_own_tab_with_a_vaxl_name_is_refused_untouched() -> None:
    book = json_book(SAMPLE, extra={"Invoices": [["my own notes"]]})
    assert excel.invoices(book, today=TODAY) is None
    assert [a["func"] for a in actions(book)] == ["alert"]
    assert "Rename or delete your tab 'Invoices'" in alerts(book)[0][0]


def test_user_text_that_looks_like_a_formula_is_written_as_text(small_book: Path) -> None:
    book = json_book(small_book)
    excel.run(book, today=TODAY)
    written = [v for w in value_writes(book).values() for row in w[0]["values"] for v in row]
    assert "'=cmd|' /C calc'!A0" in written
    assert "=cmd|' /C calc'!A0" not in written


def test_rerun_rewrites_vaxl_tabs_in_place() -> None:
    import xlwings as xw

    from vaxl.bench.surfaces import wire_value

    first = json_book(SAMPLE)
    outcome = excel.run(first, today=TODAY)
    assert outcome is not None
    # the workbook as Excel holds it after the first run (formulas as their results)
    payload = book_json(SAMPLE)
    shown = {grid.name: grid.values() for grid in outcome.grids}
    shown["vaxl"] = [["Month", PERIOD]]
    for name, rows in shown.items():
        values = [[wire_value(float(v) if isinstance(v, Decimal) else v, utc=True) for v in row]
                  for row in rows]
        payload["sheets"].append({**payload["sheets"][0], "name": name, "values": values})
    second = xw.Book(json=payload)
    again = excel.run(second, today=TODAY)
    assert again is not None, alerts(second)
    assert added_sheets(second) == []
    assert [inv.number for inv in again.result.invoices] == [
        inv.number for inv in outcome.result.invoices
    ]
    cleared = {second.sheets[a["sheet_position"]].name
               for a in actions(second) if a["func"] == "sheetClear"}
    assert cleared == set(EXPECTED_RUN_TABS)
    assert set(value_writes(second)) == set(EXPECTED_RUN_TABS)
