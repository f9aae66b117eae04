"""Realistic sample workbooks of a virtual assistant, built deterministically.

`build_sample(path, lang)` writes the same bytes every time: the data comes
from a seeded random generator and fixed tables below, never from the clock,
and the file's creation date is fixed.  `sample_workbooks/build.py` writes the
committed copies; `vaxl demo` builds one and runs it for SAMPLE_MONTH.

English (`en`): "Bright Desk Virtual Assistance", ten clients in USD and EUR
covering every billing model, three months of timesheet (2026-09 .. 2026-11).
Vietnamese (`vi`): "Trợ Lý Ảo Minh An", six clients in VND, Vietnamese tabs,
headers and tasks, day-first text dates.

Every name, address, e-mail (example.com) and phone number (555-01xx, the
Berlin 030 23125 drama range) is fictional.

Payments are dated December 2026 and name the numbers November's invoices get
when November is the first month run (`vaxl run BOOK --month 2026-11
--issue-date 2026-12-01`): see `november_numbers`.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from vaxl.sheets.spec import SETTINGS_KEYS, TABS

__all__ = [
    "CREATED",
    "MONTHS",
    "SAMPLE_ISSUE_DATE",
    "SAMPLE_MONTH",
    "SAMPLE_TODAY",
    "build_sample",
    "november_numbers",
    "sample_bytes",
    "sample_data",
]

SAMPLE_MONTH = "2026-11"
SAMPLE_ISSUE_DATE = date(2026, 12, 1)
SAMPLE_TODAY = date(2026, 12, 10)
MONTHS: tuple[str, ...] = ("2026-09", "2026-10", "2026-11")
CREATED = datetime(2026, 12, 1, 9, 0, 0)
SEED = {"en": 20261101, "vi": 20261102}


def build_sample(path: Path, lang: str = "en") -> Path:
    """Write the `lang` sample workbook at `path` (replacing a file there) and return it."""
    path = Path(path)
    path.write_bytes(sample_bytes(lang))
    return path


def sample_bytes(lang: str = "en") -> bytes:
    """The sample workbook's bytes: the same on every call."""
    data = sample_data(lang)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({
        "title": data.title, "author": data.author, "created": CREATED,
        "comments": "vaxl sample workbook (fictional data)",
    })
    write_sample_data(workbook, data)
    workbook.close()
    return buffer.getvalue()


# ----------------------------------------------------------------------------- records


@dataclass
class Row:
    """One timesheet row as it will be written (cells already in their sheet form)."""

    day: date
    client: str
    task: str
    category: str
    hours: float | str | timedelta | None
    rush: str = ""
    billable: str = ""
    notes: str = ""
    start: time | None = None
    end: time | None = None
    extra: str = ""
    typed: str = ""  # the date as typed text, when the assistant typed it rather than a date cell


@dataclass
class Sample:
    """Everything one sample workbook holds, in sheet order and sheet form."""

    lang: str
    title: str
    author: str
    settings: list[tuple[str, Any]]
    clients: list[dict[str, Any]]
    client_extra: str
    rates: list[tuple[str, str, float, str]]
    rows: list[Row]
    timesheet_extra: str
    blocks: list[tuple[date, str, float, float | None, date | None, str]]
    closings: list[tuple[date, str, str, float, float | None]]
    payments: list[tuple[date, str, str, float, str]]
    notes_tab: str
    notes: list[tuple[str, str]] = field(default_factory=list)


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Plan:
    """Generated work for one client: hours per month, categories and rush entries."""

    client: str
    hours: tuple[float, float, float]
    categories: tuple[tuple[str, int], ...]
    rush: tuple[int, int, int] = (0, 0, 0)
    chunks: tuple[int, ...] = (30, 45, 60, 60, 75, 90, 120, 150)
    tasks: tuple[tuple[str, tuple[str, ...]], ...] = ()  # this client's own tasks per category


TASKS_EN: dict[str, tuple[str, ...]] = {
    "Admin": ("Inbox clean-up", "Update client files", "File receipts and invoices",
              "Organise shared drive", "Update CRM contacts"),
    "Scheduling": ("Calendar management", "Book appointments for next week",
                   "Coordinate team meeting", "Confirm client calls"),
    "Correspondence": ("Reply to customer emails", "Draft follow-up letters",
                       "Chase overdue invoices"),
    "Travel": ("Book flights and hotel for conference", "Plan client visit itinerary"),
    "Bookkeeping": ("Reconcile bank feed", "Enter receipts in accounting software",
                    "Prepare monthly P&L summary"),
    "Newsletter": ("Write monthly newsletter", "Schedule newsletter and social posts"),
    "Proposals": ("Format proposal template", "Proofread tender documents"),
    "Customer Support": ("Answer support tickets", "Live chat cover", "Handle order queries"),
    "Research": ("Research venues for workshop", "Compare supplier quotes",
                 "Find podcast guest candidates"),
    "Translation": ("Translate product sheet DE>EN", "Translate website copy",
                    "Translate customer FAQ"),
    "Medical Transcription": ("Transcribe dictation", "Transcribe treatment notes"),
    "Market Research": ("Competitor pricing survey", "Summarise customer interviews"),
    "Web Development": ("Update WordPress plugins and fix contact form", "Build landing page"),
}

