"""The HTTP backend through a real `vaxl serve` process on 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest

from vaxl.bench.surfaces import wire_value
from vaxl.io.wire import outcome_json
from vaxl.samples import build_sample
from vaxl.server import sheet_token
from vaxl.service import run_file

ROOT = Path(__file__).resolve().parents[2]
SHEET = "1BackendTestSheet-abc_123"


def wire_body(path: Path, *, month: str | None = None) -> dict[str, Any]:
    """The body Code.gs would send for this workbook: every tab's values and formats."""
    book = openpyxl.load_workbook(path)
    tabs = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column))
        tabs[ws.title] = {
            "values": [[wire_value(c.value) for c in row] for row in rows],
            "number_formats": [[c.number_format for c in row] for row in rows],
        }
    body: dict[str, Any] = {"spreadsheet_id": SHEET, "timezone": "UTC", "locale": "en_US",
                            "sheet_names": book.sheetnames, "tabs": tabs}
    if month:
        body["month"] = month
    return body


def auth(secret: str, sheet: str = SHEET) -> dict[str, str]:
    return {"Authorization": f"Bearer {sheet_token(secret, sheet)}"}


def post(backend: Any, action: str, body: Any, headers: dict[str, str] | None = None,
         **kwargs: Any) -> httpx.Response:
    return httpx.post(f"{backend.url}/v1/{action}", json=body, headers=headers, timeout=60,
                      **kwargs)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample") / "book.xlsx", "en")


# ------------------------------------------------------------------ same results as the CLI


@pytest.mark.parametrize("action", ["validate", "invoice", "report", "run"])
def test_results_equal_the_cli(backend: Any, sample: Path, tmp_path: Path, action: str) -> None:
    month = None if action == "validate" else "2026-11"
    today = datetime.now(ZoneInfo("UTC")).date()
    response = post(backend, action, wire_body(sample, month=month), auth(backend.secret))
    assert response.status_code == 200, response.text
    served = response.json()

    args = [action, str(sample), "--json", "--today", today.isoformat(),
            "--output", str(tmp_path / "out.xlsx")]
    if month:
        args += ["--month", month]
    cli = subprocess.run([sys.executable, "-m", "vaxl", *args], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert cli.returncode in (0, 1), cli.stderr
    printed = json.loads(cli.stdout)

    assert served["issues"] == printed["issues"]
    assert served.get("invoices", []) == printed.get("invoices", [])
    assert served.get("period") == printed.get("period")
    visible = [n for n in served["tab_order"] if not served["tabs"][n]["hidden"]]
    assert visible == printed["tabs"]
    if action in ("invoice", "run"):
        assert served["invoices"], "the sample bills November"
    elif action == "report":  # a report issues no invoice: the sample has no register yet
        assert served["invoices"] == []

    # Every written tab is the same grid the file writer gets, cell for cell.
    outcome = run_file(action, sample, today=today, period=month, issue_date=today, write=False)
    assert served["tabs"] == outcome_json(outcome)["tabs"]


def test_dates_arrive_as_the_sheets_local_dates(backend: Any) -> None:
    """A Date sent as UTC ISO (JSON.stringify) lands on the sheet's own day."""
    body = {
        "spreadsheet_id": SHEET, "timezone": "Asia/Ho_Chi_Minh", "month": "2026-11",
        "tabs": {
            "Clients": {"values": [["Client ID", "Client Name", "Billing", "Rate"],
                                   ["ACME", "Acme", "hourly", 40]]},
            # 2026-11-30 00:00 in Saigon is 2026-11-29T17:00Z; 1:30 is a duration cell.
            "Timesheet": {"values": [["Date", "Client ID", "Hours"],
                                     ["2026-11-29T17:00:00.000Z", "ACME", 2],
                                     ["2026-11-30T17:00:00.000Z", "ACME", 5],
                                     ["2026-11-10T00:00:00", "ACME", "1899-12-30T01:30:00"]]},
        },
    }
    response = post(backend, "invoice", body, auth(backend.secret))
    assert response.status_code == 200, response.text
    (invoice,) = response.json()["invoices"]
    assert invoice["hours"] == "3.50"  # 2 h on Nov 30 + 1:30; Dec 1 (local) is next month
    assert invoice["total"] == "140.00"


def test_user_text_is_never_sent_as_a_formula(backend: Any) -> None:
    body = {
        "spreadsheet_id": SHEET, "month": "2026-11",
        "tabs": {
            "Clients": {"values": [["Client ID", "Client Name", "Billing", "Rate"],
                                   ["ACME", "=IMPORTXML(\"http://x\")", "hourly", 40]]},
            "Timesheet": {"values": [["Date", "Client ID", "Task", "Hours"],
                                     ["2026-11-03T00:00:00", "ACME", "+1-555", 1]]},
        },
    }
    response = post(backend, "invoice", body, auth(backend.secret))
    assert response.status_code == 200, response.text
    cells = [v for tab in response.json()["tabs"].values() for row in tab["values"] for v in row]
    texts = [v for v in cells if isinstance(v, str)]
    assert "'=IMPORTXML(\"http://x\")" in texts
    assert "'+1-555" in texts
    formulas = [v for v in texts if v.startswith("=")]
    assert all("IMPORTXML" not in f and "555" not in f for f in formulas)


# ------------------------------------------------------------------ 401


def test_401_without_a_token(backend: Any, sample: Path) -> None:
    response = post(backend, "validate", wire_body(sample))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "token" in response.json()["detail"]


def test_401_with_a_wrong_token(backend: Any, sample: Path) -> None:
    response = post(backend, "validate", wire_body(sample), {"Authorization": "Bearer 1234"})
    assert response.status_code == 401
    assert f"vaxl token {SHEET}" in response.json()["fix"]


def test_401_with_another_spreadsheets_token(backend: Any, sample: Path) -> None:
    other = auth(backend.secret, "1SomeOtherClientsSheet")
    assert post(backend, "invoice", wire_body(sample), other).status_code == 401


def test_401_with_a_token_under_another_secret(backend: Any, sample: Path) -> None:
    forged = {"Authorization": f"Bearer {sheet_token('not-the-secret', SHEET)}"}
    assert post(backend, "validate", wire_body(sample), forged).status_code == 401


def test_401_for_basic_auth_and_odd_headers(backend: Any, sample: Path) -> None:
    odd: list[str | bytes] = ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ☃☃".encode(),
                              sheet_token(backend.secret, SHEET)]
    for header in odd:
        response = post(backend, "validate", wire_body(sample), {"Authorization": header})  # type: ignore[dict-item]
        assert response.status_code == 401, header


