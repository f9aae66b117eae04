"""The Sheets API stand-in answers like Google: the recorded gspread traffic in
../shared/sheets-api/cassettes is replayed against it, and each answer must have
the recorded status and the same structure (keys and nesting) as Google's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

CASSETTES = Path(__file__).resolve().parents[3] / "shared" / "sheets-api" / "cassettes"
GOOGLE = "https://sheets.googleapis.com"


def shape(value: Any) -> Any:
    """Keys and nesting, with scalars reduced to their JSON type; list items merged."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        merged: Any = None
        for item in value:
            merged = merge(merged, shape(item))
        return [merged] if merged is not None else []
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def merge(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a.get(k), b.get(k)) for k in {**a, **b}}
    if isinstance(a, list) and isinstance(b, list):
        return [merge(a[0] if a else None, b[0] if b else None)] if (a or b) else []
    return a if a == b else f"{a}|{b}"


def keys_match(recorded: Any, ours: Any, *, at: str, subset: bool = False) -> list[str]:
    """Differences in keys and nesting; with subset, ours may have extra keys."""
    if isinstance(recorded, dict):
        if not isinstance(ours, dict):
            return [f"{at}: expected an object"]
        out = []
        missing = set(recorded) - set(ours)
        extra = set(ours) - set(recorded)
        if missing:
            out.append(f"{at}: missing {sorted(missing)}")
        if extra and not subset:
            out.append(f"{at}: unexpected {sorted(extra)}")
        for key in set(recorded) & set(ours):
            out += keys_match(recorded[key], ours[key], at=f"{at}.{key}", subset=subset)
        return out
    if isinstance(recorded, list):
        if not isinstance(ours, list):
            return [f"{at}: expected a list"]
        if recorded and ours:
            return keys_match(recorded[0], ours[0], at=f"{at}[]", subset=subset)
        return []
    return []


def replay(base: str, interaction: dict[str, Any], ids: dict[str, str]) -> requests.Response:
    """Send the recorded request to the stand-in, with Google's sheet ids swapped for ours."""
    request = interaction["request"]
    url = request["uri"].replace(GOOGLE, base)
    body = request["body"]
    for theirs, mine in ids.items():
        body = body.replace(theirs, mine) if body else body
    return requests.request(request["method"], url, data=body.encode() if body else None,
                            headers={"Content-Type": "application/json"}, timeout=10)


def first_run(name: str) -> list[dict[str, Any]]:
    """The Sheets API calls of the cassette's first recorded test run (Drive calls dropped)."""
    interactions = json.loads((CASSETTES / name).read_text())["interactions"]
    run: list[dict[str, Any]] = []
    for item in interactions:
        uri = item["request"]["uri"]
        if item["request"]["method"] == "DELETE" and "drive" in uri:
            break  # the recording deletes its sheet: end of the first run
        if uri.startswith(GOOGLE):
            run.append(item)
    return run


# Which answers are compared how: metadata may lack Google's theme fields; a grid-data
# read restricted by `fields` may get more than the mask from the stand-in.
CASES = [
    "ClientTest.test_open_by_key_has_metadata.json",
    "ClientTest.test_access_non_existing_spreadsheet.json",
    "SpreadsheetTest.test_values_batch_get.json",
    "SpreadsheetTest.test_add_del_worksheet.json",
    "WorksheetTest.test_batch_get.json",
    "WorksheetTest.test_batch_update.json",
    "WorksheetTest.test_update_and_get.json",
    "WorksheetTest.test_format.json",
]


def kind_of(interaction: dict[str, Any]) -> str:
    request = interaction["request"]
    path = urlsplit(request["uri"]).path
    if path.endswith("values:batchGet"):
        return "values:batchGet"
    if path.endswith("values:batchUpdate"):
        return "values:batchUpdate"
    if path.endswith(":batchUpdate"):
        return ":batchUpdate"
    if "/values/" in path:
        return "values"
    if "fields=" in request["uri"]:
        return "gridData"
    return "metadata"


@pytest.mark.parametrize("cassette", CASES)
def test_standin_answers_with_googles_structure(sheets_api: Any, cassette: str) -> None:
    if not CASSETTES.is_dir():
        pytest.fail(f"the recordings are missing at {CASSETTES}")
    run = first_run(cassette)
    assert run, cassette
    key = urlsplit(run[0]["request"]["uri"]).path.split("/")[3].split(":")[0]
    title = "Test " + cassette.removesuffix(".json").replace(".", " ")
    book = sheets_api.api.book(key, title=title)
    book.add_sheet("Sheet1", [])
    book.sheets[0].sheet_id = 0
    compared: set[str] = set()
    problems: list[str] = []
    ids: dict[str, str] = {}
    for interaction in run:
        answer = replay(sheets_api.base, interaction, ids)
        recorded_status = interaction["response"]["status"]["code"]
        kind = kind_of(interaction)
        assert answer.status_code == recorded_status, (kind, interaction["request"]["uri"],
                                                       answer.text)
        recorded = json.loads(interaction["response"]["body"]["string"])
        ours = answer.json()
        for theirs, mine in zip(recorded.get("replies", []), ours.get("replies", []),
                                strict=False):
            if "addSheet" in theirs:
                ids[str(theirs["addSheet"]["properties"]["sheetId"])] = str(
                    mine["addSheet"]["properties"]["sheetId"])
        if recorded_status != 200:
            assert ours == recorded, "error objects are Google's, word for word"
            compared.add("error")
            continue
        subset = kind == "gridData"
        recorded_shape, our_shape = shape(recorded), shape(ours)
        if kind == "metadata":
            # Google's theme and default format details are not reproduced.
            ours_props = our_shape["properties"]
            recorded_shape["properties"] = {
                k: v for k, v in recorded_shape["properties"].items() if k in ours_props
            }
            assert {"title", "locale", "timeZone", "autoRecalc"} <= set(our_shape["properties"])
        problems += keys_match(recorded_shape, our_shape, at=f"{kind}", subset=subset)
        compared.add(kind)
    assert not problems, problems
    assert compared, cassette


def test_every_kind_of_answer_vaxl_relies_on_is_covered() -> None:
    kinds = {kind_of(i) for name in CASES for i in first_run(name)}
    assert {"metadata", "values:batchGet", ":batchUpdate", "values:batchUpdate", "values",
            "gridData"} <= kinds