TASKS_VI: dict[str, tuple[str, ...]] = {
    "Hành chính": ("Dọn dẹp hộp thư", "Cập nhật hồ sơ khách hàng", "Sắp xếp thư mục dùng chung"),
    "Lên lịch": ("Sắp xếp lịch hẹn tuần tới", "Đặt lịch họp nhóm", "Nhắc lịch hẹn khách"),
    "Thư từ": ("Trả lời email khách hàng", "Soạn thư cảm ơn đối tác", "Nhắc công nợ quá hạn"),
    "Chăm sóc khách hàng": ("Trả lời tin nhắn Zalo của khách", "Xử lý đơn đặt bàn",
                            "Giải đáp thắc mắc về dịch vụ"),
    "Bản tin": ("Viết bài đăng Facebook", "Lên lịch bài đăng mạng xã hội"),
    "Kế toán": ("Đối chiếu sao kê ngân hàng", "Nhập hóa đơn chứng từ", "Lập báo cáo thu chi tháng"),
    "Dịch thuật": ("Dịch hợp đồng Anh-Việt", "Dịch tài liệu giới thiệu sản phẩm",
                   "Dịch chương sách điện tử"),
    "Nghiên cứu": ("Tìm hiểu nhà cung cấp bao bì", "Khảo sát giá đối thủ"),
    "Phát triển web": ("Sửa biểu mẫu liên hệ trên website", "Cập nhật trang giới thiệu"),
}


def sample_data(lang: str = "en") -> Sample:
    """The sample's contents (deterministic)."""
    if lang == "en":
        return _english()
    if lang == "vi":
        return _vietnamese()
    raise ValueError(f"no sample in language {lang!r}")


