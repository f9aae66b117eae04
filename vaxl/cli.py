"""The `vaxl` command line: thin wrappers over vaxl.service.

Each command reads the clock once (today's date), calls the service, prints a
Rich table or one JSON object, and turns vaxl's errors into a one-line message
and the contract's exit codes: 0 done, 1 done with data errors, 2 unusable.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from vaxl.errors import VaxlError

if TYPE_CHECKING:  # rich's progress bar and tables load only when they are shown
    from rich.table import Table

T = TypeVar("T")

app = typer.Typer(
    name="vaxl",
    help=(
        "Billing for virtual assistants, from the workbook you already keep.\n\n"
        "  vaxl init book.xlsx                 a ready-to-fill workbook\n"
        "  vaxl validate book.xlsx             check Clients, Timesheet, ...\n"
        "  vaxl run book.xlsx --month 2026-11  invoices, register, report\n"
        "  vaxl demo                           try it on a sample workbook"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from vaxl import __version__

        print(f"vaxl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Billing for virtual assistants, from the workbook you already keep."""
out = Console()
err = Console(stderr=True)

STAGES = {"read": "Reading", "parse": "Checking", "bill": "Billing", "render": "Laying out",
          "write": "Writing"}

BookArg = Annotated[Path, typer.Argument(
    help="The workbook (.xlsx or .xlsm; .xls/.ods/.csv read-only).", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object (for scripts).")]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o",
    help="Write the result to this .xlsx/.xlsm instead of updating BOOK in place.")]
MonthOpt = Annotated[str | None, typer.Option(
    "--month", "-m", help="Billing month YYYY-MM (default: the last complete month).")]
IssueOpt = Annotated[str | None, typer.Option(
    "--issue-date", help="Issue date of new invoices, YYYY-MM-DD (default: today).")]
TodayOpt = Annotated[str | None, typer.Option(
    "--today", hidden=True, help="Pretend today is this date.")]


def _fail(message: str, fix: str = "", *, code: int = 2, as_json: bool = False) -> NoReturn:
    """One line on stderr (and one JSON object with --json), then exit."""
    if as_json:
        print(json.dumps({"error": message, "fix": fix}))
    text = f"vaxl: {message}" + (f" {fix}" if fix else "")
    err.print(text, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _guard(call: Callable[[], T], *, as_json: bool) -> T:
    """Translate every failure into a one-line message with exit code 2."""
    try:
        return call()
    except typer.Exit:
        raise
    except VaxlError as exc:
        _fail(exc.message, exc.fix, as_json=as_json)
    except KeyboardInterrupt:
        _fail("Interrupted; the workbook was not changed.", code=130, as_json=as_json)
    except BaseException as exc:  # noqa: BLE001 - calamine panics are BaseException
        if os.environ.get("VAXL_DEBUG"):
            raise
        _fail(
            f"Unexpected failure ({type(exc).__name__}: {exc}); the workbook was not changed.",
            "Run again with VAXL_DEBUG=1 for details and report it.",
            as_json=as_json,
        )


def _parse_date(text: str | None, option: str, *, as_json: bool = False) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} must be a date like 2026-11-30, not '{text}'.", as_json=as_json)


def _parse_month(text: str | None, *, as_json: bool = False) -> str | None:
    if text is None:
        return None
    try:
        year, month = text.split("-")
        if len(year) != 4 or not 1 <= int(month) <= 12:
            raise ValueError
        return f"{int(year):04d}-{int(month):02d}"
    except ValueError:
        _fail(f"--month must look like 2026-11, not '{text}'.", as_json=as_json)


def _today(text: str | None, *, as_json: bool = False) -> date:
    return _parse_date(text, "--today", as_json=as_json) or date.today()


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr over the pipeline's stages."""
    if not enabled or not err.is_terminal:
        yield lambda _stage: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("Starting", total=len(STAGES))

        def step(stage: str) -> None:
            bar.update(task, description=STAGES.get(stage, stage), advance=1)

        yield step


def _problem_table(problems: list[Any]) -> Table:
    from rich.table import Table

    table = Table(title="Problems", show_lines=False, header_style="bold")
    for column in ("Severity", "Where", "Value", "Problem", "How to fix"):
        table.add_column(column, overflow="fold")
    for p in problems:
        colour = "red" if p.severity == "error" else "yellow"
        where = f"{p.tab}!{p.cell}" if p.cell else p.tab
        table.add_row(f"[{colour}]{p.severity}[/]", where, p.value, p.message, p.fix)
    return table


