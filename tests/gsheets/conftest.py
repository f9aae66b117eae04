"""A local stand-in for the Google Sheets API v4 on 127.0.0.1, and a gspread
client pointed at it through gspread's `Client(session=...)` hook.

It keeps spreadsheets in memory and answers the requests vaxl (and the
recorded gspread traffic in ../shared/sheets-api/cassettes) makes, with bodies
of the same structure as Google's: `GET spreadsheets/{id}` (metadata, or grid
data with `ranges` + `includeGridData`), `values:batchGet`, `:batchUpdate`
(applied atomically, grid limits enforced) and `values:batchUpdate`; errors as
`{"error": {"code", "message", "status"}}`.  Every request is logged, and
`fail_next` makes the next requests answer 429/5xx.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import gspread
import pytest
import requests

from vaxl.io.gsheets import RetryingHTTPClient

EPOCH = datetime(1899, 12, 30)
GOOGLE = "https://sheets.googleapis.com"
STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
          429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_body(code: int, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": STATUS.get(code, "UNKNOWN")}}


def cell_of(value: Any, pattern: str = "") -> dict[str, Any]:
    """A CellData as Sheets stores a value a person typed."""
    fmt: dict[str, Any] | None = None
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        entered: dict[str, Any] = {"boolValue": value}
    elif isinstance(value, (int, float)):
        entered = {"numberValue": value}
        if pattern:
            fmt = {"type": "PERCENT" if "%" in pattern else "NUMBER", "pattern": pattern}
    elif isinstance(value, datetime):
        entered = {"numberValue": (value - EPOCH).total_seconds() / 86400}
        fmt = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}
    elif isinstance(value, date):
        entered = {"numberValue": (value - EPOCH.date()).days}
        fmt = {"type": "DATE", "pattern": "yyyy-mm-dd"}
    elif isinstance(value, time):
        entered = {"numberValue": (value.hour * 3600 + value.minute * 60 + value.second) / 86400}
        fmt = {"type": "TIME", "pattern": "h:mm"}
    elif isinstance(value, timedelta):
        entered = {"numberValue": value.total_seconds() / 86400}
        fmt = {"type": "TIME", "pattern": "[h]:mm"}
    else:
        entered = {"stringValue": str(value)}
    data: dict[str, Any] = {"userEnteredValue": entered}
    if fmt:
        data["userEnteredFormat"] = {"numberFormat": fmt}
    return data


def with_styles(fmt: dict[str, Any]) -> dict[str, Any]:
    """A format as Google returns it: each colour also as its `...Style` twin."""
    out = copy.deepcopy(fmt)
    if "backgroundColor" in out:
        out["backgroundColorStyle"] = {"rgbColor": dict(out["backgroundColor"])}
    text = out.get("textFormat")
    if isinstance(text, dict) and "foregroundColor" in text:
        text["foregroundColorStyle"] = {"rgbColor": dict(text["foregroundColor"])}
    return out


def effective(data: dict[str, Any]) -> dict[str, Any]:
    """The cell as the API returns it: effective value and format (formulas are not
    computed by the stand-in, so a formula cell has no effective value)."""
    out = dict(data)
    if "userEnteredFormat" in data:
        out["userEnteredFormat"] = with_styles(data["userEnteredFormat"])
    entered = data.get("userEnteredValue")
    if entered and "formulaValue" not in entered:
        out["effectiveValue"] = dict(entered)
        out["formattedValue"] = str(next(iter(entered.values())))
    if "userEnteredFormat" in data:
        out["effectiveFormat"] = with_styles(data["userEnteredFormat"])
    return out


@dataclass
class FakeSheet:
    sheet_id: int
    title: str
    index: int
    rows: int = 1000
    cols: int = 26
    hidden: bool = False
    frozen_rows: int = 0
    frozen_cols: int = 0
    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    merges: list[dict[str, int]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)

    def properties(self) -> dict[str, Any]:
        grid: dict[str, Any] = {"rowCount": self.rows, "columnCount": self.cols}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        props: dict[str, Any] = {"sheetId": self.sheet_id, "title": self.title,
                                 "index": self.index, "sheetType": "GRID",
                                 "gridProperties": grid}
        if self.hidden:
            props["hidden"] = True
        return props

    def used(self) -> tuple[int, int]:
        rows = max((r for r, _ in self.cells), default=-1) + 1
        cols = max((c for _, c in self.cells), default=-1) + 1
        return rows, cols

    def value(self, r: int, c: int) -> Any:
        """The typed value of a cell (0-based), for assertions."""
        entered = self.cells.get((r, c), {}).get("userEnteredValue") or {}
        return next(iter(entered.values()), None)


@dataclass
class FakeBook:
    key: str
    title: str = "Ana's clients"
    locale: str = "en_US"
    time_zone: str = "Europe/Paris"
    sheets: list[FakeSheet] = field(default_factory=list)

    def add_sheet(self, title: str, rows: list[list[Any]],
                  formats: dict[tuple[int, int], str] | None = None) -> FakeSheet:
        sheet = FakeSheet(sheet_id=len(self.sheets) * 1000 + 7, title=title,
                          index=len(self.sheets))
        sheet.rows = max(sheet.rows, len(rows) + 1)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                data = cell_of(value, (formats or {}).get((r, c), ""))
                if data:
                    sheet.cells[(r, c)] = data
        self.sheets.append(sheet)
        return sheet

    def sheet(self, title: str) -> FakeSheet:
        return next(s for s in self.sheets if s.title == title)

    def by_id(self, sheet_id: int) -> FakeSheet:
        for s in self.sheets:
            if s.sheet_id == sheet_id:
                return s
        raise ApiError(400, f"No grid with id: {sheet_id}")

    def find_range(self, text: str) -> tuple[FakeSheet, tuple[int, int, int, int] | None]:
        title, bang, cells = text.rpartition("!") if "!" in text else (text, "", "")
        if title.startswith("'") and title.endswith("'"):
            title = title[1:-1].replace("''", "'")
        for s in self.sheets:
            if s.title == title:
                return s, (a1_bounds(cells) if cells else None)
        if not bang and self.sheets and re.fullmatch(r"[A-Z]*\d*(:[A-Z]*\d*)?", text):
            return self.sheets[0], a1_bounds(text)  # a bare A1 range: the first sheet
        raise ApiError(400, f"Unable to parse range: {text}")


def a1_bounds(a1: str) -> tuple[int, int, int, int]:
    """`B2:D4` -> 0-based (row0, col0, row1 exclusive, col1 exclusive)."""
    def one(ref: str, end: bool) -> tuple[int, int]:
        m = re.fullmatch(r"([A-Z]*)(\d*)", ref.replace("$", ""))
        if not m or not (m.group(1) or m.group(2)):
            raise ApiError(400, f"Unable to parse range: {a1}")
        col = 0
        for ch in m.group(1):
            col = col * 26 + ord(ch) - 64
        row = int(m.group(2)) if m.group(2) else (10**7 if end else 1)
        col = col if m.group(1) else (18278 if end else 1)
        return row - 1, col - 1

    first, _, last = a1.partition(":")
    r0, c0 = one(first, False)
    r1, c1 = one(last, True) if last else (r0, c0)
    return r0, c0, r1 + 1, c1 + 1


def col_name(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


class FakeSheetsApi:
    """The in-memory Sheets API v4."""

    def __init__(self) -> None:
        self.books: dict[str, FakeBook] = {}
        self.forbidden: set[str] = set()
        self.log: list[tuple[str, str]] = []
        self.fail_next: list[int] = []
        self.lock = threading.Lock()
        self.next_chart = 9000

    def book(self, key: str, **kwargs: Any) -> FakeBook:
        self.books[key] = FakeBook(key, **kwargs)
        return self.books[key]

    # ------------------------------------------------------------- dispatch

    def handle(self, method: str, path: str, query: dict[str, list[str]],
               body: Any) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.log.append((method, path + ("?" + "&".join(sorted(query)) if query else "")))
            if self.fail_next:
                code = self.fail_next.pop(0)
                return code, error_body(code, "Quota exceeded for quota metric 'Write requests'"
                                        if code == 429 else "The service is currently unavailable.")
            try:
                return 200, self._route(method, path, query, body)
            except ApiError as err:
                return err.code, error_body(err.code, err.message)

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        m = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(/values)?(?:/(.+?))?(:batchGet|:batchUpdate"
                         r"|:clear)?", path)
        if not m:
            raise ApiError(404, "Requested entity was not found.")
        key, values, a1, verb = m.group(1), m.group(2), m.group(3), m.group(4)
        if key in self.forbidden:
            raise ApiError(403, "The caller does not have permission")
        book = self.books.get(key)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        if method == "GET" and not values and not verb:
            if query.get("includeGridData", ["false"])[0].lower() == "true" or "ranges" in query:
                return self._grid_data(book, query)
            return self._metadata(book)
        if a1 is not None and method == "PUT":
            return self._values_update(book, a1, query, body)
        if a1 is not None and method == "POST" and verb == ":clear":
            sheet, _ = book.find_range(a1)
            sheet.cells = {}
            return {"spreadsheetId": book.key,
                    "clearedRange": f"{sheet.title}!A1:{col_name(sheet.cols - 1)}{sheet.rows}"}
        if a1 is not None and method == "GET":
            (item,) = self._values_batch_get(book, {**query, "ranges": [a1]})["valueRanges"]
            return item
        if method == "GET" and values and verb == ":batchGet":
            return self._values_batch_get(book, query)
        if method == "POST" and not values and verb == ":batchUpdate":
            return self._batch_update(book, body)
        if method == "POST" and values and verb == ":batchUpdate":
            return self._values_batch_update(book, body)
        raise ApiError(404, "Requested entity was not found.")

    # ------------------------------------------------------------- reads

    def _metadata(self, book: FakeBook) -> dict[str, Any]:
        sheets = []
        for s in book.sheets:
            item: dict[str, Any] = {"properties": s.properties()}
            if s.merges:
                item["merges"] = copy.deepcopy(s.merges)
            if s.charts:
                item["charts"] = copy.deepcopy(s.charts)
            sheets.append(item)
        return {
            "spreadsheetId": book.key,
            "properties": {"title": book.title, "locale": book.locale, "autoRecalc": "ON_CHANGE",
                           "timeZone": book.time_zone},
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.key}/edit",
        }

    def _grid_data(self, book: FakeBook, query: dict[str, list[str]]) -> dict[str, Any]:
        wanted = {}
        for text in query.get("ranges", []):
            sheet, _ = book.find_range(text)
            wanted[sheet.sheet_id] = sheet
        out = []
        for sheet in book.sheets:  # in the spreadsheet's order, as Google answers
            if sheet.sheet_id not in wanted:
                continue
            n_rows, n_cols = sheet.used()
            row_data = []
            for r in range(n_rows):
                cells = [effective(sheet.cells.get((r, c), {})) for c in range(n_cols)]
                while cells and not cells[-1]:
                    cells.pop()
                row_data.append({"values": cells} if cells else {})
            data: dict[str, Any] = {"rowData": row_data} if row_data else {}
            out.append({"properties": sheet.properties(), "data": [data]})
        return {"sheets": out}

    def _values_batch_get(self, book: FakeBook, query: dict[str, list[str]]) -> dict[str, Any]:
        unformatted = query.get("valueRenderOption", [""])[0] == "UNFORMATTED_VALUE"
        ranges = []
        for text in query.get("ranges", []):
            sheet, bounds = book.find_range(text)
            n_rows, n_cols = sheet.used()
            r0, c0, r1, c1 = bounds or (0, 0, n_rows, n_cols)
            rows = []
            for r in range(r0, min(r1, n_rows)):
                row = []
                for c in range(c0, min(c1, n_cols)):
                    v = sheet.value(r, c)
                    row.append(("" if v is None else v) if unformatted else
                               ("" if v is None else str(v)))
                while row and row[-1] == "":
                    row.pop()
                rows.append(row)
            while rows and not rows[-1]:
                rows.pop()
            item: dict[str, Any] = {
                "range": f"{sheet.title}!{col_name(c0)}{r0 + 1}:{col_name(max(c1, 1) - 1)}{r1}",
                "majorDimension": "ROWS",
            }
            if rows:
                item["values"] = rows
            ranges.append(item)
        return {"spreadsheetId": book.key, "valueRanges": ranges}

    # ------------------------------------------------------------- writes

    def _batch_update(self, book: FakeBook, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
            raise ApiError(400, "Invalid JSON payload received.")
        work = copy.deepcopy(book)  # all or nothing, as Google applies a batch
        replies = [self._apply(work, request) for request in body["requests"]]
        self.books[book.key] = work
        return {"spreadsheetId": book.key, "replies": replies}

    def _apply(self, book: FakeBook, request: dict[str, Any]) -> dict[str, Any]:
        (kind, spec), = request.items()
        if kind == "addSheet":
            props = spec.get("properties", {})
            title = props.get("title", f"Sheet{len(book.sheets) + 1}")
            if any(s.title.casefold() == title.casefold() for s in book.sheets):
                raise ApiError(400, "Invalid requests[0].addSheet: A sheet with the name "
                                    f'"{title}" '
                                    "already exists. Please enter another name.")
            sid = props.get("sheetId", 10_000 + len(book.sheets))
            if any(s.sheet_id == sid for s in book.sheets):
                raise ApiError(400, f"Invalid requests[0].addSheet: Sheet with id {sid} "
                                    "already exists.")
            grid = props.get("gridProperties", {})
            sheet = FakeSheet(sid, title, len(book.sheets), grid.get("rowCount", 1000),
                              grid.get("columnCount", 26), bool(props.get("hidden", False)),
                              grid.get("frozenRowCount", 0), grid.get("frozenColumnCount", 0))
            book.sheets.append(sheet)
            return {"addSheet": {"properties": sheet.properties()}}
        if kind == "deleteSheet":
            sheet = book.by_id(spec["sheetId"])
            book.sheets.remove(sheet)
            return {}
        if kind == "updateSheetProperties":
            props = spec["properties"]
            sheet = book.by_id(props["sheetId"])
            fields = spec.get("fields", "")
            grid = props.get("gridProperties", {})
            if "title" in fields and "title" in props:
                sheet.title = props["title"]
            if "hidden" in fields:
                sheet.hidden = bool(props.get("hidden", False))
            if "rowCount" in fields:
                sheet.rows = grid["rowCount"]
                sheet.cells = {k: v for k, v in sheet.cells.items() if k[0] < sheet.rows}
            if "columnCount" in fields:
                sheet.cols = grid["columnCount"]
                sheet.cells = {k: v for k, v in sheet.cells.items() if k[1] < sheet.cols}
            if "frozenRowCount" in fields:
                sheet.frozen_rows = grid.get("frozenRowCount", 0)
            if "frozenColumnCount" in fields:
                sheet.frozen_cols = grid.get("frozenColumnCount", 0)
            return {}
        if kind == "updateCells":
            return self._update_cells(book, spec)
        if kind == "repeatCell":
            rng = spec["range"]
            sheet = book.by_id(rng.get("sheetId", 0))
            for r in range(rng.get("startRowIndex", 0), rng.get("endRowIndex", sheet.rows)):
                for c in range(rng.get("startColumnIndex", 0),
                               rng.get("endColumnIndex", sheet.cols)):
                    sheet.cells.setdefault((r, c), {}).update(copy.deepcopy(spec["cell"]))
            return {}
        if kind == "mergeCells":
            rng = spec["range"]
            sheet = book.by_id(rng["sheetId"])
            self._check_limits(sheet, rng["endRowIndex"], rng["endColumnIndex"])
            sheet.merges.append(dict(rng))
            return {}
        if kind == "unmergeCells":
            book.by_id(spec["range"]["sheetId"]).merges = []
            return {}
        if kind == "updateDimensionProperties":
            rng = spec["range"]
            sheet = book.by_id(rng["sheetId"])
            for i in range(rng["startIndex"], rng["endIndex"]):
                sheet.widths[i] = spec["properties"]["pixelSize"]
            return {}
        if kind == "deleteEmbeddedObject":
            for sheet in book.sheets:
                sheet.charts = [c for c in sheet.charts if c["chartId"] != spec["objectId"]]
            return {}
        if kind == "addChart":
            chart = copy.deepcopy(spec["chart"])
            anchor = chart["position"]["overlayPosition"]["anchorCell"]
            self.next_chart += 1
            chart["chartId"] = self.next_chart
            book.by_id(anchor["sheetId"]).charts.append(chart)
            return {"addChart": {"chart": chart}}
        raise ApiError(400, f"Invalid JSON payload received. Unknown name \"{kind}\"")

    @staticmethod
    def _check_limits(sheet: FakeSheet, end_row: int, end_col: int) -> None:
        if end_row > sheet.rows or end_col > sheet.cols:
            raise ApiError(400, f"Range ('{sheet.title}'!R{end_row}C{end_col}) exceeds grid "
                                f"limits. Max rows: {sheet.rows}, max columns: {sheet.cols}")

    def _update_cells(self, book: FakeBook, spec: dict[str, Any]) -> dict[str, Any]:
        fields = spec.get("fields", "")
        if "rows" not in spec:  # clear a range (the whole sheet when only sheetId is given)
            rng = spec["range"]
            sheet = book.by_id(rng["sheetId"])
            if set(rng) == {"sheetId"} and fields in ("*", "userEnteredValue,userEnteredFormat"):
                sheet.cells = {}
            return {}
        start = spec["start"]
        sheet = book.by_id(start["sheetId"])
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        rows = spec["rows"]
        width = max((len(row.get("values", [])) for row in rows), default=0)
        self._check_limits(sheet, r0 + len(rows), c0 + width)
        for i, row in enumerate(rows):
            for j, data in enumerate(row.get("values", [])):
                if data:
                    sheet.cells[(r0 + i, c0 + j)] = data  # a fresh JSON object per request
                else:
                    sheet.cells.pop((r0 + i, c0 + j), None)
        return {}

    def _values_update(self, book: FakeBook, a1: str, query: dict[str, list[str]],
                       body: dict[str, Any]) -> dict[str, Any]:
        mode = query.get("valueInputOption", [""])[0]
        answer = self._values_batch_update(
            book, {"valueInputOption": mode, "data": [{"range": a1, "values": body["values"]}]})
        return answer["responses"][0]

    def _values_batch_update(self, book: FakeBook, body: dict[str, Any]) -> dict[str, Any]:
        mode = body.get("valueInputOption")
        if mode not in ("RAW", "USER_ENTERED"):
            raise ApiError(400, "Invalid valueInputOption")
        responses = []
        for item in body.get("data", []):
            sheet, bounds = book.find_range(item["range"])
            r0, c0 = (bounds or (0, 0, 0, 0))[:2]
            values = item.get("values", [])
            for i, row in enumerate(values):
                for j, v in enumerate(row):
                    if mode == "USER_ENTERED" and isinstance(v, str) and v.startswith("="):
                        data: dict[str, Any] = {"userEnteredValue": {"formulaValue": v}}
                    elif mode == "USER_ENTERED" and isinstance(v, str) and v.startswith("'"):
                        data = {"userEnteredValue": {"stringValue": v[1:]}}
                    else:
                        data = cell_of(v)
                    if data:
                        sheet.cells[(r0 + i, c0 + j)] = data
            n_rows, n_cols = len(values), max((len(r) for r in values), default=0)
            responses.append({
                "spreadsheetId": book.key,
                "updatedRange": f"{sheet.title}!{col_name(c0)}{r0 + 1}:"
                                f"{col_name(c0 + n_cols - 1)}{r0 + n_rows}",
                "updatedRows": n_rows, "updatedColumns": n_cols, "updatedCells": n_rows * n_cols,
            })
        return {
            "spreadsheetId": book.key,
            "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
            "totalUpdatedColumns": max((r["updatedColumns"] for r in responses), default=0),
            "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
            "totalUpdatedSheets": len({r["updatedRange"].split("!")[0] for r in responses}),
            "responses": responses,
        }


def make_handler(api: FakeSheetsApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                code, payload = 400, error_body(400, "Invalid JSON payload received.")
            else:
                code, payload = api.handle(method, unquote(parts.path), query, body)
            data = json.dumps(payload).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_PUT(self) -> None:  # noqa: N802
            self._serve("PUT")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


class Loopback(requests.Session):
    """A requests session that sends gspread's Google URLs to the stand-in."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().request(method, url.replace(GOOGLE, self.base), *args, **kwargs)


class FastRetry(RetryingHTTPClient):
    """Backoff without the waiting, for tests."""

    base_delay = 0.0
    slept: list[float]

    def _sleep(self, seconds: float) -> None:
        self.__dict__.setdefault("slept", []).append(seconds)


@dataclass
class StandIn:
    api: FakeSheetsApi
    base: str

    def client(self) -> gspread.Client:
        return gspread.Client(auth=None, session=Loopback(self.base),  # type: ignore[arg-type]
                              http_client=FastRetry)


@pytest.fixture
def sheets_api() -> Iterator[StandIn]:
    api = FakeSheetsApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StandIn(api, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