def _english() -> Sample:
    rng = random.Random(SEED["en"])
    settings = [
        ("business_name", "Bright Desk Virtual Assistance"),
        ("business_address", "400 Example Avenue, Suite 12, Portland, OR 97201"),
        ("business_email", "billing@brightdesk.example.com"),
        ("tax_id", "00-1234567"),
        ("currency", "USD"),
        ("invoice_number", "BD-{YYYY}-{NNNN}"),
        ("rush_surcharge", 0.5),
        ("time_rounding", 0),
        ("rounding_mode", "up"),
        ("date_order", "MDY"),
        ("payment_terms", 14),
        ("language", "en"),
        ("low_balance_alert", 0.8),
        ("logo", None),
        ("paper", "Letter"),
        ("payment_instructions",
         "Bank transfer: Bright Desk LLC, Example Bank, account 000123456, routing 000000000"
         " | Or PayPal to billing@brightdesk.example.com, quoting the invoice number"),
    ]
    c = _client
    clients = [
        c("GREEN", "Greenfield Landscaping", "Tom Alvarez", "tom@greenfield.example.com",
          "(541) 555-0117", "22 Meadow Road, Eugene, OR 97401", "hourly", rate=20,
          time_rounding=15, extra="Facebook group"),
        c("HARBOR", "Harbor Lane Dental", "Dr. Priya Nair", "office@harborlane.example.com",
          "(503) 555-0142", "1800 Harbor Lane, Portland, OR 97209", "hourly", rate=35,
          payment_terms=30, extra="Referral: Summit Legal"),
        c("KEYS", "Keystone Realty Group", "Dana Brooks", "dana@keystone.example.com",
          "(503) 555-0178", "9 Market Square, Beaverton, OR 97005", "commission",
          commission_rate=0.0025, extra="Networking event"),
        c("LUMEN", "Lumen Sprachdienste GmbH", "Katrin Vogel", "k.vogel@lumen.example.com",
          "+49 30 23125417", "Beispielstraße 5, 10115 Berlin, Germany", "hourly", rate=40,
          currency="EUR", payment_terms=30, extra="Upwork"),
        c("MAPLE", "Maple Street Bakery", "Rosa Jimenez", "hello@maplestreet.example.com",
          "(503) 555-0131", "310 Maple Street, Portland, OR 97214", "block", rate=30,
          overage_rate=32, extra="Walk-in"),
        c("NOVA", "Nova Wellness Coaching", "Jordan Lee", "jordan@novawellness.example.com",
          "(212) 555-0199", "55 Example Plaza, New York, NY 10001", "hourly", rate=45,
          tax_rate=0.08875, extra="Instagram"),
        c("ORBIT", "Orbit Consulting LLC", "Sam Patel", "sam@orbitconsulting.example.com",
          "(503) 555-0164", "77 Orbit Way, Hillsboro, OR 97124", "retainer", rate=35,
          retainer_hours=10, retainer_fee=350, overage_rate=40, rush_surcharge=0.25,
          start_date=date(2026, 9, 1), extra="LinkedIn"),
        c("PIXEL", "Pixel & Pine Design Studio", "Mia Novak", "mia@pixelpine.example.com",
          "(971) 555-0123", "12 Pine Court, Portland, OR 97205", "hourly", rate=28,
          tax_rate=0.1, extra="Referral: Nova"),
        c("SUMMIT", "Summit Legal Group", "Alan Ward", "award@summitlegal.example.com",
          "(503) 555-0186", "1 Summit Tower, Portland, OR 97204", "retainer", rate=38,
          retainer_hours=20, retainer_fee=760, rollover_months=2, overage_rate=45,
          payment_terms=7, start_date=date(2026, 9, 1), extra="LinkedIn"),
        c("WILLOW", "Willow Creek Events", "Grace Kim", "grace@willowcreek.example.com",
          "(503) 555-0155", "4 Willow Creek Road, Salem, OR 97301", "hourly", rate=25,
          end_date=date(2026, 8, 31), active="no", extra="Paused until spring"),
    ]
    rates = [
        ("HARBOR", "Medical Transcription", 75, ""),
        ("LUMEN", "Translation", 60, ""),
        ("", "Web Development", 100, "no"),
        ("", "Market Research", 85, ""),
    ]
    plans = [
        Plan("GREEN", (7, 8, 6.5), (("Admin", 3), ("Scheduling", 2), ("Bookkeeping", 3),
                                     ("Correspondence", 1)),
             chunks=(20, 40, 50, 70, 80, 100)),
        Plan("HARBOR", (9, 10, 9.5), (("Scheduling", 4), ("Correspondence", 3),
                                       ("Medical Transcription", 3)), rush=(1, 0, 1),
             tasks=(("Scheduling", ("Reschedule patient recalls",
                                    "Confirm next week's appointments")),
                    ("Correspondence", ("Reply to patient emails",
                                        "Send treatment plan letters")))),
        Plan("KEYS", (8, 9, 10), (("Admin", 2), ("Scheduling", 3), ("Correspondence", 3)),
             tasks=(("Admin", ("Update MLS listing", "Prepare listing packet")),
                    ("Scheduling", ("Schedule showings", "Book inspection and appraisal")),
                    ("Correspondence", ("Transaction coordination emails",
                                        "Send closing checklist to buyers")))),
        Plan("LUMEN", (9, 8, 10), (("Translation", 5), ("Correspondence", 1)), rush=(0, 1, 0)),
        Plan("MAPLE", (7, 9, 8), (("Customer Support", 4), ("Newsletter", 2), ("Admin", 1)),
             rush=(0, 0, 1)),
        Plan("NOVA", (8, 9, 9), (("Newsletter", 3), ("Proposals", 2), ("Research", 2)),
             rush=(1, 1, 1)),
        Plan("ORBIT", (7.5, 10.5, 9), (("Admin", 3), ("Travel", 1), ("Research", 2)),
             rush=(0, 1, 0)),
        Plan("PIXEL", (7, 6, 7), (("Admin", 2), ("Customer Support", 2), ("Proposals", 2)),
             rush=(0, 1, 0)),
        Plan("SUMMIT", (14, 18, 17.5), (("Correspondence", 3), ("Scheduling", 2),
                                        ("Proposals", 2), ("Research", 1))),
    ]
    rows = _generate(rng, plans, TASKS_EN, ("yes", "yes", "Y", "x"), "same-day turnaround")
    rows += [
        Row(date(2026, 9, 8), "NOVA", "Competitor pricing survey", "Market Research", 2.0),
        Row(date(2026, 9, 2), "NOVA", "Intro call and onboarding checklist", "Admin", 0.75,
            billable="no", notes="free onboarding"),
        Row(date(2026, 10, 6), "HARBOR", "Front-desk phone cover", "Scheduling", None,
            start=time(9, 0), end=time(10, 30)),
        Row(date(2026, 10, 13), "ORBIT", "Summarise customer interviews", "Market Research",
            "1:30"),
        Row(date(2026, 10, 21), "SUMMIT", "Update WordPress plugins and fix contact form",
            "Web Development", 3.0, notes="billed separately"),
        Row(date(2026, 10, 27), "LUMEN", "Translate trade-fair flyer", "translation", 1.25),
        Row(date(2026, 11, 4), "SUMMIT", "- weekly check-in call", "Correspondence", 0.5),
        Row(date(2026, 11, 12), "harbor", "Transcribe dictation", "Medical Transcription",
            timedelta(hours=1, minutes=10)),
        Row(date(2026, 11, 18), "PIXEL", "Build landing page", "Web Development", None,
            start=time(14, 15), end=time(16, 45)),
        Row(date(2026, 11, 19), "PIXEL", "Fix typo in my own proposal draft", "Proposals", 0.5,
            billable="no", notes="my mistake, no charge"),
        Row(date(2026, 11, 20), "KEYS", "Offer paperwork for 418 Alder St", "Admin", None,
            start=time(22, 45), end=time(0, 30), notes="late-night offer"),
        Row(date(2026, 11, 24), "GREEN", "Reconcile bank feed", "Bookkeeping", "0:50",
            typed="11/24/2026"),
        Row(date(2026, 10, 14), "MAPLE", "Answer support tickets", "Customer Support", 1.0,
            typed="2026-10-14"),
    ]
    # A likely duplicate: the same work typed twice.
    twice = next(r for r in rows if r.client == "HARBOR" and r.day.month == 11)
    rows.append(Row(twice.day, twice.client, twice.task, twice.category, twice.hours))
    _text_dates(rng, rows, "mdy", 4)
    rows.sort(key=lambda r: (r.day, r.client.upper()))
    for row in rows:
        if row.day < date(2026, 11, 1):
            row.extra = "yes"
    blocks = [
        (date(2026, 9, 1), "MAPLE", 10, 285.0, date(2026, 9, 30), "September block (5% off)"),
        (date(2026, 10, 15), "MAPLE", 15, None, None, "Holiday season block"),
    ]
    closings = [
        (date(2026, 9, 25), "KEYS", "12 Birch Court, Tigard", 425000.0, None),
        (date(2026, 11, 6), "KEYS", "418 Alder Street, Portland", 389000.0, None),
        (date(2026, 11, 24), "KEYS", "77 Cedar Lane, Lake Oswego", 512000.0, 500.0),
    ]
    numbers = november_numbers(clients, rows, blocks, closings, settings)
    payments = [
        (date(2026, 12, 4), "ORBIT", numbers["ORBIT"], 350.0, "ACH"),
        (date(2026, 12, 7), "SUMMIT", numbers["SUMMIT"], 760.0, "Check #1042"),
        (date(2026, 12, 8), "KEYS", numbers["KEYS"], 1472.5, "Wire"),
        (date(2026, 12, 9), "NOVA", numbers["NOVA"], 300.0, "Partial, rest in January"),
        (date(2026, 12, 9), "LUMEN", "", 400.0, "SEPA transfer, no reference"),
    ]
    notes = [
        ("title", "My notes"),
        ("head", "Before year end"),
        ("item", "☐ Send 2027 rate letters (hourly +5%)"),
        ("item", "☐ Ask Maple Street about a third block"),
        ("item", "☑ Renew liability insurance"),
        ("head", "Ideas"),
        ("item", "Offer Orbit a 15 h retainer?"),
        ("item", "Quarterly estimated tax due Jan 15"),
        ("foot", "vaxl leaves this tab exactly as it is."),
    ]
    return Sample("en", "Bright Desk billing 2026", "Bright Desk Virtual Assistance", settings,
                  clients, "Referral source", rates, rows, "Invoice sent?", blocks, closings,
                  payments, "My notes", notes)


