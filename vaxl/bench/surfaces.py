"""The other surfaces, counted or timed: live Excel, UDFs, Google Sheets, HTTP.

Each function takes a generated workbook and returns a dict of figures, or
raises NotBuilt when the surface's module is not in the tree yet.

    excel_counts(path)     range reads per input tab and value writes per output
                           tab of vaxl.io.excel.run on xlwings' JSON-book engine
                           (the engine of xlwings Lite/Server), counted by
                           wrapping that engine's Range.raw_value
    udf_parses(path)       parses per workbook state over many UDF calls
    gsheets_requests(path) Sheets API requests of one run, against the stand-in
                           API server of tests/gsheets when there is one
    http_latency(path)     `vaxl serve` in a subprocess on 127.0.0.1: POST /v1/run
                           latency (median, p95) and throughput with concurrent clients
"""

from __future__ import annotations

import http.client
import importlib.util
import inspect
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock
from functools import partial
from pathlib import Path
from typing import Any

__all__ = [
    "NotBuilt",
    "SURFACE_TASKS",
    "book_json",
    "excel_counts",
    "free_port",
    "gsheets_requests",
    "http_latency",
    "udf_parses",
    "wire_value",
    "wire_body",
]

ROOT = Path(__file__).resolve().parents[2]
SHEET_ID = "1BenchSheet-vaxl"


class NotBuilt(Exception):
    """The surface's module is not in the tree (yet)."""


def _need(module: str) -> None:
    try:
        found = importlib.util.find_spec(module)
    except ModuleNotFoundError:
        found = None
    if found is None:
        raise NotBuilt(module)


# ----------------------------------------------------------------------- cells on the wire


def wire_value(value: Any, *, utc: bool = False) -> Any:
    """A cell as Apps Script (or the Office.js client, utc=True) sends it."""
    tail = ".000Z" if utc else ""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S") + tail
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00{tail}"
    if isinstance(value, clock):
        return f"1899-12-30T{value.strftime('%H:%M:%S')}{tail}"
    if isinstance(value, timedelta):
        return (datetime(1899, 12, 30) + value).strftime("%Y-%m-%dT%H:%M:%S") + tail
    return value


def _sheets(path: Path, *, utc: bool = False) -> list[tuple[str, list[list[Any]]]]:
    """Every tab's values from A1, as a spreadsheet client would send them."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    out = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        top, left = sheet.start or (0, 0)
        width = max((len(r) for r in rows), default=0) + left
        values = [[""] * width for _ in range(top)]
        values += [[""] * left + [wire_value(v, utc=utc) for v in row] for row in rows]
        out.append((name, values))
    return out


def book_json(path: Path, extra: dict[str, list[list[Any]]] | None = None) -> dict[str, Any]:
    """The JSON xlwings' Office.js client (Lite, Server) sends for the workbook at
    `path`, plus `extra` tabs (name -> rows) after its own."""
    import xlwings as xw

    tabs = _sheets(path, utc=True)
    tabs += [(name, [[wire_value(v, utc=True) for v in row] for row in rows])
             for name, rows in (extra or {}).items()]
    sheets = [{"name": name, "values": values or [[]], "pictures": [], "tables": [],
               "charts": [], "shapes": [], "notes": [], "visibility": "Visible",
               "print_area": None} for name, values in tabs]
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def wire_body(path: Path, month: str) -> dict[str, Any]:
    """The body the Apps Script sends for the workbook at `path` (values only)."""
    tabs = {name: {"values": values} for name, values in _sheets(path)}
    return {"spreadsheet_id": SHEET_ID, "timezone": "UTC", "locale": "en_US", "month": month,
            "sheet_names": list(tabs), "tabs": tabs}


# ----------------------------------------------------------------------- live Excel


def excel_counts(path: Path, today: date) -> dict[str, Any]:
    """One `Run` click on xlwings' JSON-book engine: reads and writes counted per tab."""
    _need("vaxl.io.excel")
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # as tests/excel do
    import xlwings as xw
    from xlwings.pro import _xlremote

    payload = book_json(path)
    reads: Counter[str] = Counter()
    writes: Counter[str] = Counter()
    prop: Any = _xlremote.Range.__dict__["raw_value"]

    def get(rng: Any) -> Any:
        reads[rng.sheet.name] += 1
        return prop.fget(rng)

    def put(rng: Any, value: Any) -> None:
        writes[rng.sheet.name] += 1
        prop.fset(rng, value)

    import vaxl.io.excel as excel

    book = xw.Book(json=payload)
    setattr(_xlremote.Range, "raw_value", property(get, put))  # noqa: B010
    try:
        start = time.perf_counter()
        outcome = excel.run(book, today=today)
        seconds = time.perf_counter() - start
    finally:
        setattr(_xlremote.Range, "raw_value", prop)  # noqa: B010
    if outcome is None:
        raise RuntimeError("vaxl.io.excel.run failed on the benchmark workbook")
    inputs = {name for name, _ in _sheets_names(path)}
    outputs = [g.name for g in outcome.grids]
    return {
        "seconds": seconds,
        "input_tabs": len(inputs & set(reads)),
        "max_reads_per_input_tab": max((reads[n] for n in inputs if n in reads), default=0),
        "reads": dict(reads),
        "output_tabs": len(outputs),
        "max_writes_per_output_tab": max((writes[n] for n in outputs), default=0),
        "writes_total": sum(writes[n] for n in outputs),
    }


