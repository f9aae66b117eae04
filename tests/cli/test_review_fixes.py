"""Regressions found by reviewing vaxl against the contract, each through the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

D = dt.date


def vaxl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vaxl", *args], capture_output=True,
                          text=True, timeout=120)


def book(path: Path, *, settings=(), clients=(), timesheet=(), blocks=()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    tabs = {
        "Settings": (["Setting", "Value"], settings),
        "Clients": (["Client ID", "Client Name", "Billing", "Rate"], clients),
        "Timesheet": (["Date", "Client ID", "Task", "Category", "Hours"], timesheet),
        "Blocks": (["Date", "Client ID", "Hours", "Amount", "Expires", "Reference"], blocks),
    }
    for name, (header, rows) in tabs.items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def run(action: str, path: Path, month: str, issue: str) -> dict:
    dates = ["--issue-date", issue] if action != "report" else []
    result = vaxl(action, str(path), "--month", month, *dates, "--today", "2026-12-05", "--json")
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return json.loads(result.stdout)


def test_client_id_ending_in_digits_does_not_inflate_the_counter(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", settings=[("Invoice Number", "{CLIENT}{NNN}")],
                clients=[("R2D2", "Droid", "hourly", 30)],
                timesheet=[(D(2026, 10, 5), "R2D2", "x", "Admin", 1),
                           (D(2026, 11, 5), "R2D2", "y", "Admin", 1)])
    october = run("invoice", path, "2026-10", "2026-11-02")
    assert [i["number"] for i in october["invoices"]] == ["R2D2001"]
    november = run("invoice", path, "2026-11", "2026-12-01")
    assert [i["number"] for i in november["invoices"]] == ["R2D2002"]


def test_lower_case_counter_is_a_counter(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", settings=[("Invoice Number", "inv-{yyyy}-{nnnn}")],
                clients=[("A", "A Co", "hourly", 30)],
                timesheet=[(D(2026, 11, 5), "A", "x", "Admin", 1)])
    result = run("invoice", path, "2026-11", "2026-12-01")
    assert [i["number"] for i in result["invoices"]] == ["inv-2026-0001"]
    assert not [i for i in result["issues"] if i["severity"] == "error"]


def test_report_issues_no_invoice_and_ages_none(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", clients=[("A", "A Co", "hourly", 30)],
                timesheet=[(D(2026, 11, 5), "A", "x", "Admin", 2)])
    result = run("report", path, "2026-11", "2026-12-01")
    assert result["invoices"] == []
    wb = CalamineWorkbook.from_path(str(path))
    assert "Invoices" not in wb.sheet_names
    aging = "\n".join(str(v) for row in wb.get_sheet_by_name("Aging").to_python() for v in row)
    assert "INV-" not in aging
    report = wb.get_sheet_by_name("Report 2026-11").to_python()
    # 2 h x 30 = 60.00 is still what November would bill.
    assert any(60 in row or 60.0 in row for row in report)


def test_block_low_balance_counts_the_blocks_whole_life(tmp_path: Path) -> None:
    # 10 h block in October; 9.5 h used in October, 0.25 h in November: 97.5 % used.
    path = book(tmp_path / "b.xlsx", clients=[("K", "Keen", "block", 60)],
                blocks=[(D(2026, 10, 1), "K", 10, None, None, "B1")],
                timesheet=[(D(2026, 10, 3), "K", "x", "Admin", 9.5),
                           (D(2026, 11, 3), "K", "y", "Admin", 0.25)])
    run("run", path, "2026-11", "2026-12-01")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Report 2026-11").to_python()
    k_row = next(row for row in rows if row and row[0] == "K")
    alerts = " ".join(str(v) for v in k_row[9:])
    assert "98%" in alerts or "97.5%" in alerts, k_row


def test_time_rounded_to_nothing_bills_nothing(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx",
                settings=[("Time Rounding", 15), ("Rounding Mode", "nearest")],
                clients=[("A", "A Co", "hourly", 60)],
                timesheet=[(D(2026, 11, 5), "A", "quick call", "Admin", "0:07")])
    assert run("invoice", path, "2026-11", "2026-12-01")["invoices"] == []


def test_bad_options_answer_in_json_too(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", clients=[("A", "A Co", "hourly", 30)])
    for option in (["--month", "2026-13"], ["--issue-date", "soon"]):
        result = vaxl("run", str(path), *option, "--json")
        assert result.returncode == 2
        assert json.loads(result.stdout)["error"]
        assert "Traceback" not in result.stderr


def test_init_takes_json(tmp_path: Path) -> None:
    result = vaxl("init", str(tmp_path / "new.xlsx"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"].endswith("new.xlsx")


def test_a_bad_pdf_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", clients=[("A", "A Co", "hourly", 30)],
                timesheet=[(D(2026, 11, 5), "A", "x", "Admin", 1)])
    before = path.read_bytes()
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    result = vaxl("invoice", str(path), "--month", "2026-11", "--today", "2026-12-05",
                  "--pdf", str(not_a_folder))
    assert result.returncode == 2
    assert "not a folder" in result.stderr
    assert path.read_bytes() == before


def test_a_future_month_is_refused(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", clients=[("A", "A Co", "hourly", 30)])
    before = path.read_bytes()
    result = vaxl("run", str(path), "--month", "2099-12", "--today", "2026-12-05")
    assert result.returncode == 2 and "future" in result.stderr
    assert path.read_bytes() == before


def test_a_draft_keeps_its_issue_date_on_a_plain_rerun(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", clients=[("A", "A Co", "hourly", 30)],
                timesheet=[(D(2026, 11, 5), "A", "x", "Admin", 1)])
    first = run("invoice", path, "2026-11", "2026-12-01")
    again = vaxl("invoice", str(path), "--month", "2026-11", "--today", "2026-12-09", "--json")
    (inv,) = json.loads(again.stdout)["invoices"]
    assert inv["number"] == first["invoices"][0]["number"]
    assert inv["issue_date"] == "2026-12-01"


def test_settings_errors_stop_billing(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", settings=[("Time Rounding", 7)],
                clients=[("A", "A Co", "hourly", 30)],
                timesheet=[(D(2026, 11, 5), "A", "x", "Admin", 1)])
    result = vaxl("invoice", str(path), "--month", "2026-11", "--today", "2026-12-05", "--json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["invoices"] == []
    assert any(i["tab"] == "Settings" and i["severity"] == "error" for i in payload["issues"])


def test_validate_reads_a_format_it_cannot_write(tmp_path: Path, soffice: str) -> None:
    path = book(tmp_path / "b.xlsx", clients=[("A", "A Co", "hourly", 30)],
                timesheet=[(D(2026, 11, 5), "ACMEE", "x", "Admin", 1)])
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "ods", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=120, check=True)
    ods = tmp_path / "b.ods"
    before = ods.read_bytes()
    result = vaxl("validate", str(ods), "--json")
    assert result.returncode == 1, result.stderr
    assert any(i["code"] == "unknown_client" for i in json.loads(result.stdout)["issues"])
    assert ods.read_bytes() == before


def test_demo_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "vaxl-demo.xlsx").write_bytes(b"my edits")
    result = subprocess.run([sys.executable, "-m", "vaxl", "demo", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert (tmp_path / "vaxl-demo.xlsx").read_bytes() == b"my edits"


def test_timesheet_notes_stay_private(tmp_path: Path) -> None:
    from tests.conftest import need_tool

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    clients = wb.create_sheet("Clients")
    clients.append(["Client ID", "Client Name", "Billing", "Rate"])
    clients.append(["A", "A Co", "hourly", 30])
    ts = wb.create_sheet("Timesheet")
    ts.append(["Date", "Client ID", "Task", "Category", "Hours", "Notes"])
    ts.append([D(2026, 11, 5), "A", "Inbox", "Admin", 1, "PRIVATE-NOTE-123 client was rude"])
    path = tmp_path / "b.xlsx"
    wb.save(path)
    out = tmp_path / "pdf"
    result = vaxl("invoice", str(path), "--month", "2026-11", "--today", "2026-12-05",
                  "--pdf", str(out), "--json")
    assert result.returncode == 0, result.stderr
    (number,) = [i["number"] for i in json.loads(result.stdout)["invoices"]]
    text = subprocess.run([need_tool("pdftotext"), str(out / f"{number}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Inbox" in text and "PRIVATE-NOTE-123" not in text
    tab = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(number).to_python()
    assert "PRIVATE-NOTE-123" not in str(tab)


def test_the_register_never_loses_a_value(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx",
                clients=[("A", "A Co", "hourly", 30), ("B", "B Co", "hourly", 30)],
                timesheet=[(D(2026, 10, 5), "A", "x", "Admin", 1),
                           (D(2026, 11, 4), "B", "y", "Admin", 1)])
    october = run("invoice", path, "2026-10", "2026-11-02")
    assert [i["number"] for i in october["invoices"]] == ["INV-2026-0001"]
    # The assistant marks it sent, blanks its Period by mistake and adds notes of her own.
    wb = openpyxl.load_workbook(path)
    ws = wb["Invoices"]
    assert ws["A2"].value == "INV-2026-0001"
    ws["C2"] = None
    ws["L2"] = "sent"
    ws["P1"] = "My note"
    ws["P2"] = "emailed 3 Nov"
    ws["R2"] = "stray"
    wb.save(path)

    november = run("invoice", path, "2026-11", "2026-12-01")
    assert [i["number"] for i in november["invoices"]] == ["INV-2026-0002"]  # 0001 not reused
    assert any(i["tab"] == "Invoices" and i["cell"] == "C2" for i in november["issues"])
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Invoices").to_python()
    kept = next(r for r in rows if r and r[0] == "INV-2026-0001")
    assert "sent" in kept and "emailed 3 Nov" in kept and "stray" in kept
    assert "My note" in rows[0]
    assert any(r and r[0] == "INV-2026-0002" for r in rows)


def test_an_excluded_clients_report_ignores_the_rows_in_error(tmp_path: Path) -> None:
    path = book(tmp_path / "b.xlsx", clients=[("A", "A Co", "hourly", 30)],
                timesheet=[(D(2026, 11, 5), "A", "x", "Admin", 1),
                           (D(2026, 11, 6), "A", "typo", "Admin", -2)])
    result = run("report", path, "2026-11", "2026-12-01")
    assert any(i["code"] == "hours_out_of_range" for i in result["issues"])
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Report 2026-11").to_python()
    a_row = next(row for row in rows if row and row[0] == "A")
    assert a_row[4] == 1  # hours worked: the 1 h entry only, not 1 - 2