def _vietnamese() -> Sample:
    rng = random.Random(SEED["vi"])
    settings = [
        ("business_name", "Trợ Lý Ảo Minh An"),
        ("business_address", "12 Đường Ví Dụ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"),
        ("business_email", "lienhe@minhan.example.com"),
        ("tax_id", None),
        ("currency", "VND"),
        ("invoice_number", "HD-{YYYY}-{NNNN}"),
        ("rush_surcharge", 0.3),
        ("time_rounding", 0),
        ("rounding_mode", "up"),
        ("date_order", "DMY"),
        ("payment_terms", 7),
        ("language", "vi"),
        ("low_balance_alert", 0.8),
        ("logo", None),
        ("paper", "A4"),
        ("payment_instructions",
         "Chuyển khoản: Trợ Lý Ảo Minh An, Ngân hàng Ví Dụ, STK 0000000000"
         " | Nội dung: số hóa đơn"),
    ]
    c = _client
    clients = [
        c("BEPXANH", "Nhà hàng Bếp Xanh", "Chị Lê Thu Hà", "thuha@bepxanh.example.com", "",
          "45 Đường Mẫu, Quận 3, TP. Hồ Chí Minh", "hourly", rate=180000, currency="VND",
          extra="Facebook"),
        c("HOASEN", "Công ty TNHH Hoa Sen Ví Dụ", "Anh Trần Minh Khoa",
          "khoa.tran@hoasen.example.com", "", "88 Đường Thử Nghiệm, Quận 7, TP. Hồ Chí Minh",
          "retainer", rate=250000, currency="VND", retainer_hours=20, retainer_fee=5000000,
          rollover_months=1, overage_rate=280000, tax_rate=0.1, extra="Giới thiệu"),
        c("MOCMIEN", "Mộc Miên Spa", "Chị Phạm Ngọc Lan", "ngoclan@mocmien.example.com", "",
          "7 Hẻm Mẫu, Quận Bình Thạnh, TP. Hồ Chí Minh", "block", rate=200000, currency="VND",
          extra="Zalo"),
        c("NHADAT", "Môi giới nhà đất An Phú", "Anh Võ Quốc Bảo", "bao.vo@anphu.example.com",
          "", "120 Đường Ví Dụ, TP. Thủ Đức", "commission", currency="VND",
          commission_per_closing=3000000, extra="Hội nhóm BĐS"),
        c("SAOMAI", "Công ty CP Công nghệ Sao Mai", "Chị Đỗ Thảo Vy",
          "vy.do@saomai.example.com", "", "Tầng 5, 9 Đường Mẫu, Quận Cầu Giấy, Hà Nội",
          "hourly", rate=400000, currency="VND", tax_rate=0.08, extra="LinkedIn"),
        c("LINHDAN", "Nguyễn Linh Đan (tác giả sách)", "Cô Nguyễn Linh Đan",
          "linhdan@example.com", "", "Đà Nẵng", "hourly", rate=150000, currency="VND",
          extra="Bạn bè"),
    ]
    rates = [
        ("LINHDAN", "Dịch thuật", 350000, ""),
        ("", "Phát triển web", 400000, "không"),
    ]
    plans = [
        Plan("BEPXANH", (6, 7, 8), (("Chăm sóc khách hàng", 4), ("Bản tin", 3)),
             rush=(0, 1, 1)),
        Plan("HOASEN", (16, 19, 17), (("Hành chính", 2), ("Lên lịch", 2), ("Thư từ", 2),
                                      ("Kế toán", 3))),
        Plan("MOCMIEN", (5, 6, 6), (("Chăm sóc khách hàng", 3), ("Bản tin", 2)),
             rush=(0, 0, 1)),
        Plan("NHADAT", (5, 4, 6), (("Lên lịch", 3), ("Thư từ", 2), ("Hành chính", 1))),
        Plan("SAOMAI", (6, 5, 7), (("Nghiên cứu", 2), ("Thư từ", 2), ("Hành chính", 1)),
             rush=(1, 0, 1)),
        Plan("LINHDAN", (6, 7, 6), (("Dịch thuật", 4), ("Hành chính", 1))),
    ]
    rows = _generate(rng, plans, TASKS_VI, ("có", "có", "x"), "cần gấp trong ngày")
    rows += [
        Row(date(2026, 10, 8), "SAOMAI", "Sửa biểu mẫu liên hệ trên website", "Phát triển web",
            2.0),
        Row(date(2026, 11, 10), "HOASEN", "Họp giới thiệu quy trình mới", "Hành chính", "1,5"),
        Row(date(2026, 9, 3), "LINHDAN", "Gọi điện làm quen", "Hành chính", 0.5,
            billable="không", notes="miễn phí"),
        Row(date(2026, 11, 16), "BEPXANH", "Trực fanpage cuối tuần", "Chăm sóc khách hàng",
            None, start=time(19, 0), end=time(21, 30)),
    ]
    _text_dates(rng, rows, "dmy", 8)
    rows.sort(key=lambda r: (r.day, r.client.upper()))
    blocks = [
        (date(2026, 9, 5), "MOCMIEN", 10, 1800000.0, date(2026, 12, 31), "Gói 10 giờ ưu đãi"),
        (date(2026, 11, 2), "MOCMIEN", 10, None, None, "Gói 10 giờ"),
    ]
    closings = [
        (date(2026, 9, 18), "NHADAT", "Căn hộ 2PN, Thủ Đức", 2350000000.0, None),
        (date(2026, 11, 12), "NHADAT", "Nhà phố Quận 9", 6100000000.0, None),
        (date(2026, 11, 27), "NHADAT", "Đất nền Nhơn Trạch", 1800000000.0, 2000000.0),
    ]
    numbers = november_numbers(clients, rows, blocks, closings, settings)
    payments = [
        (date(2026, 12, 5), "HOASEN", numbers["HOASEN"], 5500000.0, "Chuyển khoản"),
        (date(2026, 12, 8), "NHADAT", numbers["NHADAT"], 5000000.0, "Chuyển khoản"),
        (date(2026, 12, 9), "BEPXANH", "", 1000000.0, "Tiền mặt, trả trước một phần"),
    ]
    notes = [
        ("title", "Ghi chú của tôi"),
        ("head", "Việc cần làm cuối năm"),
        ("item", "☐ Gửi bảng giá 2027 cho khách"),
        ("item", "☐ Hỏi Mộc Miên về gói giờ mới"),
        ("item", "☑ Gia hạn tên miền website"),
        ("foot", "vaxl giữ nguyên trang này."),
    ]
    return Sample("vi", "Sổ thanh toán Minh An 2026", "Trợ Lý Ảo Minh An", settings, clients,
                  "Nguồn khách", rates, rows, "Đã gửi hóa đơn?", blocks, closings, payments,
                  "Ghi chú riêng", notes)


