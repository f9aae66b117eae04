"""Measuring one thing at a time, each in a fresh child process.

    m = measure("vaxl", {"path": "...", "action": "run"}, repeat=3)
    m.seconds, m.stages, m.peak_mb, m.info

The parent starts `python -m vaxl.bench.measure TASK JSON` once per repeat and
reads the child's resource usage with os.wait4 (ru_maxrss: the child's peak
resident memory, its interpreter and imports included).  The child does its
untimed set-up (imports, copying the input), times the task with
time.perf_counter and prints one JSON line.  Medians over the repeats are
reported; peak memory is the largest of the repeats.  A run that forks helpers
(vaxl.io.forked: one checks, then one renders) counts, for each, its own pages
(private, not shared with the run) on top of the run's peak up to that helper's end
(Outcome.together_kb): the most the two held at once, bounded above.

Tasks (`TASKS`):
    read_calamine   python-calamine: open + to_python() of every tab vaxl reads
    read_fastexcel  fastexcel: open + load every tab vaxl reads into Arrow memory
                    (column types found beforehand, untimed: mixed columns as text)
    write_floor     a copy of the package with every unchanged entry copied as
                    raw compressed bytes and the parts vaxl added or changed
                    written (deflate level 6, as vaxl does); no fsync
    vaxl            vaxl.service.run_file in process (today fixed), per stage
    openpyxl        load_workbook + 500 small sheets + save (the round trip)
    script          a pandas + openpyxl script: read_excel, bill hourly work per
                    client with groupby, load_workbook, a sheet per client, save
    cli             `python -m vaxl ACTION BOOK --json` as a whole process
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "Measurement",
    "TASKS",
    "changed_parts",
    "measure",
    "run_child",
]


@dataclass
class Measurement:
    """The medians of one measured thing.

    Fields:
        task: the task's name.
        seconds: median wall time of the timed part.
        runs: every repeat's seconds.
        peak_mb: the largest peak resident memory of the child processes (MiB).
        stages: median seconds per stage (vaxl tasks only).
        info: what the last repeat reported (counts, reader used...).
    """

    task: str
    seconds: float
    runs: list[float]
    peak_mb: float
    stages: dict[str, float] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)


def run_child(argv: list[str], *, timeout: float = 1800.0, stdout_json: bool = True
              ) -> tuple[dict[str, Any], float, float]:
    """Run argv; return (its last JSON stdout line or {}, wall seconds, peak MiB).

    The peak is the child's own ru_maxrss from os.wait4 (so it covers only this
    child and whatever it waited for)."""
    out = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE if stdout_json else out,
                            cwd=os.getcwd())
    deadline = start + timeout
    status, usage = 0, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            raise TimeoutError(f"{argv[2:4]} took more than {timeout:.0f} s")
        time.sleep(0.002)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    out.seek(0)
    text = out.read().decode(errors="replace")
    out.close()
    peak = usage.ru_maxrss / 1024 if usage is not None else 0.0
    if not stdout_json:
        return {"returncode": proc.returncode}, wall, peak
    lines = [line for line in text.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(argv[2:4])} failed ({proc.returncode}): "
                           f"{errors.strip()[-2000:] or text[-2000:]}")
    return json.loads(lines[-1]), wall, peak


def measure(task: str, args: dict[str, Any], repeat: int = 3, *, timeout: float = 1800.0
            ) -> Measurement:
    """Run a task `repeat` times, each in a fresh child process."""
    runs: list[float] = []
    peaks: list[float] = []
    stage_runs: dict[str, list[float]] = {}
    info: dict[str, Any] = {}
    for _ in range(max(1, repeat)):
        if task == "cli":
            result, peak = _cli(args, timeout)
        else:
            argv = [sys.executable, "-m", "vaxl.bench.measure", task, json.dumps(args)]
            result, _wall, peak = run_child(argv, timeout=timeout)
            # A run's helper processes (vaxl.io.forked) live beside it: each one's own
            # pages count on top of the run's peak until then (ru_maxrss gives only
            # the larger of the two).
            peak = max(peak, result.get("info", {}).get("together_mb", 0.0))
        runs.append(float(result["seconds"]))
        peaks.append(peak)
        for stage, secs in result.get("stages", {}).items():
            stage_runs.setdefault(stage, []).append(secs)
        info = result.get("info", {})
    stages = {s: statistics.median(v) for s, v in stage_runs.items()}
    return Measurement(task, statistics.median(runs), runs, max(peaks), stages, info)


def _cli(args: dict[str, Any], timeout: float) -> tuple[dict[str, Any], float]:
    """`python -m vaxl ACTION COPY ...` as a whole process: startup included."""
    src = Path(args["path"])
    with tempfile.TemporaryDirectory(dir=src.parent) as folder:
        book = Path(folder) / src.name
        shutil.copyfile(src, book)
        argv = [sys.executable, "-m", "vaxl", args.get("action", "run"), str(book), "--json",
                "--today", args["today"]]
        if args.get("action", "run") != "validate":
            argv += ["--month", args["month"]]
        result, wall, peak = run_child(argv, timeout=timeout, stdout_json=False)
        if result["returncode"] not in (0, 1):
            raise RuntimeError(f"vaxl CLI exited {result['returncode']}")
    return {"seconds": wall, "info": {"exit_code": result["returncode"]}}, peak


# ----------------------------------------------------------------------- the tasks


def _wanted_tabs(names: list[str]) -> list[str]:
    from vaxl.io.xlsx_read import wanted_tab

    return [n for n in names if wanted_tab(n)]


def task_read_calamine(args: dict[str, Any]) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    path = args["path"]
    start = time.perf_counter()
    book = CalamineWorkbook.from_path(path)
    cells = 0
    for name in _wanted_tabs(list(book.sheet_names)):
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=True)
        cells += sum(len(r) for r in rows)
    book.close()
    return {"seconds": time.perf_counter() - start, "info": {"cells": cells}}


def _fastexcel_dtypes(path: str) -> dict[str, Any]:
    """Per tab, the columns fastexcel cannot type by itself (mixed cells): read as text."""
    import fastexcel

    reader = fastexcel.read_excel(path)
    found: dict[str, Any] = {}
    for name in _wanted_tabs(list(reader.sheet_names)):
        dtypes: dict[Any, Any] = {}
        for _ in range(64):
            try:
                reader.load_sheet_by_name(name, dtypes=dtypes or None, schema_sample_rows=None)
                break
            except Exception as exc:  # noqa: BLE001 - fastexcel's errors carry the column name
                column = str(exc).rsplit("column", 1)[-1].strip()
                if not column or column in dtypes:
                    dtypes = {}
                    break
                dtypes[column] = "string"
        found[name] = dtypes
    return found


def task_read_fastexcel(args: dict[str, Any]) -> dict[str, Any]:
    import fastexcel

    path = args["path"]
    dtypes: dict[str, Any] = _fastexcel_dtypes(path)
    start = time.perf_counter()
    reader = fastexcel.read_excel(path)
    cells = 0
    for name in _wanted_tabs(list(reader.sheet_names)):
        sheet = reader.load_sheet_by_name(name, dtypes=dtypes.get(name) or None,
                                          schema_sample_rows=None)
        cells += sheet.height * sheet.width
    return {"seconds": time.perf_counter() - start,
            "info": {"cells": cells,
                     "text_columns": {k: sorted(v) for k, v in dtypes.items() if v}}}


def changed_parts(before: Path, after: Path) -> dict[str, bytes]:
    """The parts of `after` that `before` lacks or holds with other bytes."""
    with zipfile.ZipFile(before) as old, zipfile.ZipFile(after) as new:
        crcs = {i.filename: i.CRC for i in old.infolist()}
        return {i.filename: new.read(i) for i in new.infolist()
                if crcs.get(i.filename) != i.CRC}


def _raw_entry(fp: Any, info: zipfile.ZipInfo) -> bytes:
    fp.seek(info.header_offset)
    header = fp.read(30)
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    return bytes(fp.read(info.compress_size))


def write_floor(src: Path, parts: dict[str, bytes], out: Path) -> None:
    """The least work that writes vaxl's parts into a copy of the package."""
    with open(src, "rb") as fp, zipfile.ZipFile(fp) as old, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in parts:
                continue
            raw = _raw_entry(fp, info)
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.CRC = info.CRC
            copy.compress_size, copy.file_size = info.compress_size, info.file_size
            copy.flag_bits = info.flag_bits & 0x0800
            assert new.fp is not None
            copy.header_offset = new.fp.tell()
            new.fp.write(copy.FileHeader(False))
            new.fp.write(raw)
            new.start_dir = new.fp.tell()
            new.filelist.append(copy)
            new.NameToInfo[copy.filename] = copy
        for name, data in parts.items():
            new.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


