"""Run macros/main.py the way xlwings Lite does; print what happened as JSON.

Started by test_macros.py in a fresh interpreter with XLWINGS_ON_SERVER=true
(xlwings' decorators then register scripts and functions as in Lite/Server).
python-calamine, pandas and numpy are blocked: Lite reads values from Excel,
so none of them may be needed there.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import xlwings as xw  # noqa: E402
from excel_kit import SAMPLE, book_json  # noqa: E402
from xlwings.server import (  # noqa: E402
    custom_functions_call,
    custom_functions_meta,
    custom_scripts_call,
    custom_scripts_meta,
)

PAYLOAD = book_json(SAMPLE)  # what Excel sends (built with calamine, before the block)
for blocked in ("python_calamine", "pandas", "numpy", "fastexcel", "openpyxl"):
    sys.modules[blocked] = None  # type: ignore[assignment]

spec = importlib.util.spec_from_file_location("vaxl_lite_main", sys.argv[1])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)

out: dict = {"scripts": {}, "functions": {}}
meta = custom_functions_meta(main)
out["function_names"] = sorted(f["name"] for f in meta["functions"])
out["script_meta"] = {m["function_name"]: m.get("button") for m in custom_scripts_meta(main)}


def call(name: str, *args: object) -> object:
    data = {"func_name": name, "args": [[[a]] for a in args], "version": xw.__version__,
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "en-US"}
    return asyncio.run(custom_functions_call(data, main))


out["before_any_script"] = call("VAXL_HOURS", "GREEN", "2026-11")
for name in sorted(out["script_meta"]):
    book = xw.Book(json=copy.deepcopy(PAYLOAD))
    asyncio.run(custom_scripts_call(main, name, typehint_to_value={xw.Book: book}))
    actions = book.json()["actions"]
    out["scripts"][name] = {
        "set_values": sum(a["func"] == "setValues" for a in actions),
        "alerts": [a["args"][3] for a in actions if a["func"] == "alert"],
    }
for name, args in json.loads(sys.argv[2]).items():
    out["functions"][name] = call(name, *args)
print(json.dumps(out))