def _client(cid: str, name: str, contact: str, email: str, phone: str, address: str,
            billing: str, *, extra: str = "", **terms: Any) -> dict[str, Any]:
    return {"client_id": cid, "name": name, "contact": contact, "email": email,
            "phone": phone, "address": address, "billing": billing,
            "currency": terms.pop("currency", "USD"), "extra": extra, **terms}


def _workdays(month: str) -> list[date]:
    year, mon = (int(p) for p in month.split("-"))
    day = date(year, mon, 1)
    days = []
    while day.month == mon:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _generate(rng: random.Random, plans: Sequence[Plan], tasks: dict[str, tuple[str, ...]],
              rush_words: Sequence[str], rush_note: str) -> list[Row]:
    rows: list[Row] = []
    seen: set[tuple[date, str, str, int]] = set()
    for plan in plans:
        for month, hours, rush_count in zip(MONTHS, plan.hours, plan.rush, strict=True):
            minutes = _split(rng, round(hours * 60), plan.chunks)
            days = _workdays(month)
            pool = {**tasks, **dict(plan.tasks)}
            cats = [c for c, _ in plan.categories]
            weights = [w for _, w in plan.categories]
            made = []
            for length in minutes:
                category = rng.choices(cats, weights)[0]
                task = rng.choice(pool[category])
                day = rng.choice(days)
                while (day, plan.client, task, length) in seen:  # no accidental duplicates
                    day = rng.choice(days)
                seen.add((day, plan.client, task, length))
                made.append(Row(day, plan.client, task, category, _hours_cell(rng, length)))
            for row in rng.sample(made, rush_count):
                row.rush = rng.choice(list(rush_words))
                row.notes = rush_note
            rows += made
    return rows


