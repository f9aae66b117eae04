"""vaxl/core stays pure: no I/O library, no file access, no clock.

Every module under vaxl/core is parsed (not imported) and its imports and
calls are inspected, so the test also covers modules other engineers add.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "vaxl" / "core"
FORBIDDEN_MODULES = {
    "openpyxl", "xlwings", "gspread", "typer", "fastapi", "uvicorn", "rich", "calamine",
    "python_calamine", "pandas", "fastexcel", "xlsxwriter", "fpdf", "requests", "httpx",
    "urllib", "socket", "subprocess", "shutil", "pathlib", "io", "os",
}
FORBIDDEN_VAXL = ("vaxl.io", "vaxl.cli", "vaxl.server", "vaxl.service")
CLOCK_ATTRS = {"today", "now", "utcnow"}
FILE_ATTRS = {"read_text", "read_bytes", "write_text", "write_bytes", "open"}
TIME_CALLS = {"time", "time_ns", "monotonic", "perf_counter", "localtime", "gmtime"}


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def offences(source: str) -> list[str]:
    """What a module does that the pure core must not."""
    found: list[str] = []
    time_names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            time_names |= {a.asname or a.name for a in node.names if a.name == "time"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "time":
                time_names.add("")
                found += [f"from time import {a.name}" for a in node.names
                          if a.name in TIME_CALLS]
        else:
            names = []
        for name in names:
            if name.split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"import {name}")
            if name.startswith(FORBIDDEN_VAXL):
                found.append(f"import {name}")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append("open()")
            if isinstance(func, ast.Attribute):
                if func.attr in CLOCK_ATTRS:
                    found.append(f".{func.attr}()")
                if func.attr in FILE_ATTRS:
                    found.append(f".{func.attr}()")
                if (func.attr in TIME_CALLS and isinstance(func.value, ast.Name)
                        and func.value.id in time_names):
                    found.append(f"{func.value.id}.{func.attr}()")
    return found


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_core_module_is_pure(path: Path) -> None:
    assert offences(path.read_text(encoding="utf-8")) == []


def test_the_core_has_modules() -> None:
    names = {p.name for p in core_modules()}
    assert {"models.py", "money.py", "checks.py", "contacts.py"} <= names


@pytest.mark.parametrize(("source", "expected"), [
    ("import openpyxl", ["import openpyxl"]),
    ("from pandas import DataFrame", ["import pandas"]),
    ("import xlwings as xw", ["import xlwings"]),
    ("from rich.console import Console", ["import rich.console"]),
    ("from vaxl.io.xlsx_read import read_workbook", ["import vaxl.io.xlsx_read"]),
    ("open('x')", ["open()"]),
    ("p.read_text()", [".read_text()"]),
    ("from datetime import date\nx = date.today()", [".today()"]),
    ("import datetime\nx = datetime.datetime.now()", [".now()"]),
    ("x = datetime.utcnow()", [".utcnow()"]),
    ("import time\nx = time.time()", ["time.time()"]),
    ("from time import time", ["from time import time"]),
    ("from decimal import Decimal\nimport phonenumbers\nx = Decimal(1)", []),
    ("from vaxl.sheets.spec import TABS", []),
])
def test_offences_detects_what_it_must(source: str, expected: list[str]) -> None:
    assert offences(source) == expected
