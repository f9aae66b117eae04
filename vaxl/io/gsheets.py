"""Google Sheets through gspread: read the input tabs, run an action, write vaxl's tabs.

Three API requests per run, whatever the number of clients or tabs:

1. ``GET spreadsheets/{key}`` (the open): every tab's name, id and size;
2. ``GET spreadsheets/{key}?ranges=...&includeGridData=true`` with a field
   mask: every input tab's values *and* number formats in one read.  (A
   ``values:batchGet`` cannot return formats, and without them a duration
   ``1:30`` reads as the day fraction 0.0625 and a percent loses its format;
   this read costs the same one request of quota.)
3. ``POST spreadsheets/{key}:batchUpdate``: add or clear vaxl's own tabs,
   write every cell typed (``stringValue`` for text, so user text is raw and
   never becomes a formula; ``formulaValue`` only for vaxl's own formulas),
   formats, widths, merges, frozen rows, charts.  Values go in this same
   request, so no ``values:batchUpdate`` is needed.

429 and 5xx answers are retried with exponential backoff (RetryingHTTPClient).
"""

from __future__ import annotations

import functools
import random
import time as _time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from vaxl.errors import MissingExtra, VaxlError
from vaxl.io.wire import column_px
from vaxl.layout.grid import Grid, Style
from vaxl.sheets.raw import RawBook, RawTab, tab_key

try:
    import gspread
    import requests
    from gspread.exceptions import APIError
    from gspread.http_client import HTTPClient
except ImportError as _missing:  # pragma: no cover - exercised only without the extra
    raise MissingExtra("gsheets", "gspread") from _missing

__all__ = [
    "GsheetRun",
    "RetryingHTTPClient",
    "input_tab_names",
    "open_client",
    "read_book",
    "run_gsheet",
    "write_requests",
]

EPOCH = datetime(1899, 12, 30)
META_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),"
    "sheets(properties(sheetId,title,index,hidden,gridProperties),charts(chartId),merges)"
)
DATA_FIELDS = (
    "sheets(properties(title),data(startRow,startColumn,"
    "rowData(values(effectiveValue,effectiveFormat(numberFormat)))))"
)
ERROR_TEXT = {
    "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!", "REF": "#REF!",
    "NAME": "#NAME?", "NUM": "#NUM!", "N_A": "#N/A", "LOADING": "#LOADING", "ERROR": "#ERROR!",
}
RETRY_STATUS = {408, 429, 500, 502, 503, 504}