def _split(rng: random.Random, total: int, chunks: Iterable[int]) -> list[int]:
    options = sorted(chunks)
    parts: list[int] = []
    left = total
    while left > 0:
        fits = [c for c in options if c <= left]
        if not fits:
            if parts:
                parts[-1] += left
            else:
                parts.append(left)
            break
        part = rng.choice(fits)
        parts.append(part)
        left -= part
    return parts


def _hours_cell(rng: random.Random, minutes: int) -> float | str | timedelta:
    text = f"{minutes // 60}:{minutes % 60:02d}"
    pick = rng.random()
    if minutes % 15 == 0 and pick < 0.72:
        return minutes / 60
    if pick < 0.9:
        return text
    return timedelta(minutes=minutes)


def _text_dates(rng: random.Random, rows: list[Row], order: str, count: int) -> None:
    """Turn a few date cells into typed text, as people paste or type them."""
    candidates = [r for r in rows if not r.typed]
    for row in rng.sample(candidates, count):
        day = row.day
        if order == "mdy":
            row.typed = f"{day.month:02d}/{day.day:02d}/{day.year}"
        else:
            row.typed = f"{day.day:02d}/{day.month:02d}/{day.year}"


def november_numbers(clients: Sequence[dict[str, Any]], rows: Sequence[Row],
                     blocks: Sequence[tuple[Any, ...]], closings: Sequence[tuple[Any, ...]],
                     settings: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """The invoice numbers November 2026's invoices get when November is the first run.

    New invoices are numbered in order of Client ID; a client gets one when it has
    anything to bill: a retainer month, a block bought, a closing, or billable work
    that no prepaid time covers (for block clients here: a rush surcharge).
    """
    pattern = dict(settings)["invoice_number"]
    billed = []
    for client in clients:
        cid = client["client_id"]
        if client.get("active") == "no":
            continue
        work = [r for r in rows if r.client.upper() == cid and r.day.strftime("%Y-%m")
                == SAMPLE_MONTH and r.billable not in ("no", "không")]
        kind = client["billing"]
        if (kind == "retainer"
                or (kind == "hourly" and work)
                or (kind == "block" and (any(b[0].strftime("%Y-%m") == SAMPLE_MONTH
                                             and b[1] == cid for b in blocks)
                                         or any(r.rush for r in work)))
                or (kind == "commission" and any(c[0].strftime("%Y-%m") == SAMPLE_MONTH
                                                 and c[1] == cid for c in closings))):
            billed.append(cid)
    digits = pattern.count("N")
    counter = "{" + "N" * digits + "}"
    return {cid: pattern.replace("{YYYY}", str(SAMPLE_ISSUE_DATE.year))
            .replace(counter, f"{n:0{digits}d}")
            for n, cid in enumerate(sorted(billed), start=1)}


# ----------------------------------------------------------------------------- writing


class _Fmt:
    def __init__(self, workbook: Workbook, lang: str) -> None:
        add = workbook.add_format
        self.lang = lang
        self.head = add({"bold": True, "font_color": "#FFFFFF", "bg_color": "#2F5597",
                         "border": 1, "text_wrap": True, "valign": "vcenter"})
        self.head_plain = add({"bold": True, "bottom": 2})
        self.date = add({"num_format": "m/d/yyyy" if lang == "en" else "dd/mm/yyyy",
                         "align": "left"})
        self.hours = add({"num_format": "0.00"})
        self.duration = add({"num_format": "[h]:mm"})
        self.clock = add({"num_format": "h:mm AM/PM" if lang == "en" else "hh:mm"})
        self.percent = add({"num_format": "0%"})
        self.percent_fine = add({"num_format": "0.0##%"})
        self.int = add({"num_format": "0"})
        self.text = add({})
        self.money: dict[str, Any] = {
            "USD": add({"num_format": '"$"#,##0.00'}),
            "EUR": add({"num_format": '#,##0.00 "€"'}),
            "VND": add({"num_format": '#,##0 "₫"'}),
        }
        self.title = add({"bold": True, "font_size": 16, "font_color": "#7030A0"})
        self.note_head = add({"bold": True, "bg_color": "#FFF2CC", "border": 1})
        self.note = add({"text_wrap": True, "font_color": "#404040"})


def _heads(tab: str, lang: str) -> list[str]:
    return [c.vi if lang == "vi" else c.en for c in TABS[tab].columns]


def _name(tab: str, lang: str) -> str:
    return TABS[tab].vi if lang == "vi" else TABS[tab].name


def write_sample_data(workbook: Workbook, data: Sample) -> None:
    fmt = _Fmt(workbook, data.lang)
    lang = data.lang
    _settings(workbook.add_worksheet(_name("Settings", lang)), data, fmt)
    _clients(workbook.add_worksheet(_name("Clients", lang)), data, fmt)
    _rates(workbook.add_worksheet(_name("Rates", lang)), data, fmt)
    _timesheet(workbook.add_worksheet(_name("Timesheet", lang)), data, fmt)
    currency = {c["client_id"]: c["currency"] for c in data.clients}
    sheet = workbook.add_worksheet(_name("Blocks", lang))
    _plain(sheet, _heads("Blocks", lang), fmt, [12, 12, 8, 14, 12, 28])
    for i, (day, cid, hours, amount, expires, ref) in enumerate(data.blocks, start=1):
        sheet.write_datetime(i, 0, day, fmt.date)
        sheet.write_string(i, 1, cid)
        sheet.write_number(i, 2, hours, fmt.hours)
        if amount is not None:
            sheet.write_number(i, 3, amount, fmt.money[currency[cid]])
        if expires is not None:
            sheet.write_datetime(i, 4, expires, fmt.date)
        sheet.write_string(i, 5, ref)
    sheet = workbook.add_worksheet(_name("Closings", lang))
    _plain(sheet, _heads("Closings", lang), fmt, [12, 12, 30, 16, 14])
    for i, (day, cid, ref, price, commission) in enumerate(data.closings, start=1):
        sheet.write_datetime(i, 0, day, fmt.date)
        sheet.write_string(i, 1, cid)
        sheet.write_string(i, 2, ref)
        sheet.write_number(i, 3, price, fmt.money[currency[cid]])
        if commission is not None:
            sheet.write_number(i, 4, commission, fmt.money[currency[cid]])
    sheet = workbook.add_worksheet(_name("Payments", lang))
    _plain(sheet, _heads("Payments", lang), fmt, [12, 12, 16, 14, 32])
    for i, (day, cid, number, amount, note) in enumerate(data.payments, start=1):
        sheet.write_datetime(i, 0, day, fmt.date)
        sheet.write_string(i, 1, cid)
        if number:
            sheet.write_string(i, 2, number)
        sheet.write_number(i, 3, amount, fmt.money[currency[cid]])
        sheet.write_string(i, 4, note)
    _notes(workbook.add_worksheet(data.notes_tab), data, fmt)
    workbook.worksheets()[3].activate()


def _plain(sheet: Worksheet, heads: list[str], fmt: _Fmt, widths: list[int]) -> None:
    for col, (head, width) in enumerate(zip(heads, widths, strict=True)):
        sheet.write_string(0, col, head, fmt.head_plain)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)


