"""PDF invoices: read back with poppler (pdftotext, pdfinfo, pdffonts, pdfimages, pdftoppm)."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal as D
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageStat

from tests.conftest import need_tool
from vaxl.core.models import CellRef, Client, Settings
from vaxl.core.results import EntryDetail, Invoice, InvoiceLine, StatementRow
from vaxl.io.pdf import FONT_DIR, invoice_facts, invoice_pdf, safe_filename, write_invoice_pdfs
from vaxl.layout.invoice_doc import InvoiceDoc, invoice_doc

HEBREW = 'שלום עולם בע"מ'
ARABIC = "شركة الأمل للتجارة"
LONG = "Đ" + "A" * 199  # 200 characters, no space to break at


@pytest.fixture(scope="module")
def poppler() -> dict[str, str]:
    return {tool: need_tool(tool) for tool in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm")}


def _settings(lang: str = "en", **kw: object) -> Settings:
    base: dict[str, object] = {
        "business_name": "Bright Desk",
        "business_address": "12 Harbour Street\nPortland, OR 97201",
        "business_email": "billing@brightdesk.example",
        "tax_id": "93-1234567",
        "language": lang,
    }
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def _client(**kw: object) -> Client:
    base: dict[str, object] = {
        "key": "ACME", "id": "ACME", "name": "Acme Realty", "contact": "Jane Doe",
        "email": "jane@acme.example", "address": "500 Market St, San Francisco",
        "billing": "retainer", "ref": CellRef("Clients", 2),
    }
    base.update(kw)
    return Client(**base)  # type: ignore[arg-type]


def _entries(n: int) -> tuple[EntryDetail, ...]:
    return tuple(
        EntryDetail(
            day=date(2026, 11, 1) + timedelta(days=i % 30),
            task=f"Inbox triage {i}",
            category="Admin",
            worked_seconds=3600 + 60 * i,
            billed_seconds=3600 + 60 * i,
            rush=i % 4 == 0,
            billable=True,
            ref=CellRef("Timesheet", i + 2),
        )
        for i in range(n)
    )


def _invoice(
    lang: str = "en", currency: str = "USD", n_entries: int = 3, **kw: object
) -> Invoice:
    if currency == "VND":
        amounts = (D(4000000), D(675000), D(50000))
        subtotal, tax, total, paid = D(4725000), D(472500), D(5197500), D(0)
    else:
        amounts = (D("400.00"), D("67.50"), D("5.00"))
        subtotal, tax, total, paid = D("472.50"), D("47.25"), D("519.75"), D("100.00")
    base: dict[str, object] = {
        "number": "INV-2026-0001",
        "client_key": "ACME",
        "client_name": "Acme Realty",
        "client_email": "jane@acme.example",
        "period": "2026-11",
        "issue_date": date(2026, 12, 1),
        "due_date": date(2026, 12, 15),
        "currency": currency,
        "language": lang,
        "lines": (
            InvoiceLine(description="Retainer fee", kind="retainer", quantity=D(1),
                        unit_price=amounts[0], amount=amounts[0]),
            InvoiceLine(description="Research (overage)", kind="overage", quantity=D("1.5"),
                        unit_price=amounts[1] / D("1.5"), amount=amounts[1], seconds=5400),
            InvoiceLine(description="Rush surcharge", kind="rush", quantity=D("0.25"),
                        unit_price=amounts[2] * 4, amount=amounts[2], seconds=900),
        ),
        "subtotal": subtotal,
        "tax_rate": D("0.1"),
        "tax": tax,
        "total": total,
        "paid": paid,
        "balance": total - paid,
        "entries": _entries(n_entries),
        "statement": (
            StatementRow(label="Included this month", hours=D(10)),
            StatementRow(label="Used", hours=D("-1.5")),
        ),
    }
    base.update(kw)
    return Invoice(**base)  # type: ignore[arg-type]


def _doc(lang: str = "en", currency: str = "USD", entries: int = 3, **kw: object) -> InvoiceDoc:
    return invoice_doc(_invoice(lang, currency, entries, **kw), _settings(lang), _client())


def _write(tmp_path: Path, data: bytes, name: str = "inv.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _text(tools: dict[str, str], pdf: Path, page: int | None = None) -> str:
    args = [tools["pdftotext"], "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, check=True)
    return _flat(out.stdout.decode("utf-8"))


def _flat(text: str) -> str:
    """Babel puts no-break spaces in money (`400.000 ₫`); compare on plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _info(tools: dict[str, str], pdf: Path) -> dict[str, str]:
    out = subprocess.run([tools["pdfinfo"], str(pdf)], capture_output=True, check=True)
    pairs = (line.split(":", 1) for line in out.stdout.decode().splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


# --------------------------------------------------------------------------- content


def test_english_pdf_shows_number_every_line_amount_and_totals(poppler, tmp_path):
    doc = _doc("en", "USD")
    text = _text(poppler, _write(tmp_path, invoice_pdf(doc)))
    assert "INV-2026-0001" in text
    for line in doc.lines:
        assert _flat(line.amount_text) in text
    for key in ("subtotal", "tax", "total", "paid", "balance"):
        assert _flat(doc.total(key).text) in text
    # the same amounts, written out by hand
    for shown in ("$400.00", "$67.50", "$5.00", "$472.50", "$47.25", "$519.75", "$419.75"):
        assert shown in text
    for word in ("INVOICE", "Bill to".upper(), "Balance Due", "Tax (10%)", "Due Date",
                 "15 Dec 2026", "Bright Desk", "Acme Realty", "Retainer statement",
                 "Included this month", "Time detail", "Inbox triage 2"):
        assert word in text


def test_vietnamese_pdf_keeps_diacritics_and_dong_sign(poppler, tmp_path):
    doc = _doc("vi", "VND")
    text = _text(poppler, _write(tmp_path, invoice_pdf(doc)))
    assert "INV-2026-0001" in text
    for line in doc.lines:
        assert _flat(line.amount_text) in text
    assert _flat(doc.total("total").text) in text
    for shown in ("4.000.000 ₫", "675.000 ₫", "50.000 ₫", "5.197.500 ₫"):
        assert shown in text
    for word in ("HÓA ĐƠN", "Tổng cộng", "Còn phải trả", "Hạn thanh toán", "15/12/2026",
                 "Trang 1/2"):
        assert word in text


@pytest.mark.parametrize(
    ("currency", "symbol"), [("EUR", "€"), ("GBP", "£"), ("JPY", "¥"), ("VND", "₫")]
)
def test_currency_symbols_render(poppler, tmp_path, currency, symbol):
    doc = _doc("en", currency)
    text = _text(poppler, _write(tmp_path, invoice_pdf(doc)))
    assert _flat(doc.total("total").text) in text
    assert symbol in text


def test_dejavu_is_embedded_and_licensed(poppler, tmp_path):
    pdf = _write(tmp_path, invoice_pdf(_doc("vi", "VND")))
    out = subprocess.run([poppler["pdffonts"], str(pdf)], capture_output=True, check=True)
    rows = [r for r in out.stdout.decode().splitlines() if "DejaVu" in r]
    assert rows, out.stdout
    assert all(" yes " in r for r in rows)  # every DejaVu font embedded (subset)
    assert (FONT_DIR / "DejaVuSans.ttf").is_file()
    assert (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    licence = (FONT_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


def test_metadata_and_paper(poppler, tmp_path):
    doc = _doc("en")
    a4 = _info(poppler, _write(tmp_path, invoice_pdf(doc), "a4.pdf"))
    letter = _info(poppler, _write(tmp_path, invoice_pdf(doc, paper="Letter"), "letter.pdf"))
    assert a4["Title"] == "INV-2026-0001"
    assert a4["Author"] == "Bright Desk"
    assert "A4" in a4["Page size"]
    assert "letter" in letter["Page size"].lower()


def test_many_entries_run_onto_numbered_pages_with_repeated_header(poppler, tmp_path):
    doc = _doc("en", entries=120)
    pdf = _write(tmp_path, invoice_pdf(doc))
    pages = int(_info(poppler, pdf)["Pages"])
    assert pages >= 3
    for page in range(1, pages + 1):
        text = _text(poppler, pdf, page)
        assert f"Page {page} of {pages}" in text
        if page > 1:  # detail pages: the table header is printed again
            assert "Task" in text and "Worked" in text and "Billed" in text
    everything = _text(poppler, pdf)
    for i in (0, 59, 119):
        assert f"Inbox triage {i}\n" in everything + "\n"


def test_page_one_renders_as_a_non_blank_image(poppler, tmp_path):
    pdf = _write(tmp_path, invoice_pdf(_doc("vi", "VND")))
    stem = tmp_path / "page"
    subprocess.run(
        [poppler["pdftoppm"], "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
         str(pdf), str(stem)],
        check=True,
    )
    png = stem.with_suffix(".png")
    assert png.is_file() and png.stat().st_size > 5000
    with Image.open(png) as img:
        gray = img.convert("L")
        low, _high = gray.getextrema()
        assert low < 80  # dark text is there
        assert ImageStat.Stat(gray).stddev[0] > 10
        # the top right quarter holds the title and dates: not empty
        w, h = gray.size
        corner = gray.crop((w // 2, 0, w, h // 4))
        assert corner.getextrema()[0] < 120


# --------------------------------------------------------------------------- logo


def _logo(path: Path) -> Path:
    img = Image.new("RGB", (240, 80), (31, 78, 121))
    ImageDraw.Draw(img).ellipse((8, 8, 72, 72), fill=(250, 200, 60))
    img.save(path)
    return path


def _image_count(pdf: Path) -> int:
    tool = need_tool("pdfimages")
    out = subprocess.run([tool, "-list", str(pdf)], capture_output=True, check=True)
    return len(out.stdout.decode().splitlines()) - 2  # two header lines


def test_logo_is_drawn_when_readable(poppler, tmp_path):
    pdf = _write(tmp_path, invoice_pdf(_doc(), logo=_logo(tmp_path / "logo.png")))
    assert _image_count(pdf) == 1


@pytest.mark.parametrize("kind", ["missing", "garbage", "directory"])
def test_unreadable_logo_is_skipped(poppler, tmp_path, kind):
    logo = tmp_path / "logo.png"
    if kind == "garbage":
        logo.write_bytes(b"this is not an image")
    elif kind == "directory":
        logo.mkdir()
    pdf = _write(tmp_path, invoice_pdf(_doc(), logo=logo))
    assert _image_count(pdf) == 0
    assert "INV-2026-0001" in _text(poppler, pdf)


# --------------------------------------------------------------------------- hostile text


_WORD = re.compile(
    r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>'
)


def _words(tools: dict[str, str], pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    out = subprocess.run(
        [tools["pdftotext"], "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    words = []
    page = 0
    width = height = 0.0
    for line in out.splitlines():
        m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if m:
            page += 1
            width, height = float(m[1]), float(m[2])
            continue
        m = _WORD.search(line)
        if m:
            x0, y0, x1, y1 = (float(m[i]) for i in range(1, 5))
            assert 0 <= x0 and x1 <= width + 0.5 and 0 <= y0 and y1 <= height + 0.5, line
            words.append((page, x0, y0, x1, y1, m[5]))
    return words


def _overlapping(words):
    slack = 0.8  # points; neighbours in one line may touch
    for a, b in combinations(words, 2):
        if a[0] != b[0]:
            continue
        apart_x = a[3] <= b[1] + slack or b[3] <= a[1] + slack
        apart_y = a[4] <= b[2] + slack or b[4] <= a[2] + slack
        if not (apart_x or apart_y):
            yield a, b


def test_hostile_client_text_keeps_the_layout_and_the_file(poppler, tmp_path):
    settings = _settings(business_name='Bright "Desk" <script>alert(1)</script> ' + "X" * 160)
    client = _client(name=HEBREW, contact=ARABIC, address="<b>" + LONG)
    invoice = _invoice(
        "en", "EUR",
        number="INV-2026-0002",
        client_name=HEBREW + " " + LONG,
        client_address="<b>" + LONG,
        lines=(
            InvoiceLine(description=LONG + " " + ARABIC + " <script>\"'&", kind="time",
                        quantity=D(2), unit_price=D(50), amount=D("100.00"), seconds=7200),
        ),
        subtotal=D("100.00"), tax_rate=D(0), tax=D(0), total=D("100.00"), paid=D(0),
        balance=D("100.00"),
        entries=(
            EntryDetail(day=date(2026, 11, 3), task=LONG, category=HEBREW, notes=ARABIC,
                        worked_seconds=60, billed_seconds=60, rush=False, billable=True,
                        ref=CellRef("Timesheet", 2)),
        ),
    )
    doc = invoice_doc(invoice, settings, client)
    pdf = _write(tmp_path, invoice_pdf(doc, paper="Letter"))
    text = _text(poppler, pdf)
    assert "INV-2026-0002" in text
    assert "<script>alert(1)</script>" in text
    assert "€100.00" in text
    assert "AAAAAAAAAA" in text
    words = _words(poppler, pdf)  # asserts every word lies inside its page
    assert len(words) > 30
    clashes = list(_overlapping(words))
    assert not clashes, clashes[:3]


def test_text_in_normal_invoices_never_overlaps(poppler, tmp_path):
    for lang, currency in (("en", "USD"), ("vi", "VND")):
        pdf = _write(tmp_path, invoice_pdf(_doc(lang, currency, entries=40)), f"{lang}.pdf")
        clashes = list(_overlapping(_words(poppler, pdf)))
        assert not clashes, clashes[:3]


# --------------------------------------------------------------------------- files


def test_write_invoice_pdfs_names_files_by_sanitised_number(poppler, tmp_path):
    docs = [
        _doc(number="INV/2026:0003"),
        _doc(number="INV-2026-0004"),
        _doc(number="../../etc/passwd"),
    ]
    paths = write_invoice_pdfs(docs, tmp_path / "out")
    assert [p.name for p in paths] == ["INV-2026-0003.pdf", "INV-2026-0004.pdf", "etc-passwd.pdf"]
    for path, doc in zip(paths, docs, strict=True):
        assert path.parent == tmp_path / "out"
        assert path.read_bytes().startswith(b"%PDF-")
        assert _info(poppler, path)["Title"] == doc.number
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_same_number_twice_does_not_overwrite(tmp_path):
    paths = write_invoice_pdfs([_doc(), _doc()], tmp_path)
    assert [p.name for p in paths] == ["INV-2026-0001.pdf", "INV-2026-0001-2.pdf"]


def test_safe_filename():
    assert safe_filename("INV/2026:0001") == "INV-2026-0001"
    assert safe_filename("HĐ-2026-01") == "HĐ-2026-01"
    assert safe_filename("..") == "invoice"
    assert safe_filename('a<b>"c') == "a-b-c"


def test_facts_come_from_the_doc():
    doc = _doc("en")
    facts = invoice_facts(doc)
    assert facts.number == "INV-2026-0001"
    assert facts.amount_due == "$419.75" == doc.total("balance").text
    assert facts.total == "$519.75"
    assert facts.due_date == "15 Dec 2026"
    assert facts.business_name == "Bright Desk"
    assert facts.business_email == "billing@brightdesk.example"
    assert facts.client_name == "Acme Realty"
    assert facts.client_email == "jane@acme.example"
