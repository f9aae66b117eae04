"""The tabs and columns of the workbook contract, with their header aliases.

Each column has a field name (used by the parser), its English header (what
`vaxl init` writes), its Vietnamese header (what `vaxl init --lang vi` writes)
and further aliases.  Headers compare after `header_key`: case-insensitive,
ignoring spaces, underscores, hyphens and punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "ColumnSpec",
    "Kind",
    "TabSpec",
    "TABS",
    "INPUT_TABS",
    "MANIFEST_TAB",
    "REGISTER_TAB",
    "SETTINGS_KEYS",
    "header_key",
]

Kind = Literal[
    "text", "id", "date", "hours", "time", "yesno", "percent", "money", "number", "int", "choice"
]

_STRIP = re.compile(r"[\s_\-\.\,\:\;\/\\\(\)\[\]\#\'\"\?\!\*]+")


def header_key(text: object) -> str:
    """`Client ID`, `client_id`, `ClientID` -> `clientid` (NFC, case-folded)."""
    return _STRIP.sub("", unicodedata.normalize("NFC", str(text))).casefold()


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a tab.

    Fields:
        field: the parser's name for it.
        en, vi: the header `vaxl init` writes in English / Vietnamese.
        kind: how its cells are read.
        required: a tab without this header is unusable for billing.
        aliases: further accepted headers.
    """

    field: str
    en: str
    vi: str
    kind: Kind = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()

    def keys(self) -> set[str]:
        return {header_key(h) for h in (self.en, self.vi, self.field, *self.aliases)}


@dataclass(frozen=True)
class TabSpec:
    """One input tab: its names (en, vi, aliases) and columns."""

    name: str
    vi: str
    columns: tuple[ColumnSpec, ...]
    aliases: tuple[str, ...] = field(default=())

    def names(self) -> tuple[str, ...]:
        return (self.name, self.vi, *self.aliases)

    def column(self, field_name: str) -> ColumnSpec:
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)


C = ColumnSpec

SETTINGS = TabSpec("Settings", "Cài đặt", (
    C("setting", "Setting", "Thiết lập", required=True, aliases=("Key", "Name", "Tên")),
    C("value", "Value", "Giá trị", required=True),
), aliases=("Cai dat",))

CLIENTS = TabSpec("Clients", "Khách hàng", (
    C("client_id", "Client ID", "Mã khách hàng", "id", True, ("Client", "ID", "Mã KH")),
    C("name", "Client Name", "Tên khách hàng", required=True, aliases=("Name", "Tên")),
    C("contact", "Contact", "Người liên hệ"),
    C("email", "Email", "Email", aliases=("E-mail", "Email Address", "Thư điện tử")),
    C("phone", "Phone", "Điện thoại", aliases=("Telephone", "Số điện thoại")),
    C("address", "Address", "Địa chỉ"),
    C("billing", "Billing", "Hình thức", "choice", True, ("Billing Model", "Hình thức thanh toán")),
    C("rate", "Rate", "Đơn giá", "money", aliases=("Hourly Rate", "Giá giờ")),
    C("currency", "Currency", "Tiền tệ"),
    C("retainer_hours", "Retainer Hours", "Số giờ trọn gói", "hours"),
    C("retainer_fee", "Retainer Fee", "Phí trọn gói", "money"),
    C("rollover_months", "Rollover Months", "Số tháng chuyển tiếp", "int"),
    C("overage_rate", "Overage Rate", "Đơn giá vượt mức", "money"),
    C("rush_surcharge", "Rush Surcharge", "Phụ phí gấp", "percent"),
    C("commission_per_closing", "Commission per Closing", "Hoa hồng mỗi giao dịch", "money"),
    C("commission_rate", "Commission Rate", "Tỷ lệ hoa hồng", "percent"),
    C("tax_rate", "Tax Rate", "Thuế suất", "percent", aliases=("Tax", "VAT")),
    C("payment_terms", "Payment Terms", "Hạn thanh toán", "int"),
    C("time_rounding", "Time Rounding", "Làm tròn thời gian", "int"),
    C("start_date", "Start Date", "Ngày bắt đầu", "date"),
    C("end_date", "End Date", "Ngày kết thúc", "date"),
    C("active", "Active", "Đang hoạt động", "yesno"),
), aliases=("Khach hang",))

RATES = TabSpec("Rates", "Đơn giá", (
    C("client_id", "Client ID", "Mã khách hàng", "id", aliases=("Client", "Mã KH")),
    C("category", "Category", "Loại công việc", required=True, aliases=("Hạng mục",)),
    C("rate", "Rate", "Đơn giá", "money", True),
    C("prepaid", "Prepaid", "Trả trước", "yesno"),
), aliases=("Specialty Rates", "Don gia"))

