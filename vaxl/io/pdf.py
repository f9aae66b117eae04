"""PDF invoices drawn with fpdf2 from the InvoiceDoc (the invoice tab's own content).

    invoice_pdf(doc, logo=None, paper="A4") -> bytes
    write_invoice_pdfs(docs, folder, logo=None, paper="A4") -> list[Path]
    save_pdf(data, folder, number, used) -> Path   (the one way a PDF file is named and written)
    invoice_facts(doc) -> InvoiceFacts     (number, amounts and dates as text, for e-mails)
    safe_filename(text) -> str

Every word and number printed comes formatted from the InvoiceDoc; this module
only places it on A4 or Letter pages.  The only words it owns are the page
numbers ("Page 1 of 2", "Trang 1/2"), which a spreadsheet tab has no use for.
DejaVu Sans (shipped in vaxl/fonts under its licence) is embedded, so
Vietnamese diacritics and currency symbols (₫ € £ ¥ ...) print on any reader.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaxl.errors import MissingExtra

if TYPE_CHECKING:
    from fpdf import FPDF

    from vaxl.layout.invoice_doc import InvoiceDoc

__all__ = [
    "FONT_DIR",
    "InvoiceFacts",
    "invoice_facts",
    "invoice_pdf",
    "safe_filename",
    "save_pdf",
    "write_invoice_pdfs",
]

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
_FONT = "DejaVu"
_PAGE_WORDS = {"en": "Page {n} of {nb}", "vi": "Trang {n}/{nb}"}

_MARGIN = 16.0
_INK = (33, 37, 41)
_MUTED = (108, 117, 125)
_ACCENT = (31, 78, 121)
_RULE = (206, 212, 218)
_SHADE = (233, 239, 245)

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- the content


@dataclass(frozen=True)
class InvoiceFacts:
    """The few texts an e-mail or a file name needs, formatted as on the invoice.

    Fields:
        number, language, period, due_date (as printed).
        amount_due: the balance due as printed (the total when nothing is paid).
        total: the total as printed.
        terms: the payment terms pair as printed (`Payment Terms: Net 14`).
        business_name, business_email, client_name, client_contact, client_email.
    """

    number: str
    language: str
    period: str
    due_date: str
    amount_due: str
    total: str
    terms: str
    business_name: str
    business_email: str
    client_name: str
    client_contact: str
    client_email: str


@dataclass(frozen=True)
class _Table:
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # fractions of the page's text width
    align: tuple[str, ...]


@dataclass(frozen=True)
class _View:
    language: str
    title: str
    number: str
    business_name: str
    business_lines: tuple[str, ...]
    bill_to_label: str
    client_name: str
    client_lines: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]
    lines: _Table
    totals: tuple[tuple[str, str, bool], ...]  # label, value, emphasised
    notes: tuple[str, ...]
    statement: _Table | None = None
    detail: _Table | None = None


# --------------------------------------------------------------------------- public API


def safe_filename(text: str) -> str:
    """An invoice number as a portable file name: `INV/2026:01` -> `INV-2026-01`."""
    cleaned = re.sub(r"[^\w.\-]+", "-", text, flags=re.UNICODE).strip(".-_ ")
    return cleaned[:120] or "invoice"


def invoice_pdf(doc: InvoiceDoc, *, logo: Path | None = None, paper: str = "A4") -> bytes:
    """The invoice as PDF bytes (A4 or Letter); a missing or unreadable logo is skipped."""
    return _render(_view(doc), logo=logo, paper=paper)


def write_invoice_pdfs(
    docs: Iterable[InvoiceDoc],
    folder: Path,
    *,
    logo: Path | None = None,
    paper: str = "A4",
) -> list[Path]:
    """Write one `<invoice number>.pdf` per invoice into `folder`; returns the paths."""
    used: set[str] = set()
    return [
        save_pdf(invoice_pdf(doc, logo=logo, paper=paper), folder, doc.number, used)
        for doc in docs
    ]


def save_pdf(data: bytes, folder: Path, number: str, used: set[str]) -> Path:
    """Write `<folder>/<number>.pdf` (a safe name; `-2`, `-3` ... when `used`, the
    lower-case names written so far, already holds it) through a temporary file."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_filename(number)
    name, n = stem, 1
    while name.lower() in used:
        n += 1
        name = f"{stem}-{n}"
    used.add(name.lower())
    path = folder / f"{name}.pdf"
    tmp = path.with_suffix(".pdf.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def _meta(doc: InvoiceDoc, key: str, *, labelled: bool = False) -> str:
    for pair in doc.meta:
        if pair.key == key:
            return f"{pair.label}: {pair.text}" if labelled else pair.text
    return ""


def invoice_facts(doc: InvoiceDoc) -> InvoiceFacts:
    """Number, amounts, dates and parties of an InvoiceDoc, as printed on it."""
    return InvoiceFacts(
        number=doc.number,
        language=doc.language,
        period=_meta(doc, "period"),
        due_date=_meta(doc, "due_date"),
        amount_due=doc.total("balance").text,
        total=doc.total("total").text,
        terms=_meta(doc, "payment_terms", labelled=True),
        business_name=doc.business_name,
        business_email=doc.business_email,
        client_name=doc.client_name,
        client_contact=doc.client_contact,
        client_email=doc.client_email,
    )


def _view(doc: InvoiceDoc) -> _View:
    lines = _Table(
        title="",
        headings=doc.line_headers,
        rows=tuple(
            (line.description, line.quantity_text, line.unit_price_text, line.amount_text)
            for line in doc.lines
        ),
        widths=(0.52, 0.13, 0.17, 0.18),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )
    strong = {"total", "balance"}
    totals = tuple((t.label, t.text, t.key in strong) for t in doc.totals)
    statement = None
    if doc.statement:
        statement = _Table(
            title=doc.statement_title,
            headings=doc.statement_headers,
            rows=tuple((row.label, row.hours_text) for row in doc.statement),
            widths=(0.7, 0.3),
            align=("LEFT", "RIGHT"),
        )
    detail = None
    if doc.entries:
        detail = _Table(
            title=doc.entries_title,
            headings=doc.entry_headers,
            rows=tuple(
                (
                    e.day_text,
                    e.task,  # Timesheet Notes are the assistant's own: never printed
                    e.category,
                    e.worked_text,
                    e.billed_text,
                    e.rush_text,
                    e.billable_text,
                )[: len(doc.entry_headers)]
                for e in doc.entries
            ),
            widths=(0.13, 0.35, 0.16, 0.09, 0.09, 0.08, 0.10)[: len(doc.entry_headers)],
            align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "CENTER", "CENTER")[
                : len(doc.entry_headers)
            ],
        )
    return _View(
        language=doc.language,
        title=doc.title,
        number=doc.number,
        business_name=doc.business_name,
        # business[0] is the name when there is one; bill_to[0] always is
        business_lines=doc.business[1:] if doc.business_name else doc.business,
        bill_to_label=doc.bill_to_label,
        client_name=doc.client_name,
        client_lines=doc.bill_to[1:],
        meta=tuple((pair.label, pair.text) for pair in doc.meta),
        lines=lines,
        totals=totals,
        notes=doc.footer,
        statement=statement,
        detail=detail,
    )


