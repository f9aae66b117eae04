"""`python -m vaxl.bench` (`make bench`): the benchmark, in one process run.

    python -m vaxl.bench                                  10k, 100k, 300k rows, medians of 3
    python -m vaxl.bench --sizes 10000 --repeat 1         a quick run
    python -m vaxl.bench --full                           also the openpyxl baseline at 300k

Inputs are generated once into ./bench-data/ (git-ignored).  Every figure is
printed with its ratio to its floor or baseline and the issue's target, and
the same table goes to docs/performance.md with the machine's description.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from vaxl.bench.generate import BENCH_MONTH, BENCH_TODAY, BOOK_VERSION, generate_book
from vaxl.bench.measure import Measurement, measure

DEFAULT_SIZES = (10_000, 100_000, 300_000)
SURFACE_ROWS = 2_000
BASELINE_LIMIT = 300_000  # the openpyxl baseline at 300k takes ~70 s and 1.5 GB: --full

# The targets (at 100,000 rows).
RUN_OVER_FLOOR = 1.5
OPENPYXL_OVER_RUN = 10.0
VALIDATE_OVER_READ = 1.3
PEAK_MB = 400.0
SCALING = 3.3
BACKEND_MEDIAN_S = 0.200
GSHEETS_REQUESTS = 3


@dataclass
class Row:
    """One line of the table."""

    size: str
    figure: str
    value: str
    peak: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class SizeResult:
    rows: int
    read: dict[str, Measurement] = field(default_factory=dict)
    write_floor: Measurement | None = None
    run: Measurement | None = None
    validate: Measurement | None = None
    cli: Measurement | None = None
    openpyxl: Measurement | None = None
    script: Measurement | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def read_floor(self) -> Measurement:
        """The fastest reader that hands over what vaxl reads: every cell's value with
        its type (python-calamine).  The issue's own floor is this read plus the
        write ("python-calamine reads the timesheet in about 0.9 s ... adding the
        new sheet parts ... about 0.1 s; so the floor for a full run is about 1 s")."""
        return self.read.get("calamine") or min(self.read.values(), key=lambda m: m.seconds)

    @property
    def arrow_read(self) -> Measurement | None:
        """fastexcel into Arrow columns: faster, but it coerces each column to one type
        (a text `1:30`, a duration and a number in one Hours column all become text),
        which is less than vaxl needs; shown beside the floor, not as it."""
        return self.read.get("fastexcel")

    @property
    def floor(self) -> float:
        assert self.write_floor is not None
        return self.read_floor.seconds + self.write_floor.seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m vaxl.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="timesheet rows, comma separated (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--clients", type=int, default=500, help="clients per workbook")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the openpyxl round trip and the pandas script")
    parser.add_argument("--full", action="store_true",
                        help=f"run the baseline at {BASELINE_LIMIT:,} rows too (~70 s, 1.5 GB)")
    parser.add_argument("--no-surfaces", action="store_true",
                        help="skip Excel, UDF, Google Sheets and HTTP backend figures")
    parser.add_argument("--data-dir", type=Path, default=Path("bench-data"))
    parser.add_argument("--out", type=Path, default=Path("docs/performance.md"))
    return parser.parse_args(argv)


def ensure_book(folder: Path, rows: int, clients: int, *, solo: bool = False) -> Path:
    """The generated workbook, built once and kept in the data folder."""
    name = f"{'solo' if solo else 'agency'}-{rows}-{clients}-v{BOOK_VERSION}.xlsx"
    path = folder / name
    if not path.exists():
        generate_book(path, rows, clients=clients, day_hours=24 if solo else None)
    return path


