"""Google Sheets commands: `vaxl serve`, `vaxl token` and `vaxl gsheet ...`.

`register(app)` adds them to the main Typer app (vaxl.cli).  Each command is a
thin wrapper: the backend lives in vaxl.server, the gspread path in
vaxl.io.gsheets.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated, Any

import typer

__all__ = ["gsheet_app", "register"]

gsheet_app = typer.Typer(
    name="gsheet",
    help=(
        "Run vaxl on a Google Sheet through the Sheets API (gspread).\n\n"
        "  vaxl gsheet run SHEET_KEY --month 2026-11 --credentials sa.json"
    ),
    no_args_is_help=True,
)

KeyArg = Annotated[str, typer.Argument(
    help="The sheet's key: the long id in its address between /d/ and /edit.",
    show_default=False)]
MonthOpt = Annotated[str | None, typer.Option(
    "--month", "-m", help="Billing month YYYY-MM (default: the last complete month).")]
CredOpt = Annotated[str | None, typer.Option(
    "--credentials", "-c",
    help="Service account JSON key (default: ~/.config/gspread/service_account.json).")]
OAuthOpt = Annotated[bool, typer.Option("--oauth", help="Sign in as yourself in the browser.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object (for scripts).")]
TodayOpt = Annotated[str | None, typer.Option("--today", hidden=True)]


def _base() -> Any:
    from vaxl import cli

    return cli


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    insecure_dev: Annotated[bool, typer.Option(
        "--insecure-dev", help="No tokens (only on 127.0.0.1, for local testing).")] = False,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes.")] = 1,
) -> None:
    """Start the HTTP backend that the vaxl Apps Script calls (put it behind HTTPS).

    Example: VAXL_SECRET=$(openssl rand -hex 32) vaxl serve --host 0.0.0.0 --port 8000
    """
    cli = _base()

    def go() -> None:
        from vaxl.server import serve as run_server

        run_server(host, port, insecure_dev=insecure_dev, workers=workers)

    cli._guard(go, as_json=False)


def token(
    spreadsheet_id: Annotated[str, typer.Argument(
        help="The spreadsheet's id (from its address).", show_default=False)],
) -> None:
    """Print the token for one spreadsheet (needs the server's VAXL_SECRET).

    Example: VAXL_SECRET=... vaxl token 1AbC...xyz
    """
    from vaxl.server import sheet_token

    secret = os.environ.get("VAXL_SECRET", "")
    if not secret:
        _base()._fail("VAXL_SECRET is not set.",
                      "Run this where the server's VAXL_SECRET is set, e.g. on the server.")
    print(sheet_token(secret, spreadsheet_id.strip()))


def _gsheet(action: str, key: str, *, month: str | None, credentials: str | None, oauth: bool,
            as_json: bool, today: str | None) -> None:
    cli = _base()
    period = cli._parse_month(month)
    now: date = cli._today(today)

    def go() -> Any:
        from vaxl.io.gsheets import open_client, run_gsheet

        client = open_client(credentials, oauth=oauth)
        with cli._progress(not as_json) as step:
            return run_gsheet(action, key, client=client, today=now, period=period,
                              issue_date=now, progress=step)

    done = cli._guard(go, as_json=as_json)
    cli._show(done.outcome, as_json=as_json, api_requests=done.requests,
              where=f"the Google Sheet [bold]{done.title}[/] ({done.requests} API requests)")
    raise typer.Exit(done.outcome.exit_code)


@gsheet_app.command("validate")
def gsheet_validate(key: KeyArg, credentials: CredOpt = None, oauth: OAuthOpt = False,
                    as_json: JsonOpt = False, today: TodayOpt = None) -> None:
    """Check the sheet's input tabs and write its Validation tab.

    Example: vaxl gsheet validate 1AbC...xyz --credentials sa.json
    """
    _gsheet("validate", key, month=None, credentials=credentials, oauth=oauth,
            as_json=as_json, today=today)


@gsheet_app.command("invoice")
def gsheet_invoice(key: KeyArg, month: MonthOpt = None, credentials: CredOpt = None,
                   oauth: OAuthOpt = False, as_json: JsonOpt = False,
                   today: TodayOpt = None) -> None:
    """Create or update the month's invoice tabs and the Invoices register.

    Example: vaxl gsheet invoice 1AbC...xyz --month 2026-11
    """
    _gsheet("invoice", key, month=month, credentials=credentials, oauth=oauth,
            as_json=as_json, today=today)


@gsheet_app.command("report")
def gsheet_report(key: KeyArg, month: MonthOpt = None, credentials: CredOpt = None,
                  oauth: OAuthOpt = False, as_json: JsonOpt = False,
                  today: TodayOpt = None) -> None:
    """Write the month's report, the retainer ledger and the aging tab.

    Example: vaxl gsheet report 1AbC...xyz --month 2026-11
    """
    _gsheet("report", key, month=month, credentials=credentials, oauth=oauth,
            as_json=as_json, today=today)


@gsheet_app.command("run")
def gsheet_run(key: KeyArg, month: MonthOpt = None, credentials: CredOpt = None,
               oauth: OAuthOpt = False, as_json: JsonOpt = False,
               today: TodayOpt = None) -> None:
    """Validate, invoice and report in one pass (a cron job's command).

    Example: vaxl gsheet run 1AbC...xyz --month 2026-11 --credentials sa.json
    """
    _gsheet("run", key, month=month, credentials=credentials, oauth=oauth,
            as_json=as_json, today=today)


def register(app: typer.Typer) -> None:
    """Add `serve`, `token` and the `gsheet` group to vaxl's command line."""
    app.command("serve")(serve)
    app.command("token")(token)
    app.add_typer(gsheet_app, name="gsheet")
