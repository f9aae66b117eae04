"""Every RunPython and xlwings Lite target named in macros/ exists and runs."""

from __future__ import annotations

import ast
import csv
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from excel_kit import ROOT, SAMPLE, json_book

import vaxl.udfs as u

MACROS = ROOT / "macros"
BUTTON_SUBS = {"VaxlValidate", "VaxlInvoices", "VaxlReport", "VaxlRun", "VaxlPdfs"}
FUNCTIONS = {"VAXL_RATE", "VAXL_HOURS", "VAXL_PREPAID_LEFT", "VAXL_TO_BILL",
             "VAXL_INVOICE_TOTAL", "VAXL_SUMMARY"}


def bas_targets() -> dict[str, str]:
    """Sub name -> the Python command its RunPython runs."""
    text = (MACROS / "vaxl.bas").read_text()
    subs = re.findall(r'^Sub (\w+)\(\)\s*\n\s*RunPython "([^"]+)"\s*\nEnd Sub', text,
                      re.M | re.I)
    return dict(subs)


def test_the_bas_module_has_one_sub_per_button_with_crlf_lines() -> None:
    data = (MACROS / "vaxl.bas").read_bytes()
    assert data.startswith(b'Attribute VB_Name = "vaxl"\r\n')
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert set(bas_targets()) == BUTTON_SUBS


@pytest.mark.parametrize("sub", sorted(BUTTON_SUBS))
def test_each_runpython_command_runs_on_the_calling_book(
    sub: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlwings as xw

    import vaxl.io.excel

    # The JSON-book engine has no folder behind the book; desktop Excel does.
    monkeypatch.setattr(vaxl.io.excel, "_pdf_folder", lambda _book: tmp_path)

    command = bas_targets()[sub]
    book = json_book(SAMPLE)
    book.set_mock_caller()  # what RunPython's --wb argument gives xw.Book.caller()
    try:
        exec(command, {})  # noqa: S102 - the macro's own command, as RunPython runs it
    finally:
        del xw.Book._mock_caller
    actions = book.json()["actions"]
    alerts = [a["args"] for a in actions if a["func"] == "alert"]
    assert any(a["func"] == "setValues" for a in actions)
    if sub == "VaxlPdfs":
        pdfs = sorted(tmp_path.glob("vaxl-invoices-*/*.pdf"))
        assert pdfs and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
        assert [a[3] for a in alerts] == ["info", "info"], alerts
    else:
        assert [a[3] for a in alerts] == ["info"], alerts


def test_xlwings_conf_names_the_interpreter_and_the_udf_module() -> None:
    rows = dict(csv.reader((MACROS / "xlwings.conf").read_text().splitlines()))
    assert rows["INTERPRETER_WIN"].endswith("pythonw.exe")
    assert rows["INTERPRETER_MAC"].endswith("/bin/python")
    module = importlib.import_module(rows["UDF MODULES"])
    assert FUNCTIONS <= set(dir(module))
    assert module is u


def lite_names() -> tuple[set[str], set[str]]:
    """(@script functions, @func functions) declared in macros/main.py."""
    tree = ast.parse((MACROS / "main.py").read_text())
    scripts, funcs = set(), set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                name = target.id if isinstance(target, ast.Name) else ""
                if name == "script":
                    scripts.add(node.name)
                elif name == "func":
                    funcs.add(node.name)
    return scripts, funcs


def test_the_lite_scripts_and_functions_run_as_xlwings_lite_runs_them() -> None:
    scripts, funcs = lite_names()
    assert scripts == {"vaxl_validate", "vaxl_invoices", "vaxl_report", "vaxl_run"}
    assert funcs == FUNCTIONS
    calls = {
        "VAXL_RATE": ["HARBOR", "Medical Transcription", True],
        "VAXL_HOURS": ["GREEN", "2026-11"],
        "VAXL_PREPAID_LEFT": ["MAPLE", "2026-11"],
        "VAXL_TO_BILL": ["GREEN", "2026-11"],
        "VAXL_INVOICE_TOTAL": ["NOPE-1"],
        "VAXL_SUMMARY": ["2026-11"],
    }
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("lite_runner.py")),
         str(MACROS / "main.py"), json.dumps(calls)],
        capture_output=True, text=True, env=env, timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(out["function_names"]) == FUNCTIONS
    assert set(out["script_meta"]) == scripts
    assert out["script_meta"]["vaxl_validate"] == "[vaxlValidate]vaxl!D2"
    assert out["before_any_script"][0][0].startswith("vaxl: run a vaxl script")
    for name, result in out["scripts"].items():
        assert result["alerts"] == ["info"], (name, result)
        assert result["set_values"] >= 2, name
    # the same figures as the desktop UDFs on the same workbook
    caller = json_book(SAMPLE).sheets[0]["A1"]
    for name, args in calls.items():
        desktop = getattr(u, name)(*args, caller=caller)
        lite = out["functions"][name]
        if name == "VAXL_SUMMARY":
            assert lite[0] == desktop[0] and len(lite) == len(desktop)
            assert [r[:7] for r in lite[1:]] == [r[:7] for r in desktop[1:]]
        else:
            assert lite == [[desktop]], name
    assert out["functions"]["VAXL_RATE"] == [[112.5]]  # 75 x (1 + 50% rush)


def test_lite_requirements_are_pure_python_packages() -> None:
    lines = [line.split("#")[0].strip() for line in
             (MACROS / "requirements.txt").read_text().splitlines()]
    names = {re.split(r"[=<>~ ;]", line)[0].lower() for line in lines if line}
    assert {"pydantic", "babel", "email-validator", "phonenumbers", "vaxl"} <= names
    assert not names & {"python-calamine", "pandas", "numpy", "openpyxl", "fastexcel"}