def task_write_floor(args: dict[str, Any]) -> dict[str, Any]:
    import pickle

    src = Path(args["path"])
    with open(args["parts"], "rb") as handle:
        parts: dict[str, bytes] = pickle.load(handle)
    with tempfile.TemporaryDirectory(dir=src.parent) as folder:
        out = Path(folder) / "floor.xlsx"
        start = time.perf_counter()
        write_floor(src, parts, out)
        seconds = time.perf_counter() - start
        with zipfile.ZipFile(out) as check:  # the floor's output is a whole zip
            bad = check.testzip()
    if bad is not None:
        raise RuntimeError(f"the floor wrote a broken entry {bad}")
    return {"seconds": seconds, "info": {"parts": len(parts),
                                         "bytes": sum(len(d) for d in parts.values())}}


def _warm_vaxl() -> None:
    """Import what run_file imports lazily, so stage times are work, not imports."""
    import vaxl.core.billing  # noqa: F401
    import vaxl.core.checks  # noqa: F401
    import vaxl.io.xlsx_read  # noqa: F401
    import vaxl.io.xlsx_write  # noqa: F401
    import vaxl.layout.manifest  # noqa: F401
    import vaxl.layout.tabs  # noqa: F401
    import vaxl.layout.validation  # noqa: F401
    import vaxl.service  # noqa: F401
    import vaxl.sheets.parse  # noqa: F401