# --------------------------------------------------------------------------- drawing


def _fpdf_class() -> type[FPDF]:
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingExtra("pdf", "fpdf2") from exc
    return FPDF


def _render(view: _View, *, logo: Path | None, paper: str) -> bytes:
    base = _fpdf_class()
    page_words = _PAGE_WORDS.get(view.language, _PAGE_WORDS["en"])
    footer_left = " · ".join(x for x in (view.business_name, view.number) if x)

    class _InvoicePDF(base):  # type: ignore[misc, valid-type]
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(_FONT, "", 7.5)
            self.set_text_color(*_MUTED)
            width = self.epw / 2
            self.cell(width, 5, _fit(self, footer_left, width - 2), align="L")
            self.cell(
                width, 5, page_words.format(n=self.page_no(), nb=self.alias_nb_pages_str),
                align="R",
            )

    fmt = "Letter" if str(paper).strip().lower() == "letter" else "A4"
    pdf = _InvoicePDF(orientation="portrait", unit="mm", format=fmt)
    pdf.alias_nb_pages_str = "{nb}"
    pdf.add_font(_FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(_FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(view.number)
    pdf.set_author(view.business_name)
    pdf.set_subject(view.title + (f" {view.number}" if view.number else ""))
    pdf.set_creator("vaxl")
    pdf.set_lang("vi" if view.language == "vi" else "en")
    pdf.set_text_color(*_INK)
    pdf.set_draw_color(*_RULE)
    pdf.add_page()

    _head(pdf, view, logo)
    _table(pdf, view.lines, size=9)
    has_statement = view.statement is not None and bool(view.statement.rows)
    # the totals and the payment terms stay together on one page
    needed = 7.0 * len(view.totals) + 6 + (0 if has_statement else _notes_height(pdf, view.notes))
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    _totals(pdf, view.totals)
    if view.statement is not None and has_statement:
        _table(pdf, view.statement, size=8.5, width=0.6)
    if pdf.get_y() + _notes_height(pdf, view.notes) > pdf.page_break_trigger:
        pdf.add_page()
    _notes(pdf, view.notes)
    if view.detail is not None and view.detail.rows:
        # the detail starts on a page of its own, unless the summary already
        # spilled a few lines onto a fresh page (no near-empty page in between)
        if pdf.page == 1 or pdf.get_y() > pdf.t_margin + 0.3 * pdf.eph:
            pdf.add_page()
        else:
            pdf.ln(4)
        _table(pdf, view.detail, size=7.5)
    return bytes(pdf.output())


def _head(pdf: FPDF, view: _View, logo: Path | None) -> None:
    top = pdf.get_y()
    left_w = pdf.epw * 0.55
    right_x = pdf.l_margin + pdf.epw * 0.58
    right_w = pdf.epw - (right_x - pdf.l_margin)

    # right column: title and the meta pairs (number, dates, terms ...)
    pdf.set_xy(right_x, top)
    pdf.set_font(_FONT, "B", 20)
    pdf.set_text_color(*_ACCENT)
    pdf.cell(right_w, 10, _fit(pdf, view.title, right_w), align="R",
             new_x="LEFT", new_y="NEXT")
    pdf.ln(2)
    pdf.set_text_color(*_INK)
    label_w = right_w * 0.45
    for label, value in view.meta:
        pdf.set_x(right_x)
        pdf.set_font(_FONT, "", 8.5)
        pdf.set_text_color(*_MUTED)
        pdf.cell(label_w, 5, _fit(pdf, label, label_w - 1), align="L")
        pdf.set_font(_FONT, "B", 8.5)
        pdf.set_text_color(*_INK)
        pdf.multi_cell(right_w - label_w, 5, _clip(value, 300), align="R",
                       new_x="LEFT", new_y="NEXT")
    right_bottom = pdf.get_y()

    # left column: logo, business name and details
    pdf.set_xy(pdf.l_margin, top)
    if logo is not None and _draw_logo(pdf, logo, top, left_w):
        pdf.set_xy(pdf.l_margin, pdf.get_y() + 3)
    pdf.set_font(_FONT, "B", 13)
    if view.business_name:
        pdf.multi_cell(left_w, 6, _clip(view.business_name, 300), align="L",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 8.5)
    pdf.set_text_color(*_MUTED)
    for line in view.business_lines:
        pdf.multi_cell(left_w, 4.2, _clip(line, 500), align="L",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)
    left_bottom = pdf.get_y()

    # bill-to block below both columns
    pdf.set_y(max(left_bottom, right_bottom) + 7)
    pdf.set_font(_FONT, "B", 7.5)
    pdf.set_text_color(*_ACCENT)
    pdf.cell(left_w, 4.5, view.bill_to_label.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*_INK)
    pdf.set_font(_FONT, "B", 10.5)
    if view.client_name:
        pdf.multi_cell(left_w, 5.2, _clip(view.client_name, 300), align="L",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 8.5)
    for line in view.client_lines:
        pdf.multi_cell(left_w, 4.2, _clip(line, 500), align="L",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.ln(7)


def _draw_logo(pdf: FPDF, logo: Path, top: float, max_w: float) -> bool:
    """Place the logo (at most 18 mm high); False, with a log line, when it cannot be read."""
    try:
        data = Path(logo).read_bytes()
        info = pdf.image(data, x=pdf.l_margin, y=top, h=18, keep_aspect_ratio=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable image is skipped, never fatal
        log.warning("logo %s skipped: %s", logo, exc)
        return False
    width = float(getattr(info, "rendered_width", 0) or 0)
    if width > max_w:  # a very wide logo: the image is already placed; keep going below it
        log.info("logo %s is wider than the business block", logo)
    pdf.set_y(top + float(getattr(info, "rendered_height", 18) or 18))
    return True


def _table(pdf: FPDF, table: _Table, *, size: float, width: float = 1.0) -> None:
    from fpdf.fonts import FontFace

    if table.title:
        pdf.set_font(_FONT, "B", 10)
        pdf.set_text_color(*_ACCENT)
        pdf.cell(0, 7, _fit(pdf, table.title, pdf.epw), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*_INK)
    pdf.set_font(_FONT, "", size)
    heading = FontFace(family=_FONT, emphasis="BOLD", size_pt=size, color=_ACCENT,
                       fill_color=_SHADE)
    total_w = pdf.epw * width
    widths = tuple(w * total_w for w in table.widths)
    with pdf.table(
        width=total_w,
        col_widths=widths,
        align="LEFT",
        text_align=table.align,
        borders_layout="HORIZONTAL_LINES",
        headings_style=heading,
        line_height=size * 0.5,
        padding=(1.3, 1.5),
        repeat_headings=1,
        v_align="TOP",
    ) as out:
        out.row(list(table.headings))
        for row in table.rows:
            out.row([_clip(cell, 1000) for cell in row])
    pdf.ln(3)


def _totals(pdf: FPDF, totals: Sequence[tuple[str, str, bool]]) -> None:
    if not totals:
        return
    block_w = min(95.0, pdf.epw * 0.55)
    x = pdf.l_margin + pdf.epw - block_w
    label_w = block_w * 0.55
    for index, (label, value, strong) in enumerate(totals):
        last = index == len(totals) - 1
        pdf.set_x(x)
        pdf.set_font(_FONT, "B" if strong else "", 10.5 if last and strong else 9)
        fill = last and strong
        if fill:
            pdf.set_fill_color(*_SHADE)
            pdf.set_text_color(*_ACCENT)
        height = 7.5 if fill else 6
        pdf.cell(label_w, height, _fit(pdf, label, label_w - 2), align="L", fill=fill)
        pdf.cell(block_w - label_w, height, _fit(pdf, value, block_w - label_w - 2),
                 align="R", fill=fill, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(*_INK)
        if strong and not last:
            pdf.set_draw_color(*_RULE)
            pdf.line(x, pdf.get_y(), x + block_w, pdf.get_y())
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(6)


def _notes_height(pdf: FPDF, notes: Sequence[str]) -> float:
    pdf.set_font(_FONT, "", 8.5)
    height = 0.0
    for note in notes:
        if note:
            lines = pdf.multi_cell(0, 4.5, _clip(note, 2000), dry_run=True, output="LINES")
            height += 4.5 * len(lines) + 1
    return height


def _notes(pdf: FPDF, notes: Sequence[str]) -> None:
    for note in notes:
        if not note:
            continue
        pdf.set_font(_FONT, "", 8.5)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(0, 4.5, _clip(note, 2000), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.set_text_color(*_INK)


# --------------------------------------------------------------------------- text helpers


def _clip(text: Any, limit: int) -> str:
    """Text as one printable string, at most `limit` characters (with an ellipsis)."""
    value = "" if text is None else str(text)
    value = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", value).replace("\r\n", "\n")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """One line of text cut with an ellipsis to fit `width` in the current font."""
    value = " ".join(_clip(text, 400).split())
    if pdf.get_string_width(value) <= width:
        return value
    while value and pdf.get_string_width(value + "…") > width:
        value = value[:-1]
    return value + "…"