def _settings(sheet: Worksheet, data: Sample, fmt: _Fmt) -> None:
    _plain(sheet, _heads("Settings", data.lang), fmt, [30, 46])
    for row, (key, value) in enumerate(data.settings, start=1):
        en, vi = SETTINGS_KEYS[key]
        sheet.write_string(row, 0, vi if data.lang == "vi" else en)
        if value is None:
            continue
        if key in ("rush_surcharge", "low_balance_alert"):
            sheet.write_number(row, 1, value, fmt.percent)
        elif isinstance(value, int):
            sheet.write_number(row, 1, value, fmt.int)
        else:
            sheet.write_string(row, 1, value)


CLIENT_COLUMNS = {
    "en": [c.field for c in TABS["Clients"].columns],
    # A Vietnamese assistant who does not need every column simply leaves some out.
    "vi": ["client_id", "name", "contact", "email", "phone", "address", "billing", "rate",
           "currency", "retainer_hours", "retainer_fee", "rollover_months", "overage_rate",
           "commission_per_closing", "commission_rate", "tax_rate"],
}


def _clients(sheet: Worksheet, data: Sample, fmt: _Fmt) -> None:
    fields = CLIENT_COLUMNS[data.lang]
    spec = TABS["Clients"]
    heads = [spec.column(f).vi if data.lang == "vi" else spec.column(f).en for f in fields]
    heads.append(data.client_extra)
    for row, client in enumerate(data.clients, start=1):
        money = fmt.money[client["currency"]]
        for col, name in enumerate(fields):
            value = client.get(name)
            if value is None or value == "":
                continue
            kind = spec.column(name).kind
            if kind == "money":
                sheet.write_number(row, col, value, money)
            elif kind == "percent":
                sheet.write_number(row, col, value,
                                   fmt.percent if name == "rush_surcharge" else fmt.percent_fine)
            elif kind == "date":
                sheet.write_datetime(row, col, value, fmt.date)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value, fmt.int)
            else:
                sheet.write_string(row, col, str(value))
        sheet.write_string(row, len(fields), client["extra"])
    sheet.add_table(0, 0, len(data.clients), len(heads) - 1, {
        "name": "MyClients", "style": "Table Style Medium 9",
        "columns": [{"header": h, "header_format": fmt.head} for h in heads],
    })
    widths = {"client_id": 10, "name": 30, "contact": 20, "email": 32, "phone": 16,
              "address": 40, "billing": 12}
    for col, name in enumerate(fields):
        sheet.set_column(col, col, widths.get(name, 13))
    sheet.set_column(len(fields), len(fields), 22)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 1)