def _sheets_names(path: Path) -> list[tuple[str, None]]:
    from python_calamine import CalamineWorkbook

    from vaxl.io.xlsx_read import wanted_tab

    book = CalamineWorkbook.from_path(str(path))
    return [(n, None) for n in book.sheet_names if wanted_tab(n)]


# ----------------------------------------------------------------------- UDFs


def udf_parses(path: Path, today: date, month: str, calls: int = 300) -> dict[str, Any]:
    """Many UDF cells over one workbook state, then one edit and as many again."""
    _need("vaxl.udfs")
    from vaxl import udfs
    from vaxl.io.xlsx_read import read_workbook

    raw = read_workbook(path)
    udfs.cache_clear()
    figures = udfs.Figures.of(raw, today)
    ids = [c.id for c in figures.book.clients if c.billing != "commission"][:50] or ["X"]
    udfs.cache_clear()

    def cells(book: Any) -> list[float]:
        times = []
        for i in range(calls):
            cid = ids[i % len(ids)]
            start = time.perf_counter()
            fig = udfs.Figures.of(book, today)
            kind = i % 3
            if kind == 0:
                udfs.answer(partial(udfs.to_bill, fig, cid, month, today))
            elif kind == 1:
                udfs.answer(partial(udfs.hours, fig, cid, month, today))
            else:
                udfs.answer(partial(udfs.rate, fig, cid, "Admin"))
            times.append(time.perf_counter() - start)
        return times

    first = cells(raw)
    parses_one_state = udfs.stats.parses
    edited = _edited(raw)
    second = cells(edited)
    return {
        "calls_per_state": calls,
        "parses_one_state": parses_one_state,
        "parses_two_states": udfs.stats.parses,
        "first_call_s": first[0],
        "cached_call_median_s": statistics.median(first[1:] + second[1:]),
    }


def _edited(raw: Any) -> Any:
    """The same workbook with one Timesheet cell changed (a new workbook state)."""
    import copy

    edited = copy.deepcopy(raw)
    for name, tab in edited.tabs.items():
        if name.casefold() == "timesheet" and len(tab.rows) > 1:
            tab.rows[1] = list(tab.rows[1])
            tab.rows[1][2] = f"{tab.rows[1][2]} (edited)"
    return edited


# ----------------------------------------------------------------------- Google Sheets