def test_token_forms_hex_and_urlsafe_base64(backend: Any, sample: Path) -> None:
    digest = hmac.new(backend.secret.encode(), SHEET.encode(), hashlib.sha256).digest()
    body = wire_body(sample)
    for token in (digest.hex(), digest.hex().upper(),
                  base64.urlsafe_b64encode(digest).decode().rstrip("=")):
        response = post(backend, "validate", body, {"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, token


# ------------------------------------------------------------------ 413


def test_413_by_content_length(backend: Any) -> None:
    big = {"spreadsheet_id": SHEET, "tabs": {"Timesheet": {
        "values": [["x" * 100] for _ in range(backend.max_body // 100 + 10)]}}}
    response = post(backend, "validate", big, auth(backend.secret))
    assert response.status_code == 413
    assert "larger" in response.json()["detail"]


def test_413_when_streamed_without_a_length(backend: Any) -> None:
    payload = json.dumps({"spreadsheet_id": SHEET, "tabs": {"Timesheet": {
        "values": [["y" * 100] for _ in range(backend.max_body // 100 + 10)]}}}).encode()

    def chunks() -> Any:
        for i in range(0, len(payload), 16_384):
            yield payload[i:i + 16_384]

    response = httpx.post(f"{backend.url}/v1/validate", content=chunks(), timeout=60,
                          headers={**auth(backend.secret), "Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413


# ------------------------------------------------------------------ 422 and 409


@pytest.mark.parametrize(("body", "mentions"), [
    (b"{not json", "JSON"),
    (b"[1, 2]", "body"),
    (b'{"tabs": {}}', "spreadsheet_id"),
    (b'{"spreadsheet_id": "x", "month": "2026-13"}', "month"),
    (b'{"spreadsheet_id": "x", "timezone": "Mars/Olympus"}', "time zone"),
    (b'{"spreadsheet_id": "x", "tabs": {"Clients": {"values": "abc"}}}', "values"),
    (b'{"spreadsheet_id": "x", "tabs": {"Clients": {"values": [[NaN]]}}}', "values"),
    (b'{"spreadsheet_id": "x", "tabs": {"Clients": {"values": [[{"a": 1}]]}}}', "values"),
    (b'{"spreadsheet_id": "x", "surprise": 1}', "surprise"),
])
def test_422_for_a_malformed_body(backend: Any, body: bytes, mentions: str) -> None:
    response = httpx.post(f"{backend.url}/v1/validate", content=body, timeout=30,
                          headers={**auth(backend.secret, "x"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and mentions.lower() in detail.lower(), detail


def test_422_for_an_unknown_action(backend: Any) -> None:
    response = post(backend, "delete", {"spreadsheet_id": "x"}, auth(backend.secret, "x"))
    assert response.status_code == 422


def test_422_for_a_sheet_that_is_not_a_vaxl_workbook(backend: Any) -> None:
    body = {"spreadsheet_id": SHEET, "tabs": {"Sheet1": {"values": [["hello"]]}}}
    response = post(backend, "validate", body, auth(backend.secret))
    assert response.status_code == 422
    assert "Clients" in response.json()["detail"]


def test_409_when_a_users_own_tab_has_vaxls_name(backend: Any, sample: Path) -> None:
    body = wire_body(sample)
    body["sheet_names"].append("Validation")  # the user's own tab, not in vaxl's manifest
    response = post(backend, "validate", body, auth(backend.secret))
    assert response.status_code == 409
    assert "Validation" in response.json()["detail"]


# ------------------------------------------------------------------ published API


def test_openapi_docs_and_health(backend: Any) -> None:
    spec = httpx.get(f"{backend.url}/openapi.json").json()
    assert "/v1/{action}" in spec["paths"]
    post_op = spec["paths"]["/v1/{action}"]["post"]
    assert {"200", "401", "413", "422"} <= set(post_op["responses"])
    assert httpx.get(f"{backend.url}/docs").status_code == 200
    assert httpx.get(f"{backend.url}/healthz").json() == {"status": "ok"}


# ------------------------------------------------------------------ serve and token commands


def _vaxl(args: list[str], env: dict[str, str],
          timeout: float = 30) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VAXL_")}
    return subprocess.run([sys.executable, "-m", "vaxl", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=timeout)


def test_serve_refuses_to_start_without_a_secret() -> None:
    done = _vaxl(["serve", "--port", "1"], {})
    assert done.returncode == 2
    assert "VAXL_SECRET" in done.stderr
    done = _vaxl(["serve", "--host", "0.0.0.0", "--port", "1", "--insecure-dev"], {})
    assert done.returncode == 2
    assert "127.0.0.1" in done.stderr


def test_serve_refuses_a_short_secret() -> None:
    done = _vaxl(["serve", "--port", "1"], {"VAXL_SECRET": "short"})
    assert done.returncode == 2
    assert "too short" in done.stderr


def test_insecure_dev_on_loopback_needs_no_token(insecure_backend: str) -> None:
    body = {"spreadsheet_id": "x", "tabs": {"Clients": {"values": [["Client ID"]]}}}
    response = httpx.post(f"{insecure_backend}/v1/validate", json=body, timeout=30)
    assert response.status_code == 200, response.text


def test_token_command_prints_the_hmac() -> None:
    done = _vaxl(["token", SHEET], {"VAXL_SECRET": "abc"})
    assert done.returncode == 0, done.stderr
    expected = hmac.new(b"abc", SHEET.encode(), hashlib.sha256).hexdigest()
    assert done.stdout.strip() == expected
    missing = _vaxl(["token", SHEET], {})
    assert missing.returncode == 2
    assert "VAXL_SECRET" in missing.stderr


# ------------------------------------------------------------------ one invoice as a PDF


def test_pdf_of_one_invoice(backend: Any, sample: Path, tmp_path: Path) -> None:
    body = wire_body(sample, month="2026-11")
    invoices = post(backend, "invoice", body, auth(backend.secret)).json()["invoices"]
    number = invoices[0]["number"]
    response = post(backend, f"pdf/{number}", body, auth(backend.secret))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "one.pdf"
    pdf.write_bytes(response.content)
    from tests.conftest import need_tool

    text = subprocess.run([need_tool("pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert number in text


def test_pdf_refuses_a_wrong_token_and_an_unknown_number(backend: Any, sample: Path) -> None:
    body = wire_body(sample, month="2026-11")
    wrong = post(backend, "pdf/INV-1", body, {"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    missing = post(backend, "pdf/NO-SUCH-INVOICE", body, auth(backend.secret))
    assert missing.status_code == 404
    assert "NO-SUCH-INVOICE" in missing.json()["detail"]
