"""E-mail drafts: written as .eml, parsed back with the standard library."""

from __future__ import annotations

import smtplib
from datetime import date
from decimal import Decimal as D
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest

from vaxl.core.models import CellRef, Client, Settings
from vaxl.core.results import Invoice, InvoiceLine
from vaxl.io.email_draft import email_body, email_draft, email_subject, write_eml
from vaxl.io.pdf import invoice_pdf
from vaxl.layout.invoice_doc import InvoiceDoc, invoice_doc


def _doc(
    lang: str = "en",
    currency: str = "USD",
    *,
    client_name: str = "Acme Realty",
    client_email: str = "jane@acme.example",
    business_name: str = "Bright Desk",
    business_email: str = "billing@brightdesk.example",
    number: str = "INV-2026-0001",
) -> InvoiceDoc:
    amount = D(472500) if currency == "VND" else D("472.50")
    settings = Settings(business_name=business_name, business_email=business_email,
                        language=lang)  # type: ignore[arg-type]
    client = Client(key="ACME", id="ACME", name=client_name, email=client_email,
                    ref=CellRef("Clients", 2))
    invoice = Invoice(
        number=number, client_key="ACME", client_name=client_name, client_email=client_email,
        period="2026-10", issue_date=date(2026, 11, 3), due_date=date(2026, 11, 17),
        currency=currency, language=lang,  # type: ignore[arg-type]
        lines=(InvoiceLine(description="Admin", kind="time", quantity=D("10.5"),
                           unit_price=amount / D("10.5"), amount=amount, seconds=37800),),
        subtotal=amount, tax_rate=D(0), tax=D(0), total=amount, balance=amount,
    )
    return invoice_doc(invoice, settings, client)


def _parse(data: bytes) -> EmailMessage:
    msg = message_from_bytes(data, policy=default_policy)
    assert isinstance(msg, EmailMessage)
    return msg


def _attachment(msg: EmailMessage) -> tuple[str, str, bytes]:
    parts = list(msg.iter_attachments())
    assert len(parts) == 1
    part = parts[0]
    payload = part.get_content()
    assert isinstance(payload, bytes)
    return part.get_content_type(), part.get_filename() or "", payload


def test_english_draft_round_trips(tmp_path):
    doc = _doc()
    pdf = invoice_pdf(doc)
    path = write_eml(doc, pdf, tmp_path / "mail")
    assert path == tmp_path / "mail" / "INV-2026-0001.eml"
    msg = _parse(path.read_bytes())
    assert msg["To"] == "Acme Realty <jane@acme.example>"
    assert msg["To"].addresses[0].addr_spec == "jane@acme.example"
    assert msg["From"].addresses[0].addr_spec == "billing@brightdesk.example"
    assert msg["Subject"] == "Invoice INV-2026-0001 from Bright Desk — $472.50 due 17 Nov 2026"
    assert msg["X-Unsent"] == "1"
    body = msg.get_body(preferencelist=("plain",)).get_content()
    for expected in ("Dear Acme Realty,", "INV-2026-0001", "October 2026", "$472.50",
                     "17 Nov 2026", "Payment Terms: Net 14", "Bright Desk"):
        assert expected in body
    kind, filename, payload = _attachment(msg)
    assert kind == "application/pdf"
    assert filename == "INV-2026-0001.pdf"
    assert payload == pdf


def test_vietnamese_draft_encodes_and_decodes_diacritics(tmp_path):
    doc = _doc("vi", "VND", client_name="Công ty Ánh Dương", business_name="Văn phòng Sao Mai")
    pdf = invoice_pdf(doc)
    data = write_eml(doc, pdf, tmp_path).read_bytes()
    head = data.split(b"\n\n", 1)[0]
    head.decode("ascii")  # headers travel as ASCII (RFC 2047 encoded words)
    msg = _parse(data)
    subject = msg["Subject"].replace("\u00a0", " ")
    assert subject == (
        "Hóa đơn INV-2026-0001 từ Văn phòng Sao Mai — 472.500 ₫, hạn thanh toán 17/11/2026"
    )
    assert msg["To"].addresses[0].display_name == "Công ty Ánh Dương"
    assert msg["From"].addresses[0].display_name == "Văn phòng Sao Mai"
    body = msg.get_body(preferencelist=("plain",)).get_content().replace("\u00a0", " ")
    for expected in ("Kính gửi Công ty Ánh Dương,", "472.500 ₫", "17/11/2026", "Tháng 10/2026",
                     "Điều khoản: 14 ngày", "Trân trọng,"):
        assert expected in body
    assert _attachment(msg)[2] == pdf