def gsheets_requests(path: Path, today: date, month: str) -> dict[str, Any]:
    """Sheets API requests of one `vaxl run` through gspread, against the Sheets API
    stand-in of tests/gsheets/conftest.py (an HTTP server on 127.0.0.1)."""
    _need("vaxl.io.gsheets")
    stand_in = ROOT / "tests" / "gsheets" / "conftest.py"
    if not stand_in.exists():
        raise NotBuilt("tests/gsheets stand-in server")
    spec = importlib.util.spec_from_file_location("vaxl_bench_sheets_standin", stand_in)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    from http.server import ThreadingHTTPServer

    import gspread

    from vaxl.io.gsheets import run_gsheet

    api = module.FakeSheetsApi()
    key = "1BenchSheetKey_abcdefghijklmnopqrstuv"
    book = api.book(key)
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        book.add_sheet(name, [[None if v == "" else v for v in row] for row in rows])
    server = ThreadingHTTPServer(("127.0.0.1", 0), module.make_handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        client = gspread.Client(auth=None, session=module.Loopback(base),  # type: ignore[arg-type]
                                http_client=module.FastRetry)
        start = time.perf_counter()
        done = run_gsheet("run", key, client=client, today=today, period=month)
        seconds = time.perf_counter() - start
    finally:
        server.shutdown()
        server.server_close()
    invoices = done.outcome.result.invoices if done.outcome.result is not None else []
    return {"seconds": seconds, "requests": len(api.log), "counted_by_client": done.requests,
            "invoices": len(invoices), "tabs": len(done.outcome.grids)}


# ----------------------------------------------------------------------- HTTP backend


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(conn: http.client.HTTPConnection, body: bytes, token: str) -> float:
    start = time.perf_counter()
    conn.request("POST", "/v1/run", body=body, headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise RuntimeError(f"POST /v1/run answered {response.status}: {data[:300]!r}")
    return elapsed


def http_latency(path: Path, month: str, *, requests: int = 24, clients: int = 4,
                 per_client: int = 6) -> dict[str, Any]:
    """`vaxl serve` on loopback: sequential latency, then concurrent throughput."""
    _need("vaxl.server")
    from vaxl.server import sheet_token

    secret = "bench-secret-" + "b" * 24
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAXL_")}
    env.update({"VAXL_SECRET": secret, "VAXL_MAX_BODY_BYTES": str(64 * 1024 * 1024)})
    body_dict = wire_body(path, month)
    body = json.dumps(body_dict).encode()
    token = sheet_token(secret, SHEET_ID)
    proc = subprocess.Popen([sys.executable, "-m", "vaxl", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_up(port, proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        _post(conn, body, token)  # warm-up: imports on first request
        times = [_post(conn, body, token) for _ in range(requests)]
        conn.close()
        done: list[float] = []
        failures: list[BaseException] = []

        def worker() -> None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                for _ in range(per_client):
                    done.append(_post(c, body, token))
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)
            finally:
                c.close()

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        if failures:
            raise failures[0]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    times.sort()
    timesheet = next((len(v["values"]) - 1 for k, v in body_dict["tabs"].items()
                      if k.casefold() == "timesheet"), 0)
    return {
        "rows": timesheet,
        "body_bytes": len(body),
        "requests": len(times),
        "median_s": statistics.median(times),
        "p95_s": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "concurrent_clients": clients,
        "throughput_rps": len(done) / wall if wall else 0.0,
    }


def _wait_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"vaxl serve exited: {err[-1000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("vaxl serve did not come up within 30 s")


# ----------------------------------------------------------------------- as child tasks


def _task(func: Any) -> Any:
    takes = set(inspect.signature(func).parameters)

    def run(args: dict[str, Any]) -> dict[str, Any]:
        kwargs = {k: v for k, v in args.items() if k in takes and k not in ("path", "today")}
        if "today" in args:
            kwargs["today"] = date.fromisoformat(args["today"])
        try:
            figures = func(Path(args["path"]), **kwargs)
        except NotBuilt as missing:
            return {"seconds": 0.0, "info": {"not_built": str(missing)}}
        return {"seconds": figures.get("seconds", 0.0), "info": figures}

    return run


SURFACE_TASKS = {
    "excel": _task(excel_counts),
    "udf": _task(udf_parses),
    "gsheets": _task(gsheets_requests),
}