def task_vaxl(args: dict[str, Any]) -> dict[str, Any]:
    from vaxl.service import run_file

    _warm_vaxl()
    src = Path(args["path"])
    action = args.get("action", "run")
    today = date.fromisoformat(args["today"])
    with tempfile.TemporaryDirectory(dir=src.parent) as folder:
        book = Path(folder) / src.name
        shutil.copyfile(src, book)
        marks: list[tuple[str, float]] = []

        def progress(stage: str) -> None:
            marks.append((stage, time.perf_counter()))

        start = time.perf_counter()
        outcome = run_file(action, book, today=today,
                           period=args.get("month") if action != "validate" else None,
                           progress=progress)
        end = time.perf_counter()
        written = book.stat().st_size
        if args.get("keep_parts"):  # what the write floor writes: the same parts
            import pickle

            with open(args["keep_parts"], "wb") as handle:
                pickle.dump(changed_parts(src, book), handle, protocol=pickle.HIGHEST_PROTOCOL)
    stages: dict[str, float] = {}
    for (stage, at), (_next, until) in zip(marks, [*marks[1:], ("end", end)], strict=True):
        stages[stage] = stages.get(stage, 0.0) + (until - at)
    result = outcome.result
    codes = Counter(p.code or p.message[:60] for p in outcome.problems if p.severity == "error")
    info = {
        "error_codes": dict(codes.most_common(3)),
        "errors": sum(p.severity == "error" for p in outcome.problems),
        "warnings": sum(p.severity == "warning" for p in outcome.problems),
        "invoices": len(result.invoices) if result is not None else 0,
        "tabs": len(outcome.tabs),
        "entries": len(outcome.book.entries),
        "bytes_written": written,
        "together_mb": outcome.together_kb / 1024,
    }
    return {"seconds": end - start, "stages": stages, "info": info}


