"""`vaxl init`: a brand-new, ready-to-fill billing workbook.

The workbook has a friendly "Start here" tab, the Settings tab filled with
every default, and one empty Excel Table per input tab with the contract's
headers (English or Vietnamese), number formats, frozen headers and drop-downs.
The drop-down lists live on a hidden `_lists` tab.  It is written with
xlsxwriter: the file is new, so there is nothing in it to preserve.

    create_template(Path("book.xlsx"))            English
    create_template(Path("so-sach.xlsx"), "vi")   Vietnamese tabs and headers
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from vaxl.core.models import BILLING_MODELS, Settings
from vaxl.errors import WriteRefused
from vaxl.sheets.spec import INPUT_TABS, SETTINGS_KEYS, TABS, ColumnSpec, TabSpec

__all__ = [
    "CATEGORIES", "CATEGORIES_VI", "LISTS_TAB", "START_TAB", "create_template", "input_tab_name",
]

CATEGORIES: tuple[str, ...] = (
    "Admin", "Scheduling", "Correspondence", "Travel", "Bookkeeping", "Newsletter",
    "Proposals", "Customer Support", "Research", "Translation", "Medical Transcription",
    "Market Research", "Web Development",
)
# The same suggestions in Vietnamese (categories are free text: any spelling is a category).
CATEGORIES_VI: tuple[str, ...] = (
    "Hành chính", "Lên lịch", "Thư từ", "Đi lại", "Kế toán", "Bản tin", "Đề xuất",
    "Chăm sóc khách hàng", "Nghiên cứu", "Dịch thuật", "Ghi chép y khoa",
    "Nghiên cứu thị trường", "Phát triển web",
)
LISTS_TAB = "_lists"
START_TAB = {"en": "Start here", "vi": "Hướng dẫn"}
YES_NO = {"en": ("yes", "no"), "vi": ("có", "không")}
TIME_ROUNDING = (0, 5, 6, 10, 15, 30, 60)
CLIENT_ROWS = 500          # the Client ID drop-down reads Clients!A2:A501
VALIDATED_ROWS = {"Timesheet": 20000}
DEFAULT_VALIDATED_ROWS = 2000
BLANK_TABLE_ROWS = 20      # empty, banded rows that show where to type
PERCENT_FORMATS = {"tax_rate": "0.0##%", "commission_rate": "0.0##%"}  # 8.875%, 0.25%
TAB_COLORS = {
    "Settings": "#7F7F7F", "Clients": "#2F5597", "Rates": "#2F5597", "Timesheet": "#548235",
    "Blocks": "#BF8F00", "Closings": "#BF8F00", "Payments": "#C55A11",
}
TABLE_STYLE = "Table Style Medium 2"


def input_tab_name(tab: str, lang: str) -> str:
    """The name `vaxl init` gives an input tab (`Clients` or `Khách hàng`)."""
    spec = TABS[tab]
    return spec.vi if lang == "vi" else spec.name


def create_template(path: Path, lang: str = "en") -> Path:
    """Write a new, empty billing workbook at `path` and return the path.

    Never overwrites: an existing file raises WriteRefused and is left as it was.
    """
    path = Path(path)
    if lang not in ("en", "vi"):
        raise WriteRefused(f"Unknown language '{lang}'.", "Use en or vi.")
    if path.suffix.lower() != ".xlsx":
        raise WriteRefused(
            f"vaxl init writes .xlsx workbooks, not '{path.suffix or path.name}'.",
            "Choose a name ending in .xlsx.",
        )
    if path.exists():
        raise WriteRefused(f"{path.name} already exists.", "Choose another name or delete it.")
    if not path.parent.is_dir():
        raise WriteRefused(
            f"The folder {path.parent} does not exist.",
            "Create the folder first or choose another.",
        )
    data = _build(lang)
    try:
        with open(path, "xb") as handle:  # "x": fails rather than overwrite a file made meanwhile
            try:
                handle.write(data)
            except BaseException:
                handle.close()
                path.unlink(missing_ok=True)
                raise
    except FileExistsError as exc:
        raise WriteRefused(
            f"{path.name} already exists.", "Choose another name or delete it."
        ) from exc
    except OSError as exc:
        raise WriteRefused(
            f"Could not create {path.name}: {exc.strerror or exc}.",
            "Check that the folder is writable and the disk is not full.",
        ) from exc
    return path


def _build(lang: str) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({
        "title": "Billing workbook" if lang == "en" else "Sổ theo dõi thanh toán",
        "subject": "vaxl billing workbook",
        "comments": "Created by vaxl init",
    })
    fmt = _Formats(workbook, lang)
    start = workbook.add_worksheet(START_TAB[lang])
    lists = _Lists(lang)
    for tab in INPUT_TABS:
        sheet = workbook.add_worksheet(input_tab_name(tab, lang))
        sheet.set_tab_color(TAB_COLORS[tab])
        if tab == "Settings":
            _settings_tab(sheet, fmt, lists, lang)
        else:
            _input_tab(sheet, TABS[tab], fmt, lists, lang)
    clients = _quote(input_tab_name("Clients", lang))
    workbook.define_name("ClientIDs", f"={clients}!$A$2:$A${CLIENT_ROWS + 1}")
    _lists_tab(workbook.add_worksheet(LISTS_TAB), lists, fmt)
    _start_tab(start, fmt, lang)
    start.activate()
    workbook.close()
    return buffer.getvalue()


def _quote(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


# ----------------------------------------------------------------------------- formats


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, workbook: Workbook, lang: str) -> None:
        add = workbook.add_format
        money = "#,##0" if lang == "vi" else "#,##0.00"
        self.money = add({"num_format": money})
        self.date = add({"num_format": "yyyy-mm-dd", "align": "left"})
        self.hours = add({"num_format": "0.00"})
        self.time = add({"num_format": "hh:mm"})
        self.int = add({"num_format": "0"})
        self.text = add({"num_format": "@"})
        self.plain = add({})
        self.percent = add({"num_format": "0%"})
        self.setting_percent = add({"num_format": "0%", "align": "left"})
        self.setting_int = add({"num_format": "0", "align": "left"})
        self.percent_fine = add({"num_format": PERCENT_FORMATS["tax_rate"]})
        self.title = add({"bold": True, "font_size": 20, "font_color": "#1F3864"})
        self.subtitle = add({"italic": True, "font_color": "#595959", "text_wrap": True,
                             "valign": "top"})
        self.heading = add({"bold": True, "font_size": 13, "font_color": "#FFFFFF",
                            "bg_color": "#2F5597", "valign": "vcenter"})
        self.label = add({"bold": True, "valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.code = add({"font_name": "Consolas", "bg_color": "#F2F2F2", "valign": "top",
                         "border": 1, "border_color": "#D9D9D9"})
        self.link = add({"font_color": "#0563C1", "underline": 1, "bold": True, "valign": "top"})
        self.example_head = add({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                 "border_color": "#9BC2E6"})
        self.example = add({"border": 1, "border_color": "#BFBFBF", "font_color": "#404040"})
        self.list_head = add({"bold": True})
        # Table styles do not survive every app (LibreOffice, Google Sheets): say it plainly too.
        self.table_head = add({"bold": True, "font_color": "#FFFFFF", "bg_color": "#4472C4",
                               "text_wrap": True, "valign": "vcenter"})

    def for_column(self, col: ColumnSpec) -> Any:
        if col.kind == "money":
            return self.money
        if col.kind == "date":
            return self.date
        if col.kind == "hours":
            return self.hours
        if col.kind == "time":
            return self.time
        if col.kind == "int":
            return self.int
        if col.kind == "percent":
            return self.percent_fine if col.field in PERCENT_FORMATS else self.percent
        if col.kind == "id" or col.field in ("currency", "invoice_no", "reference", "phone"):
            return self.text
        return self.plain


# ----------------------------------------------------------------------------- lists


@dataclass
class _Lists:
    """The drop-down lists, each a column of the hidden `_lists` tab."""

    lang: str

    def columns(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            ("Billing", BILLING_MODELS),
            ("Category", CATEGORIES_VI if self.lang == "vi" else CATEGORIES),
            ("Yes/No", YES_NO[self.lang]),
            ("Time Rounding", TIME_ROUNDING),
            ("Rounding Mode", ("up", "nearest")),
            ("Date Order", ("DMY", "MDY")),
            ("Language", ("en", "vi")),
            ("Paper Size", ("A4", "Letter")),
        ]

    def source(self, name: str) -> str:
        for index, (title, values) in enumerate(self.columns()):
            if title == name:
                letter = chr(ord("A") + index)
                return f"={_quote(LISTS_TAB)}!${letter}$2:${letter}${len(values) + 1}"
        raise KeyError(name)


def _lists_tab(sheet: Worksheet, lists: _Lists, fmt: _Formats) -> None:
    for col, (title, values) in enumerate(lists.columns()):
        sheet.write_string(0, col, title, fmt.list_head)
        for row, value in enumerate(values, start=1):
            sheet.write(row, col, value)
        sheet.set_column(col, col, max(12, len(title) + 2))
    sheet.hide()


# ----------------------------------------------------------------------------- text


_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Your billing workbook",
        "intro": (
            "Keep your clients and your time in this workbook; vaxl turns them into invoices, "
            "a register of what is owed and a monthly report. vaxl only adds tabs of its own: "
            "it never changes the tabs you type in, nor any tab of yours."
        ),
        "tabs_head": "What each tab is for",
        "tabs": {
            "Settings": "Your business details and defaults: currency, invoice numbers, "
                        "rush surcharge, time rounding, payment terms.",
            "Clients": "One row per client: a short Client ID (e.g. ACME), name, contact "
                       "details and how you bill them.",
            "Rates": "Optional special rates for one kind of work (e.g. Translation at 60 an "
                     "hour), for one client or, with Client ID empty, for every client.",
            "Timesheet": "One row per piece of work: date, client, task, category, hours. "
                         "Rush = yes adds the rush surcharge; Billable = no logs time "
                         "without billing it.",
            "Blocks": "Prepaid blocks of hours a client bought. Amount empty means Hours x "
                      "Rate; Expires empty means never.",
            "Closings": "Closed deals of clients who pay you commission, with the sale "
                        "price (or a Commission that overrides their terms).",
            "Payments": "Money received. With an Invoice No it pays that invoice; without "
                        "one it pays the client's oldest open invoice.",
        },
        "commands_head": "Commands",
        "commands": [
            ("vaxl validate book.xlsx",
             "Checks every tab and lists each problem on a Validation tab: the tab, the "
             "cell and how to fix it."),
            ("vaxl run book.xlsx --month 2026-11",
             "Makes November 2026's invoices (one tab each), the Invoices register, the "
             "retainer ledger and the month's report."),
        ],
        "billing_head": "Billing models (the Billing column of Clients)",
        "billing": {
            "hourly": "Billable hours x Rate, one invoice line per category and rate.",
            "retainer": "A fixed Retainer Fee each month for Retainer Hours; hours beyond "
                        "them at Overage Rate; unused hours roll over for Rollover Months.",
            "block": "The client buys blocks of hours in advance (Blocks tab); work draws "
                     "them down, oldest block first.",
            "commission": "You earn per closed deal (Closings tab): a fixed Commission per "
                          "Closing, or a Commission Rate of the sale price.",
        },
        "tips_head": "Good to know",
        "tips": [
            "Hours: decimal hours (1.5) or h:mm (1:30); or leave Hours empty and fill Start "
            "and End.",
            "Dates: real dates, or text like 2026-11-03. For 03/11/2026 set Date Order in "
            "Settings.",
            "Categories: pick one from the drop-down or type your own.",
            "Assistant: an agency names who did each piece of work, and the 24-hours-a-day "
            "check then counts each assistant's own day. Working alone? Leave it empty.",
            "Your own columns and tabs are welcome: vaxl leaves them alone.",
        ],
        "example_head": "Example: three Timesheet rows",
        "example": [
            (date(2026, 11, 3), "ACME", "Weekly newsletter", "Newsletter", 1.5, "no", "yes", ""),
            (date(2026, 11, 4), "ACME", "Translate trade-fair brochure", "Translation", "2:15",
             "yes", "yes", "needed the same day"),
            (date(2026, 11, 5), "BOLT", "Inbox clean-up", "Admin", 0.75, "", "",
             ""),
        ],
        "example_note": "Rush and Billable may stay empty: Rush means no, Billable means yes.",
        "lists_prompt": "Choose from the list",
    },
    "vi": {
        "title": "Sổ theo dõi thanh toán của bạn",
        "intro": (
            "Ghi khách hàng và thời gian làm việc vào sổ này; vaxl sẽ lập hóa đơn, sổ theo "
            "dõi công nợ và báo cáo hằng tháng. vaxl chỉ thêm các trang tính của riêng nó, "
            "không bao giờ sửa các trang tính bạn nhập liệu hay trang tính riêng của bạn."
        ),
        "tabs_head": "Mỗi trang tính dùng để làm gì",
        "tabs": {
            "Settings": "Thông tin doanh nghiệp và các giá trị mặc định: tiền tệ, số hóa đơn, "
                        "phụ phí gấp, làm tròn thời gian, hạn thanh toán.",
            "Clients": "Mỗi khách hàng một dòng: mã khách hàng ngắn (ví dụ ACME), tên, thông "
                       "tin liên hệ và hình thức tính phí.",
            "Rates": "Đơn giá riêng (không bắt buộc) cho một loại công việc (ví dụ Dịch thuật "
                     "400.000/giờ), cho một khách hàng hoặc, khi để trống mã, cho mọi khách hàng.",
            "Timesheet": "Mỗi công việc một dòng: ngày, khách hàng, công việc, loại công việc, "
                         "số giờ. Gấp = có thì cộng phụ phí gấp; Tính phí = không thì chỉ ghi "
                         "nhận thời gian.",
            "Blocks": "Các gói giờ khách hàng trả trước. Để trống Số tiền nghĩa là Số giờ x "
                      "Đơn giá; để trống Ngày hết hạn nghĩa là không hết hạn.",
            "Closings": "Các giao dịch đã chốt của khách hàng trả hoa hồng, kèm giá bán "
                        "(hoặc Hoa hồng ghi đè điều khoản).",
            "Payments": "Tiền đã nhận. Có Số hóa đơn thì trả cho hóa đơn đó; không có thì trả "
                        "cho hóa đơn còn nợ cũ nhất của khách hàng.",
        },
        "commands_head": "Lệnh",
        "commands": [
            ("vaxl validate so-sach.xlsx",
             "Kiểm tra mọi trang tính và liệt kê từng lỗi trên trang Validation: trang tính, "
             "ô và cách sửa."),
            ("vaxl run so-sach.xlsx --month 2026-11",
             "Lập hóa đơn tháng 11/2026 (mỗi hóa đơn một trang tính), sổ hóa đơn, sổ giờ trọn "
             "gói và báo cáo tháng."),
        ],
        "billing_head": "Hình thức tính phí (cột Hình thức của trang Khách hàng)",
        "billing": {
            "hourly": "Theo giờ: số giờ tính phí x Đơn giá, mỗi loại công việc một dòng.",
            "retainer": "Trọn gói: Phí trọn gói cố định mỗi tháng cho Số giờ trọn gói; giờ "
                        "vượt tính theo Đơn giá vượt mức; giờ chưa dùng được chuyển tiếp.",
            "block": "Gói giờ: khách mua trước các gói giờ (trang Gói giờ); công việc trừ dần "
                     "vào gói cũ nhất trước.",
            "commission": "Hoa hồng: tính theo mỗi giao dịch (trang Giao dịch): số tiền cố "
                          "định mỗi giao dịch hoặc tỷ lệ phần trăm giá bán.",
        },
        "tips_head": "Lưu ý",
        "tips": [
            "Số giờ: số thập phân (1,5) hoặc h:mm (1:30); hoặc để trống và điền Bắt đầu, "
            "Kết thúc.",
            "Ngày: ô ngày thật, hoặc văn bản như 2026-11-03 hay 25/10/2026 (Thứ tự ngày DMY "
            "trong Cài đặt).",
            "Loại công việc: chọn trong danh sách hoặc tự gõ.",
            "Trợ lý: công ty có nhiều trợ lý ghi tên người làm từng việc, và phép kiểm tra "
            "24 giờ một ngày sẽ tính riêng ngày làm việc của mỗi người. Làm một mình? Để "
            "trống.",
            "Cột và trang tính riêng của bạn được giữ nguyên: vaxl không đụng đến.",
        ],
        "example_head": "Ví dụ: ba dòng Bảng chấm công",
        "example": [
            (date(2026, 11, 3), "ACME", "Bản tin hằng tuần", "Bản tin", 1.5, "không", "có",
             ""),
            (date(2026, 11, 4), "ACME", "Dịch tài liệu hội chợ", "Dịch thuật", "2:15", "có",
             "có", "cần trong ngày"),
            (date(2026, 11, 5), "BOLT", "Dọn hộp thư", "Hành chính", 0.75, "", "", ""),
        ],
        "example_note": "Gấp và Tính phí có thể để trống: Gấp là không, Tính phí là có.",
        "lists_prompt": "Chọn trong danh sách",
    },
}

_PROMPTS: dict[str, dict[str, str]] = {
    "en": {
        "billing": "hourly, retainer, block or commission",
        "category": "Pick a category or type your own",
        "yesno": "yes or no",
        "client_id": "A Client ID from the Clients tab",
        "client_id_unique": "A short unique code, e.g. ACME",
        "hours": "Decimal hours (1.5) or h:mm (1:30)",
        "date": "A date, e.g. 2026-11-03",
        "percent": "A percentage, e.g. 50%",
        "money": "An amount, e.g. 40",
        "int": "A whole number",
        "time": "A time of day, e.g. 09:30",
        "assistant": "Who did the work (agencies). Working alone? Leave it empty.",
        "currency": "A 3-letter currency code, e.g. USD, EUR, VND",
        "bad_client": "This Client ID is not on the Clients tab yet.",
        "dup_client": "This Client ID is already used on another row.",
        "bad_value": "vaxl will not be able to read this value.",
    },
    "vi": {
        "billing": "hourly (theo giờ), retainer (trọn gói), block (gói giờ) hoặc commission "
                   "(hoa hồng)",
        "category": "Chọn loại công việc hoặc tự gõ",
        "yesno": "có hoặc không",
        "client_id": "Mã khách hàng có trong trang Khách hàng",
        "client_id_unique": "Mã ngắn, không trùng, ví dụ ACME",
        "hours": "Số giờ thập phân (1,5) hoặc h:mm (1:30)",
        "date": "Một ngày, ví dụ 2026-11-03",
        "percent": "Tỷ lệ phần trăm, ví dụ 50%",
        "money": "Số tiền, ví dụ 200000",
        "int": "Số nguyên",
        "time": "Giờ trong ngày, ví dụ 09:30",
        "assistant": "Người làm công việc (khi có nhiều trợ lý). Làm một mình? Để trống.",
        "currency": "Mã tiền tệ 3 chữ cái, ví dụ VND, USD",
        "bad_client": "Mã khách hàng này chưa có trong trang Khách hàng.",
        "dup_client": "Mã khách hàng này đã dùng ở dòng khác.",
        "bad_value": "vaxl sẽ không đọc được giá trị này.",
    },
}


# ----------------------------------------------------------------------------- tabs


def _fit(sheet: Worksheet, row: int, chars: int) -> None:
    """Tall enough for wrapped text in the merged C:I (about 100 characters a line)."""
    lines = max(1, -(-chars // 100))
    sheet.set_row(row, 15 * lines + 4)


_LAST = 8  # the Start here tab's text spans columns C:I, as wide as the example


def _start_tab(sheet: Worksheet, fmt: _Formats, lang: str) -> None:
    text = _TEXT[lang]
    sheet.hide_gridlines(2)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_column(0, 0, 2)
    for col, width in enumerate((40, 13, 30, 18, 8, 8, 10, 24), start=1):
        sheet.set_column(col, col, width)
    sheet.set_tab_color("#1F3864")
    sheet.set_row(0, 32)
    sheet.write_string(0, 1, text["title"], fmt.title)
    sheet.merge_range(1, 1, 1, _LAST, text["intro"], fmt.subtitle)
    sheet.set_row(1, 48)
    row = 3

    sheet.merge_range(row, 1, row, _LAST, text["tabs_head"], fmt.heading)
    row += 1
    for tab in INPUT_TABS:
        name = input_tab_name(tab, lang)
        sheet.write_url(row, 1, f"internal:{_quote(name)}!A1", fmt.link, string=name)
        sheet.merge_range(row, 2, row, _LAST, text["tabs"][tab], fmt.wrap)
        _fit(sheet, row, len(text["tabs"][tab]))
        row += 1
    row += 1

    sheet.merge_range(row, 1, row, _LAST, text["commands_head"], fmt.heading)
    row += 1
    for command, meaning in text["commands"]:
        sheet.write_string(row, 1, command, fmt.code)
        sheet.merge_range(row, 2, row, _LAST, meaning, fmt.wrap)
        _fit(sheet, row, len(meaning))
        row += 1
    row += 1

    sheet.merge_range(row, 1, row, _LAST, text["billing_head"], fmt.heading)
    row += 1
    for model in BILLING_MODELS:
        sheet.write_string(row, 1, model, fmt.label)
        sheet.merge_range(row, 2, row, _LAST, text["billing"][model], fmt.wrap)
        _fit(sheet, row, len(text["billing"][model]))
        row += 1
    row += 1

    sheet.merge_range(row, 1, row, _LAST, text["tips_head"], fmt.heading)
    row += 1
    for tip in text["tips"]:
        sheet.write_string(row, 1, "•", fmt.label)
        sheet.merge_range(row, 2, row, _LAST, tip, fmt.wrap)
        _fit(sheet, row, len(tip))
        row += 1
    row += 1

    sheet.merge_range(row, 1, row, _LAST, text["example_head"], fmt.heading)
    row += 1
    columns = TABS["Timesheet"].columns[:8]
    for col, spec in enumerate(columns, start=1):
        sheet.write_string(row, col, spec.vi if lang == "vi" else spec.en, fmt.example_head)
    row += 1
    for values in text["example"]:
        for col, value in enumerate(values, start=1):
            if isinstance(value, date):
                sheet.write_string(row, col, value.isoformat(), fmt.example)
            elif isinstance(value, float):
                sheet.write_number(row, col, value, fmt.example)
            else:
                sheet.write_string(row, col, value, fmt.example)
        row += 1
    sheet.merge_range(row, 1, row, _LAST, text["example_note"], fmt.subtitle)


def _settings_tab(sheet: Worksheet, fmt: _Formats, lists: _Lists, lang: str) -> None:
    spec = TABS["Settings"]
    defaults = Settings()
    if lang == "vi":
        defaults = defaults.model_copy(update={"currency": "VND", "language": "vi",
                                               "date_order": "DMY"})
    rows = list(SETTINGS_KEYS.items())
    headers = [c.vi if lang == "vi" else c.en for c in spec.columns]
    sheet.add_table(0, 0, len(rows), 1, {
        "name": "tblSettings",
        "style": TABLE_STYLE,
        "columns": [{"header": h, "header_format": fmt.table_head} for h in headers],
        "autofilter": False,
    })
    choices = {
        "time_rounding": "Time Rounding", "rounding_mode": "Rounding Mode",
        "date_order": "Date Order", "language": "Language", "paper": "Paper Size",
    }
    prompts = _PROMPTS[lang]
    for row, (field, (key_en, key_vi)) in enumerate(rows, start=1):
        sheet.write_string(row, 0, key_vi if lang == "vi" else key_en)
        value = getattr(defaults, field)
        cell_format = fmt.plain
        if field in ("rush_surcharge", "low_balance_alert"):
            cell_format = fmt.setting_percent
        elif field in ("time_rounding", "payment_terms"):
            cell_format = fmt.setting_int
        if value is None or value == "":
            sheet.write_blank(row, 1, None, cell_format)
        elif isinstance(value, Decimal):
            sheet.write_number(row, 1, float(value), cell_format)
        elif isinstance(value, int):
            sheet.write_number(row, 1, value, cell_format)
        else:
            sheet.write_string(row, 1, str(value), cell_format)
        if field in choices:
            sheet.data_validation(row, 1, row, 1, {
                "validate": "list", "source": lists.source(choices[field]),
                "input_title": key_vi if lang == "vi" else key_en,
                "input_message": _TEXT[lang]["lists_prompt"],
                "error_message": prompts["bad_value"],
            })
        elif field in ("rush_surcharge", "low_balance_alert"):
            sheet.data_validation(row, 1, row, 1, {
                "validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
                "input_message": prompts["percent"], "error_message": prompts["bad_value"],
            })
        elif field == "payment_terms":
            sheet.data_validation(row, 1, row, 1, {
                "validate": "integer", "criteria": ">=", "value": 0, "error_type": "warning",
                "input_message": prompts["int"], "error_message": prompts["bad_value"],
            })
        elif field == "currency":
            sheet.data_validation(row, 1, row, 1, {
                "validate": "length", "criteria": "==", "value": 3, "error_type": "warning",
                "input_message": prompts["currency"], "error_message": prompts["bad_value"],
            })
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 34)
    sheet.freeze_panes(1, 0)


def _width(col: ColumnSpec, header: str) -> int:
    base = {"date": 12, "hours": 9, "time": 9, "yesno": 9, "percent": 11, "money": 12,
            "int": 10, "id": 12, "choice": 12}.get(col.kind, 16)
    wide = {"task": 40, "notes": 30, "note": 30, "name": 28, "address": 34, "email": 28,
            "contact": 20, "reference": 22, "category": 22, "phone": 16, "assistant": 18}
    return max(base, wide.get(col.field, 0), len(header) + 3)


def _input_tab(sheet: Worksheet, spec: TabSpec, fmt: _Formats, lists: _Lists, lang: str) -> None:
    headers = [c.vi if lang == "vi" else c.en for c in spec.columns]
    sheet.add_table(0, 0, BLANK_TABLE_ROWS, len(spec.columns) - 1, {
        "name": f"tbl{spec.name}",
        "style": TABLE_STYLE,
        "columns": [
            {"header": h, "header_format": fmt.table_head, "format": fmt.for_column(c)}
            for h, c in zip(headers, spec.columns, strict=True)
        ],
    })
    last = VALIDATED_ROWS.get(spec.name, DEFAULT_VALIDATED_ROWS)
    prompts = _PROMPTS[lang]
    for index, (col, header) in enumerate(zip(spec.columns, headers, strict=True)):
        sheet.set_column(index, index, _width(col, header), fmt.for_column(col))
        rule = _validation(spec.name, col, lists, prompts, index)
        if rule is not None:
            rule.setdefault("input_title", header[:32])
            sheet.data_validation(1, index, last, index, rule)
    sheet.freeze_panes(1, 1 if spec.name == "Clients" else 0)


def _validation(
    tab: str, col: ColumnSpec, lists: _Lists, prompts: dict[str, str], index: int
) -> dict[str, Any] | None:
    bad = prompts["bad_value"]
    if col.field == "client_id" and tab == "Clients":
        letter = chr(ord("A") + index)
        return {
            "validate": "custom",
            "value": f"=COUNTIF(${letter}$2:${letter}${CLIENT_ROWS + 1},{letter}2)<=1",
            "error_type": "warning", "input_message": prompts["client_id_unique"],
            "error_message": prompts["dup_client"],
        }
    if col.field == "client_id":
        return {
            "validate": "list", "source": "=ClientIDs", "error_type": "warning",
            "input_message": prompts["client_id"], "error_message": prompts["bad_client"],
        }
    if col.field == "billing":
        return {"validate": "list", "source": lists.source("Billing"),
                "input_message": prompts["billing"], "error_message": prompts["billing"]}
    if col.field == "category":
        return {"validate": "list", "source": lists.source("Category"),
                "error_type": "information", "input_message": prompts["category"],
                "error_message": prompts["category"]}
    if col.kind == "yesno":
        return {"validate": "list", "source": lists.source("Yes/No"), "error_type": "warning",
                "input_message": prompts["yesno"], "error_message": bad}
    if col.field == "time_rounding":
        return {"validate": "list", "source": lists.source("Time Rounding"),
                "error_type": "warning", "input_message": prompts["int"], "error_message": bad}
    if col.kind == "date":
        return {"validate": "date", "criteria": "between", "minimum": date(2000, 1, 1),
                "maximum": date(2099, 12, 31), "error_type": "warning",
                "input_message": prompts["date"], "error_message": bad}
    if col.kind == "time":
        return {"validate": "time", "criteria": "between", "minimum": time(0, 0),
                "maximum": time(23, 59, 59), "error_type": "warning",
                "input_message": prompts["time"], "error_message": bad}
    if col.kind == "hours":
        return {"validate": "any", "input_message": prompts["hours"]}
    if col.field == "assistant":
        return {"validate": "any", "input_message": prompts["assistant"]}
    if col.kind in ("money", "percent"):
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "warning",
                "input_message": prompts[col.kind], "error_message": bad}
    if col.kind == "int":
        return {"validate": "integer", "criteria": ">=", "value": 0, "error_type": "warning",
                "input_message": prompts["int"], "error_message": bad}
    if col.field == "currency":
        return {"validate": "length", "criteria": "==", "value": 3, "error_type": "warning",
                "input_message": prompts["currency"], "error_message": bad}
    return None