def test_header_injection_is_neutralised():
    doc = _doc(client_name="Acme\r\nBcc: evil@attacker.example\r\n\r\nhi",
               business_name="Bright\nX-Evil: 1")
    msg = _parse(bytes(email_draft(doc, b"%PDF-1.4 test").as_bytes(policy=default_policy)))
    assert msg["Bcc"] is None
    assert msg["X-Evil"] is None
    assert [a.addr_spec for a in msg["To"].addresses] == ["jane@acme.example"]
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
    assert "Bright X-Evil: 1" in msg["Subject"]


def test_explicit_addresses_and_filename_win():
    doc = _doc()
    msg = email_draft(doc, b"%PDF-", to="ap@acme.example", from_addr="me@va.example",
                      filename="Acme\nNov.pdf")
    assert msg["To"].addresses[0].addr_spec == "ap@acme.example"
    assert msg["From"].addresses[0].addr_spec == "me@va.example"
    assert _attachment(msg)[1] == "Acme Nov.pdf"


def test_missing_addresses_leave_the_draft_to_fill_in(tmp_path):
    doc = _doc(client_email="", business_email="", business_name="")
    msg = _parse(write_eml(doc, b"%PDF-", tmp_path).read_bytes())
    assert msg["To"] == ""
    assert msg["From"] == ""
    assert msg["Subject"] == "Invoice INV-2026-0001 — $472.50 due 17 Nov 2026"
    assert _attachment(msg)[2] == b"%PDF-"


def test_subject_and_body_quote_the_doc_texts():
    doc = _doc("en", "EUR")
    assert doc.total("balance").text in email_subject(doc)
    body = email_body(doc)
    assert doc.total("balance").text in body
    due = next(p.text for p in doc.meta if p.key == "due_date")
    assert due in email_subject(doc) and due in body


def test_never_sends(monkeypatch, tmp_path):
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("tried to send mail")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    monkeypatch.setattr(smtplib, "SMTP_SSL", refuse)
    doc = _doc()
    write_eml(doc, invoice_pdf(doc), tmp_path)
    assert len(list(tmp_path.glob("*.eml"))) == 1


@pytest.mark.parametrize("number", ["INV/2026:0001", "../x"])
def test_eml_file_name_is_sanitised(tmp_path, number):
    path = write_eml(_doc(number=number), b"%PDF-", tmp_path)
    assert path.parent == tmp_path
    assert "/" not in path.name and ":" not in path.name
    assert path.suffix == ".eml"


def test_the_greeting_names_the_contact_person() -> None:
    from datetime import date
    from decimal import Decimal

    from vaxl.core.models import CellRef, Client, Settings
    from vaxl.core.results import Invoice, InvoiceLine
    from vaxl.io.email_draft import email_body
    from vaxl.layout.invoice_doc import invoice_doc

    line = InvoiceLine(description="Admin", kind="time", quantity=Decimal(1),
                       unit_price=Decimal(30), amount=Decimal(30), seconds=3600)
    invoice = Invoice(number="INV-1", client_key="ACME", client_name="Acme Holdings Ltd",
                      period="2026-11", issue_date=date(2026, 12, 1),
                      due_date=date(2026, 12, 15), currency="USD", lines=(line,),
                      subtotal=Decimal(30), tax_rate=Decimal(0), tax=Decimal(0),
                      total=Decimal(30), balance=Decimal(30))
    client = Client(key="ACME", id="ACME", name="Acme Holdings Ltd", contact="Jane Doe",
                    ref=CellRef("Clients", 2))
    body = email_body(invoice_doc(invoice, Settings(business_name="Desk"), client))
    assert body.splitlines()[0].startswith("Dear Jane Doe")
