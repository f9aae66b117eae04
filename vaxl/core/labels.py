"""Words billing puts on invoices, statements and report alerts, in en and vi.

Only text lives here; numbers are formatted by the caller with `fmt_hours`
and `fmt_money` so both languages show the same figures.  A `period` given as
`YYYY-MM` is printed as words: `November 2026` (en), `11/2026` (vi).
"""

from __future__ import annotations

from decimal import Decimal

from vaxl.core.money import round_money

__all__ = ["fmt_hours", "fmt_money", "fmt_number", "fmt_percent", "text"]

_EN: dict[str, str] = {
    "time": "{category}",
    "time_uncategorised": "Services",
    "overage": "Overage — {category}",
    "overage_uncategorised": "Overage",
    "rush": "Rush surcharge {percent} — {category}",
    "rush_uncategorised": "Rush surcharge {percent}",
    "retainer_fee": "Monthly retainer {period} ({hours} h included)",
    "block": "Block of {hours} hours",
    "block_ref": "Block of {hours} hours ({reference})",
    "commission": "Commission — {reference} ({day})",
    "commission_noref": "Commission — closing of {day}",
    "st_carried_in": "Carried in from earlier months",
    "st_included": "Included this month",
    "st_used": "Used this month",
    "st_expired": "Expired",
    "st_balance": "Balance carried forward",
    "st_overage": "Overage billed",
    "st_block_available": "Block {reference}: available",
    "st_block_used": "Block {reference}: used",
    "st_block_expired": "Block {reference}: expired, forfeited",
    "st_blocks_left": "Hours left in blocks",
    "alert_low": "Low balance: {percent} of prepaid hours used, {left} h left",
    "alert_empty": "No prepaid hours left: {overage} h billed as overage",
    "alert_excluded": "Not billed: fix the errors for this client on the Validation tab",
    "alert_credit": "Credit of {amount} not yet applied to an invoice",
    "alert_forfeit": "{hours} h of block {reference} expired unused",
}

_VI: dict[str, str] = {
    "time": "{category}",
    "time_uncategorised": "Dịch vụ",
    "overage": "Vượt giờ — {category}",
    "overage_uncategorised": "Vượt giờ",
    "rush": "Phụ phí gấp {percent} — {category}",
    "rush_uncategorised": "Phụ phí gấp {percent}",
    "retainer_fee": "Phí trọn gói tháng {period} (gồm {hours} giờ)",
    "block": "Gói {hours} giờ",
    "block_ref": "Gói {hours} giờ ({reference})",
    "commission": "Hoa hồng — {reference} ({day})",
    "commission_noref": "Hoa hồng — giao dịch ngày {day}",
    "st_carried_in": "Chuyển từ các tháng trước",
    "st_included": "Gồm trong tháng này",
    "st_used": "Đã dùng trong tháng",
    "st_expired": "Hết hạn",
    "st_balance": "Số dư chuyển sang",
    "st_overage": "Giờ vượt đã tính phí",
    "st_block_available": "Gói {reference}: còn dùng được",
    "st_block_used": "Gói {reference}: đã dùng",
    "st_block_expired": "Gói {reference}: hết hạn, bị hủy",
    "st_blocks_left": "Số giờ còn lại trong các gói",
    "alert_low": "Sắp hết giờ: đã dùng {percent} số giờ trả trước, còn {left} giờ",
    "alert_empty": "Hết giờ trả trước: {overage} giờ tính là vượt giờ",
    "alert_excluded": "Chưa lập hóa đơn: hãy sửa các lỗi của khách hàng này ở tab Validation",
    "alert_credit": "Khoản dư {amount} chưa được trừ vào hóa đơn nào",
    "alert_forfeit": "{hours} giờ của gói {reference} hết hạn chưa dùng",
}

_TEXTS = {"en": _EN, "vi": _VI}

_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


def text(language: str, key: str, **values: object) -> str:
    """The `key` wording in `language` (en when unknown), filled with `values`."""
    table = _TEXTS.get(language, _EN)
    period = values.get("period")
    if isinstance(period, str):
        values["period"] = _period_words(language, period)
    return table[key].format(**values)


def _period_words(language: str, period: str) -> str:
    """`2026-11` -> `November 2026` (en) / `11/2026` (vi); anything else as given."""
    year, _, month = period.partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        return period
    if language == "vi":
        return f"{int(month):02d}/{year}"
    return f"{_EN_MONTHS[int(month) - 1]} {year}"


def fmt_hours(value: Decimal) -> str:
    """Hours with two decimals: `12.50`."""
    return f"{value.quantize(Decimal('0.01')):f}"


def fmt_money(amount: Decimal, currency: str) -> str:
    """`540.00 USD`, `1500000 VND`: rounded to the currency's minor unit."""
    return f"{round_money(amount, currency):f} {currency}"


def fmt_number(value: Decimal | int) -> str:
    """A number as typed, without trailing zeros: `1.5`, `100`, `0` (never `-0`)."""
    text_ = f"{Decimal(value).normalize():f}"
    return "0" if text_ == "-0" else text_


def fmt_percent(fraction: Decimal) -> str:
    """0.5 -> `50%`, 0.125 -> `12.5%`."""
    return f"{fmt_number(fraction * 100)}%"