def _rates(sheet: Worksheet, data: Sample, fmt: _Fmt) -> None:
    _plain(sheet, _heads("Rates", data.lang), fmt, [12, 26, 12, 10])
    default = dict(data.settings)["currency"]
    currency = {c["client_id"]: c["currency"] for c in data.clients}
    for row, (cid, category, rate, prepaid) in enumerate(data.rates, start=1):
        if cid:
            sheet.write_string(row, 0, cid)
        sheet.write_string(row, 1, category)
        sheet.write_number(row, 2, rate, fmt.money[currency.get(cid, default)])
        if prepaid:
            sheet.write_string(row, 3, prepaid)


# The samples are a solo assistant's books: no Assistant column (an agency's extension).
SAMPLE_TIMESHEET_FIELDS = tuple(c.field for c in TABS["Timesheet"].columns
                                if c.field != "assistant")


def _timesheet(sheet: Worksheet, data: Sample, fmt: _Fmt) -> None:
    spec = TABS["Timesheet"]
    heads = [spec.column(f).vi if data.lang == "vi" else spec.column(f).en
             for f in SAMPLE_TIMESHEET_FIELDS]
    heads.append(data.timesheet_extra)
    for row, entry in enumerate(data.rows, start=1):
        if entry.typed:
            sheet.write_string(row, 0, entry.typed)
        else:
            sheet.write_datetime(row, 0, entry.day, fmt.date)
        sheet.write_string(row, 1, entry.client)
        sheet.write_string(row, 2, entry.task)
        if entry.category:
            sheet.write_string(row, 3, entry.category)
        if isinstance(entry.hours, float | int):
            sheet.write_number(row, 4, entry.hours, fmt.hours)
        elif isinstance(entry.hours, timedelta):
            sheet.write_datetime(row, 4, entry.hours, fmt.duration)
        elif entry.hours:
            sheet.write_string(row, 4, entry.hours)
        for col, text in ((5, entry.rush), (6, entry.billable), (7, entry.notes),
                          (10, entry.extra)):
            if text:
                sheet.write_string(row, col, text)
        if entry.start is not None and entry.end is not None:
            sheet.write_datetime(row, 8, entry.start, fmt.clock)
            sheet.write_datetime(row, 9, entry.end, fmt.clock)
    sheet.add_table(0, 0, len(data.rows), len(heads) - 1, {
        "name": "TimeLog", "style": "Table Style Light 9",
        "columns": [{"header": h, "header_format": fmt.head} for h in heads],
    })
    for col, width in enumerate((12, 11, 44, 22, 8, 7, 9, 26, 10, 10, 14)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)


def _notes(sheet: Worksheet, data: Sample, fmt: _Fmt) -> None:
    """The user's own tab: free layout, formatting and a merged cell vaxl must not touch."""
    sheet.set_tab_color("#7030A0")
    sheet.set_column(0, 0, 4)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 3, 12)
    styles = {"title": fmt.title, "head": fmt.note_head, "item": fmt.note}
    row = 0
    for kind, text in data.notes:
        if kind == "foot":
            sheet.merge_range(row + 1, 1, row + 1, 3, text, fmt.note_head)
        else:
            sheet.write_string(row, 1, text, styles[kind])
            row += 2 if kind == "title" else 1


def expected_results(lang: str = "en") -> dict[str, object]:
    """The sample's November run as the golden files pin it: every invoice figure and
    line, and each issue as (severity, tab, cell, code).  Runs on an in-memory copy."""
    import tempfile

    from vaxl.service import run_file

    with tempfile.TemporaryDirectory() as folder:
        path = build_sample(Path(folder) / f"assistant-{lang}.xlsx", lang=lang)
        outcome = run_file("run", path, today=SAMPLE_TODAY, period=SAMPLE_MONTH,
                           issue_date=SAMPLE_ISSUE_DATE)
    return golden_view(outcome.public())


def golden_view(payload: dict[str, Any]) -> dict[str, object]:
    """The part of a run's JSON that the golden files compare."""
    return {
        "period": payload["period"],
        "invoices": payload["invoices"],
        "issues": sorted(
            [i["severity"], i["tab"], i["cell"], i["code"]] for i in payload["issues"]
        ),
    }