def measure_size(path: Path, rows: int, args: argparse.Namespace, say: Any) -> SizeResult:
    result = SizeResult(rows)
    base = {"path": str(path), "today": BENCH_TODAY.isoformat(), "month": BENCH_MONTH}
    repeat = args.repeat
    for task in ("read_calamine", "read_fastexcel"):
        try:
            result.read[task.removeprefix("read_")] = measure(task, base, repeat)
        except (RuntimeError, ImportError) as exc:
            result.notes.append(f"{task}: {str(exc).splitlines()[0][:120]}")
    say(f"  read floor {result.read_floor.seconds:.3f} s (python-calamine)")
    parts = path.with_suffix(".parts.pkl")
    result.run = measure("vaxl", {**base, "action": "run", "keep_parts": str(parts)}, repeat)
    say(f"  vaxl run {result.run.seconds:.3f} s")
    result.write_floor = measure("write_floor", {**base, "parts": str(parts)}, repeat)
    parts.unlink(missing_ok=True)
    result.validate = measure("vaxl", {**base, "action": "validate"}, repeat)
    say(f"  vaxl validate {result.validate.seconds:.3f} s")
    result.cli = measure("cli", {**base, "action": "run"}, 1)
    if args.no_baseline:
        result.notes.append("baseline skipped (--no-baseline)")
    elif rows >= BASELINE_LIMIT and not args.full:
        result.notes.append(f"openpyxl baseline skipped at {rows:,} rows (it takes ~70 s and "
                            "1.5 GB there): run with --full to include it")
    else:
        result.openpyxl = measure("openpyxl", {**base, "sheets": result.run.info.get(
            "invoices") or 500}, repeat)
        say(f"  openpyxl round trip {result.openpyxl.seconds:.3f} s")
        result.script = measure("script", base, repeat)
        say(f"  pandas+openpyxl script {result.script.seconds:.3f} s")
    return result


def _s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _mb(m: Measurement | None) -> str:
    return f"{m.peak_mb:.0f} MB" if m is not None else ""


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def size_rows(r: SizeResult) -> list[Row]:
    size = f"{r.rows // 1000}k" if r.rows >= 1000 else str(r.rows)
    out: list[Row] = []
    floor_read = r.read_floor
    out.append(Row(size, "read floor: python-calamine (typed cell values)",
                   _s(floor_read.seconds), _mb(floor_read)))
    arrow = r.arrow_read
    if arrow is not None:
        out.append(Row(size, "fastexcel read (Arrow, one type per column)", _s(arrow.seconds),
                       _mb(arrow), f"{arrow.seconds / floor_read.seconds:.2f}x read floor"))
    assert r.write_floor is not None and r.run is not None and r.validate is not None
    wf = r.write_floor
    out.append(Row(size, f"write floor: raw copy + {wf.info.get('parts', '?')} parts",
                   _s(wf.seconds), _mb(wf)))
    out.append(Row(size, "floor = read + write", _s(r.floor)))
    ratio = r.run.seconds / r.floor
    out.append(Row(size, "vaxl run (in process)", _s(r.run.seconds), _mb(r.run),
                   f"{ratio:.2f}x floor", f"<= {RUN_OVER_FLOOR}x",
                   _verdict(ratio <= RUN_OVER_FLOOR)))
    for stage, secs in r.run.stages.items():
        against = ""
        if stage == "read":
            against = f"{secs / floor_read.seconds:.2f}x read floor"
        elif stage == "write":
            against = f"{secs / wf.seconds:.2f}x write floor"
        out.append(Row(size, f"  stage {stage}", _s(secs), "", against))
    if arrow is not None:
        strict = arrow.seconds + wf.seconds
        out.append(Row(size, "  run against fastexcel read + write", _s(strict), "",
                       f"{r.run.seconds / strict:.2f}x"))
    out.append(Row(size, "vaxl run peak memory", f"{r.run.peak_mb:.0f} MB", "", "",
                   f"< {PEAK_MB:.0f} MB", _verdict(r.run.peak_mb < PEAK_MB)))
    v = r.validate.seconds / floor_read.seconds
    out.append(Row(size, "vaxl validate (in process)", _s(r.validate.seconds), _mb(r.validate),
                   f"{v:.2f}x read floor", f"<= {VALIDATE_OVER_READ}x",
                   _verdict(v <= VALIDATE_OVER_READ)))
    if arrow is not None:
        out.append(Row(size, "  validate against fastexcel read", _s(arrow.seconds), "",
                       f"{r.validate.seconds / arrow.seconds:.2f}x"))
    if r.cli is not None:
        out.append(Row(size, "vaxl run CLI (whole process, once)", _s(r.cli.seconds),
                       _mb(r.cli), f"{r.cli.seconds / r.run.seconds:.2f}x in process"))
    if r.openpyxl is not None:
        o = r.openpyxl.seconds / r.run.seconds
        out.append(Row(size, f"openpyxl round trip (+{r.openpyxl.info.get('sheets')} sheets)",
                       _s(r.openpyxl.seconds), _mb(r.openpyxl), f"{o:.1f}x vaxl run",
                       f">= {OPENPYXL_OVER_RUN:.0f}x", _verdict(o >= OPENPYXL_OVER_RUN)))
    if r.script is not None:
        out.append(Row(size, "pandas + openpyxl script", _s(r.script.seconds), _mb(r.script),
                       f"{r.script.seconds / r.run.seconds:.1f}x vaxl run"))
    return out