TIMESHEET = TabSpec("Timesheet", "Bảng chấm công", (
    C("date", "Date", "Ngày", "date", True),
    C("client_id", "Client ID", "Mã khách hàng", "id", True, ("Client", "Mã KH")),
    C("task", "Task", "Công việc", aliases=("Description", "Mô tả")),
    C("category", "Category", "Loại công việc", aliases=("Hạng mục",)),
    C("hours", "Hours", "Số giờ", "hours", aliases=("Duration", "Time", "Thời lượng", "Giờ")),
    C("rush", "Rush", "Gấp", "yesno"),
    C("billable", "Billable", "Tính phí", "yesno"),
    C("notes", "Notes", "Ghi chú", aliases=("Note",)),
    # An extension of the contract for agencies (docs/decisions.md): who did the work.
    C("assistant", "Assistant", "Trợ lý", aliases=("VA", "Staff", "Person", "Nhân viên")),
    C("start", "Start", "Bắt đầu", "time", aliases=("Start Time", "Giờ bắt đầu")),
    C("end", "End", "Kết thúc", "time", aliases=("End Time", "Giờ kết thúc")),
), aliases=("Timesheets", "Time Log", "Bang cham cong"))

BLOCKS = TabSpec("Blocks", "Gói giờ", (
    C("date", "Date", "Ngày", "date", True),
    C("client_id", "Client ID", "Mã khách hàng", "id", True, ("Client", "Mã KH")),
    C("hours", "Hours", "Số giờ", "hours", True),
    C("amount", "Amount", "Số tiền", "money"),
    C("expires", "Expires", "Ngày hết hạn", "date", aliases=("Expiry", "Expiry Date")),
    C("reference", "Reference", "Tham chiếu", aliases=("Ref",)),
), aliases=("Goi gio",))

CLOSINGS = TabSpec("Closings", "Giao dịch", (
    C("date", "Date", "Ngày", "date", True),
    C("client_id", "Client ID", "Mã khách hàng", "id", True, ("Client", "Mã KH")),
    C("reference", "Reference", "Tham chiếu", aliases=("Ref", "Property", "Address")),
    C("sale_price", "Sale Price", "Giá bán", "money"),
    C("commission", "Commission", "Hoa hồng", "money"),
), aliases=("Giao dich",))

PAYMENTS = TabSpec("Payments", "Thanh toán", (
    C("date", "Date", "Ngày", "date", True),
    C("client_id", "Client ID", "Mã khách hàng", "id", True, ("Client", "Mã KH")),
    C("invoice_no", "Invoice No", "Số hóa đơn", aliases=("Invoice", "Invoice Number")),
    C("amount", "Amount", "Số tiền", "money", True),
    C("note", "Note", "Ghi chú", aliases=("Notes",)),
), aliases=("Thanh toan",))

# The register vaxl writes and the assistant edits (Status); read back on every run.
REGISTER = TabSpec("Invoices", "Hóa đơn", (
    C("invoice_no", "Invoice No", "Số hóa đơn", required=True),
    C("client_id", "Client ID", "Mã khách hàng", "id", True),
    C("period", "Period", "Kỳ", required=True),
    C("issue_date", "Issue Date", "Ngày lập", "date"),
    C("due_date", "Due Date", "Hạn thanh toán", "date"),
    C("currency", "Currency", "Tiền tệ"),
    C("subtotal", "Subtotal", "Cộng", "money"),
    C("tax", "Tax", "Thuế", "money"),
    C("total", "Total", "Tổng cộng", "money"),
    C("paid", "Paid", "Đã trả", "money"),
    C("balance", "Balance", "Còn nợ", "money"),
    C("status", "Status", "Trạng thái", "choice"),
    C("hours", "Hours", "Số giờ", "number"),
    C("fingerprint", "Fingerprint", "Mã kiểm tra"),
    C("tab", "Tab", "Trang tính"),
), aliases=("Hoa don",))

TABS: dict[str, TabSpec] = {
    t.name: t for t in (SETTINGS, CLIENTS, RATES, TIMESHEET, BLOCKS, CLOSINGS, PAYMENTS, REGISTER)
}
INPUT_TABS: tuple[str, ...] = (
    "Settings", "Clients", "Rates", "Timesheet", "Blocks", "Closings", "Payments"
)
REGISTER_TAB = "Invoices"
MANIFEST_TAB = "_vaxl"  # the very hidden tab listing the tabs vaxl wrote

# Settings keys: field -> (English key, Vietnamese key)
SETTINGS_KEYS: dict[str, tuple[str, str]] = {
    "business_name": ("Business Name", "Tên doanh nghiệp"),
    "business_address": ("Business Address", "Địa chỉ doanh nghiệp"),
    "business_email": ("Business Email", "Email doanh nghiệp"),
    "tax_id": ("Tax ID", "Mã số thuế"),
    "currency": ("Currency", "Tiền tệ"),
    "invoice_number": ("Invoice Number", "Số hóa đơn"),
    "rush_surcharge": ("Rush Surcharge", "Phụ phí gấp"),
    "time_rounding": ("Time Rounding", "Làm tròn thời gian"),
    "rounding_mode": ("Rounding Mode", "Cách làm tròn"),
    "date_order": ("Date Order", "Thứ tự ngày"),
    "payment_terms": ("Payment Terms", "Hạn thanh toán"),
    "language": ("Language", "Ngôn ngữ"),
    "low_balance_alert": ("Low Balance Alert", "Cảnh báo số dư thấp"),
    "logo": ("Logo", "Logo"),
    "paper": ("Paper Size", "Khổ giấy"),
    "payment_instructions": ("Payment Instructions", "Hướng dẫn thanh toán"),
}
