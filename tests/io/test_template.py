"""`vaxl init`: the new workbook has every tab, header, table, drop-down and format."""

from __future__ import annotations

import csv
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from vaxl.core.models import BILLING_MODELS, Settings
from vaxl.errors import WriteRefused
from vaxl.io.template import CATEGORIES, CATEGORIES_VI, LISTS_TAB, START_TAB, create_template
from vaxl.samples import SAMPLE_TODAY
from vaxl.sheets.spec import INPUT_TABS, SETTINGS_KEYS, TABS


@pytest.fixture(scope="module", params=["en", "vi"])
def made(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    lang = request.param
    path = create_template(tmp_path_factory.mktemp(lang) / "book.xlsx", lang=lang)
    return lang, path, openpyxl.load_workbook(path)


def tab(lang: str, name: str) -> str:
    return TABS[name].vi if lang == "vi" else TABS[name].name


def header_col(ws, header: str) -> str:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"{header} not on {ws.title}")


def col_format(ws, letter: str) -> str:
    """A column's number format; xlsxwriter may write neighbours as one <col min max> range."""
    index = openpyxl.utils.column_index_from_string(letter)
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= dim.max:
            return dim.number_format
    return "General"


def validation_for(ws, letter: str):
    found = [dv for dv in ws.data_validations.dataValidation
             if any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)]
    assert len(found) == 1, f"{ws.title}!{letter}: {found}"
    return found[0]


def test_tabs_in_order_and_lists_hidden(made):
    lang, _, wb = made
    expected = [START_TAB[lang], *(tab(lang, t) for t in INPUT_TABS), LISTS_TAB]
    assert wb.sheetnames == expected
    assert wb[LISTS_TAB].sheet_state == "hidden"
    assert all(wb[n].sheet_state == "visible" for n in expected[:-1])
    assert wb.active.title == START_TAB[lang]


def test_every_input_tab_has_exactly_the_spec_headers_in_a_table(made):
    lang, _, wb = made
    for name in INPUT_TABS:
        spec = TABS[name]
        ws = wb[tab(lang, name)]
        headers = [c.value for c in ws[1] if c.value is not None]
        assert headers == [c.vi if lang == "vi" else c.en for c in spec.columns], name
        tables = list(ws.tables.values())
        assert len(tables) == 1, name
        assert tables[0].ref.startswith("A1:")
        assert tables[0].tableStyleInfo.name.startswith("TableStyle")
        assert ws.freeze_panes in ("A2", "B2"), name


def test_input_tabs_start_empty(made):
    lang, _, wb = made
    for name in INPUT_TABS[1:]:
        ws = wb[tab(lang, name)]
        values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
        assert all(v is None for v in values), name


def test_settings_has_every_key_with_its_default(made):
    lang, _, wb = made
    ws = wb[tab(lang, "Settings")]
    rows = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    keys = [k[1] if lang == "vi" else k[0] for k in SETTINGS_KEYS.values()]
    assert list(rows) == keys
    by_field = dict(zip(SETTINGS_KEYS, rows.values(), strict=True))
    assert by_field["rush_surcharge"].value == 0.5
    assert "%" in by_field["rush_surcharge"].number_format
    assert by_field["low_balance_alert"].value == 0.8
    assert "%" in by_field["low_balance_alert"].number_format
    assert by_field["payment_terms"].value == Settings().payment_terms
    assert by_field["invoice_number"].value == "INV-{YYYY}-{NNNN}"
    assert by_field["business_name"].value is None
    assert by_field["currency"].value == ("VND" if lang == "vi" else "USD")
    assert by_field["language"].value == lang
    assert Decimal(str(by_field["rush_surcharge"].value)) == Settings().rush_surcharge