# ----------------------------------------------------------------------- the client


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client with exponential backoff on 408, 429 and 5xx.

    Class attributes tune it (a subclass with ``base_delay = 0`` makes tests
    fast): ``max_tries``, ``base_delay`` seconds doubled each try up to
    ``max_delay``, plus up to 10% jitter; a Retry-After header wins.
    ``requests_made`` counts every HTTP request sent, retries included.
    """

    max_tries = 6
    base_delay = 1.0
    max_delay = 32.0

    def __init__(self, auth: Any, session: requests.Session | None = None) -> None:
        super().__init__(auth, session)
        self.requests_made = 0

    def _sleep(self, seconds: float) -> None:
        _time.sleep(seconds)

    def _delay(self, attempt: int, response: requests.Response | None) -> float:
        after = response.headers.get("Retry-After") if response is not None else None
        if after and after.isdigit():
            return min(float(after), self.max_delay)
        delay = min(self.base_delay * 2**attempt, self.max_delay)
        return delay + random.uniform(0, delay / 10)

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        for attempt in range(self.max_tries):
            self.requests_made += 1
            last = attempt == self.max_tries - 1
            try:
                return super().request(*args, **kwargs)
            except APIError as err:
                if last or err.response.status_code not in RETRY_STATUS:
                    raise
                self._sleep(self._delay(attempt, err.response))
            except (requests.ConnectionError, requests.Timeout):
                if last:
                    raise
                self._sleep(self._delay(attempt, None))
        raise AssertionError("unreachable")  # pragma: no cover


def open_client(
    credentials: str | None = None,
    *,
    oauth: bool = False,
    http_client: type[HTTPClient] = RetryingHTTPClient,
) -> gspread.Client:
    """A gspread client: a service account file, the default service account
    (~/.config/gspread/service_account.json), or OAuth in the browser."""
    try:
        if oauth:
            return gspread.oauth(http_client=http_client)
        if credentials:
            return gspread.service_account(filename=credentials, http_client=http_client)
        return gspread.service_account(http_client=http_client)
    except FileNotFoundError as err:
        raise VaxlError(
            f"No Google credentials file at {err.filename}.",
            "Pass --credentials service-account.json, put the file at "
            "~/.config/gspread/service_account.json, or use --oauth.",
        ) from err
    except (ValueError, KeyError) as err:
        raise VaxlError(
            f"The Google credentials file cannot be used ({err}).",
            "Download the service account's JSON key again from the Google Cloud console.",
        ) from err


def _who(client: gspread.Client) -> str | None:
    auth = getattr(client.http_client, "auth", None)
    return getattr(auth, "service_account_email", None)


def _translate(err: Exception, key: str, who: str | None) -> VaxlError:
    if isinstance(err, (requests.ConnectionError, requests.Timeout)):
        return VaxlError(
            "Google Sheets could not be reached.",
            "Check the internet connection and run again.",
        )
    assert isinstance(err, APIError)
    status = err.response.status_code
    message = str(err.error.get("message", "")) if isinstance(err.error, Mapping) else ""
    if status == 404:
        return VaxlError(
            f"No Google Sheet has the key '{key}'.",
            "Copy the key from the sheet's address: the long part between /d/ and /edit.",
        )
    if status == 403:
        account = who or "the account vaxl runs as"
        return VaxlError(
            f"{account} may not open the Google Sheet '{key}'.",
            f"Share the sheet with {account} as Editor (Share button in Google Sheets).",
        )
    if status in (401,):
        return VaxlError("Google refused vaxl's credentials.",
                         "Check the credentials file, or run with --oauth to sign in again.")
    if status == 429:
        return VaxlError("Google Sheets' request quota is used up for now.",
                         "Wait a minute and run again.")
    if status >= 500:
        return VaxlError(f"Google Sheets is failing right now ({status}).",
                         "Wait a few minutes and run again.")
    return VaxlError(f"Google Sheets refused the request ({status}): {message}",
                     "Check the sheet and run again.")


# ----------------------------------------------------------------------- reading


def input_tab_names() -> set[str]:
    """Keys (tab_key) of every tab name vaxl reads: input tabs in English and
    Vietnamese and their aliases, the Invoices register and the manifest."""
    from vaxl.service import MANIFEST_TAB
    from vaxl.sheets.spec import INPUT_TABS, REGISTER_TAB, TABS

    names = {MANIFEST_TAB}
    for tab in (*INPUT_TABS, REGISTER_TAB):
        names.update(TABS[tab].names())
    return {_norm(n) for n in names}


def _norm(title: str) -> str:
    return tab_key(unicodedata.normalize("NFC", title))


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _cell(data: Mapping[str, Any]) -> tuple[Any, str]:
    """One CellData as (value for the parser, number format pattern)."""
    fmt = (data.get("effectiveFormat") or {}).get("numberFormat") or {}
    kind, pattern = fmt.get("type", ""), fmt.get("pattern", "")
    value_data = data.get("effectiveValue") or {}
    if "numberValue" in value_data:
        number = value_data["numberValue"]
        if kind in ("DATE", "TIME", "DATE_TIME"):
            return _serial(number, kind), pattern
        if kind == "PERCENT" and not pattern:
            pattern = "0%"
        if type(number) is int and abs(number) < 2**53:
            number = float(number)  # as file readers give numbers (20.0), for equal Decimals
        return number, pattern
    if "stringValue" in value_data:
        text = value_data["stringValue"]
        return (text if text != "" else None), pattern
    if "boolValue" in value_data:
        return value_data["boolValue"], pattern
    if "errorValue" in value_data:
        return ERROR_TEXT.get(value_data["errorValue"].get("type", ""), "#ERROR!"), pattern
    return None, pattern


def _serial(number: float, kind: str) -> Any:
    try:
        moment = EPOCH + timedelta(days=number)
    except OverflowError:
        return number
    moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
    if kind == "TIME":
        since = moment - EPOCH
        if timedelta(0) <= since < timedelta(days=1):
            return (datetime.min + since).time()
        return since if since >= timedelta(0) else moment
    if kind == "DATE" or moment.time() == time(0):
        return moment.date()
    return moment


def _raw_tab(title: str, grid_data: Iterable[Mapping[str, Any]]) -> RawTab:
    rows: list[list[Any]] = []
    formats: list[list[str]] = []
    first_row = first_col = 1
    for block in grid_data:
        first_row = int(block.get("startRow", 0)) + 1
        first_col = int(block.get("startColumn", 0)) + 1
        for row in block.get("rowData", []) or []:
            cells = [_cell(c) for c in row.get("values", []) or []]
            rows.append([v for v, _ in cells])
            formats.append([f for _, f in cells])
        break  # one range per tab
    width = max((len(r) for r in rows), default=0)
    for r, f in zip(rows, formats, strict=True):
        r.extend([None] * (width - len(r)))
        f.extend([""] * (width - len(f)))
    return RawTab(name=title, rows=rows, first_row=first_row, first_col=first_col,
                  number_formats=formats)


@dataclass
class Sheet:
    """One existing tab as the metadata describes it."""

    sheet_id: int
    title: str
    rows: int
    cols: int
    charts: list[int] = field(default_factory=list)
    has_merges: bool = False


def read_book(client: gspread.Client, key: str) -> tuple[RawBook, dict[str, Sheet], dict[str, Any]]:
    """Requests 1 and 2: the metadata, then every input tab's cells in one read."""
    http = client.http_client
    meta = http.fetch_sheet_metadata(key, params={"includeGridData": "false",
                                                  "fields": META_FIELDS})
    sheets: dict[str, Sheet] = {}
    for item in meta.get("sheets", []):
        props = item.get("properties", {})
        grid = props.get("gridProperties", {})
        title = props.get("title", "")
        sheets[title] = Sheet(
            sheet_id=int(props.get("sheetId", 0)), title=title,
            rows=int(grid.get("rowCount", 0)), cols=int(grid.get("columnCount", 0)),
            charts=[int(c["chartId"]) for c in item.get("charts", []) if "chartId" in c],
            has_merges=bool(item.get("merges")),
        )
    wanted = input_tab_names()
    to_read = [t for t in sheets if _norm(t) in wanted]
    title = meta.get("properties", {}).get("title", key)
    raw = RawBook(tab_names=list(sheets), source=f"Google Sheet '{title}'")
    if to_read:
        data = http.spreadsheets_get(key, params={
            "ranges": [_quoted(t) for t in to_read],
            "includeGridData": "true",
            "fields": DATA_FIELDS,
        })
        for item, fallback in zip(data.get("sheets", []), to_read, strict=False):
            name = item.get("properties", {}).get("title", fallback)
            raw.tabs[name] = _raw_tab(name, item.get("data", []))
    return raw, sheets, meta