def scaling_rows(results: dict[int, SizeResult]) -> list[Row]:
    out = []
    if 100_000 in results and 300_000 in results:
        a, b = results[100_000].run, results[300_000].run
        assert a is not None and b is not None
        ratio = b.seconds / a.seconds
        out.append(Row("300k/100k", "vaxl run time", f"{_s(b.seconds)} / {_s(a.seconds)}", "",
                       f"{ratio:.2f}x", f"<= {SCALING}x", _verdict(ratio <= SCALING)))
    return out


def surface_rows(folder: Path, args: argparse.Namespace, say: Any) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    base = {"today": BENCH_TODAY.isoformat(), "month": BENCH_MONTH}
    solo = ensure_book(folder, SURFACE_ROWS, 40, solo=True)
    label = "surfaces"

    def child(task: str, path: Path, clients: int = 40) -> dict[str, Any] | None:
        try:
            m = measure(task, {"path": str(path), **base}, 1, timeout=600)
        except (RuntimeError, TimeoutError) as exc:
            notes.append(f"{task}: failed: {str(exc).splitlines()[-1][:160]}")
            rows.append(Row(label, _SURFACE_NAMES[task], "failed (see notes)"))
            return None
        if "not_built" in m.info:
            rows.append(Row(label, _SURFACE_NAMES[task] + (f" ({clients} clients)"
                                                           if task == "gsheets" else ""),
                            "n/a (not built)"))
            return None
        return m.info

    say("surfaces: Excel (xlwings JSON-book engine)")
    excel = child("excel", solo)
    if excel is not None:
        ok = excel["max_reads_per_input_tab"] <= 1 and excel["max_writes_per_output_tab"] <= 1
        rows.append(Row(label, "Excel: range reads per input tab",
                        f"{excel['max_reads_per_input_tab']} (max over "
                        f"{excel['input_tabs']} tabs)", "", "", "1", _verdict(
                            excel["max_reads_per_input_tab"] <= 1)))
        rows.append(Row(label, "Excel: value writes per output tab",
                        f"{excel['max_writes_per_output_tab']} (max over "
                        f"{excel['output_tabs']} tabs)", "", "", "1", _verdict(ok)))
    say("surfaces: UDFs")
    udf = child("udf", solo)
    if udf is not None:
        calls = udf["calls_per_state"]
        rows.append(Row(label, f"UDF parses per workbook state ({calls} cells)",
                        f"{udf['parses_one_state']} (2 states: {udf['parses_two_states']})",
                        "", f"cached cell {_s(udf['cached_call_median_s'])}", "1",
                        _verdict(udf["parses_one_state"] == 1 and udf["parses_two_states"] == 2)))
    say("surfaces: Google Sheets")
    for clients in (5, 500):
        book = ensure_book(folder, max(SURFACE_ROWS, clients * 4), clients, solo=True)
        info = child("gsheets", book, clients)
        if info is not None:
            made = info.get("requests")
            rows.append(Row(label, f"Google Sheets API requests per run ({clients} clients)",
                            str(made), "", "", f"<= {GSHEETS_REQUESTS}",
                            _verdict(made is not None and made <= GSHEETS_REQUESTS)))
    say("surfaces: HTTP backend")
    try:
        from vaxl.bench.surfaces import NotBuilt, http_latency

        try:
            h = http_latency(solo, BENCH_MONTH)
            rows.append(Row(label, f"HTTP POST /v1/run median ({h['requests']} requests, "
                            f"{h['body_bytes'] // 1024} KB body)", _s(h["median_s"]), "",
                            f"p95 {_s(h['p95_s'])}", f"< {BACKEND_MEDIAN_S * 1000:.0f} ms",
                            _verdict(h["median_s"] < BACKEND_MEDIAN_S)))
            rows.append(Row(label, f"HTTP throughput ({h['concurrent_clients']} concurrent "
                            "clients)", f"{h['throughput_rps']:.1f} req/s"))
        except NotBuilt:
            rows.append(Row(label, "HTTP backend", "n/a (not built)"))
    except (RuntimeError, OSError) as exc:
        notes.append(f"HTTP backend: failed: {str(exc)[:200]}")
        rows.append(Row(label, "HTTP backend", "failed (see notes)"))
    return rows, notes