def _summary(outcome: Any) -> None:
    problems = outcome.problems
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if problems:
        out.print(_problem_table(sorted(problems, key=lambda p: p.severity != "error")))
    colour = "red" if errors else ("yellow" if warnings else "green")
    out.print(f"[{colour}]{errors} error(s), {warnings} warning(s).[/]")


def _show(outcome: Any, *, as_json: bool, where: str, **extra: Any) -> None:
    """One JSON object (the outcome plus `extra`), or the problems, the invoices
    and the tabs written to `where`."""
    if as_json:
        print(json.dumps({**outcome.public(), **extra}, ensure_ascii=False, default=str))
        return
    _summary(outcome)
    if outcome.result is not None and outcome.result.invoices:
        out.print(_invoice_table(outcome))
    tabs = ", ".join(outcome.tabs)
    out.print(f"Wrote {tabs} to {where}.")


def _invoice_table(outcome: Any) -> Table:
    from rich.table import Table

    table = Table(title=f"Invoices for {outcome.period}", header_style="bold")
    for column, justify in (("Invoice", "left"), ("Client", "left"), ("Status", "left"),
                            ("Hours", "right"), ("Total", "right"), ("Balance", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for inv in outcome.result.invoices:
        table.add_row(inv.number, f"{inv.client_key} {inv.client_name}", inv.status,
                      f"{inv.hours:.2f}", f"{inv.total} {inv.currency}",
                      f"{inv.balance} {inv.currency}")
    return table


def _writable_format(book: Path) -> bool:
    from vaxl.io.xlsx_write import WRITABLE_SUFFIXES

    return book.suffix.lower() in WRITABLE_SUFFIXES


def _ready_folder(folder: Path, option: str, *, as_json: bool) -> None:
    """Check an output folder before anything is written, so a bad one changes nothing."""
    if folder.exists() and not folder.is_dir():
        _fail(f"{option} {folder} is a file, not a folder.", "Name a folder.", as_json=as_json)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"{option} {folder} cannot be created ({exc.strerror}).",
              "Name a folder you can write to.", as_json=as_json)
    if not os.access(folder, os.W_OK | os.X_OK):
        _fail(f"{option} {folder} is not writable.", "Name a folder you can write to.",
              as_json=as_json)


def _run(action: str, book: Path, *, as_json: bool, output: Path | None, month: str | None,
         issue_date: str | None, today: str | None, pdf: Path | None = None,
         email: Path | None = None, opening: bool = False) -> None:
    from vaxl.service import run_file

    period = _parse_month(month, as_json=as_json)
    issued = _parse_date(issue_date, "--issue-date", as_json=as_json)
    now = _today(today, as_json=as_json)
    if period is not None and period > f"{now.year:04d}-{now.month:02d}":
        _fail(f"--month {period} is in the future (today is {now.isoformat()}).",
              "Bill a month that has started: the current one or an earlier one.",
              as_json=as_json)
    for folder, option in ((pdf, "--pdf"), (email, "--email")):
        if folder is not None:
            _ready_folder(folder, option, as_json=as_json)
    # Validating a workbook vaxl cannot write (.xls, .ods, .csv) still checks it.
    write = output is not None or action != "validate" or _writable_format(book)

    def go() -> Any:
        with _progress(not as_json) as step:
            outcome = run_file(action, book, today=now, output=output, period=period,
                               issue_date=issued, progress=step, write=write)
        if pdf is not None or email is not None:
            from vaxl.delivery import deliver

            try:
                outcome.delivered = deliver(outcome, pdf_dir=pdf, email_dir=email,
                                            base=book.resolve().parent)
            except OSError as exc:
                raise VaxlError(
                    f"The workbook was updated, but the PDF/e-mail files could not be written "
                    f"({exc.strerror or exc}: {exc.filename}).",
                    "Choose a folder you can write to and run again; invoice numbers stay.",
                ) from exc
        return outcome

    outcome = _guard(go, as_json=as_json)
    if not write and not as_json:
        out.print("[yellow]Only .xlsx and .xlsm files can be written: the problems are shown "
                  "here. Add --output book.xlsx to get a copy with the Validation tab.[/]")
    written = output or book
    _show(outcome, as_json=as_json, where=f"[bold]{written}[/]")
    if not as_json:
        for path in outcome.delivered:
            out.print(f"Wrote {path}")
        if opening:
            out.print(f"Open [bold]{written}[/] in Excel or LibreOffice: start with the invoice "
                      "tabs and 'Invoices', then 'Report', 'Retainers' and 'Aging'.")
    raise typer.Exit(outcome.exit_code)


@app.command()
def init(
    book: BookArg,
    lang: Annotated[str, typer.Option(
        "--lang", help="Language of tabs and headers: en or vi.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """Create a ready-to-fill workbook (never overwrites a file).

    Example: vaxl init book.xlsx   |   vaxl init --lang vi so-sach.xlsx
    """
    if lang not in ("en", "vi"):
        _fail(f"--lang must be en or vi, not '{lang}'.", as_json=as_json)

    def go() -> Path:
        from vaxl.io.template import create_template

        return create_template(book, lang=lang)

    path = _guard(go, as_json=as_json)
    if as_json:
        print(json.dumps({"created": str(path), "lang": lang}))
        return
    out.print(f"Created [bold]{path}[/]. Fill in Clients and Timesheet, then run: "
              f"vaxl validate {path.name}")


@app.command()
def validate(book: BookArg, as_json: JsonOpt = False, output: OutputOpt = None,
             today: TodayOpt = None) -> None:
    """Check every input tab and write the Validation tab.

    Example: vaxl validate book.xlsx   |   vaxl validate book.xlsx --json
    """
    _run("validate", book, as_json=as_json, output=output, month=None, issue_date=None,
         today=today)


PdfOpt = Annotated[Path | None, typer.Option("--pdf", help="Also write one PDF per invoice here.")]
EmailOpt = Annotated[Path | None, typer.Option(
    "--email", help="Also write one .eml e-mail draft per invoice here (never sent).")]


@app.command()
def invoice(book: BookArg, month: MonthOpt = None, issue_date: IssueOpt = None,
            as_json: JsonOpt = False, output: OutputOpt = None, pdf: PdfOpt = None,
            email: EmailOpt = None, today: TodayOpt = None) -> None:
    """Create or update the month's invoice tabs and the Invoices register.

    Example: vaxl invoice book.xlsx --month 2026-11 --pdf out/ --email out/
    """
    _run("invoice", book, as_json=as_json, output=output, month=month, issue_date=issue_date,
         today=today, pdf=pdf, email=email)


@app.command()
def report(book: BookArg, month: MonthOpt = None, as_json: JsonOpt = False,
           output: OutputOpt = None, today: TodayOpt = None) -> None:
    """Write the month's report, the retainer ledger and the aging of open invoices.

    Example: vaxl report book.xlsx --month 2026-11
    """
    _run("report", book, as_json=as_json, output=output, month=month, issue_date=None,
         today=today)


@app.command()
def run(book: BookArg, month: MonthOpt = None, issue_date: IssueOpt = None,
        as_json: JsonOpt = False, output: OutputOpt = None, pdf: PdfOpt = None,
        email: EmailOpt = None, today: TodayOpt = None) -> None:
    """Validate, invoice and report in one pass.

    Example: vaxl run book.xlsx --month 2026-11   |   vaxl run book.xlsx --json
    """
    _run("run", book, as_json=as_json, output=output, month=month, issue_date=issue_date,
         today=today, pdf=pdf, email=email)


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="Where to put the sample workbook.")] = Path("."),
    lang: Annotated[str, typer.Option("--lang", help="en or vi sample.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """Copy a sample workbook here and run everything on it.

    Example: vaxl demo   |   vaxl demo --lang vi
    """
    from vaxl.samples import SAMPLE_ISSUE_DATE, SAMPLE_MONTH, SAMPLE_TODAY, build_sample

    folder.mkdir(parents=True, exist_ok=True)
    name = "vaxl-demo.xlsx" if lang == "en" else "vaxl-demo-vi.xlsx"
    path = folder / name
    if path.exists():
        _fail(f"{path} already exists; vaxl demo never overwrites a workbook.",
              "Delete it or run vaxl demo in another folder.", as_json=as_json)
    _guard(lambda: build_sample(path, lang=lang), as_json=as_json)
    if not as_json:
        out.print(f"Built the sample workbook [bold]{path}[/].")
    _run("run", path, as_json=as_json, output=None, month=SAMPLE_MONTH,
         issue_date=SAMPLE_ISSUE_DATE.isoformat(), today=SAMPLE_TODAY.isoformat(),
         opening=True)


def _register_optional() -> None:
    try:
        from vaxl.cli_gsheets import register
    except ImportError:
        return
    register(app)


_register_optional()


def main() -> None:
    """Console entry point."""
    try:
        app()
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001
        if os.environ.get("VAXL_DEBUG"):
            raise
        print(f"vaxl: unexpected failure ({type(exc).__name__}); run with VAXL_DEBUG=1.",
              file=sys.stderr)
        sys.exit(2)