def test_drop_downs(made):
    lang, _, wb = made
    clients = wb[tab(lang, "Clients")]
    billing = validation_for(clients, header_col(clients, TABS["Clients"].column("billing").vi
                                                 if lang == "vi" else "Billing"))
    assert billing.type == "list" and billing.errorStyle in (None, "stop")
    lists = wb[LISTS_TAB]
    listed = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, 30)
                                       if lists.cell(r, c).value is not None]
              for c in range(1, lists.max_column + 1)}
    assert listed["Billing"] == list(BILLING_MODELS)
    assert listed["Category"] == list(CATEGORIES_VI if lang == "vi" else CATEGORIES)
    assert len(CATEGORIES) == len(CATEGORIES_VI) == 13
    assert ("Phát triển web" if lang == "vi" else "Web Development") in listed["Category"]
    assert listed["Yes/No"] == (["có", "không"] if lang == "vi" else ["yes", "no"])
    assert billing.formula1 == f"'{LISTS_TAB}'!$A$2:$A$5"

    ts = wb[tab(lang, "Timesheet")]
    heads = {c.field: (c.vi if lang == "vi" else c.en) for c in TABS["Timesheet"].columns}
    client = validation_for(ts, header_col(ts, heads["client_id"]))
    assert client.type == "list" and client.formula1 == "ClientIDs"
    name = wb.defined_names["ClientIDs"]
    assert name.attr_text == f"'{tab(lang, 'Clients')}'!$A$2:$A$501"
    category = validation_for(ts, header_col(ts, heads["category"]))
    assert category.type == "list" and category.errorStyle == "information"
    for field in ("rush", "billable"):
        dv = validation_for(ts, header_col(ts, heads[field]))
        assert dv.formula1 == f"'{LISTS_TAB}'!$C$2:$C$3"
    day = validation_for(ts, header_col(ts, heads["date"]))
    assert day.type == "date"
    for name_ in ("Rates", "Blocks", "Closings", "Payments"):
        ws = wb[tab(lang, name_)]
        col = TABS[name_].column("client_id")
        assert validation_for(ws, header_col(ws, col.vi if lang == "vi" else col.en)).formula1 \
            == "ClientIDs"
    rates = wb[tab(lang, "Rates")]
    prepaid = TABS["Rates"].column("prepaid")
    assert validation_for(rates, header_col(rates, prepaid.vi if lang == "vi" else prepaid.en)
                          ).type == "list"


def test_number_formats(made):
    lang, _, wb = made
    for name in INPUT_TABS[1:]:
        ws = wb[tab(lang, name)]
        for col in TABS[name].columns:
            letter = header_col(ws, col.vi if lang == "vi" else col.en)
            number_format = col_format(ws, letter)
            if col.kind == "percent":
                assert number_format.endswith("%"), (name, col.field)
            elif col.kind == "date":
                assert number_format == "yyyy-mm-dd", (name, col.field)
            elif col.kind == "hours":
                assert number_format == "0.00", (name, col.field)
            elif col.kind == "money":
                assert number_format == ("#,##0" if lang == "vi" else "#,##0.00"), col.field
    clients = wb[tab(lang, "Clients")]
    expected = {"rush_surcharge": "0%", "commission_rate": "0.0##%", "tax_rate": "0.0##%"}
    for field, number_format in expected.items():
        col = TABS["Clients"].column(field)
        letter = header_col(clients, col.vi if lang == "vi" else col.en)
        assert col_format(clients, letter) == number_format


def test_start_here_explains_commands_and_billing(made):
    lang, _, wb = made
    text = "\n".join(str(c.value) for row in wb[START_TAB[lang]].iter_rows() for c in row
                     if c.value is not None)
    assert "vaxl validate " in text and "--month 2026-11" in text
    for model in BILLING_MODELS:
        assert model in text
    for name in INPUT_TABS:
        assert tab(lang, name) in text
    if lang == "vi":
        assert "Hình thức tính phí" in text


def test_never_overwrites(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"my precious data")
    with pytest.raises(WriteRefused) as err:
        create_template(path)
    assert err.value.message == "book.xlsx already exists."
    assert "another name" in err.value.fix
    assert path.read_bytes() == b"my precious data"


def test_refuses_other_formats_and_missing_folders(tmp_path: Path):
    with pytest.raises(WriteRefused):
        create_template(tmp_path / "book.xlsm")
    with pytest.raises(WriteRefused):
        create_template(tmp_path / "nowhere" / "book.xlsx")
    with pytest.raises(WriteRefused):
        create_template(tmp_path / "book.xlsx", lang="fr")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.libreoffice
def test_opens_in_libreoffice(soffice: str, tmp_path: Path):
    path = create_template(tmp_path / "book.xlsx", lang="vi")
    out = tmp_path / "csv"
    # 44,34,76,1: comma, quote, UTF-8, from line 1; the last field -1 writes every sheet.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run([soffice, "--headless", "--convert-to", options, "--outdir", str(out),
                    str(path)], check=True, capture_output=True, timeout=120)
    sheet = out / f"book-{TABS['Timesheet'].vi}.csv"
    with sheet.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [c.vi for c in TABS["Timesheet"].columns]
    settings = out / f"book-{TABS['Settings'].vi}.csv"
    text = settings.read_text(encoding="utf-8")
    assert "Phụ phí gấp,50%" in text and "Tiền tệ,VND" in text


def test_template_parses_without_errors(made):
    from vaxl.io.xlsx_read import read_workbook
    from vaxl.service import load_book
    from vaxl.sheets.parse import parse_book

    lang, path, _ = made
    raw = read_workbook(path)
    book, problems = parse_book(raw)
    assert load_book(raw, SAMPLE_TODAY)[1] == []  # the checks find nothing either
    assert [p for p in problems if p.severity == "error"] == []
    assert book.clients == () and book.entries == ()
    assert book.settings.currency == ("VND" if lang == "vi" else "USD")
    assert book.settings.rush_surcharge == Decimal("0.5")
    assert book.settings.language == lang
    assert book.settings.date_order == ("DMY" if lang == "vi" else None)