_SURFACE_NAMES = {"excel": "Excel (xlwings) reads/writes", "udf": "UDF parses",
                  "gsheets": "Google Sheets API requests"}


# ----------------------------------------------------------------------- output


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    libs = []
    for dist in ("vaxl", "python-calamine", "fastexcel", "openpyxl", "pandas", "xlsxwriter",
                 "pydantic", "fastapi", "uvicorn", "xlwings"):
        try:
            libs.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Libraries": ", ".join(libs),
    }


HEADERS = ("Size", "Figure", "Median", "Peak memory", "Ratio", "Target", "Result")


def rich_table(rows: list[Row]) -> Any:
    from rich.table import Table

    table = Table(title="vaxl benchmark", header_style="bold")
    for head in HEADERS:
        table.add_column(head, justify="right" if head in ("Median", "Peak memory") else "left")
    last = None
    for row in rows:
        colour = {"PASS": "[green]PASS[/]", "MISS": "[red]MISS[/]"}.get(row.verdict, row.verdict)
        table.add_row(row.size if row.size != last else "", row.figure, row.value, row.peak,
                      row.ratio, row.target, colour, end_section=False)
        last = row.size
    return table


def markdown(rows: list[Row], notes: list[str], info: list[str], command: str,
             seconds: float) -> str:
    desc = machine()
    lines = [
        "# Performance",
        "",
        "Generated by the benchmark (`vaxl/bench`); do not edit by hand. Re-run with:",
        "",
        "```",
        command,
        "```",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} "
        f"in {seconds:.0f} s. Every figure is the median of the runs, each in a fresh "
        "child process; peak memory is the child's peak resident set (ru_maxrss, interpreter "
        "and imports included); for the in-process run, the larger of that and, for each "
        "of its helper processes (one checks a big Timesheet while the clients are priced, "
        "then one renders part of the invoice tabs; vaxl/io/forked.py), the helper's "
        "private memory on top of the run's peak until the helper's end: the most the two "
        "held at once, bounded above.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in desc.items()],
        "",
        "## Results",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join("---" for _ in HEADERS) + "|",
    ]
    for row in rows:
        cells = (row.size, row.figure.replace("  ", "&nbsp;&nbsp;"), row.value, row.peak,
                 row.ratio, row.target, f"**{row.verdict}**" if row.verdict else "")
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## What each figure is", "", *WHAT, ""]
    if info:
        lines += ["## The runs", "", *[f"- {i}" for i in info], ""]
    if notes:
        lines += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(lines)


