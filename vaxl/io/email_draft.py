"""E-mail drafts (.eml) that carry a PDF invoice: written to disk, never sent.

    email_draft(doc, pdf, to=..., from_addr=..., filename=...) -> EmailMessage
    write_eml(doc, pdf, folder) -> Path

The subject and body are in the invoice's language and quote the invoice
number, the amount due, the due date and the payment terms exactly as the
InvoiceDoc formats them (the same text the invoice tab and the PDF show).
Every header value is stripped of line breaks and control characters, so a
client name cannot inject headers; non-ASCII names are RFC 2047/2231 encoded
by the standard library's default policy.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from vaxl.io.pdf import invoice_facts, safe_filename

if TYPE_CHECKING:
    from vaxl.layout.invoice_doc import InvoiceDoc

__all__ = ["email_body", "email_draft", "email_subject", "write_eml"]

# Words of the e-mail itself (the invoice's own labels live in vaxl.layout.labels).
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Invoice {number} from {business} — {amount} due {due}",
        "subject_nobiz": "Invoice {number} — {amount} due {due}",
        "greeting": "Dear {name},",
        "greeting_anon": "Hello,",
        "attached": "Please find attached invoice {number} for {period}.",
        "amount": "Amount due: {amount}, by {due}.",
        "closing": "Thank you,",
    },
    "vi": {
        "subject": "Hóa đơn {number} từ {business} — {amount}, hạn thanh toán {due}",
        "subject_nobiz": "Hóa đơn {number} — {amount}, hạn thanh toán {due}",
        "greeting": "Kính gửi {name},",
        "greeting_anon": "Kính gửi quý khách,",
        "attached": "Xin gửi kèm hóa đơn {number} cho kỳ {period}.",
        "amount": "Số tiền cần thanh toán: {amount}, hạn thanh toán {due}.",
        "closing": "Trân trọng,",
    },
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")


def _one_line(value: str) -> str:
    """Header-safe text: every line break or control character becomes a space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["en"])


def email_subject(doc: InvoiceDoc) -> str:
    """`Invoice INV-2026-0001 from Bright Desk — 472.50 USD due 17 Nov 2026`."""
    facts = invoice_facts(doc)
    words = _words(facts.language)
    key = "subject" if facts.business_name else "subject_nobiz"
    return _one_line(
        words[key].format(
            number=facts.number,
            business=facts.business_name,
            amount=facts.amount_due,
            due=facts.due_date,
        )
    )


def email_body(doc: InvoiceDoc) -> str:
    """The plain-text body: greeting, what is attached, amount, due date, terms, signature."""
    facts = invoice_facts(doc)
    words = _words(facts.language)
    name = _one_line(facts.client_contact or facts.client_name)
    greeting = words["greeting"].format(name=name) if name else words["greeting_anon"]
    paragraphs = [
        greeting,
        "\n".join(
            line
            for line in (
                words["attached"].format(number=facts.number, period=facts.period),
                words["amount"].format(amount=facts.amount_due, due=facts.due_date),
                facts.terms,
            )
            if line
        ),
        "\n".join(x for x in (words["closing"], facts.business_name, facts.business_email) if x),
    ]
    return "\n\n".join(paragraphs) + "\n"


def _address(display: str, addr: str) -> str:
    """`Name <a@b>` with a header-safe display name; empty when there is no address."""
    addr = _one_line(addr)
    if not addr or "@" not in addr:
        return ""
    display = _one_line(display)
    try:
        return str(Address(display_name=display, addr_spec=addr))
    except (ValueError, IndexError, TypeError):
        # an address the header registry cannot parse: keep it, quoted, as typed
        return formataddr((display, addr))


def email_draft(
    doc: InvoiceDoc,
    pdf: bytes,
    *,
    to: str | None = None,
    from_addr: str | None = None,
    filename: str | None = None,
) -> EmailMessage:
    """A ready-to-send message with the PDF attached (it is not sent).

    `to` defaults to the client's billing e-mail, `from_addr` to the business
    e-mail from Settings (either may end up empty: the user fills it in),
    `filename` to `<invoice number>.pdf`.
    """
    facts = invoice_facts(doc)
    to = facts.client_email if to is None else to
    from_addr = facts.business_email if from_addr is None else from_addr
    filename = _one_line(filename) if filename else f"{safe_filename(facts.number)}.pdf"

    msg = EmailMessage(policy=default_policy)
    msg["Subject"] = email_subject(doc)
    from_header = _address(facts.business_name, from_addr)
    to_header = _address(facts.client_contact or facts.client_name, to)
    msg["From"] = from_header
    msg["To"] = to_header
    msg["X-Unsent"] = "1"  # Outlook and Thunderbird open the file as an editable draft
    domain = from_header.rpartition("@")[2].rstrip(">") if from_header else "vaxl.invalid"
    msg["Message-ID"] = make_msgid(domain=_one_line(domain) or "vaxl.invalid")
    msg.set_content(email_body(doc))
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return msg


def write_eml(doc: InvoiceDoc, pdf: bytes, folder: Path) -> Path:
    """Write the draft as `<folder>/<invoice number>.eml` and return its path."""
    msg = email_draft(doc, pdf)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{safe_filename(doc.number)}.eml"
    path.write_bytes(msg.as_bytes(policy=default_policy))
    return path