# ----------------------------------------------------------------------- writing


def _rgb(color: str) -> dict[str, float]:
    color = color.lstrip("#")
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(r, 4), "green": round(g, 4), "blue": round(b, 4)}


def _number_format(pattern: str) -> dict[str, str]:
    low = pattern.lower()
    if "%" in low:
        kind = "PERCENT"
    elif any(t in low for t in ("h:", ":mm", "[h]")) and not any(t in low for t in ("y", "d")):
        kind = "TIME"
    elif "y" in low or "d" in low:
        kind = "DATE_TIME" if ("h" in low) else "DATE"
    else:
        kind = "NUMBER"
    return {"type": kind, "pattern": pattern}


@functools.lru_cache(maxsize=512)
def _format(style: Style) -> dict[str, Any]:
    """A cell format for a style (cached: equal styles share one dict; never mutate it)."""
    out: dict[str, Any] = {}
    text: dict[str, Any] = {}
    if style.bold:
        text["bold"] = True
    if style.italic:
        text["italic"] = True
    if style.size:
        text["fontSize"] = style.size
    if style.color:
        text["foregroundColor"] = _rgb(style.color)
    if text:
        out["textFormat"] = text
    if style.fill:
        out["backgroundColor"] = _rgb(style.fill)
    if style.num_format:
        out["numberFormat"] = _number_format(style.num_format)
    if style.align:
        out["horizontalAlignment"] = style.align.upper()
    if style.wrap:
        out["wrapStrategy"] = "WRAP"
    if style.border:
        thin = {"style": "SOLID"}
        sides = {
            "bottom": {"bottom": thin},
            "top": {"top": thin},
            "box": {"top": thin, "bottom": thin, "left": thin, "right": thin},
            "double-bottom": {"bottom": {"style": "DOUBLE"}},
        }[style.border]
        out["borders"] = sides
    return out