WHAT = [
    "- **Workbooks**: `vaxl/bench/generate.py`, seeded: Settings, 500 clients (hourly, "
    "retainer with and without rollover, block with Blocks rows, commission with Closings), "
    "Rates, the Timesheet (dates 2026-09-01..2026-11-30; decimal, `[h]:mm` and text hours), "
    "Payments and three formatted tabs of the user's own. Billing month 2026-11, today "
    "2026-12-05.",
    "- **read floor**: python-calamine reading the tabs vaxl reads into typed cell values "
    "(what vaxl needs: a date, a duration, a number and a text stay apart), as the issue "
    "sets the floor (python-calamine's read plus the write). fastexcel, which reads into "
    "Arrow columns of one type each (a column of hours mixing numbers, `[h]:mm` durations "
    "and text all comes back as text, dates and durations alike as date-time text), is "
    "measured beside it, with vaxl's ratios against it.",
    "- **write floor**: the parts vaxl's run added or changed (its new sheets, workbook.xml, "
    "rels, content types, styles) written into a copy of the package whose other entries "
    "are copied as raw compressed bytes (deflate level 6, no fsync).",
    "- **vaxl run / validate**: `vaxl.service.run_file` in process on a fresh copy (imports "
    "done first), atomic in-place save with backup; stages from its progress callback. "
    "From 20,000 Timesheet rows the checks run in a helper process while the clients are "
    "priced, so the run's parse stage is the parse alone and its bill stage holds the "
    "pricing (and any wait for the checks); validate checks in its parse stage. "
    "The CLI row is the whole `python -m vaxl run BOOK --json` process, startup included.",
    "- **openpyxl round trip**: `load_workbook` + as many small sheets as vaxl wrote "
    "invoices (500 when none) + `save`. **pandas + openpyxl script**: `read_excel` of "
    "Settings, Clients, Rates and Timesheet, an hourly groupby per client, then "
    "`load_workbook`, a sheet per client and `save`.",
    "- **Targets**: the speed issue sets them at 100,000 rows, with the 300k/100k ratio for "
    "scaling; the same bars are shown at 10,000 and 300,000 rows for reference. At 10,000 "
    "rows a run still lays out and writes about 470 invoice tabs against a 90 ms read, so "
    "it is several times its floor there by construction.",
    "- **Surfaces**: a 2,000-row, 40-client workbook whose days stay within 24 hours. "
    "Excel: `vaxl.io.excel.run` on xlwings' JSON-book engine (xlwings Lite/Server), "
    "range reads and value writes counted per tab. UDFs: 300 cells over one workbook state, "
    "then one edit. HTTP: `vaxl serve` on 127.0.0.1, `POST /v1/run` with the sheet's token.",
]


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    args = parse_args(argv)
    console = Console(stderr=True)
    out = Console() if sys.stdout.isatty() else Console(width=150)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.data_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    info: list[str] = []
    results: dict[int, SizeResult] = {}
    for n in sizes:
        console.print(f"[bold]{n:,} rows[/]: generating / measuring ...")
        path = ensure_book(args.data_dir, n, args.clients)
        r = measure_size(path, n, args, console.print)
        results[n] = r
        rows += size_rows(r)
        assert r.run is not None and r.validate is not None
        ri = r.run.info
        info.append(f"{n:,} rows: vaxl run wrote {ri.get('tabs')} visible tabs, "
                    f"{ri.get('invoices')} invoices; {ri.get('errors')} errors, "
                    f"{ri.get('warnings')} warnings; "
                    f"runs {', '.join(_s(x) for x in r.run.runs)}")
        notes += [f"{n:,} rows: {x}" for x in r.notes]
        if ri.get("errors"):
            notes.append(f"{n:,} rows: the run found {ri['errors']:,} data errors (by rule: "
                         f"{ri.get('error_codes')}), so it billed only the clients without "
                         "errors: its figures are not those of a full run")
    rows += scaling_rows(results)
    if not args.no_surfaces:
        surf, surf_notes = surface_rows(args.data_dir, args, console.print)
        rows += surf
        notes += surf_notes
    elapsed = time.perf_counter() - started
    out.print(rich_table(rows))
    for line in info + notes:
        out.print(f"- {line}")
    command = "make bench" + (f' BENCH_ARGS="{" ".join(argv or sys.argv[1:])}"'
                              if (argv or sys.argv[1:]) else "")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(rows, notes, info, command, elapsed), encoding="utf-8")
    out.print(f"Wrote {args.out} in {elapsed:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