def _small_sheet_rows(i: int) -> list[list[Any]]:
    rows: list[list[Any]] = [["Invoice", f"INV-{i:05d}", "", "", ""],
                             ["Description", "Hours", "Rate", "Amount", ""]]
    for line in range(18):
        rows.append([f"Line {line}", 1.5 + line, 40.0, (1.5 + line) * 40.0, ""])
    rows.append(["Total", "", "", "=SUM(D3:D20)", ""])
    return rows


def task_openpyxl(args: dict[str, Any]) -> dict[str, Any]:
    import openpyxl  # type: ignore[import-untyped]

    src = Path(args["path"])
    sheets = int(args.get("sheets", 500))
    with tempfile.TemporaryDirectory(dir=src.parent) as folder:
        out = Path(folder) / "openpyxl.xlsx"
        start = time.perf_counter()
        book = openpyxl.load_workbook(src)
        loaded = time.perf_counter()
        for i in range(sheets):
            sheet = book.create_sheet(f"INV-{i:05d}")
            for row in _small_sheet_rows(i):
                sheet.append(row)
        book.save(out)
        end = time.perf_counter()
    return {"seconds": end - start, "stages": {"load": loaded - start, "add+save": end - loaded},
            "info": {"sheets": sheets}}


def task_script(args: dict[str, Any]) -> dict[str, Any]:
    """What an agency would otherwise run: pandas to read and sum, openpyxl to write."""
    import openpyxl
    import pandas as pd  # type: ignore[import-untyped]

    src = Path(args["path"])
    month = args["month"]
    with tempfile.TemporaryDirectory(dir=src.parent) as folder:
        out = Path(folder) / "script.xlsx"
        start = time.perf_counter()
        tabs = pd.read_excel(src, sheet_name=["Settings", "Clients", "Rates", "Timesheet"],
                             engine="openpyxl")
        sheet = tabs["Timesheet"]
        sheet["Date"] = pd.to_datetime(sheet["Date"], errors="coerce")
        sheet["Hours"] = pd.to_numeric(sheet["Hours"], errors="coerce")
        work = sheet[sheet["Date"].dt.strftime("%Y-%m") == month]
        work = work[work["Billable"].fillna("Y") != "N"]
        work = work.assign(client=work["Client ID"].str.upper())
        clients = tabs["Clients"].set_index("Client ID")
        lines = work.groupby(["client", "Category"])["Hours"].sum().reset_index()
        lines["Rate"] = lines["client"].map(clients["Rate"]).fillna(0)
        lines["Amount"] = (lines["Hours"] * lines["Rate"]).round(2)
        read = time.perf_counter()
        book = openpyxl.load_workbook(src)
        for client, group in lines.groupby("client"):
            tab = book.create_sheet(f"INV-{client}"[:31])
            tab.append(["Category", "Hours", "Rate", "Amount"])
            for row in group.itertuples(index=False):
                tab.append([row.Category, float(row.Hours), float(row.Rate), float(row.Amount)])
        book.save(out)
        end = time.perf_counter()
    return {"seconds": end - start, "stages": {"pandas read+sum": read - start,
                                               "openpyxl load+write": end - read},
            "info": {"sheets": int(lines["client"].nunique())}}


TASKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "read_calamine": task_read_calamine,
    "read_fastexcel": task_read_fastexcel,
    "write_floor": task_write_floor,
    "vaxl": task_vaxl,
    "openpyxl": task_openpyxl,
    "script": task_script,
}


def _child(argv: list[str]) -> int:
    task, args = argv[0], json.loads(argv[1])
    if task in TASKS:
        result = TASKS[task](args)
    else:
        from vaxl.bench.surfaces import SURFACE_TASKS

        result = SURFACE_TASKS[task](args)
    sys.stdout.write(json.dumps(result, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