def _serial_of(value: date | datetime) -> float:
    if isinstance(value, datetime):
        return (value - EPOCH).total_seconds() / 86400
    return float((value - EPOCH.date()).days)


def _user_value(value: Any, formula: str | None) -> dict[str, Any] | None:
    if formula:
        return {"formulaValue": f"={formula}"}
    if value is None:
        return None
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float, Decimal)):
        return {"numberValue": float(value) if not isinstance(value, int) else value}
    if isinstance(value, (date, datetime)):
        return {"numberValue": _serial_of(value)}
    return {"stringValue": str(value)}


def _link_uri(target: str, ids: Mapping[str, int]) -> str | None:
    if target.startswith(("http://", "https://", "mailto:")):
        return target
    if "!" not in target:
        return None
    tab, _, cell = target.rpartition("!")
    tab = tab.strip("'").replace("''", "'")
    for title, sid in ids.items():
        if tab_key(title) == tab_key(tab):
            return f"#gid={sid}&range={cell.replace('$', '')}"
    return None


def _rows(grid: Grid, ids: Mapping[str, int]) -> list[dict[str, Any]]:
    n_cols = grid.max_col
    rows: list[dict[str, Any]] = [{"values": [{} for _ in range(n_cols)]}
                                  for _ in range(grid.max_row)]
    for (r, c), cell in grid.cells.items():
        data: dict[str, Any] = {}
        entered = _user_value(cell.value, cell.formula)
        if entered is not None:
            data["userEnteredValue"] = entered
        fmt = _format(cell.style) if cell.style is not None else {}
        if isinstance(cell.value, (date, datetime)) and "numberFormat" not in fmt:
            fmt = {**fmt, "numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}
        if fmt:
            data["userEnteredFormat"] = fmt
        if cell.link and entered is not None and "stringValue" in entered:
            uri = _link_uri(cell.link, ids)
            if uri:
                data["textFormatRuns"] = [{"startIndex": 0, "format": {"link": {"uri": uri}}}]
        rows[r - 1]["values"][c - 1] = data
    return rows


def _grid_range(sheet_id: int, a1: str) -> dict[str, int]:
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(a1)
    return {"sheetId": sheet_id, "startRowIndex": min_row - 1, "endRowIndex": max_row,
            "startColumnIndex": min_col - 1, "endColumnIndex": max_col}


def _chart(sheet_id: int, grid: Grid, index: int) -> dict[str, Any]:
    chart = grid.charts[index]
    return {"addChart": {"chart": {
        "spec": {
            "title": chart.title,
            "basicChart": {
                "chartType": "COLUMN",
                "legendPosition": "BOTTOM_LEGEND",
                "domains": [{"domain": {"sourceRange": {
                    "sources": [_grid_range(sheet_id, chart.categories)]}}}],
                "series": [{"series": {"sourceRange": {
                    "sources": [_grid_range(sheet_id, chart.values)]}},
                    "targetAxis": "LEFT_AXIS"}],
                "headerCount": 0,
            },
        },
        "position": {"overlayPosition": {
            "anchorCell": {"sheetId": sheet_id, "rowIndex": chart.anchor_row - 1,
                           "columnIndex": chart.anchor_col - 1},
            "widthPixels": chart.width_cols * 100, "heightPixels": chart.height_rows * 21,
        }},
    }}}


def write_requests(grids: list[Grid], sheets: Mapping[str, Sheet]) -> list[dict[str, Any]]:
    """Request 3's body: every change to every vaxl tab, in one list."""
    by_key = {tab_key(t): s for t, s in sheets.items()}
    next_id = max((s.sheet_id for s in sheets.values()), default=0) + 1
    ids = {t: s.sheet_id for t, s in sheets.items()}
    plan: list[tuple[Grid, int, bool]] = []
    for grid in grids:
        existing = by_key.get(tab_key(grid.name))
        if existing is not None:
            plan.append((grid, existing.sheet_id, False))
        else:
            plan.append((grid, next_id, True))
            ids[grid.name] = next_id
            next_id += 1

    requests_: list[dict[str, Any]] = []
    for grid, sid, new in plan:
        n_rows = max(grid.max_row, max((c.anchor_row + c.height_rows for c in grid.charts),
                                       default=0), 1) + 1
        n_cols = max(grid.max_col, max((c.anchor_col + c.width_cols for c in grid.charts),
                                       default=0), 1)
        frozen_rows = max(grid.freeze[0] - 1, 0) if grid.freeze else 0
        frozen_cols = max(grid.freeze[1] - 1, 0) if grid.freeze else 0
        props = {
            "sheetId": sid,
            "title": grid.name,
            "hidden": grid.hidden != "visible",
            "gridProperties": {"rowCount": n_rows, "columnCount": n_cols,
                               "frozenRowCount": frozen_rows, "frozenColumnCount": frozen_cols},
        }
        if new:
            requests_.append({"addSheet": {"properties": props}})
        else:
            old = by_key[tab_key(grid.name)]
            for chart_id in old.charts:
                requests_.append({"deleteEmbeddedObject": {"objectId": chart_id}})
            if old.has_merges:
                requests_.append({"unmergeCells": {"range": {"sheetId": sid}}})
            requests_.append({"updateCells": {"range": {"sheetId": sid}, "fields": "*"}})
            requests_.append({"updateSheetProperties": {
                "properties": props,
                "fields": "title,hidden,gridProperties(rowCount,columnCount,"
                          "frozenRowCount,frozenColumnCount)",
            }})
        if grid.cells:
            requests_.append({"updateCells": {
                "start": {"sheetId": sid, "rowIndex": 0, "columnIndex": 0},
                "rows": _rows(grid, ids),
                "fields": "userEnteredValue,userEnteredFormat,textFormatRuns",
            }})
        for merge in grid.merges:
            requests_.append({"mergeCells": {"range": _grid_range(sid, merge),
                                             "mergeType": "MERGE_ALL"}})
        for col, width in sorted(grid.col_widths.items()):
            requests_.append({"updateDimensionProperties": {
                "range": {"sheetId": sid, "dimension": "COLUMNS",
                          "startIndex": col - 1, "endIndex": col},
                "properties": {"pixelSize": column_px(width)},
                "fields": "pixelSize",
            }})
        for index in range(len(grid.charts)):
            requests_.append(_chart(sid, grid, index))
    return requests_


# ----------------------------------------------------------------------- the run


@dataclass
class GsheetRun:
    """What one gspread run did.

    Fields:
        outcome: the service's Outcome (problems, invoices, grids).
        title: the spreadsheet's title.
        requests: HTTP requests sent to Google (retries included), when known.
    """

    outcome: Any
    title: str
    requests: int | None


def run_gsheet(
    action: str,
    key: str,
    *,
    client: gspread.Client,
    today: date,
    period: str | None = None,
    issue_date: date | None = None,
    progress: Callable[[str], None] | None = None,
    write: bool = True,
) -> GsheetRun:
    """Read a Google Sheet, run the action, write vaxl's tabs back (3 requests)."""
    from vaxl.service import run_action

    step = progress or (lambda _stage: None)
    who = _who(client)
    try:
        step("read")
        raw, sheets, meta = read_book(client, key)
        outcome = run_action(action, raw, today=today, period=period, issue_date=issue_date,
                             progress=progress)
        if write:
            step("write")
            body = {"requests": write_requests(outcome.grids, sheets)}
            client.http_client.batch_update(key, body)
    except (APIError, requests.ConnectionError, requests.Timeout) as err:
        raise _translate(err, key, who) from err
    made = getattr(client.http_client, "requests_made", None)
    return GsheetRun(outcome, meta.get("properties", {}).get("title", key), made)
